"""Protect a table end to end, and verify a pattern independently of how it was found.

:func:`protect` finds primary cells, chooses the method (optimal MILP up to
``optimal_max_cells`` cells, modular above, unless the rules name one) and returns the pattern
with :func:`verify`'s verdict. :func:`verify` knows nothing of the solver: it recomputes the
primary cells from the table and audits every suppressed cell's feasible interval with its own
LPs — the release gate's checks are built from it, so a pattern edited by hand (a cell set to
publish) is judged like any other.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from anonymizer.errors import InputError
from anonymizer.i18n import _
from anonymizer.progress import ProgressFactory, no_progress
from anonymizer.tables.audit import Finding, Intervals, check_protection, feasible_intervals
from anonymizer.tables.modular import solve_modular
from anonymizer.tables.primary import REASONS, Primary, primary_cells, protection
from anonymizer.tables.secondary import Outcome, Problem, solve
from anonymizer.tables.spec import Resolved
from anonymizer.tables.table import LinkedTable

#: intervals and cells listed in reports (all are counted)
MAX_LISTED = 500


@dataclass
class Verdict:
    primary: Primary
    suppressed: np.ndarray
    intervals: Intervals
    findings: list[Finding]
    #: primary cells left published (only a cell set to publish by hand can be)
    exposed: np.ndarray
    seconds: float

    @property
    def passed(self) -> bool:
        return not self.findings and not len(self.exposed)


@dataclass
class Protected:
    table: LinkedTable
    rules: Resolved
    method: str
    outcome: Outcome
    verdict: Verdict
    subtables: int | None = None
    manual: list[dict[str, Any]] = field(default_factory=list)

    @property
    def suppressed(self) -> np.ndarray:
        return self.verdict.suppressed


def weights(table: LinkedTable, cost: str) -> np.ndarray:
    """``cells``: one per cell; ``value``: the cell's value plus a thousandth, so a zero cell
    is not free and fewer cells win a tie."""
    if cost == "value":
        return np.abs(table.value) + 1e-3
    return np.ones(table.size)


def verify(
    table: LinkedTable,
    rules: Resolved,
    suppressed: np.ndarray,
    manual_suppress: np.ndarray | None = None,
) -> Verdict:
    """The gate's view: primary rules on every published cell, then the interval audit."""
    t0 = time.perf_counter()
    primary = primary_cells(table, rules, manual_suppress)
    exposed = np.flatnonzero(primary.mask & ~suppressed)
    intervals = feasible_intervals(table.equations, table.value, suppressed)
    findings = check_protection(intervals, table.value, primary.upper, primary.lower)
    return Verdict(primary, suppressed, intervals, findings, exposed, time.perf_counter() - t0)


def unprotectable(
    table: LinkedTable,
    rules: Resolved,
    publish: np.ndarray,
    manual_suppress: np.ndarray | None = None,
) -> str:
    """The primary cells no pattern protects — those still narrower than their protection
    level when every cell not set to publish is suppressed — named by coordinates only."""
    verdict = verify(table, rules, ~publish, manual_suppress)
    cells = sorted({f.cell for f in verdict.findings} | {int(c) for c in verdict.exposed})
    if not cells:
        return "the solver found no pattern"
    shown = ", ".join(table.where(c) for c in cells[:10])
    more = f" and {len(cells) - 10} more" if len(cells) > 10 else ""
    return f"cells that cannot be protected: {shown}{more}"


def protect(
    table: LinkedTable,
    rules: Resolved,
    manual_publish: np.ndarray | None = None,
    manual_suppress: np.ndarray | None = None,
    progress: ProgressFactory = no_progress,
) -> Protected:
    n = table.size
    publish = np.zeros(n, dtype=bool) if manual_publish is None else manual_publish
    primary = primary_cells(table, rules, manual_suppress)
    must = primary.mask & ~publish
    pb = Problem(
        table.equations, table.value, weights(table, rules.cost),
        np.where(must, primary.upper, 0.0), np.where(must, primary.lower, 0.0), must, publish,
    )  # fmt: skip
    method = rules.method
    if method == "auto":
        method = "optimal" if n <= rules.optimal_max_cells else "modular"
    parts = None
    try:
        if method == "optimal":
            outcome = solve(pb, rules.time_limit, rules.mip_gap, progress=progress)
        else:
            every = np.ones(n, dtype=np.int8)
            up, low = protection(table, every, rules)
            outcome, parts = solve_modular(
                table, pb, up, low, rules.time_limit, rules.mip_gap, progress
            )
    except InputError as e:
        raise InputError(
            _("{e}: {unprotectable}").format(
                e=e, unprotectable=unprotectable(table, rules, publish, manual_suppress)
            )
        ) from None
    verdict = verify(table, rules, outcome.suppressed, manual_suppress)
    return Protected(table, rules, method, outcome, verdict, parts)


def summary(p: Protected, time_limit: float | None = None) -> dict[str, Any]:
    """The step's report section: counts, solver figures, the audit — no cell value."""
    t, v, o = p.table, p.verdict, p.outcome
    primary = v.primary.mask
    secondary = v.suppressed & ~primary
    iv = v.intervals
    listed = [
        {
            "cell": t.coords(int(c)),
            "lower": float(lo),
            "upper": None if not np.isfinite(hi) else float(hi),
        }
        for c, lo, hi in list(zip(iv.cells, iv.lower, iv.upper, strict=True))[:MAX_LISTED]
    ]
    return {
        "method": p.method,
        "cells": t.size,
        "dimensions": [
            {
                "column": d.column,
                "codes": len(d.hierarchy.codes),
                "leaves": len(d.hierarchy.leaves),
                "hierarchy": d.hierarchy.origin.rsplit("/", 1)[-1],
            }
            for d in t.dims
        ],  # fmt: skip
        "magnitude": t.magnitude,
        "rules": p.rules.model_dump(mode="json"),
        "primary": {
            "cells": int(primary.sum()),
            "by_rule": {k: c for k, c in v.primary.counts().items() if c},
        },
        "secondary": {"cells": int(secondary.sum())},
        "suppressed": int(v.suppressed.sum()),
        "suppressed_share": float(v.suppressed.mean()) if t.size else 0.0,
        "solver": {
            "status": o.status,
            "cost_kind": p.rules.cost,
            # a sum of suppressed values would tell an attacker one more equation: cells only
            "cost": o.cost if p.rules.cost == "cells" else None,
            "lower_bound": o.lower_bound if p.rules.cost == "cells" else None,
            "gap": o.gap,
            "iterations": o.iterations,
            "cuts": o.cuts,
            "lps": o.lps,
            "seconds": round(o.seconds, 3),
            "time_limit": time_limit if time_limit is not None else p.rules.time_limit,
            "subtables": p.subtables,
        },
        "audit": {
            "passed": v.passed,
            "suppressed": int(v.suppressed.sum()),
            "audited": len(iv.cells),
            "lps": iv.lps,
            "seconds": round(v.seconds, 3),
            "unbounded_above": int(np.isinf(iv.upper).sum()),
            "narrow": [{"cell": t.coords(f.cell), "side": f.side} for f in v.findings[:MAX_LISTED]],
            "exposed": [t.coords(int(c)) for c in v.exposed[:MAX_LISTED]],
            "intervals": listed,
        },
        "manual": p.manual,
    }


__all__ = [
    "MAX_LISTED",
    "Protected",
    "REASONS",
    "Verdict",
    "protect",
    "summary",
    "verify",
    "weights",
]
