"""The privacy-budget ledger lives in the state directory: :mod:`anonymizer.state.ledger`.

Kept so ``from anonymizer.dp.ledger import Ledger`` goes on working; the ledger, its MAC chain
and its integrity key are the state package's (the only code that touches the state directory).
"""

from __future__ import annotations

from anonymizer.state.ledger import Ledger
from anonymizer.state.status import PendingSpend, PopulationStatus

__all__ = ["Ledger", "PendingSpend", "PopulationStatus"]
