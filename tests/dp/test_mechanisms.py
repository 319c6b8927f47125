"""Statistical tests of the noise we add, against the mechanisms' exact distributions.

Each goodness-of-fit test rejects when p < 1e-4, so under a correct mechanism each one fails
spuriously with probability 1e-4 (the p-value of a correct model is uniform; for the χ² test
asymptotically, with every expected bin count ≥ 5). Draws use the production secure RNG.
"""

import math
import secrets

import numpy as np
import pytest
from diffprivlib.mechanisms import Laplace
from diffprivlib.tools import mean as dpl_mean
from diffprivlib.utils import PrivacyLeakWarning
from scipy import stats

from anonymizer.dp import mechanisms as mech
from anonymizer.dp.rng import DpRandom

P_MIN = 1e-4
N = 20_000


def geometric_pmf(k: np.ndarray, epsilon: float, sensitivity: int) -> np.ndarray:
    a = math.exp(-epsilon / sensitivity)
    return (1 - a) / (1 + a) * a ** np.abs(k)


def chi2_against_geometric(draws: np.ndarray, epsilon: float, sensitivity: int) -> float:
    """χ² p-value with bins |k| ≤ K (each expecting ≥ 5) and both tails lumped."""
    k = 0
    while N * geometric_pmf(np.array([k + 1]), epsilon, sensitivity)[0] >= 5:
        k += 1
    support = np.arange(-k, k + 1)
    expected = N * geometric_pmf(support, epsilon, sensitivity)
    observed = np.array([(draws == s).sum() for s in support])
    tail_expected = N - expected.sum()
    tail_observed = N - observed.sum()
    return stats.chisquare(
        np.r_[observed, tail_observed], np.r_[expected, tail_expected]
    ).pvalue


@pytest.mark.parametrize(("epsilon", "sensitivity"), [(1.0, 1), (0.5, 3), (2.0, 1), (0.1, 1)])
def test_geometric_noise_matches_its_distribution(epsilon, sensitivity):
    rs = DpRandom.secure().random_state
    draws = mech.geometric(np.full(N, 100), epsilon, sensitivity, rs) - 100
    assert chi2_against_geometric(draws, epsilon, sensitivity) > P_MIN
    # and the reported std is the draws' std (5% is > 6 standard errors at N = 20,000)
    assert draws.std() == pytest.approx(mech.geometric_std(epsilon, sensitivity), rel=0.05)


@pytest.mark.parametrize(("epsilon", "sensitivity"), [(1.0, 1.0), (0.3, 50.0), (2.0, 110.0)])
def test_laplace_noise_matches_its_scale(epsilon, sensitivity):
    rs = DpRandom.secure().random_state
    draws = mech.laplace(np.zeros(N), epsilon, sensitivity, rs)
    scale = sensitivity / epsilon
    assert stats.kstest(draws, stats.laplace(scale=scale).cdf).pvalue > P_MIN


def test_gaussian_noise_matches_its_sigma():
    rs = DpRandom.secure().random_state
    draws, sigma = mech.gaussian(np.zeros(N), 0.5, 1e-6, 10.0, rs)
    assert stats.kstest(draws, stats.norm(scale=sigma).cdf).pvalue > P_MIN
    classic = 10.0 * math.sqrt(2 * math.log(1.25 / 1e-6)) / 0.5
    assert 0 < sigma < classic  # analytic calibration is tighter than the classic bound


@pytest.mark.parametrize(("epsilon", "sensitivity"), [(1.0, 1), (0.1, 1), (0.5, 3), (5.0, 1)])
@pytest.mark.parametrize("alpha", [0.05, 0.025])
def test_geometric_bound_is_the_smallest_exact_tail_bound(epsilon, sensitivity, alpha):
    t = mech.geometric_bound(epsilon, sensitivity, alpha)
    a = math.exp(-epsilon / sensitivity)

    def tail(u: int) -> float:  # P(|X| > u)
        return 2 * a ** (u + 1) / (1 + a)

    assert tail(t) <= alpha
    assert t == 0 or tail(t - 1) > alpha


def test_laplace_and_gaussian_bounds_are_quantiles():
    assert mech.laplace_bound(2.0) == pytest.approx(stats.laplace(scale=2.0).ppf(0.975))
    assert mech.gaussian_bound(3.0) == pytest.approx(stats.norm(scale=3.0).ppf(0.975))


def test_exponential_quantile_is_accurate_with_large_epsilon_and_stays_in_bounds():
    rs = DpRandom.secure().random_state
    values = np.arange(1001, dtype=float)
    med = mech.exponential_quantile(values, 0.5, 50.0, 1, (0.0, 1000.0), rs)
    assert abs(med - 500) < 20
    q9 = mech.exponential_quantile(values, 0.9, 50.0, 1, (0.0, 1000.0), rs)
    assert abs(q9 - 900) < 20
    for _ in range(50):
        out = mech.exponential_quantile(values * 10, 0.5, 0.1, 1, (0.0, 100.0), rs)
        assert 0.0 <= out <= 100.0  # clamped data, bounded output
    empty = mech.exponential_quantile(np.array([]), 0.5, 1.0, 1, (5.0, 6.0), rs)
    assert 5.0 <= empty <= 6.0


def test_privacy_leak_warning_is_an_error():
    with pytest.raises(PrivacyLeakWarning), mech.leaks_are_errors():
        dpl_mean(np.arange(10.0), epsilon=1.0)  # no bounds: diffprivlib would peek at the data


def test_production_noise_uses_the_os_csprng():
    rng = DpRandom.secure()
    assert rng.is_secure and rng.insecure_seed is None
    m = Laplace(epsilon=1.0, sensitivity=1.0, random_state=rng.random_state)
    assert isinstance(m._rng, secrets.SystemRandom)


def test_insecure_seed_is_reproducible_and_validated():
    a = mech.laplace(np.zeros(5), 1.0, 1.0, DpRandom.insecure(7).random_state)
    b = mech.laplace(np.zeros(5), 1.0, 1.0, DpRandom.insecure(7).random_state)
    assert np.array_equal(a, b)
    with pytest.raises(ValueError):
        DpRandom.insecure(-1)
