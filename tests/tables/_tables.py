"""Small tables for the tests, built through the package's own table from leaves."""

from __future__ import annotations

import numpy as np
import pandas as pd

from anonymizer.tables.hierarchy import TreeSpec, ValuesSpec, build_hierarchy
from anonymizer.tables.table import Dimension, LinkedTable, from_cells


def grid(leaves: np.ndarray) -> LinkedTable:
    """rows r1.. × columns c1.., each with a total "T" first (cell order = tests/_reference)."""
    rows, cols = leaves.shape
    r = build_hierarchy(
        ValuesSpec(type="values", values=tuple(f"r{i + 1}" for i in range(rows)), total="T"), "rows"
    )
    c = build_hierarchy(
        ValuesSpec(type="values", values=tuple(f"c{j + 1}" for j in range(cols)), total="T"), "cols"
    )
    recs = [
        {"R": f"r{i + 1}", "C": f"c{j + 1}", "n": str(leaves[i, j])}
        for i in range(rows)
        for j in range(cols)
    ]
    return from_cells(pd.DataFrame(recs), (Dimension("R", r), Dimension("C", c)), "n", where="test")


def two_level(leaves: np.ndarray) -> LinkedTable:
    """市 → 2 地区 → 2 町 each (rows) × 男/女 with a total (columns)."""
    area = build_hierarchy(
        TreeSpec(type="tree", total="市", tree={"北部": ["北", "中"], "南部": ["谷保", "泉"]}),
        "area",
    )
    sex = build_hierarchy(ValuesSpec(type="values", values=("男", "女"), total="総数"), "sex")
    towns = ["北", "中", "谷保", "泉"]
    recs = [
        {"町": towns[i], "性別": s, "n": str(leaves[i, j])}
        for i in range(4)
        for j, s in enumerate(["男", "女"])
    ]
    return from_cells(
        pd.DataFrame(recs), (Dimension("町", area), Dimension("性別", sex)), "n", where="test"
    )
