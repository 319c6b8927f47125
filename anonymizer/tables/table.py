"""A linked hierarchical table: every combination of codes of its dimensions is a cell, and
every total equals the sum of its parts along each dimension (the additive equations).

Built from microdata (:func:`tabulate`: counts, or sums of a column, per leaf; totals by
aggregation; contributors counted per cell) or from an already aggregated table
(:func:`from_cells`: leaves given, totals checked for additivity). Errors name the column,
rows or cell coordinates (codes of public hierarchies) — never a count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import scipy.sparse as sp

from anonymizer.errors import InputError
from anonymizer.i18n import _
from anonymizer.io.rows import describe_rows
from anonymizer.operators._common import row_numbers
from anonymizer.tables.hierarchy import Hierarchy

_MAX_LISTED = 5
#: rows an error names (then …)
ROWS_LISTED = _MAX_LISTED


@dataclass(frozen=True)
class Dimension:
    column: str
    hierarchy: Hierarchy


@dataclass
class LinkedTable:
    dims: tuple[Dimension, ...]
    #: cell values (counts or sums), flat in C order over the dimensions' codes
    value: np.ndarray
    #: contributors per cell (persons, or rows without a person column)
    freq: np.ndarray
    #: magnitude tables: the largest contributions per cell, descending (cells × m)
    top: np.ndarray | None = None
    magnitude: bool = False
    name: str = "値"
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(d.hierarchy.codes) for d in self.dims)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    def coords(self, cell: int) -> dict[str, str]:
        idx = np.unravel_index(int(cell), self.shape)
        return {d.column: d.hierarchy.codes[int(i)] for d, i in zip(self.dims, idx, strict=True)}

    def where(self, cell: int) -> str:
        return "(" + ", ".join(f"{k}={v}" for k, v in self.coords(cell).items()) + ")"

    def cell_of(self, coords: dict[str, str], where: str) -> int:
        """The cell at ``{column: code}`` (every dimension named once)."""
        unknown = sorted(set(coords) - {d.column for d in self.dims})
        if unknown or len(coords) != len(self.dims):
            raise InputError(
                _("{where}: name each of {value_} once (got {coords})").format(
                    where=where, value_=[d.column for d in self.dims], coords=sorted(coords)
                )
            )
        idx = []
        for d in self.dims:
            i = d.hierarchy.code_index(pd.Series([coords[d.column]]), leaves_only=False)[0]
            if i < 0:
                raise InputError(
                    _("{where}: {column}: not a code of {origin}").format(
                        where=where, column=d.column, origin=d.hierarchy.origin
                    )
                )
            idx.append(int(i))
        return int(np.ravel_multi_index(tuple(idx), self.shape))

    @cached_property
    def equations(self) -> sp.csr_matrix:
        """One row per total and dimension: +1 at the total, −1 at each of its parts."""
        shape = self.shape
        index = np.arange(self.size, dtype=np.int64).reshape(shape)
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []
        r0 = 0
        for axis, d in enumerate(self.dims):
            h = d.hierarchy
            for p in h.internal:
                top = np.take(index, int(p), axis=axis).ravel()
                ids = r0 + np.arange(top.size, dtype=np.int64)
                rows.append(ids)
                cols.append(top)
                vals.append(np.ones(top.size))
                for c in h.children[int(p)]:
                    part = np.take(index, c, axis=axis).ravel()
                    rows.append(ids)
                    cols.append(part)
                    vals.append(-np.ones(part.size))
                r0 += top.size
        if not rows:
            return sp.csr_matrix((0, self.size))
        return sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(r0, self.size),
        )

    def long_frame(self) -> pd.DataFrame:
        index = pd.MultiIndex.from_product([list(d.hierarchy.codes) for d in self.dims])
        frame = index.to_frame(index=False)
        frame.columns = [d.column for d in self.dims]
        return frame


def _rows(mask: np.ndarray, index: pd.Index) -> str:
    """``row 3 (data row 1), …`` as the rest of the project (:mod:`anonymizer.io.rows`)."""
    return describe_rows(row_numbers(index, mask, _MAX_LISTED), int(mask.sum()) > _MAX_LISTED)


def aggregate(leaf: np.ndarray, dims: tuple[Dimension, ...]) -> np.ndarray:
    """Leaf tensor → every cell, one dimension at a time (a total is the sum of its leaves)."""
    arr = leaf
    for axis, d in enumerate(dims):
        arr = np.moveaxis(np.tensordot(d.hierarchy.leaf_matrix, arr, axes=(1, axis)), 0, axis)
    return arr.ravel()


def leaf_cells(
    columns: Sequence[pd.Series], dims: tuple[Dimension, ...]
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each row's leaf cell (flat over the dimensions' leaves, C order; 0 where a value is
    no leaf) and, per dimension, the rows whose value in ``columns`` is no leaf."""
    shape = tuple(len(d.hierarchy.leaves) for d in dims)
    pos, bad = [], []
    for values, d in zip(columns, dims, strict=True):
        codes = d.hierarchy.code_index(values, leaves_only=True)
        at = np.full(len(d.hierarchy.codes), 0, dtype=np.int64)
        at[d.hierarchy.leaves] = np.arange(len(d.hierarchy.leaves))
        bad.append(codes < 0)
        pos.append(np.where(codes < 0, 0, at[np.maximum(codes, 0)]))
    rows = len(columns[0]) if columns else 0
    flat = np.ravel_multi_index(tuple(pos), shape) if rows else np.zeros(0, dtype=np.int64)
    return flat, bad


def not_a_leaf(where: str, d: Dimension, count: int, rows: str) -> InputError:
    """``count`` rows (``rows``: as an error names them) hold a value of ``d`` that is no leaf."""
    return InputError(
        _(
            "{where}: column {column!r}: {int} row(s) hold a value that is not a leaf of "
            "the hierarchy {origin} ({_rows}); extend the hierarchy (a public list) "
            "or generalize the column first"
        ).format(where=where, column=d.column, int=count, origin=d.hierarchy.origin, _rows=rows)
    )


def amounts(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A summed column's cells as numbers (``1,234`` is 1234): (numbers, not a number,
    negative)."""
    raw = values.astype("string").str.strip()
    nums = pd.to_numeric(raw.str.replace(",", "", regex=False), errors="coerce").to_numpy(
        dtype=float
    )
    bad = ~np.isfinite(nums)
    return nums, bad, ~bad & (nums < 0)


def bad_amount(where: str, sum_column: str, negative: bool, rows: str) -> InputError:
    """A summed column's cell that is not a number (or, ``negative``, below zero)."""
    if negative:
        return InputError(
            _("{where}: column {sum_column!r}: negative value in {_rows}").format(
                where=where, sum_column=sum_column, _rows=rows
            )
        )
    return InputError(
        _("{where}: column {sum_column!r}: not a number in {_rows}").format(
            where=where, sum_column=sum_column, _rows=rows
        )
    )


def ancestor_cells(dims: tuple[Dimension, ...]) -> np.ndarray:
    """(leaf cells × ancestors) full-table cell numbers, −1 padded (unbalanced hierarchies)."""
    shape = tuple(len(d.hierarchy.codes) for d in dims)
    per_dim = []
    for d in dims:
        h = d.hierarchy
        width = max(len(h.ancestors[int(leaf)]) for leaf in h.leaves)
        a = np.full((len(h.leaves), width), -1, dtype=np.int64)
        for j, leaf in enumerate(h.leaves):
            chain = h.ancestors[int(leaf)]
            a[j, : len(chain)] = chain
        per_dim.append(a)
    grids = np.meshgrid(*[np.arange(len(d.hierarchy.leaves)) for d in dims], indexing="ij")
    leaf_idx = [g.ravel() for g in grids]
    combos = np.meshgrid(*[np.arange(a.shape[1]) for a in per_dim], indexing="ij")
    combo_idx = [c.ravel() for c in combos]
    parts = [a[li][:, ci] for a, li, ci in zip(per_dim, leaf_idx, combo_idx, strict=True)]
    valid = np.ones(parts[0].shape, dtype=bool)
    for p in parts:
        valid &= p >= 0
    flat = np.ravel_multi_index(tuple(np.where(valid, p, 0) for p in parts), shape)
    return np.where(valid, flat, -1)


def counted(
    dims: tuple[Dimension, ...],
    leaf_value: np.ndarray,
    leaf_count: np.ndarray,
    magnitude: bool,
    name: str,
) -> LinkedTable:
    """The table whose contributors are its rows, from each leaf's sum and count (flat over
    the leaves, C order): totals by aggregation."""
    leaf_shape = tuple(len(d.hierarchy.leaves) for d in dims)
    value = aggregate(np.asarray(leaf_value, dtype=float).reshape(leaf_shape), dims)
    counts = np.asarray(leaf_count, dtype=float).reshape(leaf_shape)
    freq = np.rint(aggregate(counts, dims)).astype(np.int64)
    return LinkedTable(dims, value, freq, None, magnitude, name)


def tabulate(
    frame: pd.DataFrame,
    dims: tuple[Dimension, ...],
    *,
    where: str,
    sum_column: str | None = None,
    contributors: pd.Series | None = None,
    top: int = 0,
    name: str = "値",
) -> LinkedTable:
    """Count rows (or sum ``sum_column``) per leaf and aggregate; contributors are persons
    (``contributors``) or rows. ``top`` > 0 keeps each cell's largest contributions."""
    leaf_flat, bad_leaf = leaf_cells([frame[d.column] for d in dims], dims)
    for d, bad in zip(dims, bad_leaf, strict=True):
        if bad.any():
            raise not_a_leaf(where, d, int(bad.sum()), _rows(bad, frame.index))
    leaf_shape = tuple(len(d.hierarchy.leaves) for d in dims)
    n_leaf = int(np.prod(leaf_shape))
    if sum_column is None:
        weights = np.ones(len(frame))
    else:
        nums, bad, neg = amounts(frame[sum_column])
        for mask, negative in ((bad, False), (neg, True)):
            if mask.any():
                raise bad_amount(where, sum_column, negative, _rows(mask, frame.index))
        weights = nums
    leaf_value = np.bincount(leaf_flat, weights=weights, minlength=n_leaf)
    if contributors is None and not top:
        counts = np.bincount(leaf_flat, minlength=n_leaf)
        return counted(dims, leaf_value, counts, sum_column is not None, name)
    value = aggregate(leaf_value.reshape(leaf_shape), dims)
    who = (
        pd.factorize(contributors.loc[frame.index].astype("string"))[0].astype(np.int64)
        if contributors is not None
        else np.arange(len(frame), dtype=np.int64)
    )
    # one (contributor, leaf) pair per contribution, then expanded to every cell above the leaf
    n_who = int(who.max()) + 1 if len(who) else 1
    pair, inv = np.unique(who * n_leaf + leaf_flat, return_inverse=True)
    pair_w = np.bincount(inv, weights=weights, minlength=len(pair))
    anc = ancestor_cells(dims)[pair % n_leaf]
    owner = np.repeat(pair // n_leaf, anc.shape[1])
    amount = np.repeat(pair_w, anc.shape[1])
    cells = anc.ravel()
    keep = cells >= 0
    cells, owner, amount = cells[keep], owner[keep], amount[keep]
    size = int(np.prod(tuple(len(d.hierarchy.codes) for d in dims)))
    key, kinv = np.unique(cells * n_who + owner, return_inverse=True)
    per = np.bincount(kinv, weights=amount, minlength=len(key))
    cell_of = key // n_who
    freq = np.bincount(cell_of, minlength=size).astype(np.int64)
    tops = None
    if top:
        order = np.lexsort((-per, cell_of))
        cell_sorted, per_sorted = cell_of[order], per[order]
        start = np.searchsorted(cell_sorted, cell_sorted, side="left")
        rank = np.arange(len(cell_sorted)) - start
        tops = np.zeros((size, top))
        sel = rank < top
        tops[cell_sorted[sel], rank[sel]] = per_sorted[sel]
    return LinkedTable(dims, value, freq, tops, sum_column is not None, name)


def from_cells(
    frame: pd.DataFrame,
    dims: tuple[Dimension, ...],
    value_column: str,
    *,
    where: str,
    name: str | None = None,
) -> LinkedTable:
    """An aggregated count table: one row per cell (leaves required unless zero, totals
    optional); every total given must equal the sum of its parts."""
    shape = tuple(len(d.hierarchy.codes) for d in dims)
    idx = []
    for d in dims:
        codes = d.hierarchy.code_index(frame[d.column], leaves_only=False)
        bad = codes < 0
        if bad.any():
            raise InputError(
                _(
                    "{where}: column {column!r}: {int} row(s) hold a code that is not in the "
                    "hierarchy {origin} ({_rows})"
                ).format(
                    where=where,
                    column=d.column,
                    int=int(bad.sum()),
                    origin=d.hierarchy.origin,
                    _rows=_rows(bad, frame.index),
                )
            )
        idx.append(codes)
    nums, bad, neg = amounts(frame[value_column])
    if bad.any():
        raise InputError(
            _("{where}: column {value_column!r}: not a number in {_rows}").format(
                where=where, value_column=value_column, _rows=_rows(bad, frame.index)
            )
        )
    flat = np.ravel_multi_index(tuple(idx), shape) if len(frame) else np.zeros(0, dtype=np.int64)
    table = LinkedTable(
        dims,
        np.zeros(int(np.prod(shape))),
        np.zeros(int(np.prod(shape)), dtype=np.int64),
        name=name or value_column,
    )
    uniq, first, counts = np.unique(flat, return_index=True, return_counts=True)
    if (counts > 1).any():
        twice = uniq[counts > 1][:_MAX_LISTED]
        raise InputError(
            _("{where}: cell(s) given more than once: {value_}").format(
                where=where, value_='; '.join(table.where(c) for c in twice)
            )
        )
    if neg.any():
        cells = "; ".join(table.where(c) for c in flat[neg][:_MAX_LISTED])
        raise InputError(
            _("{where}: column {value_column!r}: negative count at {cells}").format(
                where=where, value_column=value_column, cells=cells
            )
        )
    given = np.full(table.size, np.nan)
    given[flat] = nums
    leaf_cells = ancestor_cells(dims)[:, 0]
    leaf = np.nan_to_num(given[leaf_cells]).reshape(tuple(len(d.hierarchy.leaves) for d in dims))
    full = aggregate(leaf, dims)
    off = ~np.isnan(given) & ~np.isclose(given, full, rtol=1e-9, atol=1e-6)
    if off.any():
        cells = "; ".join(table.where(c) for c in np.flatnonzero(off)[:_MAX_LISTED])
        raise InputError(
            _(
                "{where}: non-additive table: {int} total(s) differ from the sum of their parts, "
                "at {cells}"
            ).format(where=where, int=int(off.sum()), cells=cells)
        )
    table.value = full
    table.freq = np.rint(full).astype(np.int64)
    return table


__all__ = [
    "ROWS_LISTED", "Dimension", "LinkedTable", "aggregate", "amounts", "ancestor_cells",
    "bad_amount", "counted", "from_cells", "leaf_cells", "not_a_leaf", "tabulate",
]  # fmt: skip
