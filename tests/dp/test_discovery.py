"""τ-thresholding: a key held by one person passes with probability exactly δ/k per key.

The binomial tests reject at p < 1e-4 (two-sided), their false-failure rate.
"""

import math

import pandas as pd
import pytest
from scipy import stats

from anonymizer.dp.budget import ApproxDP
from anonymizer.dp.discovery import discover_keys, threshold
from anonymizer.dp.rng import DpRandom


def test_threshold_formula():
    assert threshold(1.0, 1e-6, 1) == pytest.approx(1 + math.log(1 / 2e-6))
    assert threshold(0.5, 1e-6, 3) == pytest.approx(3 + 6 * math.log(3 / 2e-6))


@pytest.mark.parametrize(("k", "delta"), [(1, 0.01), (3, 0.03)])
def test_rare_keys_pass_with_probability_delta_over_k(k, delta):
    n = 3000
    values = pd.Series([f"v{i}" for i in range(n) for _ in range(k)])  # k rows each: worst case
    found, _ = discover_keys(values, "c", ApproxDP(1.0, delta), k, DpRandom.secure().random_state)
    passed = len(found.keys)
    assert stats.binomtest(passed, n, delta / k).pvalue > 1e-4


def test_common_keys_are_found_and_normalized():
    values = pd.Series(["相談"] * 200 + ["ｿｳﾀﾞﾝ"] * 100 + ["ソウダン"] * 100 + ["一人"])
    rs = DpRandom.secure().random_state
    found, tau = discover_keys(values, "区分", ApproxDP(1.0, 1e-9), 1, rs)
    assert found.keys == ("ソウダン", "相談") and found.origin == "discovered"
    assert tau > 20
