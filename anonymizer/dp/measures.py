"""Each measure: a vectorised exact aggregate per public cell, then diffprivlib noise per cell.

Sensitivities under the declared privacy unit, with k = max rows per person (1 for rows):
count and histogram ``k`` (geometric); sum ``k·max(|lo|,|hi|)``; mean = midpoint + noisy
``Σ(x − mid)`` (sensitivity ``k·(hi−lo)/2``) over a noisy count — the release's own ``count``
when it has one (free post-processing), else half the mean's ε buys a private count;
quantile: exponential mechanism with utility sensitivity ``k``. Because the cells partition
the rows, one share of ε covers every cell (parallel composition).

Per-cell mean bound: with |S̃−S| ≤ B_S and |c̃−c| ≤ B_c (each at 97.5%, so both at ≥ 95%) and
|S/c| ≤ h, |S̃/c̃ − S/c| ≤ (B_S + h·B_c)/c̃ — computed from public parameters and c̃ only.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import numpy as np

from anonymizer.dp import mechanisms as mech
from anonymizer.dp.budget import ApproxDP
from anonymizer.dp.result import MeasureReport
from anonymizer.dp.rng import RandomState
from anonymizer.dp.spec import (
    CountMeasure,
    HistogramMeasure,
    MeanMeasure,
    MedianMeasure,
    QuantileMeasure,
    SumMeasure,
)


@dataclass(frozen=True)
class Cells:
    """Kept rows mapped to flat public cells, and the run's constants.

    ``weight``: how many rows each row stands for, when the rows are a summary (the Spark
    engine's distinct rows with their counts); ``None``: one each."""

    index: np.ndarray
    n: int
    k: int
    rs: RandomState
    weight: np.ndarray | None = None


@dataclass(frozen=True)
class Output:
    columns: dict[str, np.ndarray]
    bounds: dict[str, np.ndarray]  # per-cell 95% bound for the columns that have one
    report: MeasureReport


@dataclass(frozen=True)
class SharedCount:
    """The release's noisy count, reused by means (post-processing costs no budget)."""

    noisy: np.ndarray
    bound_975: int


def _present(cells: Cells, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    mask = ~np.isnan(values)
    return cells.index[mask], values[mask], None if cells.weight is None else cells.weight[mask]


def tally(
    idx: np.ndarray, n: int, weight: np.ndarray | None = None, x: np.ndarray | None = None
) -> np.ndarray:
    """Per cell: how many rows (``x`` None, integers) or the sum of ``x`` over them, each row
    counted ``weight`` times."""
    if x is None:
        if weight is None:
            return np.bincount(idx, minlength=n)
        return np.rint(np.bincount(idx, weights=weight, minlength=n)).astype(np.int64)
    return np.bincount(idx, weights=x if weight is None else x * weight, minlength=n)


def count(m: CountMeasure, cells: Cells, b: ApproxDP) -> tuple[Output, SharedCount]:
    true = tally(cells.index, cells.n, cells.weight)
    noisy = mech.geometric(true, b.epsilon, cells.k, cells.rs)
    bound = mech.geometric_bound(b.epsilon, cells.k)
    report = MeasureReport(
        m.output_name(), "count", None, b.epsilon, 0.0, "geometric",
        {"count": cells.k}, {"count": cells.k / b.epsilon}, float(bound),
        note=f"two-sided geometric, std {mech.geometric_std(b.epsilon, cells.k):.3g}",
    )  # fmt: skip
    name = m.output_name()
    out = Output({name: noisy}, {name: np.full(cells.n, float(bound))}, report)
    return out, SharedCount(noisy, mech.geometric_bound(b.epsilon, cells.k, 0.025))


def _noisy_sum(
    true: np.ndarray, mechanism: str, b: ApproxDP, sensitivity: float, rs: RandomState,
    alpha: float,
) -> tuple[np.ndarray, float, float]:  # fmt: skip
    """Noisy values, scale (b or σ) and the two-sided (1 − alpha) bound."""
    if mechanism == "gaussian":
        noisy, sigma = mech.gaussian(true, b.epsilon, b.delta, sensitivity, rs)
        return noisy, sigma, mech.gaussian_bound(sigma, alpha)
    scale = sensitivity / b.epsilon
    return mech.laplace(true, b.epsilon, sensitivity, rs), scale, mech.laplace_bound(scale, alpha)


def sum_(m: SumMeasure, cells: Cells, values: np.ndarray, b: ApproxDP) -> Output:
    idx, v, w = _present(cells, values)
    true = tally(idx, cells.n, w, np.clip(v, m.lower, m.upper))
    sens = cells.k * max(abs(m.lower), abs(m.upper))
    noisy, scale, bound = _noisy_sum(true, m.mechanism, b, sens, cells.rs, 0.05)
    report = MeasureReport(
        m.output_name(), "sum", m.column, b.epsilon, b.delta, m.mechanism,
        {"sum": sens}, {"sum": scale}, bound,
    )  # fmt: skip
    return Output({m.output_name(): noisy}, {m.output_name(): np.full(cells.n, bound)}, report)


def mean(
    m: MeanMeasure, cells: Cells, values: np.ndarray, b: ApproxDP, shared: SharedCount | None
) -> Output:
    idx, v, w = _present(cells, values)
    mid, half = (m.lower + m.upper) / 2, (m.upper - m.lower) / 2
    shifted = tally(idx, cells.n, w, np.clip(v, m.lower, m.upper) - mid)
    reuse = shared is not None and m.missing == "error"  # then its rows are the count's rows
    if reuse:
        assert shared is not None
        sum_budget, c_noisy, c_bound = b, shared.noisy, shared.bound_975
        count_scale: float | str = "reused from the count measure"
    else:
        sum_budget = ApproxDP(b.epsilon / 2, b.delta)
        eps_c = b.epsilon - sum_budget.epsilon
        c_noisy = mech.geometric(tally(idx, cells.n, w), eps_c, cells.k, cells.rs)
        c_bound = mech.geometric_bound(eps_c, cells.k, 0.025)
        count_scale = cells.k / eps_c
    sens = cells.k * half
    s_noisy, s_scale, s_bound = _noisy_sum(shifted, m.mechanism, sum_budget, sens, cells.rs, 0.025)
    c = c_noisy.astype(np.float64)
    ok = c >= 1
    value = np.full(cells.n, np.nan)
    value[ok] = np.clip(mid + s_noisy[ok] / c[ok], m.lower, m.upper)
    bound = np.full(cells.n, m.upper - m.lower)
    bound[ok] = np.minimum((s_bound + half * c_bound) / c[ok], m.upper - m.lower)
    report = MeasureReport(
        m.output_name(), "mean", m.column, b.epsilon, b.delta, m.mechanism,
        {"shifted_sum": sens, "count": cells.k},
        {"shifted_sum": s_scale, "count": count_scale},
        None,
        {"min": float(bound.min()), "median": float(statistics.median(bound.tolist())),
         "max": float(bound.max())} if cells.n else None,
        note="midpoint + noisy Σ(x−mid) / noisy count, clamped to the bounds; empty where the "
        "noisy count is below 1",
    )  # fmt: skip
    return Output({m.output_name(): value}, {m.output_name(): bound}, report)


def histogram(m: HistogramMeasure, cells: Cells, values: np.ndarray, b: ApproxDP) -> Output:
    idx, v, w = _present(cells, values)
    edges = np.asarray(m.edges)
    nb = len(edges) - 1
    bins = np.clip(np.searchsorted(edges, v, side="right") - 1, 0, nb - 1)
    true = tally(idx * nb + bins, cells.n * nb, w)
    noisy = mech.geometric(true, b.epsilon, cells.k, cells.rs).reshape(cells.n, nb)
    bound = float(mech.geometric_bound(b.epsilon, cells.k))
    names = m.bin_names()
    report = MeasureReport(
        m.output_name(), "histogram", m.column, b.epsilon, 0.0, "geometric",
        {"count": cells.k}, {"count": cells.k / b.epsilon}, bound,
        note="values outside the edges are clamped into the first/last bin",
    )  # fmt: skip
    return Output(
        {n: noisy[:, i] for i, n in enumerate(names)},
        {n: np.full(cells.n, bound) for n in names},
        report,
    )


def quantile(
    m: QuantileMeasure | MedianMeasure, cells: Cells, values: np.ndarray, b: ApproxDP
) -> Output:
    idx, v, w = _present(cells, values)
    if w is not None:  # the rank mechanism needs every row's value
        idx, v = np.repeat(idx, w), np.repeat(v, w)
    order = np.lexsort((v, idx))
    groups = np.split(v[order], np.cumsum(np.bincount(idx, minlength=cells.n))[:-1])
    out = np.fromiter(
        (
            mech.exponential_quantile(g, m.q, b.epsilon, cells.k, (m.lower, m.upper), cells.rs)
            for g in groups
        ),
        dtype=np.float64,
        count=cells.n,
    )
    report = MeasureReport(
        m.output_name(), m.type, m.column, b.epsilon, 0.0, "exponential",
        {"utility": cells.k}, {"utility": 2 * cells.k / b.epsilon}, None,
        note="exponential mechanism over ranks (Smith 2011); accuracy depends on how the "
        "cell's values are spread, so no data-independent bound and no flags",
    )  # fmt: skip
    return Output({m.output_name(): out}, {}, report)


__all__ = [
    "Cells", "Output", "SharedCount", "count", "histogram", "mean", "quantile", "sum_", "tally",
]  # fmt: skip
