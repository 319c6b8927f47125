"""Differentially private aggregates with a persisted privacy-budget ledger.

Public API: :func:`run_dp_aggregate` (the engine behind the ``dp_aggregate`` step and the
``anonymizer dp`` command), :class:`DpAggregateSpec`, :class:`Ledger`, :class:`DpRandom`,
:class:`DpResult` and the budget types.
"""

from anonymizer.dp.budget import ApproxDP, PureDP, RhoZCDP
from anonymizer.dp.engine import run_dp_aggregate
from anonymizer.dp.ledger import Ledger, PopulationStatus
from anonymizer.dp.result import DpResult, FlaggedCell, MeasureReport
from anonymizer.dp.rng import DpRandom
from anonymizer.dp.spec import DpAggregateSpec

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
