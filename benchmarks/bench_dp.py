"""DP aggregates: 1,000,000 rows → 25 × 20 = 500 public cells, noisy count + bounded mean.

Ours: :func:`anonymizer.dp.run_dp_aggregate` on the all-text frame ``read_table`` would give
(parsing included), production path (secure RNG, file ledger). OpenDP 0.16's Polars API on the
same rows (typed Polars frame — its best case), the same public keys (``with_keys``), the same
ε = 1 and unit (one row), timed from ``Context.compositor`` to the collected release.
Errors are mean absolute errors per cell against the exact (clamped) aggregates, over the
repeats. OpenDP is optional (``pip install -e '.[bench]'``); without it only ours is measured.

Why the errors differ: OpenDP's ``dp.mean`` is a noisy sum over [0, 100] (sensitivity 100)
divided by its own noisy length, next to the separate ``dp.len`` — three noisy quantities at
ε/3 each. Ours reuses the released count for the mean (post-processing) and noises the sum of
``x − 50`` (sensitivity 50): two quantities at ε/2 each.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from anonymizer.config import validate_model
from anonymizer.dp import ApproxDP, DpAggregateSpec, DpRandom, Ledger, run_dp_aggregate
from anonymizer.text.bands import load_bands

EPSILON = 1.0
LO, HI = 0.0, 100.0
A_KEYS = [f"町{i:02d}" for i in range(25)]
B_KEYS = [load_bands().fill_closed(5 * i, 5 * i + 4, "歳") for i in range(20)]  # 0～4歳 …


def _data(n: int, seed: int = 20261124) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, len(A_KEYS), n)
    b = rng.integers(0, len(B_KEYS), n)
    x = np.clip(rng.normal(40 + a, 15), -10, 120).round(1)  # some values outside the bounds
    return a, b, x


def _truth(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> pd.DataFrame:
    df = pd.DataFrame({"a": np.array(A_KEYS)[a], "b": np.array(B_KEYS)[b], "x": x.clip(LO, HI)})
    return df.groupby(["a", "b"])["x"].agg(true_count="size", true_mean="mean").reset_index()


def _errors(
    released: pd.DataFrame, truth: pd.DataFrame, count: str, mean: str
) -> tuple[float, float]:
    t = truth.merge(released, on=["a", "b"], how="left")
    assert len(t) == len(truth)
    return (
        float((t[count] - t["true_count"]).abs().mean()),
        float((t[mean] - t["true_mean"]).abs().mean()),
    )


def _ours(
    a: np.ndarray, b: np.ndarray, x: np.ndarray, truth: pd.DataFrame, repeats: int
) -> dict[str, Any]:
    frame = pd.DataFrame(
        {"a": np.array(A_KEYS)[a], "b": np.array(B_KEYS)[b], "x": x.astype(str)}, dtype="str"
    )
    spec = validate_model(
        {
            "epsilon": EPSILON,
            "group_by": [{"column": "a", "keys": A_KEYS}, {"column": "b", "keys": B_KEYS}],
            "measures": [
                {"type": "count", "name": "count"},
                {"type": "mean", "column": "x", "lower": LO, "upper": HI, "name": "mean"},
            ],
            "post_processing": {"decimals": 6},
        },
        DpAggregateSpec,
        "bench_dp",
    )
    times, c_err, m_err = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger(Path(tmp) / "state")  # a state directory of its own
        ledger.set_total("bench", ApproxDP(EPSILON * repeats))
        for _ in range(repeats):
            t0 = time.perf_counter()
            res = run_dp_aggregate(frame, spec, ledger, "bench", "bench", DpRandom.secure())
            times.append(time.perf_counter() - t0)
            ce, me = _errors(res.table, truth, "count", "mean")
            c_err.append(ce)
            m_err.append(me)
    return {
        "seconds_median": round(statistics.median(times), 3),
        "seconds": [round(t, 3) for t in times],
        "count_mae": round(statistics.mean(c_err), 3),
        "mean_mae": round(statistics.mean(m_err), 4),
        "count_noise_scale": res.measures[0].noise_scale["count"],
        "mean_sum_noise_scale": res.measures[1].noise_scale["shifted_sum"],
    }


def _opendp(
    a: np.ndarray, b: np.ndarray, x: np.ndarray, truth: pd.DataFrame, repeats: int
) -> dict[str, Any]:
    try:
        import opendp.prelude as dp
        import polars as pl
    except ImportError:
        return {"skipped": "opendp[polars] not installed: pip install -e '.[bench]'"}
    dp.enable_features("contrib")
    data = pl.DataFrame({"a": np.array(A_KEYS)[a], "b": np.array(B_KEYS)[b], "x": x}).lazy()
    keys = pl.DataFrame({"a": np.repeat(A_KEYS, len(B_KEYS)), "b": np.tile(B_KEYS, len(A_KEYS))})
    times, c_err, m_err = [], [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        ctx = dp.Context.compositor(
            data=data,
            privacy_unit=dp.unit_of(contributions=1),
            privacy_loss=dp.loss_of(epsilon=EPSILON),
            split_evenly_over=1,
            margins=[dp.polars.Margin(by=["a", "b"], max_length=len(x))],
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # dp.len()'s signed default
            query = (
                ctx.query()
                .group_by("a", "b")
                .agg(dp.len(), pl.col("x").fill_null(0).dp.mean((LO, HI)))
                .with_keys(keys)
            )
        released = query.release().collect().to_pandas()
        times.append(time.perf_counter() - t0)
        ce, me = _errors(released, truth, "len", "x")
        c_err.append(ce)
        m_err.append(me)
    scales = query.summarize()["scale"].to_list()
    return {
        "seconds_median": round(statistics.median(times), 3),
        "seconds": [round(t, 3) for t in times],
        "count_mae": round(statistics.mean(c_err), 3),
        "mean_mae": round(statistics.mean(m_err), 4),
        "noise_scales_len_sum_len": scales,
    }


def run(quick: bool) -> dict[str, Any]:
    n = 100_000 if quick else 1_000_000
    repeats = 2 if quick else 5
    a, b, x = _data(n)
    truth = _truth(a, b, x)
    ours = _ours(a, b, x, truth, repeats)
    # worst case for parsing: (almost) every measure cell a distinct text
    x_distinct = x + np.random.default_rng(1).uniform(-0.05, 0.05, n).round(6)
    ours["seconds_all_values_distinct"] = _ours(
        a, b, x_distinct, _truth(a, b, x_distinct), 1
    )["seconds_median"]
    theirs = _opendp(a, b, x, truth, repeats)
    out: dict[str, Any] = {
        "rows": n,
        "cells": len(A_KEYS) * len(B_KEYS),
        "epsilon": EPSILON,
        "query": "count + mean(x) clamped to [0, 100], by 2 public-key columns, unit = row",
        "target_seconds": 5.0,
        "ours": ours,
        "ours_meets_target": ours["seconds_median"] < 5.0,
        "opendp": theirs,
    }
    if "seconds_median" in theirs:
        out["speed_ratio_ours_over_opendp"] = round(
            ours["seconds_median"] / theirs["seconds_median"], 3
        )
        out["error_ratio_count_ours_over_opendp"] = round(
            ours["count_mae"] / theirs["count_mae"], 3
        )
        out["error_ratio_mean_ours_over_opendp"] = round(ours["mean_mae"] / theirs["mean_mae"], 3)
    return out
