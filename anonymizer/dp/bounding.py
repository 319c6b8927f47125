"""Contribution bounding: keep at most N rows per person, chosen at random.

With the privacy unit "one person" (Tumult's ``AddRowsWithID``), adding or removing a person
changes up to all of their rows, so sensitivities are only finite once rows per id are
bounded. Which rows survive depends only on that person's own rows and the run's bounding
key, so the truncated table of everyone else is unchanged — the bound holds for every
neighbour.

A row's random rank is a keyed hash of its number (SipHash through pandas' ``hash_array``,
keyed by :attr:`anonymizer.dp.rng.DpRandom.bounding_key`), not a draw in row order: so the
Spark engine, which sees a person's rows in no fixed order, keeps the same rows as this one
(:mod:`anonymizer.engine.spark.dp`). Vectorised: one ``lexsort`` by (id, key, row) and a rank
within each id.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from anonymizer.errors import InputError
from anonymizer.i18n import _


def row_keys(rows: np.ndarray, key: str) -> np.ndarray:
    """The rows' random ranks: SipHash-2-4 of each row number's decimal text under ``key``
    (16 characters), its top 63 bits as ``int64`` (so Spark's signed longs sort them alike)."""
    text = np.asarray(rows, dtype=np.int64).astype(str).astype(object)
    return (pd.util.hash_array(text, hash_key=key, categorize=False) >> np.uint64(1)).astype(
        np.int64
    )


def id_text(ids: pd.Series) -> pd.Series:
    """The ids as they are compared: text, surrounding whitespace stripped."""
    return ids.astype("string").str.strip()


def refuse_empty_ids(empty: int, column: str) -> None:
    """Every row needs an id (the message names the column and the count, never a value)."""
    if empty:
        raise InputError(
            _(
                "id column {column!r}: {empty} empty cell(s); every row needs an id to bound "
                "contributions per person"
            ).format(column=column, empty=empty)
        )


def bound_contributions(
    ids: pd.Series, max_rows: int, key: str, column: str = "id", rows: np.ndarray | None = None
) -> np.ndarray:
    """Boolean mask of the rows kept: at most ``max_rows`` per distinct id, uniformly at random.

    ``rows``: the rows' numbers (default: their positions); ``key``: the run's bounding key."""
    text = id_text(ids)
    refuse_empty_ids(int((text.isna() | (text == "")).sum()), column)
    codes, _uniques = pd.factorize(text)
    n = len(codes)
    if n == 0:
        return np.zeros(0, dtype=bool)
    numbers = np.arange(n, dtype=np.int64) if rows is None else np.asarray(rows, dtype=np.int64)
    order = np.lexsort((numbers, row_keys(numbers, key), codes))
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    lengths = np.diff(np.r_[starts, n])
    rank = np.arange(n) - np.repeat(starts, lengths)
    keep = np.empty(n, dtype=bool)
    keep[order] = rank < max_rows
    return keep


__all__ = ["bound_contributions", "id_text", "refuse_empty_ids", "row_keys"]
