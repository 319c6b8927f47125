"""An independent, deliberately naive reference for the engine's tests.

Everything here works on the generalized *labels* with pandas groupby and Python loops over
classes — no integer codes, lattices, roll-ups or bounds — so agreement with the engine is
evidence, not tautology. EMDs are solved as transportation problems with scipy's linprog.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from anonymizer.kanon.hierarchy import Hierarchy


def generalize(
    frame: pd.DataFrame, hier: dict[str, Hierarchy], levels: dict[str, int]
) -> pd.DataFrame:
    out = frame.copy()
    for col, h in hier.items():
        mapping = dict(zip(h.table[:, 0], h.table[:, levels[col]], strict=True))
        out[col] = frame[col].map(mapping)
    return out


def emd(q: dict[str, float], p: dict[str, float], dist) -> float:
    """Earth mover's distance between two distributions with ground distance ``dist``."""
    vals = sorted(set(p) | set(q))
    n = len(vals)
    cost = np.array([[dist(a, b) for b in vals] for a in vals]).ravel()
    a_eq, b_eq = [], []
    for i in range(n):  # flow out of i = q_i
        row = np.zeros((n, n))
        row[i, :] = 1
        a_eq.append(row.ravel())
        b_eq.append(q.get(vals[i], 0.0))
    for j in range(n):  # flow into j = p_j
        col = np.zeros((n, n))
        col[:, j] = 1
        a_eq.append(col.ravel())
        b_eq.append(p.get(vals[j], 0.0))
    res = linprog(cost, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=(0, None), method="highs")
    return float(res.fun)


def hierarchical_distance(tree: Hierarchy):
    height = tree.height
    lab = {row[0]: row for row in tree.table}

    def dist(a: str, b: str) -> float:
        if a == b:
            return 0.0
        for lv in range(1, height + 1):
            if lab[a][lv] == lab[b][lv]:
                return lv / height
        return 1.0

    return dist


@dataclass
class Verdict:
    ok: bool
    value: float
    suppressed: int


@dataclass
class Reference:
    frame: pd.DataFrame
    hier: dict[str, Hierarchy]
    k: int = 1
    suppression: float = 0.0
    sensitive: tuple[str, ...] = ()
    l: int | None = None  # noqa: E741
    l_variant: str = "distinct"
    c: float | None = None
    t: float | None = None
    distance: object = None  # ground distance function for t
    max_risk: float | None = None
    metric: str = "loss"
    #: column identifying a person: k counts its distinct values per class (suppression and
    #: the metric still count records)
    person: str | None = None
    _emd: dict = field(default_factory=dict)  # EMD memo per (column, class histogram)

    def __post_init__(self) -> None:
        self.frame = self.frame.astype(object)  # plain Python strings: simple and fast maps

    def class_ok(self, group: pd.DataFrame) -> bool:
        size = len(group) if self.person is None else group[self.person].nunique()
        if size < self.k:
            return False
        for s in self.sensitive:
            counts = group[s].value_counts()
            if self.l is not None:
                if self.l_variant == "distinct" and len(counts) < self.l:
                    return False
                if self.l_variant == "entropy":
                    p = counts / counts.sum()
                    if -(p * np.log(p)).sum() < math.log(self.l) - 1e-9:
                        return False
                if self.l_variant == "recursive":
                    r = sorted(counts.tolist(), reverse=True)
                    if len(r) < self.l or not r[0] < self.c * sum(r[self.l - 1 :]) - 1e-9:
                        return False
            if self.t is not None:
                key = (s, tuple(sorted(counts.items())))
                if key not in self._emd:
                    whole = self.frame[s].value_counts(normalize=True).to_dict()
                    self._emd[key] = emd((counts / counts.sum()).to_dict(), whole, self.distance)
                if self._emd[key] > self.t + 1e-7:
                    return False
        return True

    def evaluate(self, levels: dict[str, int]) -> Verdict:
        n = len(self.frame)
        gen = generalize(self.frame, self.hier, levels)
        qis = list(self.hier)
        kept_sizes, dropped = [], []
        for _, group in gen.groupby(qis, sort=False):
            if self.class_ok(group):
                kept_sizes.append(len(group))
            else:
                dropped.extend(group.index)
        suppressed = pd.Series(gen.index.isin(dropped), index=gen.index)
        n_supp = int(suppressed.sum())
        if n_supp > math.floor(self.suppression * n + 1e-9):
            return Verdict(False, math.inf, n_supp)
        risk = len(kept_sizes) / sum(kept_sizes) if kept_sizes else 0.0
        if self.max_risk is not None and risk > self.max_risk + 1e-9:
            return Verdict(False, math.inf, n_supp)
        return Verdict(True, self.metric_value(gen, levels, suppressed, kept_sizes), n_supp)

    def metric_value(self, gen, levels, suppressed, kept_sizes) -> float:
        n, m = len(self.frame), len(self.hier)
        if self.metric == "discernibility":
            return float(sum(s * s for s in kept_sizes) + n * suppressed.sum())
        per_attr = []
        for col, h in self.hier.items():
            lv = levels[col]
            if self.metric == "loss":
                share = pd.Series(h.table[:, lv]).value_counts() / h.size
                s = gen.loc[~suppressed, col].map(share).sum() + suppressed.sum()
                floor = n / h.size
                per_attr.append(max(0.0, (s - floor) / (n - floor)) if n > floor else 0.0)
            elif self.metric == "precision":
                cell = lv / h.height if h.height else 0.0
                per_attr.append(cell * (~suppressed).sum() + suppressed.sum())
            else:  # entropy
                orig = self.frame[col]
                f0 = orig.map(orig.value_counts())
                fl = gen[col].map(gen[col].value_counts())
                cell = np.where(suppressed, -np.log2(f0 / n), -np.log2(f0 / fl))
                per_attr.append(float(cell.sum()))
        if self.metric == "loss":
            return float(np.prod([1 + x for x in per_attr]) ** (1 / m) - 1)
        if self.metric == "precision":
            return float(sum(per_attr) / (n * m))
        return float(sum(per_attr))

    def brute_force(self) -> tuple[float, list[dict[str, int]]]:
        """(optimal value, all optimal level vectors)."""
        ranges = [range(h.height + 1) for h in self.hier.values()]
        best, argbest = math.inf, []
        for combo in itertools.product(*ranges):
            levels = dict(zip(self.hier, combo, strict=True))
            v = self.evaluate(levels)
            if not v.ok:
                continue
            if v.value < best - 1e-12:
                best, argbest = v.value, [levels]
            elif abs(v.value - best) <= 1e-12:
                argbest.append(levels)
        return best, argbest
