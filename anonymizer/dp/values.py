"""Measure columns arrive as text; turn them into numbers or fail naming column and count.

Messages give the column and how many cells failed, never a value (it may be personal).
全角 digits and thousands separators (``１，２３４``) are accepted through NFKC.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from anonymizer.errors import InputError
from anonymizer.i18n import _


def parse_numeric(
    series: pd.Series, column: str, missing: str, weight: np.ndarray | None = None
) -> np.ndarray:
    """Float array (NaN for empty cells); ``missing="error"`` refuses empty cells.

    ``weight``: how many cells each one stands for (a summary's counts), for the messages'
    counts.

    Parses each *distinct* text once (factorize, then map back by code): real measure columns
    repeat values heavily, and ``pd.to_numeric`` on 1M strings is the slow part.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    text = pd.Series(uniques, dtype="string").str.strip()
    empty_u = (text.isna() | (text == "")).to_numpy()
    parsed = pd.to_numeric(text.mask(empty_u), errors="coerce").astype("Float64")
    retry = parsed.isna().to_numpy() & ~empty_u
    if retry.any():  # 全角 digits, thousands separators: only the values that need it
        fixed = text[retry].map(
            lambda s: unicodedata.normalize("NFKC", s).replace(",", "").strip(), na_action="ignore"
        )
        parsed[retry] = pd.to_numeric(fixed, errors="coerce").astype("Float64")
    per_unique = parsed.to_numpy(dtype=np.float64, na_value=np.nan)
    bad_u = np.isnan(per_unique) & ~empty_u
    present = codes >= 0
    empty = ~present
    empty[present] = empty_u[codes[present]]
    bad = np.zeros(len(codes), dtype=bool)
    bad[present] = bad_u[codes[present]]
    w = np.ones(len(codes), dtype=np.int64) if weight is None else weight
    if bad.any():
        raise InputError(
            _("column {column!r}: {int} of {n_series} cell(s) are not numbers").format(
                column=column, int=int(w[bad].sum()), n_series=int(w.sum())
            )
        )
    if missing == "error" and empty.any():
        raise InputError(
            _(
                "column {column!r}: {int} empty cell(s); declare missing: drop to leave those rows "
                "out of this measure"
            ).format(column=column, int=int(w[empty].sum()))
        )
    out = np.full(len(codes), np.nan)
    out[present] = per_unique[codes[present]]
    return out


__all__ = ["parse_numeric"]
