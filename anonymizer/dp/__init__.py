"""Differentially private aggregates with a persisted privacy-budget ledger.

Public API: :func:`run_dp_aggregate` (the engine behind the ``dp_aggregate`` step and the
``anonymizer dp`` command), :class:`DpAggregateSpec`, :class:`Ledger`, :class:`DpRandom`,
:class:`DpResult` and the budget types.

Names are imported lazily (PEP 562): diffprivlib pulls in scikit-learn (≈3 s), which the
ledger, the spec and every other CLI command do not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from anonymizer.dp.budget import ApproxDP, PureDP, RhoZCDP
    from anonymizer.dp.engine import run_dp_aggregate
    from anonymizer.dp.ledger import Ledger, PopulationStatus
    from anonymizer.dp.result import DpResult, FlaggedCell, MeasureReport
    from anonymizer.dp.rng import DpRandom
    from anonymizer.dp.spec import DpAggregateSpec

_WHERE = {
    "ApproxDP": "budget",
    "PureDP": "budget",
    "RhoZCDP": "budget",
    "run_dp_aggregate": "engine",
    "Ledger": "ledger",
    "PopulationStatus": "ledger",
    "DpResult": "result",
    "FlaggedCell": "result",
    "MeasureReport": "result",
    "DpRandom": "rng",
    "DpAggregateSpec": "spec",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)


__all__ = [
    "ApproxDP",
    "DpAggregateSpec",
    "DpRandom",
    "DpResult",
    "FlaggedCell",
    "Ledger",
    "MeasureReport",
    "PopulationStatus",
    "PureDP",
    "RhoZCDP",
    "run_dp_aggregate",
]
