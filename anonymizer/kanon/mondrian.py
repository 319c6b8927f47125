"""Mondrian multidimensional local recoding (LeFevre, DeWitt & Ramakrishnan, ICDE 2006).

Strict top-down partitioning, adapted to hierarchies: a partition is published as the lowest
common ancestor (LCA) of its values in each QI's hierarchy, so a cut only helps if it
separates the LCA's children. Each step therefore takes the QI whose LCA is still the most
general (relative to its height), and cuts between the LCA's children (in hierarchy order) at
the point nearest the weighted median — provided both halves still satisfy every class-level
privacy model; otherwise the next QI is tried, and a partition no QI can cut is final. The
output uses the same labels as full-domain generalization, at a level chosen per partition
(plain median cuts inside a child would not lower the LCA and lost utility on Adult). Works on
distinct tuples with counts: the Python loop runs over partitions (at most n/k), not rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from anonymizer.kanon.encode import Encoded

Allowed = Callable[[np.ndarray], bool]  # tuple indices of a candidate partition → acceptable?


def partition(enc: Encoded, allowed: Allowed) -> np.ndarray:
    """Partition id of every tuple."""
    ranks = np.column_stack(
        [h.dfs_rank()[enc.tuples[:, d]] for d, h in enumerate(enc.hierarchies)]
    )
    heights = np.array(enc.heights)

    def cut(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        lca = np.array([_lca(enc, d, idx) for d in range(len(heights))])
        room = lca / np.maximum(heights, 1)  # how general each attribute still is
        for d in np.argsort(-room, kind="stable"):
            if lca[d] == 0:
                return None
            lower = _aligned_cut(enc.gen[d][lca[d] - 1][idx], ranks[idx, d], enc.counts[idx])
            if lower is not None and allowed(idx[lower]) and allowed(idx[~lower]):
                return idx[lower], idx[~lower]
        return None

    pid = np.zeros(len(enc.tuples), dtype=np.int64)
    stack, n_parts = [np.arange(len(enc.tuples))], 0
    while stack:
        idx = stack.pop()
        halves = cut(idx)
        if halves is None:
            pid[idx] = n_parts
            n_parts += 1
        else:
            stack.extend(halves)
    return pid


def _lca(enc: Encoded, d: int, idx: np.ndarray) -> int:
    """Lowest level at which the tuples ``idx`` share one label for QI ``d`` (height+1: none)."""
    for lv in range(enc.heights[d] + 1):
        g = enc.gen[d][lv][idx]
        if g.min() == g.max():
            return lv
    return enc.heights[d] + 1


def _aligned_cut(child: np.ndarray, rank: np.ndarray, weights: np.ndarray) -> np.ndarray | None:
    """Lower half of a cut between the LCA's children, nearest the weighted median."""
    codes, inv = np.unique(child, return_inverse=True)
    if len(codes) < 2:
        return None
    first = np.full(len(codes), np.iinfo(np.int64).max)
    np.minimum.at(first, inv, rank)
    order = np.argsort(first)  # children in hierarchy order
    pos = np.empty(len(codes), dtype=np.int64)
    pos[order] = np.arange(len(codes))
    cum = np.cumsum(np.bincount(pos[inv], weights=weights, minlength=len(codes)))
    cut = int(np.argmin(np.abs(cum[:-1] - cum[-1] / 2.0)))
    return pos[inv] <= cut


def lca_levels(enc: Encoded, pid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per tuple and QI: the lowest level at which its partition shares one label.

    Returns (levels (T, m), star (T, m)); ``star`` marks partitions that span several top
    labels (a hierarchy without a single root), published as the star.
    """
    order = np.argsort(pid, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(pid[order]) != 0])
    n_parts = len(starts)
    m = len(enc.hierarchies)
    part_level = np.full((n_parts, m), -1, dtype=np.int64)
    for d, h in enumerate(enc.hierarchies):
        for lv in range(h.height, -1, -1):
            g = enc.gen[d][lv][order]
            same = np.minimum.reduceat(g, starts) == np.maximum.reduceat(g, starts)
            part_level[same, d] = lv
    part_of = np.empty(len(pid), dtype=np.int64)
    part_of[order] = np.repeat(np.arange(n_parts), np.diff(np.r_[starts, len(pid)]))
    levels = part_level[part_of]
    star = levels < 0
    return np.where(star, 0, levels), star
