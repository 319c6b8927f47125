import numpy as np
import pandas as pd
import pytest

from anonymizer.dp.postprocess import (
    consistent_counts,
    flag_cells,
    project_to_simplex,
    round_preserving_sum,
)


@pytest.mark.parametrize(
    ("v", "total"),
    [
        ([3.0, -2.0, 10.0, 0.5], 12),
        ([-5.0, -1.0, -3.0], 4),  # all negative noise
        ([100.0, 1.0], 10),
        ([0.0, 0.0, 0.0], 0),
        ([7.0], 7),
    ],
)
def test_projection_lands_on_the_scaled_simplex(v, total):
    x = project_to_simplex(np.array(v), total)
    assert (x >= 0).all() and x.sum() == pytest.approx(total)
    # optimality (KKT): the shift θ is common to every positive coordinate
    pos = x > 0
    if pos.any():
        theta = (np.array(v) - x)[pos]
        assert np.allclose(theta, theta[0])


def test_projection_is_closest_among_random_feasible_points():
    rng = np.random.default_rng(0)
    v = rng.normal(10, 8, 30)
    x = project_to_simplex(v, 250)
    for _ in range(200):
        y = rng.dirichlet(np.ones(30)) * 250
        assert np.sum((v - x) ** 2) <= np.sum((v - y) ** 2) + 1e-9


@pytest.mark.parametrize("total", [0, 1, 57, 1000])
def test_consistent_counts_are_non_negative_integers_with_the_total(total):
    noisy = np.array([10, -3, 25, 0, 4, 18])
    out = consistent_counts(noisy, total)
    assert out.dtype.kind == "i" and (out >= 0).all() and out.sum() == total


def test_round_preserving_sum_uses_largest_remainders():
    assert round_preserving_sum(np.array([1.2, 2.7, 3.1]), 7).tolist() == [1, 3, 3]


def test_flags_compare_bound_with_published_value():
    keys = pd.DataFrame({"町": ["青柳", "石田", "泉"]})
    table = pd.DataFrame({"町": keys["町"], "count": [100, 4, 0], "mean": [40.0, np.nan, 3.0]})
    bounds = pd.DataFrame({"count": [6.0, 6.0, 6.0], "mean": [1.0, 110.0, 1.0]})
    flagged = {(f.keys["町"], f.measure) for f in flag_cells(keys, table, bounds, 0.5)}
    assert flagged == {("石田", "count"), ("泉", "count"), ("石田", "mean")}
