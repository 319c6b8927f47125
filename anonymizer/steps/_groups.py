"""Rows that belong together (a household's residents, one person's rows): the identifiers a
grouping needs, and the groups whose rows disagree where they must agree. Errors name the
column, the count and up to five rows — never a value."""

from __future__ import annotations

import numpy as np
import pandas as pd

from anonymizer.errors import InputError
from anonymizer.i18n import _
from anonymizer.io.rows import describe_rows
from anonymizer.operators._common import MAX_ROWS_IN_ERROR, row_numbers


def rows_text(index: pd.Index, mask: np.ndarray) -> str:
    """``row 3 (data row 1), …``: the first marked rows (:mod:`anonymizer.io.rows`)."""
    return describe_rows(row_numbers(index, mask), int(np.count_nonzero(mask)) > MAX_ROWS_IN_ERROR)


def group_ids(frame: pd.DataFrame, column: str, where: str) -> pd.Series:
    """The stripped identifiers of ``column``; an empty one is an InputError at ``where``."""
    ids = stripped_ids(frame[column])
    empty = ids.isna().to_numpy(dtype=bool)
    if empty.any():
        raise empty_ids(where, column, int(empty.sum()), rows_text(frame.index, empty))
    return ids


def stripped_ids(values: pd.Series) -> pd.Series:
    """Identifiers as a grouping compares them: stripped; an empty one is missing."""
    ids = values.astype("string").str.strip()
    return ids.mask(ids == "")


def empty_ids(where: str, column: str, count: int, rows: str) -> InputError:
    """``count`` rows (``rows``: :func:`rows_text`) have no identifier in ``column``."""
    return InputError(
        _("{where}: {column!r} is empty in {int} row(s) ({rows_text})").format(
            where=where, column=column, int=count, rows_text=rows
        )
    )


def disagreeing(values: pd.DataFrame, ids: pd.Series) -> pd.Index:
    """The groups of ``ids`` whose rows hold more than one value in any column of ``values``."""
    spread = values.groupby(ids).nunique().gt(1).any(axis=1)
    return spread[spread].index


__all__ = ["disagreeing", "empty_ids", "group_ids", "rows_text", "stripped_ids"]
