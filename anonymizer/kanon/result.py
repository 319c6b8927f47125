"""``KAnonResult``: the released frame plus everything the summary and report need."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from anonymizer.kanon.risk import RiskReport


@dataclass(frozen=True)
class ClassStats:
    """Equivalence classes of the released, non-suppressed records (sizes in persons when the
    table has a person column, as k was judged; else in records)."""

    count: int
    min: int
    mean: float
    max: int

    @classmethod
    def of(cls, sizes: np.ndarray) -> ClassStats:
        sizes = sizes[sizes > 0]
        if not len(sizes):
            return cls(0, 0, 0.0, 0)
        return cls(len(sizes), int(sizes.min()), float(sizes.mean()), int(sizes.max()))


@dataclass(frozen=True, eq=False)
class KAnonResult:
    frame: pd.DataFrame
    method: str  # "optimal" (full-domain) or "mondrian" (local recoding)
    #: level chosen per QI (full-domain); None for local recoding
    levels: dict[str, int] | None
    suppressed: int
    classes: ClassStats
    metric: str
    metric_value: float
    #: privacy parameters actually achieved by the kept records (k, l, t, average_risk)
    achieved: dict[str, float]
    risk_before: RiskReport
    risk_after: RiskReport
    seconds: float
    lattice_size: int = 0
    checked: int = 0
    #: positions (0-based, input order) of the suppressed records
    suppressed_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: what the class sizes and k count: "persons" (a person column was given) or "records"
    counted_in: Literal["persons", "records"] = "records"

    def to_dict(self) -> dict[str, object]:
        """JSON-ready summary (no data values: levels, counts, metrics, risks)."""
        return {
            "method": self.method,
            "levels": self.levels,
            "records_in": self.risk_before.records,
            "records_out": len(self.frame),
            "suppressed": self.suppressed,
            "classes": asdict(self.classes),
            "counted_in": self.counted_in,
            "metric": self.metric,
            "metric_value": self.metric_value,
            "achieved": self.achieved,
            "risk_before": self.risk_before.to_dict(),
            "risk_after": self.risk_after.to_dict(),
            "seconds": round(self.seconds, 4),
            "lattice_size": self.lattice_size,
            "checked": self.checked,
        }
