"""Secondary suppression against patterns known by hand and a brute-force search."""

import numpy as np
import pytest

from anonymizer.tables.engine import protect, weights
from anonymizer.tables.spec import SuppressionRules

from . import _reference as ref
from ._tables import grid, two_level


def run(table, **rules):
    return protect(table, SuppressionRules(method="optimal", **rules).resolved())


def test_one_small_cell_needs_a_rectangle():
    # r1c1 = 1: suppressing it alone is recomputed from its row and column totals; the
    # cheapest protection is a rectangle of four inner cells whose partners can move by 3
    leaves = np.array([[1, 8, 9], [7, 6, 9], [9, 8, 20]])
    p = run(grid(leaves))
    eq, _ = ref.grid_equations(3, 3)
    value = ref.grid_values(leaves)
    assert p.suppressed.sum() == 4 and p.outcome.status == "optimal"
    assert p.suppressed[5]  # r1c1
    assert ref.protected(eq, value, p.suppressed, p.verdict.primary.mask, 3)
    inner = np.flatnonzero(p.suppressed)
    rows, cols = {int(c) // 4 for c in inner}, {int(c) % 4 for c in inner}
    assert len(rows) == 2 and len(cols) == 2 and 0 not in rows and 0 not in cols


def test_no_primary_no_suppression():
    p = run(grid(np.array([[5, 6], [7, 8]])))
    assert not p.suppressed.any() and p.outcome.cost == 0


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("cost", ["cells", "value"])
def test_optimal_equals_brute_force_on_2x2(seed, cost):
    rng = np.random.default_rng(seed)
    leaves = rng.integers(0, 9, size=(2, 2))
    leaves[0, 0] = 1 + seed % 2
    table = grid(leaves)  # 9 cells
    p = run(table, cost=cost)
    eq, _ = ref.grid_equations(2, 2)
    w = weights(table, cost)
    best, patterns = ref.brute_force(eq, ref.grid_values(leaves), p.verdict.primary.mask, 3, w)
    assert p.outcome.cost == pytest.approx(best)
    assert any(np.array_equal(p.suppressed, y) for y in patterns)


@pytest.mark.parametrize("seed", range(3))
def test_optimal_equals_brute_force_on_12_cells(seed):
    rng = np.random.default_rng(100 + seed)
    leaves = rng.integers(3, 12, size=(2, 3))
    leaves[rng.integers(0, 2), rng.integers(0, 3)] = 1 + seed % 2
    table = grid(leaves)  # 3 × 4 = 12 cells
    p = run(table)
    eq, _ = ref.grid_equations(2, 3)
    best, patterns = ref.brute_force(
        eq, ref.grid_values(leaves), p.verdict.primary.mask, 3, np.ones(12)
    )
    assert p.outcome.cost == best and p.outcome.gap == 0
    assert any(np.array_equal(p.suppressed, y) for y in patterns)


@pytest.mark.slow
def test_optimal_equals_brute_force_on_a_two_level_hierarchy():
    # 市 → 地区 → 町 (7 codes) × 総数/男/女: 21 cells, exhaustive search over the rest
    leaves = np.array([[1, 6], [5, 7], [8, 9], [6, 2]])
    table = two_level(leaves)
    p = run(table)
    eq = table.equations.toarray()
    best, _ = ref.brute_force(eq, table.value, p.verdict.primary.mask, 3, np.ones(table.size))
    assert p.outcome.cost == best


def test_two_level_hierarchy_is_protected_through_both_levels():
    leaves = np.array([[1, 6], [5, 7], [8, 9], [6, 2]])
    table = two_level(leaves)
    p = run(table)
    eq = table.equations.toarray()
    assert ref.protected(eq, table.value, p.suppressed, p.verdict.primary.mask, 3)
    for c in np.flatnonzero(p.suppressed):  # the audit's intervals match the reference LP
        lo, hi = ref.interval(eq, table.value, p.suppressed, int(c))
        got = dict(
            zip(
                p.verdict.intervals.cells.tolist(),
                zip(p.verdict.intervals.lower, p.verdict.intervals.upper, strict=True),
                strict=True,
            )
        )[int(c)]
        assert got == pytest.approx((lo, hi))


def test_a_cell_published_by_hand_is_refused_and_a_needed_partner_is_replaced():
    leaves = np.array([[1, 8, 9], [7, 6, 9], [9, 8, 20]])
    table = grid(leaves)
    # the primary itself published: the verdict refuses
    pub = np.zeros(table.size, dtype=bool)
    pub[5] = True
    p = protect(table, SuppressionRules().resolved(), pub)
    assert not p.verdict.passed and p.verdict.exposed.tolist() == [5]
    # a partner kept published: another protected pattern is found, still passing
    first = run(table)
    partner = int(np.flatnonzero(first.suppressed & ~first.verdict.primary.mask)[0])
    pub = np.zeros(table.size, dtype=bool)
    pub[partner] = True
    p = protect(table, SuppressionRules().resolved(), pub)
    assert p.verdict.passed and not p.suppressed[partner]


def test_a_protection_no_pattern_can_meet_names_the_cell_not_its_count():
    from anonymizer.errors import InputError

    leaves = np.array([[1, 8, 9], [7, 6, 9], [9, 8, 20]])
    table = grid(leaves)
    pub = np.ones(table.size, dtype=bool)
    pub[5] = False  # only r1c1 (= 1) may be hidden: its row total gives it away
    with pytest.raises(InputError) as err:
        protect(table, SuppressionRules(method="optimal").resolved(), pub)
    message = str(err.value)
    assert "no suppression pattern" in message and "(R=r1, C=c1)" in message
    assert "=1)" not in message and " 1 " not in message
