"""Cheap necessary conditions from two-attribute projections (the subset property).

The classes of a transformation refine the classes of its projection onto any two QIs (at the
same levels). For k-anonymity and distinct ℓ-diversity a failing projection class fails in
every refinement, so the records in failing projection classes are a lower bound on the
records the full transformation must suppress (LeFevre et al.'s Incognito uses the same
property). Without suppression this holds for every model here: a failing projection class is
a union of finer classes, and since the models are monotone without suppression at least one
of them fails too. Projections are tiny (two code columns), so all of them, for every pair of
QIs and every pair of levels, cost less than a handful of full checks, and they rule out
most of the lattice's low region before Flash starts.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from anonymizer.kanon.encode import Encoded, group_codes
from anonymizer.kanon.models import ClassModel


def forced_violations(enc: Encoded, nodes: np.ndarray, models: list[ClassModel]) -> np.ndarray:
    """Per lattice node: records that certainly violate ``models`` (a lower bound)."""
    forced = np.zeros(len(nodes), dtype=np.int64)
    if not models or len(enc.columns) < 2:
        return forced
    widths = [len(labels) for labels in enc.sens_labels]
    for d1, d2 in combinations(range(len(enc.columns)), 2):
        h1, h2 = enc.hierarchies[d1], enc.hierarchies[d2]
        # collapse the tuples to distinct (value1, value2, sensitive…) items first
        cols = [enc.tuples[:, d1], enc.tuples[:, d2], *enc.sens.T]
        item, n_items = group_codes(cols, [h1.size, h2.size, *widths])
        rep = np.empty(n_items, dtype=np.int64)
        rep[item] = np.arange(len(item))
        counts = np.bincount(item, weights=enc.counts, minlength=n_items)
        sens = enc.sens[rep]
        table = np.zeros((h1.height + 1, h2.height + 1), dtype=np.int64)
        for l1 in range(h1.height + 1):
            for l2 in range(h2.height + 1):
                pair = [enc.gen[d1][l1][rep], enc.gen[d2][l2][rep]]
                cls, n_cls = group_codes(pair, [len(h1.labels[l1]), len(h2.labels[l2])])
                table[l1, l2] = _violating(cls, n_cls, counts, sens, widths, models)
        np.maximum(forced, table[nodes[:, d1], nodes[:, d2]], out=forced)
    return forced


def _violating(
    cls: np.ndarray,
    n_cls: int,
    counts: np.ndarray,
    sens: np.ndarray,
    widths: list[int],
    models: list[ClassModel],
) -> int:
    """Records in the classes ``cls`` that violate any of ``models``.

    Sizes are records even for models that count persons: a class has at least as many
    records as persons, so a class failing on records fails on persons too and the count
    stays a lower bound of the violations."""
    sizes = np.bincount(cls, weights=counts, minlength=n_cls).astype(np.int64)

    def hist(j: int) -> np.ndarray:
        w = widths[j]
        flat = np.bincount(cls * w + sens[:, j], weights=counts, minlength=n_cls * w)
        return flat.reshape(n_cls, w)

    bad = np.zeros(n_cls, dtype=bool)
    for m in models:
        bad |= m.violating(sizes, hist)
    return int(sizes[bad].sum())
