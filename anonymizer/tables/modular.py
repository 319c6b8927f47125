"""The modular method for tables too large for one MILP (de Wolf's HiTaS, τ-ARGUS's
*modular*): a hierarchical table is cut into its non-hierarchical subtables — one total per
dimension with its direct parts — and each is protected optimally (:mod:`.secondary`), top
down. A cell suppressed in a higher subtable is protected like a primary cell in the lower
ones; a cell already published by a higher subtable is kept published unless no pattern
exists without it, and then the subtables that published it are solved again. Linked
subtables can still leak through each other, so the whole table's attacker problems are
checked at the end — the interval audit finds the primary cells left narrowable, and only their
shortfall is closed greedily (:func:`.secondary.greedy_complete`).
The independent audit then checks the result like any other.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from dataclasses import dataclass

import numpy as np

from anonymizer.i18n import N_
from anonymizer.progress import ProgressFactory, no_progress
from anonymizer.tables.audit import check_protection, feasible_intervals
from anonymizer.tables.secondary import Outcome, Problem, greedy_complete, solve
from anonymizer.tables.table import LinkedTable


@dataclass(frozen=True)
class Subtable:
    cells: np.ndarray  # cell numbers in the whole table
    rows: np.ndarray  # equations wholly inside it
    depth: int


def subtables(table: LinkedTable) -> list[Subtable]:
    """Every non-hierarchical subtable, top down (by the depth of its totals)."""
    a = table.equations
    csc = a.tocsc()
    row_nnz = np.diff(a.indptr)
    out = []
    per_dim = [
        [(int(p), int(d.hierarchy.depth[p])) for p in d.hierarchy.internal] for d in table.dims
    ]
    for combo in itertools.product(*per_dim):
        axes = [[p, *table.dims[i].hierarchy.children[p]] for i, (p, _) in enumerate(combo)]
        grid = np.meshgrid(*axes, indexing="ij")
        cells = np.ravel_multi_index(tuple(g.ravel() for g in grid), table.shape)
        sub = csc[:, cells]
        counts = np.bincount(sub.indices, minlength=a.shape[0])
        rows = np.flatnonzero((counts == row_nnz) & (counts > 0))
        out.append(Subtable(np.sort(cells), rows, sum(d for _, d in combo)))
    out.sort(key=lambda s: s.depth)
    return out


def solve_modular(
    table: LinkedTable,
    whole: Problem,
    level_upper: np.ndarray,
    level_lower: np.ndarray,
    time_limit: float,
    mip_gap: float,
    progress: ProgressFactory = no_progress,
) -> tuple[Outcome, int]:
    """A protected pattern for the whole table; ``level_*`` protect earlier suppressions."""
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    parts = subtables(table)
    n = table.size
    sup = whole.suppress.copy()
    decided = np.zeros(n, dtype=bool)
    where: list[list[int]] = [[] for _ in range(n)]
    for i, s in enumerate(parts):
        for c in s.cells:
            where[int(c)].append(i)
    queue = deque(range(len(parts)))
    queued = np.ones(len(parts), dtype=bool)
    lps = solved = late = 0
    heavy = float(whole.weight.sum()) + 1.0
    # a bar over the subtables (one reopened by a later subtable is counted again)
    with progress(N_("suppression pattern (subtables)"), len(parts), N_("tables"), delay=2.0) as bar:
        while queue:
            i = queue.popleft()
            queued[i] = False
            s = parts[i]
            cells = s.cells
            local_rows = whole.equations[s.rows][:, cells]
            primary = whole.suppress[cells]
            earlier = sup[cells] & ~primary
            upper = np.where(primary, whole.upper[cells], np.where(earlier, level_upper[cells], 0.0))
            lower = np.where(primary, whole.lower[cells], np.where(earlier, level_lower[cells], 0.0))
            published_before = decided[cells] & ~sup[cells]
            weight = np.where(published_before, whole.weight[cells] + heavy, whole.weight[cells])
            pb = Problem(local_rows.tocsr(), whole.value[cells], weight, upper, lower,
                         sup[cells].copy(), whole.publish[cells], cap=whole.cap)  # fmt: skip
            remaining = deadline - time.perf_counter()
            if remaining <= 0:  # past the time limit: what is left is closed greedily below
                late = len(queue) + 1
                break
            out = solve(pb, min(remaining, max(1.0, remaining / max(len(queue), 1))), mip_gap)
            found = out.suppressed
            lps += out.lps
            solved += 1
            bar.update()
            reopened = cells[found & published_before]
            sup[cells[found]] = True
            decided[cells] = True
            for c in reopened:
                for j in where[int(c)]:
                    if j != i and not queued[j]:
                        queue.append(j)
                        queued[j] = True
    y, k = _close_shortfalls(whole, sup)
    lps += k
    cost = float(whole.weight[y].sum())
    status = "heuristic" if not late else "time_limit"
    return Outcome(y, status, cost, None, solved, 0, lps, time.perf_counter() - t0), len(parts)


def _close_shortfalls(whole: Problem, sup: np.ndarray) -> tuple[np.ndarray, int]:
    """The whole table's check: the interval audit (two LPs per primary cell on its group)
    finds the primary cells the subtables left narrowable; only for those the attacker cuts
    are generated and closed greedily, until the audit finds none. (Separating every primary
    cell's cuts on the whole table each round is what made a 100k-cell table take half an
    hour.)"""
    y = sup | whole.suppress
    protected = (whole.upper > 0) | (whole.lower > 0)
    lps = 0
    while True:
        intervals = feasible_intervals(whole.equations, whole.value, y, which=protected)
        lps += intervals.lps
        short = np.zeros(whole.size, dtype=bool)
        for f in check_protection(intervals, whole.value, whole.upper, whole.lower):
            short[f.cell] = True
        if not short.any():
            return y, lps
        part = Problem(
            whole.equations, whole.value, whole.weight,
            np.where(short, whole.upper, 0.0), np.where(short, whole.lower, 0.0),
            whole.suppress, whole.publish, cap=whole.cap,
        )  # fmt: skip
        y, _, k = greedy_complete(part, y)
        lps += k


__all__ = ["Subtable", "solve_modular", "subtables"]
