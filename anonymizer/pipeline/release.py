"""Writing a release: everything goes to a temp directory, renamed into place at the end.

Data files are deterministic (same input, key and seed → same bytes): no timestamps, a
fixed line ending (CRLF, as RFC 4180 and Excel expect), UTF-8 with BOM by default.
Cells that a spreadsheet would execute (=, +, -, @, tab, CR at the start, unless the cell
is a plain number) are prefixed with an apostrophe (OWASP CSV-injection guidance).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from anonymizer.errors import UsageError

_FORMULA = r"^[=+\-@\t\r]"
_NUMBER = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
LICENSES = {
    "CC-BY-4.0": {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    },
    "PDL-1.0": {
        "name": "PDL-1.0",
        "title": "公共データ利用規約（第1.0版）",
        "path": "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
    },
}


def neutralize_formulas(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Prefix formula-looking cells with ``'``; returns the frame and how many changed."""
    out = frame.copy()
    changed = 0
    for col in out.columns:
        s = out[col].astype("string")
        risky = s.str.contains(_FORMULA, regex=True, na=False)
        if risky.any():  # a number (-5, +1.5e3) is not a formula; checked on the few candidates
            risky[risky] = ~s[risky].str.fullmatch(_NUMBER, na=False)
        n = int(risky.sum())
        if n:
            s = s.mask(risky, "'" + s)
            changed += n
        out[col] = s
    return out, changed


def csv_bytes(frame: pd.DataFrame, encoding: str) -> bytes:
    text = frame.to_csv(index=False, lineterminator="\r\n", na_rep="")
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        col = _column_of_unencodable(frame, encoding)
        raise UsageError(
            f"output.encoding {encoding}: column {col!r} has characters {encoding} cannot represent "
            f"(position {exc.start} of the file); use utf-8-sig"
        ) from None


def _column_of_unencodable(frame: pd.DataFrame, encoding: str) -> str:
    for col in frame.columns:
        try:
            "".join(frame[col].astype("string").fillna("")).encode(encoding)
            str(col).encode(encoding)
        except UnicodeEncodeError:
            return str(col)
    return "?"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n").encode("utf-8")


class ReleaseWriter:
    """Collect files in a temp dir beside the target, then rename the dir into place."""

    def __init__(self, out_dir: Path, name: str, force: bool) -> None:
        self.target = out_dir / name
        if self.target.exists() and not force:
            raise UsageError(
                f"{self.target}: a release already exists; use --force to replace it"
            )
        out_dir.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=out_dir))
        self.files: dict[str, bytes] = {}

    def add(self, relpath: str, data: bytes) -> str:
        (self.tmp / relpath).write_bytes(data)
        self.files[relpath] = data
        return sha256_bytes(data)

    def commit(self) -> Path:
        """Atomically publish: rename the temp dir to the target (replacing an old one)."""
        for p in self.tmp.iterdir():
            os.chmod(p, 0o644)
        os.chmod(self.tmp, 0o755)
        old = None
        if self.target.exists():
            old = self.target.with_name(f".{self.target.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(self.target, old)
        os.replace(self.tmp, self.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return self.target

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
