"""Cell suppression: 町丁 × 5-year band × sex tables with totals at about 1k, 10k and 100k cells.

Tables are generated here from a seeded population over the city's real 町 keys
(``rules/keys/kunitachi_cho.txt``); finer areas are synthetic (丁目 1–9 of each 町, then 街区
1–10 of each 丁目) so that the same table shape reaches each size:

* 1k — 町 → 国立市 × age (5-year → 10-year → 総数) × sex (→ 総数): 11 × 32 × 3 = 1,056 cells,
  7,500 persons (a tenth of the city: e.g. its 要介護認定者 or foreign residents);
* 10k — 町丁 → 町 → 地区 → 国立市: 104 × 96 = 9,984 cells, 75,000 persons;
* 100k — 街区 → 町丁 → 町 → 地区 → 国立市: 1,004 × 96 = 96,384 cells, 750,000 persons (a
  街区 table of a city ten times the size, so leaves hold about as many persons as at 10k).

Ages follow a gamma distribution (many old-age cells are small), areas a Zipf-like share.
For each table: ours (``method: auto`` — the optimal MILP up to ``optimal_max_cells``, the
modular method above) against a simple method — for each primary cell, suppress the smallest
other cell in every equation where it is the only suppressed cell, repeated until no equation
holds exactly one suppressed cell — then both audited by the same interval audit. Reported:
primary and suppressed cells, information loss (suppressed cells and the sum of their values),
primary cells the audit finds under-protected, seconds, MIP gap. Not compared with τ-ARGUS or
sdcTable: τ-ARGUS is a Windows program; R is not installed here and apt-cache found no
sdcTable; PyPI lists a ``pytauargus`` (0.6.0, "open-source solvers (HiGHS)"), not evaluated.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from anonymizer.dp.keys import load_key_file
from anonymizer.tables.audit import check_protection, feasible_intervals
from anonymizer.tables.engine import protect
from anonymizer.tables.hierarchy import TreeSpec, build_hierarchy, load_hierarchy
from anonymizer.tables.primary import primary_cells
from anonymizer.tables.spec import SuppressionRules
from anonymizer.tables.table import Dimension, LinkedTable, tabulate

SEED = 20261204
CHIKU = {
    "北部": ["北", "中", "東", "西"],
    "中部": ["富士見台", "泉"],
    "南部": ["青柳", "石田", "谷保", "矢川"],
}


def _areas(level: str) -> tuple[dict[str, Any] | list[str], list[str]]:
    """The area tree and its leaves for ``level`` (町, 町丁 or 街区)."""
    towns = list(load_key_file("町", "kunitachi_cho.txt").keys)
    if level == "町":
        return towns, towns
    tree: dict[str, Any] = {}
    leaves: list[str] = []
    for chiku, members in CHIKU.items():
        tree[chiku] = {}
        for town in members:
            chome = [f"{town}{i}丁目" for i in range(1, 10)]
            if level == "町丁":
                tree[chiku][town] = chome
                leaves += chome
            else:
                tree[chiku][town] = {c: [f"{c}{b}番" for b in range(1, 11)] for c in chome}
                leaves += [f"{c}{b}番" for c in chome for b in range(1, 11)]
    return tree, leaves


def make_table(level: str, persons: int, seed: int = SEED) -> LinkedTable:
    tree, leaves = _areas(level)
    area = build_hierarchy(
        TreeSpec(
            type="tree", total="国立市", tree=tree if isinstance(tree, dict) else {"国立市計": tree}
        ),
        level,
    )
    if level == "町":
        area = load_hierarchy("kunitachi_cho.yaml", "bench")
    rng = np.random.default_rng(seed)
    share = 1.0 / np.arange(1, len(leaves) + 1) ** 0.3
    frame = pd.DataFrame({
        "地域": np.array(leaves)[rng.choice(len(leaves), persons, p=share / share.sum())],
        "年齢": np.clip(rng.gamma(2.2, 20, persons), 0, 104).astype(int).astype(str),
        "性別": rng.choice(["男", "女"], persons),
    })  # fmt: skip
    dims = (
        Dimension("地域", area),
        Dimension("年齢", load_hierarchy("age_5y_10y.yaml", "bench")),
        Dimension("性別", load_hierarchy("sex.yaml", "bench")),
    )
    return tabulate(frame, dims, where="bench")


def simple_method(table: LinkedTable, primary: np.ndarray) -> np.ndarray:
    """Smallest complement in each equation where a suppressed cell is alone, until none is."""
    a = table.equations.tocsr()
    y = primary.copy()
    while True:
        changed = False
        counts = np.asarray(a[:, np.flatnonzero(y)].astype(bool).sum(axis=1)).ravel()
        for r in np.flatnonzero(counts == 1):
            cells = a.indices[a.indptr[r] : a.indptr[r + 1]]
            free = cells[~y[cells]]
            if len(free):
                y[free[np.argmin(table.value[free])]] = True
                changed = True
        if not changed:
            return y


def _figures(
    table: LinkedTable, y: np.ndarray, upper: np.ndarray, lower: np.ndarray, seconds: float
) -> dict[str, Any]:
    t0 = time.perf_counter()
    iv = feasible_intervals(table.equations, table.value, y, which=upper > 0)
    weak = {f.cell for f in check_protection(iv, table.value, upper, lower)}
    return {
        "suppressed": int(y.sum()),
        "suppressed_value": float(table.value[y].sum()),
        "under_protected_primaries": len(weak),
        "seconds": round(seconds, 2),
        "audit_seconds": round(time.perf_counter() - t0, 2),
    }


def one(level: str, persons: int, time_limit: float) -> dict[str, Any]:
    table = make_table(level, persons)
    rules = SuppressionRules(time_limit=time_limit).resolved()
    primary = primary_cells(table, rules)
    t0 = time.perf_counter()
    ours = protect(table, rules)
    ours_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    y = simple_method(table, primary.mask)
    simple_s = time.perf_counter() - t0
    o = ours.outcome
    return {
        "table": f"{level} × 5歳階級 × 性別 (with totals)",
        "cells": table.size,
        "persons": persons,
        "primary": int(primary.mask.sum()),
        "ours": {
            "method": ours.method,
            "status": o.status,
            "mip_gap": o.gap,
            "subtables": ours.subtables,
            **_figures(table, ours.suppressed, primary.upper, primary.lower, ours_s),
            "gate_audit_passed": ours.verdict.passed,
        },
        "simple": _figures(table, y, primary.upper, primary.lower, simple_s),
    }


def run(quick: bool) -> dict[str, Any]:
    """``--quick``: the 1k and 10k tables; otherwise the 100k table too."""
    sizes = [("町", 7_500), ("町丁", 75_000)] + ([] if quick else [("街区", 750_000)])
    limit = 600.0
    return {"time_limit_s": limit, "tables": [one(level, n, limit) for level, n in sizes]}
