import numpy as np
import pytest

from anonymizer.tables.audit import check_protection, feasible_intervals
from anonymizer.tables.engine import verify
from anonymizer.tables.spec import SuppressionRules

from . import _reference as ref
from ._tables import grid, two_level


def test_a_lone_suppressed_cell_is_recomputed_exactly():
    leaves = np.array([[1, 8], [7, 6]])
    table = grid(leaves)
    y = np.zeros(table.size, dtype=bool)
    y[4] = True  # r1c1 alone
    iv = feasible_intervals(table.equations, table.value, y)
    assert iv.lower.tolist() == [1.0] and iv.upper.tolist() == [1.0]
    v = verify(table, SuppressionRules().resolved(), y)
    assert not v.passed and {f.side for f in v.findings} == {"upper", "lower"}


def test_a_weak_pattern_is_found():
    # the rectangle r1c1, r1c2, r2c1, r2c2: r2c2 = 1 leaves r1c1 = 1 … only ±1 of room
    leaves = np.array([[1, 2, 9], [1, 1, 9], [9, 9, 9]])
    table = grid(leaves)
    y = np.zeros(table.size, dtype=bool)
    y[[5, 6, 9, 10]] = True
    v = verify(table, SuppressionRules().resolved(), y)
    assert not v.passed
    eq, _ = ref.grid_equations(3, 3)
    lo, hi = ref.interval(eq, ref.grid_values(leaves), y, 5)
    assert hi < 1 + 3  # the reference agrees the width is short
    assert any(f.cell == 5 and f.side == "upper" for f in v.findings)


@pytest.mark.parametrize("seed", range(3))
def test_intervals_match_a_full_table_lp(seed):
    rng = np.random.default_rng(seed)
    table = two_level(rng.integers(0, 10, size=(4, 2)))
    y = rng.random(table.size) < 0.4
    iv = feasible_intervals(table.equations, table.value, y)
    eq = table.equations.toarray()
    assert iv.cells.tolist() == np.flatnonzero(y).tolist()
    for c, lo, hi in zip(iv.cells, iv.lower, iv.upper, strict=True):
        assert (lo, hi) == pytest.approx(ref.interval(eq, table.value, y, int(c)), abs=1e-7)


def test_check_protection_uses_both_sides():
    value = np.array([2.0, 5.0])
    from anonymizer.tables.audit import Intervals

    iv = Intervals(np.array([0, 1]), np.array([0.0, 4.0]), np.array([np.inf, 5.5]), 4)
    found = check_protection(iv, value, np.array([3.0, 3.0]), np.array([2.0, 3.0]))
    assert [(f.cell, f.side) for f in found] == [(1, "upper"), (1, "lower")]
