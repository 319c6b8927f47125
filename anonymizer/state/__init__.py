"""The state directory: what must outlive ``out/`` and ``make clean``.

The only code that touches it: where it is (:mod:`~anonymizer.state.paths`), its integrity key
(:mod:`~anonymizer.state.key`), the MAC chain over ledger entries
(:mod:`~anonymizer.state.chain`), the registry of chain heads
(:mod:`~anonymizer.state.registry`), the privacy-budget ledger itself
(:mod:`~anonymizer.state.ledger`) and its re-seal (:mod:`~anonymizer.state.reseal`).
"""

from __future__ import annotations

from anonymizer.state.ledger import Ledger
from anonymizer.state.paths import StatePaths, default_state_dir, display, resolve_state_dir
from anonymizer.state.status import PendingSpend, PopulationStatus, ResealResult

__all__ = [
    "Ledger",
    "PendingSpend",
    "PopulationStatus",
    "ResealResult",
    "StatePaths",
    "default_state_dir",
    "display",
    "resolve_state_dir",
]
