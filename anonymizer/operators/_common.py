"""Helpers shared by the column operators: blank cells, per-distinct-value mapping, errors.

Columns repeat values heavily (ages, towns, dates), so operators compute each *distinct*
value once (``pd.factorize``) and map the results back by code: no Python loop over rows.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

from anonymizer.errors import InputError
from anonymizer.i18n import _
from anonymizer.io.rows import describe_rows
from anonymizer.text.normalize import normalize

#: how many row numbers an error message lists
MAX_ROWS_IN_ERROR = 5


def canonical(text: str) -> str:
    """NFKC over the whole string, then the project's dash and space rules.

    Whole-string NFKC first: 半角 voiced marks compose only with their base (ﾀﾞ → ダ), which
    :func:`anonymizer.text.normalize.normalize` — character by character, to keep offsets —
    leaves as タ + U+3099. Operators need no offsets, only one spelling per value.
    """
    if text.isascii():  # NFKC and the dash rules leave ASCII as it is
        return text
    return normalize(unicodedata.normalize("NFKC", text)).text


def blank_mask(values: pd.Series) -> np.ndarray:
    """Cells with nothing to protect: missing, empty or only whitespace (全角 space too)."""
    return (values.isna() | (values.str.strip() == "")).to_numpy(dtype=bool, na_value=True)


def map_distinct(
    values: pd.Series, func: Callable[[str], str | None]
) -> tuple[pd.Series, np.ndarray]:
    """Apply ``func`` once per distinct non-blank value; blank cells keep their value.

    Returns the mapped column (same index, name and dtype) and a boolean array marking the
    cells where ``func`` returned None — values it could not handle.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts: list[str] = uniques.astype(object).tolist()
    blank_u = np.fromiter((not t.strip() for t in texts), dtype=bool, count=len(texts))
    out_u = np.array(
        [t if b else func(t) for t, b in zip(texts, blank_u, strict=True)] + [None], dtype=object
    )
    bad_u = np.append(np.array([o is None for o in out_u[:-1]], dtype=bool), False)
    # code -1 (missing) indexes the trailing None / False: the cell stays NA and is not bad
    mapped = out_u[codes]
    bad = bad_u[codes]
    result = pd.Series(pd.array(mapped, dtype=values.dtype), index=values.index, name=values.name)
    return result, bad


def row_numbers(index: pd.Index, bad: np.ndarray, limit: int = MAX_ROWS_IN_ERROR) -> list[int]:
    """Data-row numbers (1 = first row after the header) of the first ``limit`` bad cells.

    Taken from the index, so a chunk of a large file reports rows of the whole file; a
    non-integer index falls back to positions.
    """
    positions = np.flatnonzero(bad)[:limit]
    if pd.api.types.is_integer_dtype(index.dtype):
        return [int(index[p]) + 1 for p in positions]
    return [int(p) + 1 for p in positions]


class InvalidCells(InputError):
    """Cells an operator cannot read (a birth date 1985-13-45, an age of 三十): which ones, so
    that a column's ``on_invalid`` policy can read them as empty or suppress their rows
    instead of stopping the run. The message names the column, count and rows — never values."""

    def __init__(self, message: str, cells: pd.Index) -> None:
        super().__init__(message)
        #: index labels of the invalid cells
        self.cells = cells


def reject_cells(column: str, index: pd.Index, bad: np.ndarray, problem: str) -> None:
    """InvalidCells naming the column, the number of bad cells and up to 5 rows; never values."""
    count = int(bad.sum())
    if not count:
        return
    rows = describe_rows(row_numbers(index, bad), count > MAX_ROWS_IN_ERROR)
    raise InvalidCells(
        _("column {column!r}: {count} of {total} cell(s) {problem} ({rows})").format(
            column=column, count=count, total=len(bad), problem=problem, rows=rows
        ),
        index[np.asarray(bad, dtype=bool)]
    )

