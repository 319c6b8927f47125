"""Independent references for the tests: a 2-D table's equations written out by hand, every
cell's interval by one full-table LP per cell (published cells pinned by their bounds), and a
brute-force search over suppression patterns. Nothing here imports anonymizer.tables' solver
or audit."""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import linprog


def grid_equations(rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """A (rows+1) × (cols+1) table, totals first in each direction: cell (i, j) is i·(cols+1)+j,
    row 0 and column 0 hold the totals. Returns (equations, the leaf mask)."""
    width = cols + 1
    eqs = []
    for i in range(rows + 1):  # each row's total = sum of its parts
        e = np.zeros((rows + 1) * width)
        e[i * width] = 1
        e[i * width + 1 : (i + 1) * width] = -1
        eqs.append(e)
    for j in range(cols + 1):  # each column's total
        e = np.zeros((rows + 1) * width)
        e[j] = 1
        for i in range(1, rows + 1):
            e[i * width + j] = -1
        eqs.append(e)
    leaf = np.zeros((rows + 1) * width, dtype=bool)
    for i in range(1, rows + 1):
        leaf[i * width + 1 : (i + 1) * width] = True
    return np.array(eqs), leaf


def grid_values(leaves: np.ndarray) -> np.ndarray:
    rows, cols = leaves.shape
    full = np.zeros((rows + 1, cols + 1))
    full[1:, 1:] = leaves
    full[0, 1:] = leaves.sum(axis=0)
    full[1:, 0] = leaves.sum(axis=1)
    full[0, 0] = leaves.sum()
    return full.ravel()


def interval(
    equations: np.ndarray, value: np.ndarray, suppressed: np.ndarray, cell: int
) -> tuple[float, float]:
    """min and max of ``cell`` over every non-negative table that matches the published cells."""
    bounds = [(0, None) if s else (v, v) for v, s in zip(value, suppressed, strict=True)]
    c = np.zeros(len(value))
    c[cell] = 1
    lo = linprog(c, A_eq=equations, b_eq=np.zeros(len(equations)), bounds=bounds, method="highs")
    hi = linprog(-c, A_eq=equations, b_eq=np.zeros(len(equations)), bounds=bounds, method="highs")
    assert lo.status == 0
    return float(lo.fun), (float(-hi.fun) if hi.status == 0 else np.inf)


def protected(equations, value, suppressed, primary, level) -> bool:
    """Every primary cell suppressed, and its interval reaches v + level above, max(0, v − level) below."""
    for p in np.flatnonzero(primary):
        if not suppressed[p]:
            return False
        lo, hi = interval(equations, value, suppressed, int(p))
        v = value[p]
        if hi < v + level - 1e-6 or lo > max(0.0, v - level) + 1e-6:
            return False
    return True


def brute_force(equations, value, primary, level, weight) -> tuple[float, list[np.ndarray]]:
    """The cheapest protected patterns over every pattern (exhaustive)."""
    free = np.flatnonzero(~primary)
    best, found = np.inf, []
    for k in range(len(free) + 1):
        for extra in itertools.combinations(free, k):
            y = primary.copy()
            y[list(extra)] = True
            cost = float(weight[y].sum())
            if cost > best + 1e-9:
                continue
            if protected(equations, value, y, primary, level):
                if cost < best - 1e-9:
                    best, found = cost, []
                found.append(y)
    return best, found
