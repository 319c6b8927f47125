"""The bytes of a release: deterministic CSV, formula-neutralised cells and headers, JSON.

Where they are written — under a name of their own, published by one atomic switch — is
:mod:`anonymizer.release` (:class:`ReleaseWriter` is re-exported here).

Data files are deterministic (same input, key and seed → same bytes): no timestamps, a
fixed line ending (CRLF, as RFC 4180 and Excel expect), UTF-8 with BOM by default.
Cells that a spreadsheet would execute (=, +, -, @, tab, CR at the start, unless the cell
is a plain number) are prefixed with an apostrophe (OWASP CSV-injection guidance).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from anonymizer.errors import UsageError
from anonymizer.i18n import _
from anonymizer.release.writer import ReleaseWriter

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
    """Prefix formula-looking cells with ``'``; returns the frame and how many changed.

    Headers are cells too (a spreadsheet executes ``=HYPERLINK(…)`` in row 1 as well): they
    are neutralised the same way, and counted (:func:`neutralize_headers`)."""
    out = frame.copy()
    changed = 0
    out.columns, renamed = neutralize_headers([str(c) for c in frame.columns])
    changed += renamed
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


def neutralize_headers(names: list[str]) -> tuple[list[str], int]:
    """Column names with a formula-looking one prefixed by ``'``; and how many changed."""
    out, changed = [], 0
    for name in names:
        if re.match(_FORMULA, name) and not re.fullmatch(_NUMBER, name):
            out.append("'" + name)
            changed += 1
        else:
            out.append(name)
    return out, changed


def in_released_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Microdata rows sorted by their released values, column by column (an empty cell
    first). The input's order — by 受付日, by 相談番号 — tells when a row was recorded even
    where its date was cut to the 年度; sorted, the order says nothing the values do not (rows
    that tie are identical, so their order tells nothing either)."""
    if len(frame) < 2 or frame.shape[1] == 0:
        return frame
    keys = pd.DataFrame(
        {i: frame.iloc[:, i].astype("string").fillna("") for i in range(frame.shape[1])},
        index=frame.index,
    )
    return frame.loc[keys.sort_values(list(keys.columns), kind="stable").index]


def data_files(file: str, rows: int, limit: int) -> list[str]:
    """The data file's name, or — a table of more than ``limit`` rows — its parts' names
    (``jinko.csv`` → ``jinko-0001.csv``, ``jinko-0002.csv`` …), each of at most ``limit`` rows."""
    if rows <= limit:
        return [file]
    stem = file.removesuffix(".csv")
    n = -(-rows // limit)
    width = max(4, len(str(n)))
    return [f"{stem}-{i:0{width}d}.csv" for i in range(1, n + 1)]


def row_ends(frame: pd.DataFrame, encoding: str) -> tuple[bytes, list[int]]:
    """The frame's rows as CSV without a header (:func:`csv_bytes`'s bytes), and the byte
    offset where each row ends: where a file of at most so many rows may be cut. A row ends
    at its line break unless a cell holds one; such rows are encoded one by one."""
    import numpy as np

    broken = np.zeros(len(frame), dtype=bool)
    for col in frame.columns:
        broken |= frame[col].astype("string").str.contains("[\r\n]", regex=True).fillna(False)
    data: list[bytes] = []
    ends: list[int] = []
    at = 0
    start = 0
    cuts = [*np.flatnonzero(broken).tolist(), len(frame)]
    for cut in cuts:
        for lo, hi in ((start, cut), (cut, min(cut + 1, len(frame)))):
            if lo >= hi:
                continue
            chunk = csv_bytes(frame.iloc[lo:hi], encoding, header=False)
            if hi - lo == 1:
                row = [len(chunk)]
            else:  # no line break in a cell: each \n ends a row (never a byte of a cp932
                # or UTF-8 character)
                row = (np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10) + 1).tolist()
            ends.extend(at + e for e in row)
            data.append(chunk)
            at += len(chunk)
        start = cut + 1
    return b"".join(data), ends


def csv_bytes(frame: pd.DataFrame, encoding: str, header: bool = True) -> bytes:
    """The frame as CSV; ``header=False``: its rows only (a part of a file written in parts,
    whose position in the file an encoding error then cannot name)."""
    text = frame.to_csv(index=False, header=header, lineterminator="\r\n", na_rep="")
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        col = _column_of_unencodable(frame, encoding)
        if not header:
            raise UsageError(
                _(
                    "output.encoding {encoding}: column {column!r} has characters {encoding} "
                    "cannot represent; use utf-8-sig"
                ).format(encoding=encoding, column=col)
            ) from None
        raise UsageError(
            _(
                "output.encoding {encoding}: column {column!r} has characters {encoding} cannot "
                "represent (position {start} of the file); use utf-8-sig"
            ).format(encoding=encoding, column=col, start=exc.start)
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


def sha256_input(path: Path | str) -> str:
    """An input file's SHA-256; a directory of part files' (:mod:`anonymizer.io.parts`): the
    SHA-256 of one ``<sha256>  <name>`` line per part in name order (what ``sha256sum *``
    prints there), so a reviewer can recompute it. An input at a URI (a string) is hashed
    alike by the Spark engine's executors (:func:`anonymizer.engine.spark.hadoop.sha256`)."""
    from anonymizer.io.parts import listing_sha256, part_files

    if isinstance(path, str):
        from anonymizer.engine.spark.hadoop import sha256_of

        return sha256_of(path)
    if not path.is_dir():
        return sha256_file(path)
    return listing_sha256((p.name, sha256_file(p)) for p in part_files(path))


def json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n").encode("utf-8")


__all__ = [
    "LICENSES", "ReleaseWriter", "csv_bytes", "json_bytes", "neutralize_formulas",
    "neutralize_headers", "sha256_bytes", "sha256_file", "sha256_input",
]  # fmt: skip
