"""Utility metrics (lower is better) and the lower bounds the optimal search prunes with.

* ``loss`` — ARX's default "Loss" (MDNMLoss, gs-factor 0.5, geometric mean): for attribute d at
  level L, share(v) = rows of the hierarchy whose level-L cell is v's, over |H_d|;
  S_d = Σ kept rows share + suppressed rows × 1; loss_d = max(0, (S_d − n/|H_d|)/(n − n/|H_d|));
  total = Π(1 + loss_d)^(1/m) − 1 (as specified in shared/benchmarks/README.md).
* ``precision`` — Sweeney's Prec as a loss: mean over cells of level/height, suppressed = 1.
* ``entropy`` — non-uniform entropy (de Waal & Willenborg; Gionis & Tassa): Σ over cells of
  −log₂ P(original | released), frequencies from the input; a suppressed cell counts as fully
  generalized (−log₂ P(original)). In bits.
* ``discernibility`` — Bayardo & Agrawal: Σ |C|² over kept classes + n × suppressed records.

The first three are sums of per-cell costs of the form a(v) + b_L(generalized v), with a
constant cost s for a suppressed cell (loss, precision: a = 0, s = 1; entropy:
a = −log₂ f(v), b = log₂ f_L(g), s = log₂ n). So (1) with no suppression the value is a closed
form of the levels alone, non-decreasing under generalization and never above the value with
suppression: a lower bound for the whole lattice without touching the data; and (2) the effect
of suppressing a class needs only its size and generalized codes (class-level, roll-up safe).
Discernibility's bound Σ|C|² over all classes needs the grouping but is equally monotone.
"""

from __future__ import annotations

import numpy as np

from anonymizer.kanon.encode import Encoded, Levels


class CellMetric:
    """A metric that is a function of per-attribute sums of per-cell costs.

    Sums are element-wise ``(w * x).sum()``, not ``w @ x``: a BLAS dot product wakes its thread
    pool, which cost 10-20 ms per call on the shared 2-core machine (×8 QIs × every check).
    """

    def __init__(self, name: str, enc: Encoded):
        self.name, self.enc = name, enc
        n = enc.n
        self.a: list[np.ndarray] = []  # (codes0,) value part of a kept cell's cost
        self.b: list[list[np.ndarray]] = []  # [L] (level-L codes,) generalized part
        self.s: list[float] = []  # cost of a suppressed cell minus a(v)
        for h, vc in zip(enc.hierarchies, enc.value_counts, strict=True):
            levels = range(h.height + 1)
            if name == "loss":
                a = np.zeros(h.size)
                b = [np.bincount(h.maps[lv]) / h.size for lv in levels]
                s = 1.0
            elif name == "precision":
                a = np.zeros(h.size)
                b = [np.full(len(h.labels[lv]), lv / max(h.height, 1)) for lv in levels]
                s = 1.0
            elif name == "entropy":
                a = -_log2(vc.astype(float))
                b = [_log2(np.bincount(h.maps[lv], weights=vc).astype(float)) for lv in levels]
                s = float(np.log2(n))
            else:  # pragma: no cover - guarded by the config's Literal
                raise ValueError(name)
            self.a.append(a)
            self.b.append(b)
            self.s.append(s)
        #: base[d][L] = Σ over all records of the cell cost at level L (no suppression)
        self.base = [
            np.array([float((vc * (a + bl[h.maps[lv]])).sum()) for lv, bl in enumerate(b)])
            for h, vc, a, b in zip(enc.hierarchies, enc.value_counts, self.a, self.b, strict=True)
        ]

    def combine(self, sums: np.ndarray) -> np.ndarray:
        """Per-attribute sums (…, m) → metric value(s)."""
        n, m = self.enc.n, sums.shape[-1]
        if self.name == "loss":
            sizes = np.array([h.size for h in self.enc.hierarchies], dtype=float)
            floor = n / sizes
            span = np.where(n - floor > 0, n - floor, 1.0)
            loss = np.where(n - floor > 0, np.maximum(0.0, (sums - floor) / span), 0.0)
            return np.prod(1.0 + loss, axis=-1) ** (1.0 / m) - 1.0
        if self.name == "precision":
            return sums.sum(axis=-1) / (n * m)
        return sums.sum(axis=-1)

    def lower_bounds(self, nodes: np.ndarray) -> np.ndarray:
        """Metric of every lattice node (rows of ``nodes``) if nothing were suppressed."""
        sums = np.column_stack([self.base[d][nodes[:, d]] for d in range(nodes.shape[1])])
        return self.combine(sums)

    def value(
        self, node: Levels, sizes: np.ndarray, reps: np.ndarray, bad: np.ndarray
    ) -> float:
        """Metric of ``node`` whose classes (``sizes``, representative tuples ``reps``)
        flagged in ``bad`` are suppressed."""
        sums = np.array([self.base[d][lv] for d, lv in enumerate(node)], dtype=float)
        if bad.any():
            w, r = sizes[bad].astype(float), reps[bad]
            for d, lv in enumerate(node):
                g = self.enc.gen[d][lv][r]
                sums[d] += float((w * (self.s[d] - self.b[d][lv][g])).sum())
        return float(self.combine(sums))

    def value_local(self, levels: np.ndarray, star: np.ndarray) -> float:
        """Metric of a local recoding: ``levels`` (T, m) per tuple, ``star`` (T, m) starred."""
        sums = np.zeros(levels.shape[1])
        for d in range(levels.shape[1]):
            codes = self.enc.tuples[:, d]
            gen = np.zeros(len(codes))
            for lv in np.unique(levels[:, d]):
                sel = levels[:, d] == lv
                gen[sel] = self.b[d][lv][self.enc.gen[d][lv][sel]]
            cell = self.a[d][codes] + np.where(star[:, d], self.s[d], gen)
            sums[d] = float((self.enc.counts * cell).sum())
        return float(self.combine(sums))


def _log2(x: np.ndarray) -> np.ndarray:
    out = np.zeros(len(x))
    np.log2(x, out=out, where=x > 0)
    return out


def discernibility(sizes: np.ndarray, kept: np.ndarray, n: int) -> tuple[float, float]:
    """(value, lower bound) for class ``sizes`` with ``kept`` classes (bool mask)."""
    sq = sizes.astype(float) ** 2
    value = float(sq[kept].sum() + n * sizes[~kept].sum())
    return value, float(sq.sum())


def make_metric(name: str, enc: Encoded) -> CellMetric | None:
    """The cell metric for ``name``; None for discernibility (computed from classes)."""
    return None if name == "discernibility" else CellMetric(name, enc)
