"""Privacy budgets as frozen values that validate themselves and refuse to mix kinds.

Modelled on Tumult Analytics' ``privacy_budget.py`` (PureDPBudget / ApproxDPBudget /
RhoZCDPBudget): ε ≥ 0 and finite, δ ∈ [0, 1], ρ ≥ 0 and finite. Adding two budgets of
different kinds is a ``TypeError`` — a pure-DP ledger silently absorbing a zCDP spend is
exactly the bug these types exist to prevent. Conversions are explicit methods.

Arithmetic is exact in decimal: the ledger sums many declared ε such as 0.1 and 0.2, and
binary floats would refuse a release that exactly fits (0.1 + 0.2 > 0.3 in floats).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from anonymizer.i18n import _


def _finite_non_negative(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(_("{name} must be a number").format(name=name))
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise ValueError(_("{name} must be finite and ≥ 0").format(name=name))
    return v


def exact(value: float) -> Decimal:
    """The decimal a user meant when they wrote ``value`` (``repr`` is the shortest round-trip)."""
    return Decimal(repr(float(value)))


@dataclass(frozen=True)
class PureDP:
    """ε-differential privacy (δ = 0)."""

    epsilon: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "epsilon", _finite_non_negative("epsilon", self.epsilon))

    def __add__(self, other: object) -> PureDP:
        if type(other) is not PureDP:
            return NotImplemented
        return PureDP(float(exact(self.epsilon) + exact(other.epsilon)))

    def as_approx(self) -> ApproxDP:
        return ApproxDP(self.epsilon, 0.0)


@dataclass(frozen=True)
class ApproxDP:
    """(ε, δ)-differential privacy; basic composition adds both parameters."""

    epsilon: float
    delta: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "epsilon", _finite_non_negative("epsilon", self.epsilon))
        d = _finite_non_negative("delta", self.delta)
        if d > 1:
            raise ValueError(_("delta must be in [0, 1]"))
        object.__setattr__(self, "delta", d)

    def __add__(self, other: object) -> ApproxDP:
        if type(other) is not ApproxDP:
            return NotImplemented
        return ApproxDP(
            float(exact(self.epsilon) + exact(other.epsilon)),
            float(min(exact(self.delta) + exact(other.delta), Decimal(1))),
        )

    def __sub__(self, other: object) -> ApproxDP:
        """What is left of ``self`` after ``other`` (never below zero)."""
        if type(other) is not ApproxDP:
            return NotImplemented
        eps = max(exact(self.epsilon) - exact(other.epsilon), Decimal(0))
        dlt = max(exact(self.delta) - exact(other.delta), Decimal(0))
        return ApproxDP(float(eps), float(dlt))

    def covers(self, spend: ApproxDP) -> bool:
        """True when ``spend`` fits inside this budget in both parameters (exact decimals)."""
        if type(spend) is not ApproxDP:
            raise TypeError(f"cannot compare ApproxDP with {type(spend).__name__}")
        return exact(spend.epsilon) <= exact(self.epsilon) and exact(spend.delta) <= exact(
            self.delta
        )

    @property
    def is_pure(self) -> bool:
        return self.delta == 0.0


@dataclass(frozen=True)
class RhoZCDP:
    """ρ-zero-concentrated DP (Bun & Steinke 2016); composes by adding ρ."""

    rho: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "rho", _finite_non_negative("rho", self.rho))

    def __add__(self, other: object) -> RhoZCDP:
        if type(other) is not RhoZCDP:
            return NotImplemented
        return RhoZCDP(float(exact(self.rho) + exact(other.rho)))

    def to_approx(self, delta: float) -> ApproxDP:
        """ρ-zCDP ⇒ (ρ + 2√(ρ·ln(1/δ)), δ)-DP (Bun & Steinke 2016, Proposition 1.3)."""
        if not 0 < delta < 1:
            raise ValueError(_("delta must be in (0, 1) to convert zCDP to (ε, δ)"))
        return ApproxDP(self.rho + 2 * math.sqrt(self.rho * math.log(1 / delta)), delta)


PrivacyBudget = PureDP | ApproxDP | RhoZCDP

__all__ = ["ApproxDP", "PrivacyBudget", "PureDP", "RhoZCDP", "exact"]
