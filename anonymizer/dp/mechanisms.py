"""Glue over diffprivlib's mechanisms: noise per cell, and each mechanism's 95% error bound.

The mechanisms are diffprivlib's (``diffprivlib.mechanisms``): ``Geometric`` for counts
(two-sided geometric, Ghosh–Roughgarden–Sundararajan), ``Laplace`` for sums (sampled from four
uniforms to resist floating-point attacks, Holohan & Braghin 2021), ``GaussianAnalytic`` for
the optional Gaussian (Balle & Wang 2018) and ``Exponential`` for quantiles (Smith 2011, the
construction of ``diffprivlib.tools.quantile``). They are scalar, so we loop over *cells*,
never rows. ``diffprivlib.tools.quantile`` itself is not used because it calls
``check_random_state(random_state)`` without ``secure=True`` and so rejects ``SystemRandom``;
we rebuild its dozen lines around ``Exponential``, which does accept it.

diffprivlib's :class:`PrivacyLeakWarning` (bounds computed from the data, …) is turned into an
error by :func:`leaks_are_errors`. Error bounds are two-sided tail bounds of the noise itself:
geometric ``P(|X| > t) = 2α^{t+1}/(1+α)`` with ``α = e^{-ε/Δ}``, Laplace ``b·ln(1/a)``,
Gaussian ``σ·z_{1-a/2}``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from diffprivlib.mechanisms import Exponential, GaussianAnalytic, Geometric, Laplace
from diffprivlib.utils import PrivacyLeakWarning
from scipy.stats import norm

from anonymizer.dp.rng import RandomState


@contextmanager
def leaks_are_errors() -> Iterator[None]:
    """Any diffprivlib PrivacyLeakWarning inside the block raises instead of warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", PrivacyLeakWarning)
        yield


def geometric(values: np.ndarray, epsilon: float, sensitivity: int, rs: RandomState) -> np.ndarray:
    """Integer counts + two-sided geometric noise, one draw per cell."""
    mech = Geometric(epsilon=epsilon, sensitivity=int(sensitivity), random_state=rs)
    return np.fromiter(
        (mech.randomise(int(v)) for v in values), dtype=np.int64, count=len(values)
    )


def laplace(values: np.ndarray, epsilon: float, sensitivity: float, rs: RandomState) -> np.ndarray:
    mech = Laplace(epsilon=epsilon, sensitivity=float(sensitivity), random_state=rs)
    return np.fromiter(
        (mech.randomise(float(v)) for v in values), dtype=np.float64, count=len(values)
    )


def gaussian(
    values: np.ndarray, epsilon: float, delta: float, sensitivity: float, rs: RandomState
) -> tuple[np.ndarray, float]:
    """Analytic-Gaussian noise; returns the noisy values and σ."""
    mech = GaussianAnalytic(
        epsilon=epsilon, delta=delta, sensitivity=float(sensitivity), random_state=rs
    )
    noisy = np.fromiter(
        (mech.randomise(float(v)) for v in values), dtype=np.float64, count=len(values)
    )
    return noisy, float(mech._scale)  # the calibrated σ (diffprivlib exposes no accessor)


def exponential_quantile(
    values: np.ndarray,
    q: float,
    epsilon: float,
    sensitivity: int,
    bounds: tuple[float, float],
    rs: RandomState,
) -> float:
    """ε-DP quantile of one cell's values (clamped to public ``bounds``), as in Smith 2011.

    The utility of the interval between the i-th and (i+1)-th sorted values is
    ``-|i - q·n|``; one person changes it by at most ``sensitivity`` (their row count).
    """
    lo, hi = bounds
    arr = np.sort(np.concatenate([np.clip(values, lo, hi), [lo, hi]]))
    n = len(values)
    utility = list(-np.abs(np.arange(n + 1) - q * n))
    mech = Exponential(
        epsilon=epsilon,
        sensitivity=float(sensitivity),
        utility=utility,
        measure=list(np.diff(arr)),
        random_state=rs,
    )
    idx = int(mech.randomise())
    return float(arr[idx] + rs.random() * (arr[idx + 1] - arr[idx]))


def geometric_bound(epsilon: float, sensitivity: int, alpha: float = 0.05) -> int:
    """Smallest t with P(|noise| > t) ≤ alpha for the two-sided geometric mechanism."""
    a = math.exp(-epsilon / sensitivity)
    # 2·a^(t+1)/(1+a) ≤ alpha  ⇔  t ≥ ln(alpha·(1+a)/2)/ln(a) − 1
    t = math.ceil(math.log(alpha * (1 + a) / 2) / (-epsilon / sensitivity) - 1 - 1e-12)
    return max(t, 0)


def geometric_std(epsilon: float, sensitivity: int) -> float:
    """Standard deviation of the two-sided geometric noise: √(2α)/(1−α)."""
    a = math.exp(-epsilon / sensitivity)
    return math.sqrt(2 * a) / (1 - a)


def laplace_bound(scale: float, alpha: float = 0.05) -> float:
    return scale * math.log(1 / alpha)


def gaussian_bound(sigma: float, alpha: float = 0.05) -> float:
    return sigma * float(norm.ppf(1 - alpha / 2))


__all__ = [
    "exponential_quantile",
    "gaussian",
    "gaussian_bound",
    "geometric",
    "geometric_bound",
    "geometric_std",
    "laplace",
    "laplace_bound",
    "leaks_are_errors",
]
