import numpy as np
import pandas as pd
import pytest

from anonymizer.tables.hierarchy import ValuesSpec, build_hierarchy
from anonymizer.tables.primary import DOMINANCE, FREQUENCY, P_RULE, ZERO, primary_cells
from anonymizer.tables.spec import SuppressionRules
from anonymizer.tables.table import Dimension, tabulate

from ._tables import grid


def test_frequency_rule_default_three_and_zeros_stay():
    t = grid(np.array([[0, 1, 2], [3, 4, 5]]))
    p = primary_cells(t, SuppressionRules().resolved())
    value = t.value
    assert set(value[p.mask]) == {1, 2}  # 1 and 2, never 0 or 3+
    assert np.all(p.reason[p.mask] == FREQUENCY)
    # protection: v + 3 above, max(0, v − 3) below
    assert np.all(p.upper[p.mask] == 3) and np.all(p.lower[p.mask] == value[p.mask])


def test_zeros_suppressed_when_told_and_other_n():
    t = grid(np.array([[0, 1, 2], [3, 4, 5]]))
    p = primary_cells(
        t, SuppressionRules(suppress_zeros=True, min_frequency=4, count_protection=2).resolved()
    )
    assert sorted(t.value[p.mask].tolist()) == [0, 1, 2, 3, 3, 3]  # r1 and c1 totals are 3
    assert p.reason[t.value == 0].tolist() == [ZERO]
    assert np.all(p.upper[p.mask] == 2)


def magnitude(amounts_by_cell: dict[str, list[float]], rules: SuppressionRules):
    h = build_hierarchy(ValuesSpec(type="values", values=tuple(amounts_by_cell), total="計"), "h")
    recs = [
        {"業種": k, "額": str(a), "事業所": f"{k}{i}"}
        for k, amts in amounts_by_cell.items()
        for i, a in enumerate(amts)
    ]
    f = pd.DataFrame(recs)
    r = rules.resolved()
    t = tabulate(
        f, (Dimension("業種", h),), where="t", sum_column="額", contributors=f["事業所"], top=r.top
    )
    return t, primary_cells(t, r)


@pytest.mark.parametrize(
    ("amounts", "rule", "expected"),
    [
        ([80, 10, 5, 5], {"dominance": {"n": 1, "k": 75}}, DOMINANCE),  # 80 % > 75 %
        ([70, 10, 10, 10], {"dominance": {"n": 1, "k": 75}}, 0),
        ([50, 40, 5, 5], {"dominance": {"n": 2, "k": 85}}, DOMINANCE),  # 90 % > 85 %
        ([50, 30, 10, 10], {"dominance": {"n": 2, "k": 85}}, 0),
        ([100, 50, 10, 2], {"p_rule": 15}, P_RULE),  # 12 < 15 % of 100
        ([100, 50, 10, 10], {"p_rule": 15}, 0),  # 20 ≥ 15
        ([100, 5], {}, FREQUENCY),  # two contributors
    ],
)
def test_magnitude_rules(amounts, rule, expected):
    t, p = magnitude(
        {"A": amounts, "B": [10, 10, 10, 10, 10]}, SuppressionRules(min_frequency=3, **rule)
    )
    assert p.reason[1] == expected  # cell A
    if expected:
        # protection: 15 % of the largest contribution, both ways
        assert p.upper[1] == pytest.approx(0.15 * max(amounts))
    assert p.reason[2] == 0  # B: five equal contributions


def test_manual_suppress_is_protected_like_a_primary():
    t = grid(np.array([[5, 6], [7, 8]]))
    manual = np.zeros(t.size, dtype=bool)
    manual[4] = True
    p = primary_cells(t, SuppressionRules().resolved(), manual)
    assert p.mask.tolist().count(True) == 1 and p.upper[4] == 3
