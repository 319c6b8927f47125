"""Hand-computed metric values on a four-record table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from anonymizer.kanon.encode import encode
from anonymizer.kanon.hierarchy import from_rows
from anonymizer.kanon.metrics import CellMetric, discernibility

H = from_rows("a", [["a1", "X", "*"], ["a2", "X", "*"], ["a3", "Y", "*"], ["a4", "Y", "*"]])
ENC = encode(pd.DataFrame({"a": ["a1", "a1", "a2", "a3"]}), {"a": H})


def classes(level: int):
    cls, sizes = ENC.group([level])
    reps = np.empty(len(sizes), dtype=np.int64)
    reps[cls] = np.arange(len(cls))
    return sizes, reps


@pytest.mark.parametrize(
    ("name", "level", "expected"),
    [
        # shares X = Y = 2/4; S = 4 × 0.5 = 2; floor n/|H| = 1 → (2 − 1)/(4 − 1)
        ("loss", 0, 0.0),
        ("loss", 1, 1 / 3),
        ("loss", 2, 1.0),
        ("precision", 1, 0.5),
        ("precision", 2, 1.0),
        # −log2 P(orig | gen): a1 2/3 (twice), a2 1/3, a3 1/1
        ("entropy", 0, 0.0),
        ("entropy", 1, -2 * math.log2(2 / 3) - math.log2(1 / 3)),
        ("entropy", 2, -2 * math.log2(2 / 4) - 2 * math.log2(1 / 4)),
    ],
)
def test_without_suppression(name, level, expected):
    m = CellMetric(name, ENC)
    sizes, reps = classes(level)
    assert m.value([level], sizes, reps, np.zeros(len(sizes), bool)) == pytest.approx(expected)
    assert m.lower_bounds(np.array([[level]]))[0] == pytest.approx(expected)


def test_suppressed_cells_cost_the_maximum():
    sizes, reps = classes(1)  # X: 3 records, Y: 1 record
    bad = sizes < 2  # Y is suppressed
    loss = CellMetric("loss", ENC).value([1], sizes, reps, bad)
    assert loss == pytest.approx((3 * 0.5 + 1 - 1) / 3)
    assert CellMetric("precision", ENC).value([1], sizes, reps, bad) == pytest.approx(2.5 / 4)
    ent = -2 * math.log2(2 / 3) - math.log2(1 / 3) - math.log2(1 / 4)
    assert CellMetric("entropy", ENC).value([1], sizes, reps, bad) == pytest.approx(ent)
    assert discernibility(sizes, ~bad, 4) == (9 + 4 * 1, 9 + 1)


def test_local_recoding_value_matches_full_domain():
    m = CellMetric("loss", ENC)
    levels = np.ones((len(ENC.tuples), 1), dtype=np.int64)
    star = np.zeros_like(levels, dtype=bool)
    assert m.value_local(levels, star) == pytest.approx(1 / 3)
    assert m.value_local(levels, np.ones_like(star)) == pytest.approx(1.0)
