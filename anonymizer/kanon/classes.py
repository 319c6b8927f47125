"""Equivalence classes of a transformation, computed by roll-up from a cached predecessor.

If node p ≤ x (every level of p at most x's), each class of x is a union of classes of p, so
x's classes can be grouped from p's class representatives instead of from all tuples — ARX
does the same ("roll-up" from its snapshot history). The cache keeps the classes of checked
nodes within an element budget and hands out the predecessor with the fewest classes.
Histograms of the sensitive columns are summed along the way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anonymizer.kanon.encode import Encoded, Levels


@dataclass(frozen=True, eq=False)
class Classes:
    node: np.ndarray  # (m,) levels
    reps: np.ndarray  # (C,) a tuple index per class
    sizes: np.ndarray  # (C,) records per class
    hists: tuple[np.ndarray, ...]  # per sensitive column: (C × values) record counts
    #: class id of every tuple (only when grouped from the tuples themselves)
    tuple_class: np.ndarray | None = None
    #: distinct persons per class (None: the table has no person column)
    persons: np.ndarray | None = None

    def hist(self, j: int) -> np.ndarray:
        return self.hists[j]

    def sizes_for(self, per_person: bool) -> np.ndarray:
        """What a model counts: persons when it counts persons and they are known, else records."""
        return self.persons if per_person and self.persons is not None else self.sizes


def _first(ids: np.ndarray, n: int) -> np.ndarray:
    """Some member (any will do: all share the class's codes) of each of ``n`` groups."""
    first = np.empty(n, dtype=np.int64)
    first[ids] = np.arange(len(ids))
    return first


def _reduce_rows(mat: np.ndarray, ids: np.ndarray, n: int) -> np.ndarray:
    order = np.argsort(ids, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(ids[order]) != 0])
    out = np.add.reduceat(mat[order], starts, axis=0)
    assert len(out) == n
    return out


def from_tuples(enc: Encoded, node: Levels) -> Classes:
    cls, sizes = enc.group(node)
    hists = tuple(enc.histogram(cls, len(sizes), j) for j in range(len(enc.sens_columns)))
    persons = enc.persons(cls, len(sizes)) if enc.by_person else None
    return Classes(np.asarray(node), _first(cls, len(sizes)), sizes, hists, cls, persons)


def roll_up(enc: Encoded, base: Classes, node: Levels) -> Classes:
    """Classes of ``node`` from the classes of a predecessor ``base``."""
    ids, n = enc.classify(node, base.reps)
    sizes = np.bincount(ids, weights=base.sizes, minlength=n).astype(np.int64)
    hists = tuple(_reduce_rows(h, ids, n) for h in base.hists)
    return Classes(np.asarray(node), base.reps[_first(ids, n)], sizes, hists)


class ClassCache:
    """Classes of checked nodes, for roll-up; bounded by the number of stored classes."""

    def __init__(self, enc: Encoded, budget: int = 16_000_000):
        self.enc, self.budget, self.used = enc, budget, 0
        self.levels = np.zeros((0, len(enc.columns)), dtype=np.int64)
        self.counts = np.zeros(0, dtype=np.int64)
        self.items: list[Classes] = []

    def classes(self, node: np.ndarray) -> Classes:
        if self.enc.by_person:
            # distinct persons do not add up over merged classes: group from the tuples
            return from_tuples(self.enc, node)
        base = self._best_predecessor(node)
        out = from_tuples(self.enc, node) if base is None else roll_up(self.enc, base, node)
        n_cls = len(out.sizes)
        cost = n_cls * (2 + sum(len(labels) for labels in self.enc.sens_labels))
        if n_cls <= len(self.enc.tuples) // 2 and self.used + cost <= self.budget:
            self.levels = np.vstack([self.levels, np.asarray(node)[None]])
            self.counts = np.append(self.counts, n_cls)
            self.items.append(out)
            self.used += cost
        return out

    def _best_predecessor(self, node: np.ndarray) -> Classes | None:
        if not self.items:
            return None
        below = np.all(self.levels <= node, axis=1)
        if not below.any():
            return None
        counts = np.where(below, self.counts, np.iinfo(np.int64).max)
        return self.items[int(np.argmin(counts))]
