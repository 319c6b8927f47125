"""Contribution bounding: keep at most N rows per person, chosen at random.

With the privacy unit "one person" (Tumult's ``AddRowsWithID``), adding or removing a person
changes up to all of their rows, so sensitivities are only finite once rows per id are
bounded. Which rows survive depends only on that person's own rows and the sampler, so the
truncated table of everyone else is unchanged — the bound holds for every neighbour.
Vectorised: one ``lexsort`` by (id, random key) and a rank within each id.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from anonymizer.errors import InputError
from anonymizer.i18n import _


def bound_contributions(
    ids: pd.Series, max_rows: int, sampler: np.random.Generator, column: str = "id"
) -> np.ndarray:
    """Boolean mask of the rows kept: at most ``max_rows`` per distinct id, uniformly at random."""
    text = ids.astype("string").str.strip()
    empty = int((text.isna() | (text == "")).sum())
    if empty:
        raise InputError(
            _(
                "id column {column!r}: {empty} empty cell(s); every row needs an id to bound "
                "contributions per person"
            ).format(column=column, empty=empty)
        )
    codes, _uniques = pd.factorize(text)
    n = len(codes)
    if n == 0:
        return np.zeros(0, dtype=bool)
    order = np.lexsort((sampler.random(n), codes))
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    lengths = np.diff(np.r_[starts, n])
    rank = np.arange(n) - np.repeat(starts, lengths)
    keep = np.empty(n, dtype=bool)
    keep[order] = rank < max_rows
    return keep


__all__ = ["bound_contributions"]
