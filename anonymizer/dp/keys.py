"""Public key sets and the mapping of private rows onto them.

A key set is public: a file under ``rules/keys/`` (UTF-8, one value per line, blank lines
ignored) or values listed in the pipeline. Data values are matched after NFKC normalization
with the project's dash folding (:mod:`anonymizer.text.normalize`), range folding
(:func:`anonymizer.text.bands.fold_ranges`) and trimming: 全角 ``１丁目`` meets ``1丁目``,
``2024‐04`` meets ``2024-04``, an old band ``1-2人`` meets ``1～2人``. The published table
uses the key set's own spelling. A row whose value is not in the key set is dropped, so a key
that merely occurs in the private data can never appear in the output — and every key in the
set appears, with noise, whether or not the data has it.

Mapping is vectorised: each column is factorized once and only its distinct values are
normalized, so a 1M-row column with a few hundred distinct values costs one pass.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.rules import rules_dir
from anonymizer.text.bands import fold_ranges
from anonymizer.text.normalize import normalize


def match_form(value: str) -> str:
    """The form keys and data values are compared in: whole-string NFKC (so half-width
    ｷﾞ composes to ギ), then the project's dash folding, and 〜/～ between digits as ``-``
    (a band label in its old form, 10-19歳, meets the released 10～19歳)."""
    return fold_ranges(normalize(unicodedata.normalize("NFKC", value)).text.strip())


@dataclass(frozen=True)
class KeySet:
    """The public keys of one group-by column, and where they came from (for the ledger)."""

    column: str
    keys: tuple[str, ...]
    origin: str  # the key file's path, "inline" or "discovered"
    sha256: str | None = None  # of the key file's bytes

    @property
    def source(self) -> dict[str, str | int]:
        """What the ledger records: where the keys came from, never the data."""
        out: dict[str, str | int] = {"origin": self.origin, "keys": len(self.keys)}
        if self.sha256:
            out["sha256"] = self.sha256
        return out

    def __post_init__(self) -> None:
        seen: dict[str, int] = {}
        for i, k in enumerate(self.keys):
            m = match_form(k)
            if not m:
                raise ConfigError(
                    _("{origin}: key {value_} of {column!r} is empty").format(
                        origin=self.origin, value_=i + 1, column=self.column
                    )
                )
            if m in seen:
                raise ConfigError(
                    _(
                        "{origin}: keys {value_} and {value_2} of {column!r} are the same after "
                        "NFKC normalization"
                    ).format(
                        origin=self.origin,
                        value_=seen[m] + 1,
                        value_2=i + 1,
                        column=self.column,
                    )
                )
            seen[m] = i

    def codes(self, values: pd.Series) -> np.ndarray:
        """Index of each value's key, or -1 when it is not in the key set (or missing)."""
        return encode(values, [match_form(k) for k in self.keys])


def encode(values: pd.Series, normalized_keys: list[str]) -> np.ndarray:
    lookup = {k: i for i, k in enumerate(normalized_keys)}
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    per_unique = np.fromiter(
        (lookup.get(match_form(str(u)), -1) for u in uniques), dtype=np.int64, count=len(uniques)
    )
    out = np.full(len(codes), -1, dtype=np.int64)
    present = codes >= 0
    out[present] = per_unique[codes[present]]
    return out


def key_file_path(name: str, rules_directory: Path | str | None = None) -> Path:
    p = Path(name)
    return p if p.is_absolute() else rules_dir(rules_directory) / "keys" / p


def load_key_file(
    column: str, name: str, rules_directory: Path | str | None = None
) -> KeySet:
    """Read a one-value-per-line public key file; errors name the file and line."""
    path = key_file_path(name, rules_directory)
    if not path.is_file():
        raise ConfigError(
            _("{path}: key file not found (group_by {column!r})").format(path=path, column=column)
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(_("{path}: not UTF-8 text").format(path=path)) from None
    keys = tuple(line.strip() for line in text.splitlines() if line.strip())
    if not keys:
        raise ConfigError(_("{path}: no keys").format(path=path))
    return KeySet(column, keys, str(path), hashlib.sha256(raw).hexdigest())


def cell_index(
    codes: list[np.ndarray], sizes: list[int], n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Flat cell number per row (C order over the key sets) and the mask of rows kept."""
    keep = np.ones(n, dtype=bool)
    for c in codes:
        keep &= c >= 0
    if not codes:
        return np.zeros(n, dtype=np.int64), keep
    flat = np.ravel_multi_index(tuple(c[keep] for c in codes), tuple(sizes))
    return flat.astype(np.int64), keep


def key_frame(key_sets: list[KeySet]) -> pd.DataFrame:
    """One row per key combination, first group-by varying slowest (matches :func:`cell_index`)."""
    if not key_sets:
        return pd.DataFrame(index=pd.RangeIndex(1))
    index = pd.MultiIndex.from_product([list(k.keys) for k in key_sets])
    frame = index.to_frame(index=False)
    frame.columns = [k.column for k in key_sets]
    return frame


__all__ = ["KeySet", "cell_index", "encode", "key_frame", "load_key_file", "match_form"]
