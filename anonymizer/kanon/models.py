"""Privacy models, evaluated per equivalence class on integer histograms.

Which models are monotone (if a transformation satisfies it, every more general one does too),
the property that lets the search prune (Kohlmayer et al., "Flash", 2012; ARX's
``isMonotonicWithSuppression`` / ``isMonotonicWithGeneralization``):

* k-anonymity and distinct ℓ-diversity: monotone with and without record suppression (a class
  that fails after merging is made only of classes that each failed, so the set of records to
  suppress can only shrink).
* entropy-ℓ, recursive-(c,ℓ) diversity and t-closeness: monotone without suppression only
  (entropy is concave, EMD convex: a merged class is at least as good as its worst part), but
  with suppression a good class can merge with a bad one and fail.
* the average re-identification risk threshold: monotone without suppression only.

The search prunes with the monotone models and *checks* the others on every candidate.
t-closeness compares each class with the distribution over the whole input (as ARX does).
EMDs: equal distance ½·Σ|q−p|; ordered distance Σ|cumsum(q−p)|/(m−1); hierarchical distance as
defined by Li, Li & Venkatasubramanian, "t-Closeness" (ICDE 2007), §4.2.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from anonymizer.kanon.hierarchy import Hierarchy

Hist = Callable[[int], np.ndarray]  # j → (classes × values) counts of sensitive column j
_EPS = 1e-9


class ClassModel(ABC):
    """A model judged class by class; failing classes are suppressed (within the limit)."""

    name: str
    monotone_with_suppression: bool = False
    #: judged on distinct persons per class when the table has a person column
    per_person: bool = False

    @abstractmethod
    def violating(self, sizes: np.ndarray, hist: Hist) -> np.ndarray:
        """Boolean mask over classes that do not satisfy the model."""

    @abstractmethod
    def achieved(self, sizes: np.ndarray, hist: Hist) -> float:
        """The model's parameter as achieved by these classes (k, ℓ or t)."""


@dataclass(frozen=True)
class KAnonymity(ClassModel):
    k: int
    name: str = "k-anonymity"
    monotone_with_suppression: bool = True
    #: a class of 6 rows from 2 people singles each of them out as much as a class of 2 rows
    per_person: bool = True

    def violating(self, sizes: np.ndarray, hist: Hist) -> np.ndarray:
        return sizes < self.k

    def achieved(self, sizes: np.ndarray, hist: Hist) -> float:
        return float(sizes.min()) if len(sizes) else 0.0


def _each(columns: int, hist: Hist, fn: Callable[[np.ndarray, int], np.ndarray]) -> np.ndarray:
    """OR of ``fn`` over the sensitive columns (every column must satisfy the model)."""
    out: np.ndarray | None = None
    for j in range(columns):
        bad = fn(hist(j), j)
        out = bad if out is None else out | bad
    assert out is not None
    return out


@dataclass(frozen=True)
class DistinctL(ClassModel):
    l: int  # noqa: E741
    columns: int
    name: str = "distinct-l-diversity"
    monotone_with_suppression: bool = True

    def violating(self, sizes: np.ndarray, hist: Hist) -> np.ndarray:
        return _each(self.columns, hist, lambda h, _: (h > 0).sum(axis=1) < self.l)

    def achieved(self, sizes: np.ndarray, hist: Hist) -> float:
        return float(min((hist(j) > 0).sum(axis=1).min() for j in range(self.columns)))


def _entropy(h: np.ndarray) -> np.ndarray:
    tot = h.sum(axis=1, keepdims=True)
    p = np.divide(h, tot, out=np.zeros_like(h, dtype=float), where=tot > 0)
    logs = np.log(p, out=np.zeros_like(p), where=p > 0)
    return -(p * logs).sum(axis=1)


@dataclass(frozen=True)
class EntropyL(ClassModel):
    l: int  # noqa: E741
    columns: int
    name: str = "entropy-l-diversity"

    def violating(self, sizes: np.ndarray, hist: Hist) -> np.ndarray:
        return _each(self.columns, hist, lambda h, _: _entropy(h) < np.log(self.l) - _EPS)

    def achieved(self, sizes: np.ndarray, hist: Hist) -> float:
        return float(min(np.exp(_entropy(hist(j)).min()) for j in range(self.columns)))


@dataclass(frozen=True)
class RecursiveCL(ClassModel):
    """r₁ < c·(r_ℓ + … + r_m) with r sorted in descending order (Machanavajjhala et al. 2007)."""

    c: float
    l: int  # noqa: E741
    columns: int
    name: str = "recursive-(c,l)-diversity"

    def _bad(self, h: np.ndarray, _: int) -> np.ndarray:
        r = -np.sort(-h, axis=1)
        tail = r[:, self.l - 1 :].sum(axis=1) if r.shape[1] >= self.l else np.zeros(len(r))
        return ~(r[:, 0] < self.c * tail - _EPS) if r.shape[1] else np.ones(len(r), bool)

    def violating(self, sizes: np.ndarray, hist: Hist) -> np.ndarray:
        return _each(self.columns, hist, self._bad)

    def achieved(self, sizes: np.ndarray, hist: Hist) -> float:
        return float(self.l) if not self.violating(sizes, hist).any() else 0.0


class Distance:
    """EMD between each class's distribution (rows of q) and the global one (p)."""

    def __init__(self, kind: str, p: np.ndarray, order: np.ndarray | None, tree: Hierarchy | None):
        self.kind, self.p = kind, p
        self.order = order  # columns of the values present in the input, in their order
        self.tree = tree
        #: per level of the tree: (column order grouping children by parent, group starts)
        self._up: list[tuple[np.ndarray, np.ndarray]] = []
        for level in range(1, tree.height + 1 if tree is not None else 1):
            assert tree is not None
            parents = np.empty(len(tree.labels[level - 1]), dtype=np.int64)
            parents[tree.maps[level - 1]] = tree.maps[level]
            cols = np.argsort(parents, kind="stable")
            self._up.append((cols, np.flatnonzero(np.r_[True, np.diff(parents[cols]) != 0])))

    def __call__(self, q: np.ndarray) -> np.ndarray:
        r = q - self.p
        if self.kind == "equal":
            return 0.5 * np.abs(r).sum(axis=1)
        if self.kind == "ordered":
            assert self.order is not None
            m = len(self.order)
            if m < 2:
                return np.zeros(len(r))
            return np.abs(np.cumsum(r[:, self.order], axis=1)).sum(axis=1) / (m - 1)
        total = np.zeros(len(r))
        extra = r  # columns: level-0 codes of the sensitive hierarchy
        height = len(self._up)
        for level, (order, starts) in enumerate(self._up, start=1):
            pos = np.add.reduceat(np.clip(extra, 0, None)[:, order], starts, axis=1)
            neg = np.add.reduceat(np.clip(-extra, 0, None)[:, order], starts, axis=1)
            total += (level / height) * np.minimum(pos, neg).sum(axis=1)
            extra = np.add.reduceat(extra[:, order], starts, axis=1)
        return total


@dataclass(frozen=True)
class TCloseness(ClassModel):
    t: float
    distances: tuple[Distance, ...]
    name: str = "t-closeness"

    def _emd(self, hist: Hist, j: int) -> np.ndarray:
        h = hist(j)
        tot = h.sum(axis=1, keepdims=True)
        q = np.divide(h, tot, out=np.zeros_like(h, dtype=float), where=tot > 0)
        return self.distances[j](q)

    def violating(self, sizes: np.ndarray, hist: Hist) -> np.ndarray:
        return _each(len(self.distances), hist, lambda _, j: self._emd(hist, j) > self.t + _EPS)

    def achieved(self, sizes: np.ndarray, hist: Hist) -> float:
        return float(max(self._emd(hist, j).max() for j in range(len(self.distances))))


@dataclass(frozen=True)
class AverageRisk:
    """Average prosecutor risk of the released records (#classes / #records) ≤ threshold."""

    threshold: float
    name: str = "average-risk"

    def satisfied(self, kept_sizes: np.ndarray) -> bool:
        kept = kept_sizes[kept_sizes > 0]
        return bool(len(kept) == 0 or len(kept) / kept.sum() <= self.threshold + _EPS)
