"""The ledger's values: a population's status, a spend in progress, a re-seal's outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from anonymizer.dp.budget import ApproxDP
from anonymizer.state.chain import Replay


def fmt(budget: ApproxDP) -> str:
    return f"ε={budget.epsilon:g}, δ={budget.delta:g}"


def amount(eps: Decimal, delta: Decimal) -> dict[str, str]:
    return {"epsilon": str(eps), "delta": str(delta)}


@dataclass(frozen=True)
class PopulationStatus:
    """A population's total, what its releases spent, and what is left."""

    name: str
    total: ApproxDP
    spent: ApproxDP
    releases: int

    @property
    def remaining(self) -> ApproxDP:
        return self.total - self.spent

    def to_dict(self) -> dict[str, Any]:
        return {
            "population": self.name,
            "total": {"epsilon": self.total.epsilon, "delta": self.total.delta},
            "spent": {"epsilon": self.spent.epsilon, "delta": self.spent.delta},
            "remaining": {"epsilon": self.remaining.epsilon, "delta": self.remaining.delta},
            "releases": self.releases,
        }


@dataclass
class PendingSpend:
    """A spend being made: the caller fills ``outputs`` (hashes) before the block ends."""

    population: str
    budget: ApproxDP
    outputs: dict[str, str] = field(default_factory=dict)
    release_id: int = 0
    status: PopulationStatus | None = None
    head: str = ""


@dataclass(frozen=True)
class ResealResult:
    population: str
    problems: list[str]
    status: PopulationStatus
    entry: int


def status_of(rep: Replay) -> PopulationStatus:
    assert rep.total_epsilon is not None
    return PopulationStatus(
        rep.population,
        ApproxDP(float(rep.total_epsilon), float(min(rep.total_delta, Decimal(1)))),
        ApproxDP(float(rep.spent_epsilon), float(min(rep.spent_delta, Decimal(1)))),
        rep.releases,
    )


def record_of(rep: Replay) -> dict[str, Any]:
    return {
        "seq": rep.seq,
        "head": rep.head,
        "total": amount(rep.total_epsilon or Decimal(0), rep.total_delta),
        "spent": amount(rep.spent_epsilon, rep.spent_delta),
        "releases": rep.releases,
    }



__all__ = [
    "PendingSpend", "PopulationStatus", "ResealResult", "amount", "fmt", "record_of", "status_of",
]  # fmt: skip
