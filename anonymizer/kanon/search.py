"""Globally optimal full-domain generalization over the lattice of level vectors.

Phase 1 is Flash's idea (Kohlmayer et al., "Flash: Efficient, Stable and Optimal
K-Anonymity", 2012): take untagged nodes in order, build a path of untagged successors and
binary-search it; a node that satisfies the *monotone* models tags all its successors as
satisfying them, a node that fails tags all its predecessors as failing (predictive tagging),
so most of the lattice is classified without being checked. Two additions: nodes the caller
already knows to fail (2-QI projections, :mod:`anonymizer.kanon.projections`) start tagged,
and with a closed-form metric bound only nodes whose bound is below the best value found so
far are classified at all — the rest cannot be optimal.

Phase 2 finds the optimum among the nodes that satisfy the monotone models. With a metric that
has a closed-form lower bound (loss, precision, entropy) candidates are visited in increasing
bound order and the search stops once the bound reaches the best value found (without
suppression a candidate's value equals its bound). For discernibility the bound comes from
each checked node's classes and prunes all its successors. Non-monotone models (see
:mod:`anonymizer.kanon.models`) are checked on every candidate, never used to prune. Among
equal values the first found wins (fewer generalization steps, then lattice order, among the
nodes checked).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from anonymizer.errors import ConfigError
from anonymizer.i18n import _

MAX_NODES = 5_000_000


@dataclass(frozen=True)
class NodeEval:
    mono_ok: bool  # the monotone models hold within the suppression limit
    ok: bool  # every model holds
    value: float  # metric value (inf when not ok)
    bound: float  # lower bound of the metric for this node and all its successors
    suppressed: int


@dataclass(frozen=True)
class SearchStats:
    lattice_size: int
    checked: int


class Lattice:
    """All level vectors 0 ≤ L_d ≤ height_d, indexed in mixed radix (last QI fastest)."""

    def __init__(self, heights: tuple[int, ...]):
        radix = np.asarray(heights, dtype=np.int64) + 1
        size = int(np.prod(radix))
        if size > MAX_NODES:
            raise ConfigError(
                _(
                    "the generalization lattice has {size:,} transformations (limit "
                    "{max_nodes:,}): use fewer quasi-identifiers, shorter hierarchies or "
                    "local_recoding"
                ).format(size=size, max_nodes=MAX_NODES)
            )
        self.heights = radix - 1
        self.strides = np.concatenate([np.cumprod(radix[::-1])[::-1][1:], [1]]).astype(np.int64)
        self.nodes = np.indices(tuple(radix)).reshape(len(radix), -1).T.astype(np.int16)
        self.size = size
        self.sums = self.nodes.sum(axis=1).astype(np.int64)

    def index(self, levels: tuple[int, ...] | np.ndarray) -> int:
        return int(np.dot(np.asarray(levels, dtype=np.int64), self.strides))

    def successors(self, i: int) -> list[int]:
        node = self.nodes[i]
        return [i + int(s) for d, s in enumerate(self.strides) if node[d] < self.heights[d]]

    def up(self, i: int) -> np.ndarray:
        return np.all(self.nodes >= self.nodes[i], axis=1)

    def down(self, i: int) -> np.ndarray:
        return np.all(self.nodes <= self.nodes[i], axis=1)


def search(
    lattice: Lattice,
    evaluate: Callable[[int], NodeEval],
    bounds: np.ndarray | None,
    known_bad: np.ndarray | None = None,
) -> tuple[int | None, SearchStats]:
    """Index of the optimal node (None if no node satisfies every model).

    ``bounds``: closed-form lower bound of the metric per node; None means each checked node
    reports its own bound (monotone, valid for all its successors).
    """
    cache: dict[int, NodeEval] = {}
    best: list[float | int] = [np.inf, -1]

    def check(i: int) -> NodeEval:
        if i not in cache:
            ev = cache[i] = evaluate(i)
            if ev.ok and _better(lattice, ev.value, i, best):
                best[:] = [ev.value, i]
        return cache[i]

    def relevant(i: int) -> bool:
        return bounds is None or bool(bounds[i] < best[0])

    tag = _classify(lattice, check, bounds, relevant, known_bad)
    cands = np.flatnonzero(tag == 1)
    if bounds is not None:
        for i in cands[np.lexsort((cands, lattice.sums[cands], bounds[cands]))]:
            if bounds[i] >= best[0]:
                break
            check(int(i))
    else:
        pruned = np.zeros(lattice.size, dtype=bool)
        for j, ev in cache.items():
            if ev.bound >= best[0]:
                pruned |= lattice.up(j)
        for i in cands[np.lexsort((cands, lattice.sums[cands]))]:
            if pruned[i]:
                continue
            before = best[0]
            ev = check(int(i))
            if best[0] < before:  # a better optimum: re-prune with every bound seen so far
                for j, seen in cache.items():
                    if seen.bound >= best[0]:
                        pruned |= lattice.up(j)
            elif ev.bound >= best[0]:
                pruned |= lattice.up(int(i))
    found = int(best[1])
    return (found if found >= 0 else None), SearchStats(lattice.size, len(cache))


def _better(lattice: Lattice, value: float, i: int, best: list[float | int]) -> bool:
    """Lower value; ties → fewer generalization steps, then lattice order (deterministic)."""
    if value != best[0]:
        return value < best[0]
    j = int(best[1])
    return j < 0 or (int(lattice.sums[i]), i) < (int(lattice.sums[j]), j)


def _classify(
    lattice: Lattice,
    check: Callable[[int], NodeEval],
    bounds: np.ndarray | None,
    relevant: Callable[[int], bool],
    known_bad: np.ndarray | None,
) -> np.ndarray:
    """Tag relevant nodes +1/-1 for the monotone models.

    A node is relevant while its lower bound is below the best value found so far; nodes that
    stop being relevant need no tag, since they cannot beat the best. The first Flash path
    (from the lowest bound up) finds a first anonymous node; with closed-form bounds the
    relevant region is then swept from the top down, because with record suppression it is
    mostly made of failing nodes, and a failure high up tags a large down-set at once
    (on Adult this halves the checks of Flash's paths alone). Remaining untagged nodes get
    Flash paths.
    """
    tag = np.zeros(lattice.size, dtype=np.int8)
    if known_bad is not None:
        tag[known_bad] = -1
    key = bounds if bounds is not None else np.zeros(lattice.size)
    order = np.lexsort((np.arange(lattice.size), lattice.sums, key))
    swept = bounds is None
    for start in order:
        if not relevant(int(start)):
            if bounds is not None:
                break  # starts come in bound order: none of the rest can be relevant
            continue
        if tag[start]:
            continue
        _path_search(lattice, check, tag, relevant, key, int(start))
        if not swept:
            swept = True
            for i in order[::-1]:
                if tag[i] or not relevant(int(i)):
                    continue
                _tag(lattice, tag, int(i), check(int(i)).mono_ok)
    return tag


def _tag(lattice: Lattice, tag: np.ndarray, i: int, ok: bool) -> None:
    """Predictive tagging: successors of a passing node pass, predecessors of a failing fail."""
    if ok:
        tag[lattice.up(i) & (tag == 0)] = 1
    else:
        tag[lattice.down(i) & (tag == 0)] = -1


def _path_search(
    lattice: Lattice,
    check: Callable[[int], NodeEval],
    tag: np.ndarray,
    relevant: Callable[[int], bool],
    key: np.ndarray,
    start: int,
) -> None:
    """Flash: a path of untagged relevant successors from ``start``, binary-searched."""
    path, cur = [start], start
    while True:
        nxt = [s for s in lattice.successors(cur) if tag[s] == 0 and relevant(s)]
        if not nxt:
            break
        cur = min(nxt, key=lambda s: (key[s], s))
        path.append(cur)
    lo, hi = 0, len(path) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        ok = tag[path[mid]] == 1 or (tag[path[mid]] == 0 and check(path[mid]).mono_ok)
        _tag(lattice, tag, path[mid], bool(ok))
        if ok:
            hi = mid - 1
        else:
            lo = mid + 1
