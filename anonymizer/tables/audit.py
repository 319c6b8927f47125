"""The interval audit (e-Stat's 秘匿インターバル確認, τ-ARGUS's audit): from what is published
and the additive structure alone, the lowest and highest value each suppressed cell can take.

An attacker knows every published cell, that every total is the sum of its parts and that no
cell is negative. For each suppressed cell two linear programs (HiGHS through
:func:`scipy.optimize.linprog`) give its feasible interval [lower, upper]; upper may be
unbounded. Only equations that touch a suppressed cell matter, and suppressed cells fall into
independent groups (linked through equations with two or more suppressed cells), so each LP
covers one group. Its LPs are its own: the suppression's attacker model
(:mod:`anonymizer.tables.secondary`) is not used to check it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

#: absolute tolerance when comparing an interval with a protection level
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Intervals:
    cells: np.ndarray  # the cells audited
    lower: np.ndarray
    upper: np.ndarray  # inf when unbounded
    lps: int

    def as_dict(self) -> dict[int, tuple[float, float]]:
        return {
            int(c): (float(lo), float(hi))
            for c, lo, hi in zip(self.cells, self.lower, self.upper, strict=True)
        }


def groups(equations: sp.csr_matrix, suppressed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(group label per suppressed cell, the suppressed cells): cells are linked when an
    equation holds two or more of them."""
    cells = np.flatnonzero(suppressed)
    sub = equations[:, cells].tocsr()
    sub.data = np.ones_like(sub.data)
    linked = np.flatnonzero(np.asarray(sub.sum(axis=1)).ravel() >= 2)
    link = sub[linked]
    n, m = len(cells), len(linked)
    graph = sp.bmat([[None, link.T], [link, None]], format="csr") if m else sp.csr_matrix((n, n))
    _, labels = connected_components(graph, directed=False)
    return labels[:n], cells


def feasible_intervals(
    equations: sp.csr_matrix,
    value: np.ndarray,
    suppressed: np.ndarray,
    which: np.ndarray | None = None,
) -> Intervals:
    """[lower, upper] of each suppressed cell in ``which`` (default: every suppressed cell)."""
    suppressed = np.asarray(suppressed, dtype=bool)
    published = ~suppressed
    labels, cells = groups(equations, suppressed)
    want = suppressed if which is None else (np.asarray(which, dtype=bool) & suppressed)
    a = equations.tocsc()
    # each equation's right-hand side once the published cells are moved across
    rhs = -(a[:, np.flatnonzero(published)] @ value[published])
    touching = a[:, cells].tocsr()
    out_cells, lows, highs = [], [], []
    lps = 0
    for g in np.unique(labels):
        members = cells[labels == g]
        targets = members[want[members]]
        if not len(targets):
            continue
        local = np.flatnonzero(labels == g)
        rows = np.unique(touching[:, local].nonzero()[0])
        a_eq = a[rows][:, members]
        b_eq = rhs[rows]
        pos = {int(c): i for i, c in enumerate(members)}
        for c in targets:
            obj = np.zeros(len(members))
            obj[pos[int(c)]] = 1.0
            bounds = [(0, None)] * len(members)
            lo = linprog(obj, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            hi = linprog(-obj, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            lps += 2
            if lo.status != 0 and lo.status != 3:
                raise RuntimeError(f"audit LP failed ({lo.message}); the table is not consistent")
            out_cells.append(int(c))
            lows.append(max(0.0, float(lo.fun)) if lo.status == 0 else 0.0)
            highs.append(float(-hi.fun) if hi.status == 0 else np.inf)
    order = np.argsort(out_cells)
    return Intervals(
        np.asarray(out_cells, dtype=np.int64)[order],
        np.asarray(lows, dtype=float)[order],
        np.asarray(highs, dtype=float)[order],
        lps,
    )


@dataclass(frozen=True)
class Finding:
    """A primary cell whose interval is narrower than its protection level."""

    cell: int
    side: str  # "upper" or "lower"


def check_protection(
    intervals: Intervals, value: np.ndarray, upper: np.ndarray, lower: np.ndarray
) -> list[Finding]:
    """Every audited cell with a protection level: upper ≥ v + U and lower ≤ max(0, v − L)."""
    found = []
    for c, lo, hi in zip(intervals.cells, intervals.lower, intervals.upper, strict=True):
        v = value[c]
        if upper[c] > 0 and hi < v + upper[c] - TOLERANCE:
            found.append(Finding(int(c), "upper"))
        if lower[c] > 0 and lo > max(0.0, v - lower[c]) + TOLERANCE:
            found.append(Finding(int(c), "lower"))
    return found


__all__ = ["Finding", "Intervals", "TOLERANCE", "check_protection", "feasible_intervals", "groups"]
