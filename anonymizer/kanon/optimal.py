"""Globally optimal full-domain generalization: models + metric wired into the lattice search."""

from __future__ import annotations

import math

import numpy as np

from anonymizer.errors import GateRefused
from anonymizer.i18n import N_, _
from anonymizer.kanon.classes import ClassCache, Classes, from_tuples
from anonymizer.kanon.encode import Encoded
from anonymizer.kanon.metrics import CellMetric, discernibility
from anonymizer.kanon.models import AverageRisk, ClassModel
from anonymizer.kanon.outcome import Release, achieved, no_solution
from anonymizer.kanon.projections import forced_violations
from anonymizer.kanon.search import Lattice, NodeEval, search
from anonymizer.kanon.spec import KAnonConfig
from anonymizer.progress import ProgressFactory, no_progress


def optimal(
    enc: Encoded,
    config: KAnonConfig,
    models: list[ClassModel],
    risk: AverageRisk | None,
    metric: CellMetric | None,
    progress: ProgressFactory = no_progress,
) -> Release:
    """Globally optimal full-domain generalization with record suppression.

    ``progress`` counts the nodes evaluated; most of the lattice is tagged without being
    evaluated, so the bar counts without a percentage (the lattice size is in its label)."""
    max_supp = math.floor(config.suppression * enc.n + 1e-9)
    lattice = Lattice(enc.heights)
    # without suppression every model is monotone (see anonymizer.kanon.models)
    mono = [m for m in models if m.monotone_with_suppression or max_supp == 0]
    rest = [m for m in models if m not in mono]
    bounds = metric.lower_bounds(lattice.nodes) if metric is not None else None
    cache = ClassCache(enc)

    def judge(c: Classes, bad: np.ndarray, i: int) -> NodeEval:
        """Full verdict for classes ``c`` whose monotone violations are ``bad``."""
        sq = float((c.sizes.astype(float) ** 2).sum())
        lb = float(bounds[i]) if bounds is not None else sq
        if c.sizes[bad].sum() > max_supp:
            return NodeEval(False, False, math.inf, lb, int(c.sizes[bad].sum()))
        for m in rest:
            bad = bad | m.violating(c.sizes_for(m.per_person), c.hist)
        supp = int(c.sizes[bad].sum())
        if supp > max_supp or (risk is not None and not risk.satisfied(c.sizes[~bad])):
            return NodeEval(True, False, math.inf, lb, supp)
        if metric is None:
            value = discernibility(c.sizes, ~bad, enc.n)[0]
        else:
            value = metric.value(c.node, c.sizes, c.reps, bad)
        return NodeEval(True, True, value, lb, supp)

    def monotone_bad(c: Classes) -> np.ndarray:
        bad = np.zeros(len(c.sizes), dtype=bool)
        for m in mono:
            bad |= m.violating(c.sizes_for(m.per_person), c.hist)
        return bad

    # records that certainly violate, from 2-QI projections: nodes with too many fail
    known_bad = forced_violations(enc, lattice.nodes, mono) > max_supp
    with progress(_("k-anonymity (lattice of {size})").format(size=f"{lattice.size:,}"), None, N_("nodes")) as bar:

        def evaluate(i: int) -> NodeEval:
            bar.update(1)
            c = cache.classes(lattice.nodes[i])
            return judge(c, monotone_bad(c), i)

        best, stats = search(lattice, evaluate, bounds, known_bad)
    if best is None:
        raise GateRefused(no_solution(config, max_supp))
    node = lattice.nodes[best].astype(np.int64)
    c = from_tuples(enc, node)
    ev = judge(c, monotone_bad(c), best)
    bad = monotone_bad(c)
    for m in rest:
        bad |= m.violating(c.sizes_for(m.per_person), c.hist)
    assert c.tuple_class is not None
    return Release(
        levels=np.broadcast_to(node, enc.tuples.shape),
        star=np.zeros(enc.tuples.shape, dtype=bool),
        suppressed=bad[c.tuple_class],
        value=ev.value,
        achieved=achieved(
            models, c.sizes[~bad], lambda j: c.hist(j)[~bad],
            None if c.persons is None else c.persons[~bad],
        ),
        method="optimal",
        level_map={col: int(lv) for col, lv in zip(enc.columns, node, strict=True)},
        lattice_size=stats.lattice_size,
        checked=stats.checked,
    )
