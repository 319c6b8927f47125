"""Optimal secondary (complementary) suppression: the cheapest set of cells to suppress with
the primary cells so that every primary cell keeps its protection interval.

The model is Fischetti and Salazar-González's (Management Science 47, 2001; what τ-ARGUS's
*optimal* method solves): binary y per cell, minimise Σ w·y subject to, for every primary cell
p and each side, the existence of a table consistent with everything published in which p
moves by its protection level. That existence is an LP (the *attacker* problem); by LP duality
it becomes linear "capacity" cuts Σ c_j y_j ≥ level over the cells. We solve it by cut
generation, as the paper does:

1. start from the cuts each additive equation alone implies (a primary in an equation needs
   another suppressed cell there that can move far enough);
2. solve the master MILP (HiGHS through :func:`scipy.optimize.milp`);
3. for each primary, solve its attacker LPs on the pattern found (only the group of suppressed
   cells it is linked to); each one that falls short yields a cut from the LP's duals;
4. repeat until no cut is violated — then the pattern is optimal for the declared cost.

A time limit stops the search: the best pattern so far is completed greedily so it protects
every cell, and the gap to the master's lower bound is reported. The attacker here may move
a cell by at most ``cap`` (a large bound), which can only make the model stricter; the
independent audit (:mod:`anonymizer.tables.audit`) then checks the pattern without it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from anonymizer.errors import InputError
from anonymizer.i18n import N_, _
from anonymizer.progress import ProgressFactory, no_progress
from anonymizer.tables.audit import groups

_TOL = 1e-6
_DUAL_EPS = 1e-9


@dataclass
class Problem:
    """One table (or subtable) to protect, in its own cell numbering."""

    equations: sp.csr_matrix
    value: np.ndarray
    weight: np.ndarray
    upper: np.ndarray  # protection levels (0: none)
    lower: np.ndarray
    suppress: np.ndarray  # must be suppressed (primary, earlier decisions)
    publish: np.ndarray  # must stay published (manual)
    cap: float = 0.0
    _csc: sp.csc_matrix | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.cap <= 0:
            self.cap = 2.0 * float(max(self.value.max(initial=0.0), 1.0)) + 2.0 * float(
                self.upper.max(initial=0.0)
            )
        self._csc = self.equations.tocsc()

    @property
    def size(self) -> int:
        return len(self.value)

    def protected(self) -> np.ndarray:
        return np.flatnonzero((self.upper > 0) | (self.lower > 0))


@dataclass
class Cut:
    cells: np.ndarray
    coef: np.ndarray
    rhs: float


@dataclass
class Outcome:
    suppressed: np.ndarray
    status: str  # optimal | gap | time_limit | greedy
    cost: float
    lower_bound: float | None
    iterations: int = 0
    cuts: int = 0
    lps: int = 0
    seconds: float = 0.0

    @property
    def gap(self) -> float | None:
        if self.lower_bound is None:
            return None
        if self.cost <= 0:
            return 0.0
        return max(0.0, (self.cost - self.lower_bound) / self.cost)


def equation_cuts(pb: Problem) -> list[Cut]:
    """What each equation alone implies for each protected cell in it, on each side."""
    csc, csr = pb._csc, pb.equations
    assert csc is not None
    out = []
    for p in pb.protected():
        rows = csc.indices[csc.indptr[p] : csc.indptr[p + 1]]
        sign_p = csc.data[csc.indptr[p] : csc.indptr[p + 1]]
        for r, sp_ in zip(rows, sign_p, strict=True):
            cells = csr.indices[csr.indptr[r] : csr.indptr[r + 1]]
            signs = csr.data[csr.indptr[r] : csr.indptr[r + 1]]
            other = cells != p
            cells, t = cells[other], -signs[other] * sp_
            a = pb.value[cells]
            # up: parts (t > 0) may rise without bound, siblings fall by at most their value;
            # down: the other way round
            for level, capacity in (
                (pb.upper[p], np.where(t > 0, pb.cap, a)),
                (pb.lower[p], np.where(t > 0, a, pb.cap)),
            ):
                if level <= 0:
                    continue
                coef = np.minimum(capacity, level)
                keep = coef > _TOL
                out.append(Cut(cells[keep], coef[keep], float(level)))
    return out


def _attack(
    pb: Problem,
    members: np.ndarray,
    rows: np.ndarray,
    p: int,
    side: str,
    scale: np.ndarray | None = None,
) -> tuple[float, Cut | None, int]:
    """How far p can move (capped attacker LP on its group) and, when not far enough, a cut.

    ``scale`` (a fractional pattern, for the LP relaxation) shrinks each member's range."""
    level = pb.upper[p] if side == "upper" else pb.lower[p]
    a_eq = pb.equations[rows][:, members]
    pos = int(np.flatnonzero(members == p)[0])
    c = np.zeros(len(members))
    c[pos] = -1.0 if side == "upper" else 1.0
    s = np.ones(len(members)) if scale is None else scale[members]
    bounds = np.column_stack([-pb.value[members] * s, np.full(len(members), pb.cap) * s])
    res = linprog(c, A_eq=a_eq, b_eq=np.zeros(len(rows)), bounds=bounds, method="highs")
    if res.status != 0:
        raise RuntimeError(f"attacker LP failed: {res.message}")
    reach = -float(res.fun)
    if reach >= level - _TOL:
        return reach, None, 1
    # dual certificate: d = c − Aᵀλ over every cell; then Σ (a·d⁺ − cap·d⁻) y ≥ level is valid
    lam = np.asarray(res.eqlin.marginals)
    d = -(pb.equations[rows].T @ lam)
    d[p] += c[pos]
    d[np.abs(d) < _DUAL_EPS] = 0.0
    coef = pb.value * np.maximum(d, 0.0) - pb.cap * np.minimum(d, 0.0)
    if abs(float(coef[members] @ s) - reach) > 1e-5 * max(1.0, level, abs(reach)):
        if scale is not None:
            return reach, None, 1  # no cut from this relaxation; the integer rounds will find it
        # an unusable certificate: fall back to "suppress a neighbour or give up a member"
        near = np.unique(pb.equations[rows].indices)
        near = near[~np.isin(near, members)]
        cells = np.concatenate([near, members])
        coefs = np.concatenate([np.ones(len(near)), -np.ones(len(members))])
        return reach, Cut(cells, coefs, 1.0 - len(members)), 1
    keep = coef > _TOL
    return reach, Cut(np.flatnonzero(keep), np.minimum(coef[keep], level), float(level)), 1


def separate(
    pb: Problem, y: np.ndarray, cache: dict[tuple[int, str, bytes], bool] | None = None
) -> tuple[list[Cut], int]:
    """The cuts the pattern ``y`` violates (one per primary cell and side that falls short);
    ``y`` may be fractional (the LP relaxation), then cells with y > 0 take part, scaled."""
    cuts: list[Cut] = []
    lps = 0
    frac = y.dtype.kind == "f"
    sup = (y > 1e-9) if frac else y.astype(bool)
    if not sup.any():
        return cuts, 0
    labels, cells = groups(pb.equations, sup)
    where = {int(c): i for i, c in enumerate(cells)}
    touching = pb.equations[:, cells].tocsc()
    members_of: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for p in pb.protected():
        if not sup[p]:
            continue
        g = int(labels[where[int(p)]])
        if g not in members_of:
            local = np.flatnonzero(labels == g)
            rows = np.unique(touching[:, local].indices)
            members_of[g] = (cells[local], rows)
        members, rows = members_of[g]
        for side in ("upper", "lower"):
            if (pb.upper[p] if side == "upper" else pb.lower[p]) <= 0:
                continue
            key = (int(p), side, members.tobytes())
            if cache is not None and not frac and cache.get(key):
                continue
            _side, cut, n = _attack(pb, members, rows, int(p), side, y if frac else None)
            lps += n
            if cut is None:
                if cache is not None and not frac:
                    cache[key] = True
            else:
                cuts.append(cut)
    return cuts, lps


def root_cuts(
    pb: Problem, cuts: list[Cut], deadline: float, rounds: int = 50
) -> tuple[list[Cut], int]:
    """Cut rounds on the master's LP relaxation (cheap LPs instead of MILPs): most of the cuts
    the integer rounds would need, found before the first MILP."""
    n = pb.size
    lb = np.where(pb.suppress, 1.0, 0.0)
    ub = np.where(pb.publish & ~pb.suppress, 0.0, 1.0)
    lps = 0
    for _round in range(rounds):
        if time.perf_counter() > deadline or not cuts:
            break
        mat, rhs = _matrix(cuts, n)
        res = linprog(
            pb.weight, A_ub=-mat, b_ub=-rhs, bounds=np.column_stack([lb, ub]), method="highs"
        )
        if res.status != 0:
            break
        new, k = separate(pb, np.clip(res.x, 0.0, 1.0))
        lps += k + 1
        violated = [c for c in new if float(c.coef @ res.x[c.cells]) < c.rhs - 1e-4]
        if not violated:
            break
        cuts = cuts + violated
    return cuts, lps


def _matrix(cuts: list[Cut], n: int) -> tuple[sp.csr_matrix, np.ndarray]:
    rows = np.concatenate([np.full(len(c.cells), i) for i, c in enumerate(cuts)])
    cols = np.concatenate([c.cells for c in cuts])
    vals = np.concatenate([c.coef for c in cuts])
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(cuts), n)), np.array(
        [c.rhs for c in cuts]
    )


def greedy_complete(
    pb: Problem, y: np.ndarray, cache: dict[tuple[int, str, bytes], bool] | None = None
) -> tuple[np.ndarray, list[Cut], int]:
    """Add cells until no cut is violated: for each violated cut, the published cell that
    covers most of it per unit of cost (a heuristic; it ends because each round adds a cell).
    Returns the pattern and every cut met on the way (they sharpen the master)."""
    y = y.copy().astype(bool) | pb.suppress
    cache = {} if cache is None else cache
    seen: list[Cut] = []
    lps = 0
    while True:
        cuts, n = separate(pb, y, cache)
        lps += n
        if not cuts:
            return y, seen, lps
        seen.extend(cuts)
        for cut in cuts:
            if float(cut.coef @ y[cut.cells]) >= cut.rhs - _TOL:
                continue
            free = ~y[cut.cells] & ~pb.publish[cut.cells] & (cut.coef > 0)
            if not free.any():
                raise InputError(
                    _(
                        "no suppression pattern can meet the protection levels (cells set to "
                        "publish by hand prevent it)"
                    )
                )
            score = np.where(free, cut.coef / np.maximum(pb.weight[cut.cells], 1e-9), -np.inf)
            y[cut.cells[int(np.argmax(score))]] = True


def _master(
    pb: Problem, cuts: list[Cut], remaining: float, mip_gap: float
) -> tuple[np.ndarray | None, float | None, int]:
    """The master MILP over the cells some cut names (the rest stay published)."""
    n = pb.size
    used = pb.suppress.copy()
    for c in cuts:
        used[c.cells] = True
    idx = np.flatnonzero(used)
    lb = np.where(pb.suppress, 1.0, 0.0)[idx]
    ub = np.where(pb.publish & ~pb.suppress, 0.0, 1.0)[idx]
    constraints = []
    if cuts:
        mat, rhs = _matrix(cuts, n)
        constraints = [LinearConstraint(mat[:, idx], rhs, np.inf)]
    res = milp(
        pb.weight[idx],
        integrality=np.ones(len(idx)),
        bounds=Bounds(lb, ub),
        constraints=constraints,
        options={"time_limit": max(remaining, 0.01), "mip_rel_gap": mip_gap, "disp": False},
    )
    if res.status == 2:
        raise InputError(
            _(
                "no suppression pattern can meet the protection levels (cells set to publish by "
                "hand, or zero cells, leave a primary cell nowhere to hide)"
            )
        )
    bound = getattr(res, "mip_dual_bound", None)
    bound = float(bound) if bound is not None and np.isfinite(bound) else None
    if res.x is None:
        return None, bound, int(res.status)
    y = np.zeros(n, dtype=bool)
    y[idx] = res.x > 0.5
    return y, bound, int(res.status)


def solve(
    pb: Problem,
    time_limit: float,
    mip_gap: float = 0.0,
    start: float | None = None,
    progress: ProgressFactory = no_progress,
) -> Outcome:
    """The optimal pattern for ``pb`` by cut generation (see the module docstring).

    Each master solution that falls short is also completed greedily: the completion is a
    protected pattern (an upper bound) and the cuts it meets go to the master, so the search
    stops as soon as the best completion costs no more than the master's bound."""
    t0 = time.perf_counter() if start is None else start
    deadline = t0 + time_limit
    n = pb.size
    if not pb.suppress.any():
        return Outcome(
            np.zeros(n, dtype=bool), "optimal", 0.0, 0.0, seconds=time.perf_counter() - t0
        )
    cuts = equation_cuts(pb)
    cuts, lps = root_cuts(pb, cuts, deadline)
    integral = bool(np.all(np.abs(pb.weight - np.rint(pb.weight)) < 1e-9))
    cache: dict[tuple[int, str, bytes], bool] = {}
    best: np.ndarray | None = None
    best_cost = np.inf
    last = pb.suppress
    bound: float | None = None
    iterations = 0
    # a bar counting the master problems solved, shown once the search takes a while
    with progress(N_("suppression pattern"), None, N_("rounds"), delay=2.0) as bar:
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                break
            iterations += 1
            bar.update()
            y, b, status = _master(pb, cuts, remaining, mip_gap)
            if b is not None:
                b = float(np.ceil(b - 1e-6)) if integral else b
                bound = b if bound is None else max(bound, b)
            if y is None:
                break
            last = y
            new, k = separate(pb, y, cache)
            lps += k
            if not new:
                cost = float(pb.weight[y].sum())
                if cost < best_cost:
                    best, best_cost = y, cost
                if status == 0:
                    break
            else:
                cuts.extend(new)
            if bound is not None and best_cost <= bound + 1e-9 * max(1.0, bound):
                break
    if best is None:  # stopped before a protected master solution: complete the last one
        best, _rest, k = greedy_complete(pb, last, cache)
        lps += k
        best_cost = float(pb.weight[best].sum())
    if bound is not None and best_cost <= bound * (1 + 1e-9) + 1e-9:
        state = "optimal"
    elif (
        bound is not None
        and (best_cost - bound) <= mip_gap * best_cost
        and time.perf_counter() < deadline
    ):
        state = "gap"
    else:
        state = "time_limit"
    return Outcome(
        best, state, best_cost, bound, iterations, len(cuts), lps, time.perf_counter() - t0
    )


__all__ = ["Cut", "Outcome", "Problem", "equation_cuts", "greedy_complete", "separate", "solve"]
