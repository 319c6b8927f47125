"""Re-identification risk of a released table, as typed records the report can chart.

Definitions follow El Emam & Dankar, "Protecting privacy using k-anonymity" (JAMIA 2008) and
ARX's risk analysis, with |C| the size of a released equivalence class and |P(C)| the number of
records in the *input* (the population the attacker knows the target belongs to) that fall in
the same class:

* prosecutor (the attacker knows the target is in the release): highest 1/min|C|, average
  #classes / #records;
* journalist (the attacker only knows the target is in the population): highest 1/min|P(C)|;
* marketer (re-identify as many as possible): expected share of released records matched
  correctly, Σ_C |C|/|P(C)| / #records (the journalist risk averaged over records).

Suppression removes whole classes, so |P(C)| = |C| for generalized releases of the full input;
the fields differ when the release is a subset of the population (``population`` given).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from anonymizer.text.bands import load_bands

#: class-size buckets [lo, hi] (hi None = open) for the size distribution chart, labelled as
#: every band is (rules/bands.yaml): 1, 2, 3～4 … 100以上
BUCKETS: tuple[tuple[int, int | None], ...] = (
    (1, 1), (2, 2), (3, 4), (5, 9), (10, 19), (20, 49), (50, 99), (100, None),
)


@dataclass(frozen=True)
class SizeBucket:
    label: str
    classes: int
    records: int


@dataclass(frozen=True)
class RiskReport:
    records: int
    classes: int
    prosecutor_highest: float
    prosecutor_average: float
    journalist_highest: float
    marketer: float
    unique_records: int
    unique_share: float
    threshold: float
    records_at_risk: int
    share_at_risk: float
    distribution: tuple[SizeBucket, ...]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def risk_report(
    sizes: np.ndarray, threshold: float, population: np.ndarray | None = None
) -> RiskReport:
    """Risk of a release whose classes have ``sizes`` (population sizes per class optional)."""
    sizes = np.asarray(sizes, dtype=np.int64)
    keep = sizes > 0
    pop = sizes[keep] if population is None else np.asarray(population, dtype=np.int64)[keep]
    sizes = sizes[keep]
    n, c = int(sizes.sum()), len(sizes)
    buckets = []
    bands = load_bands()
    for lo, hi in BUCKETS:
        sel = (sizes >= lo) & (sizes <= (hi if hi is not None else np.iinfo(np.int64).max))
        if hi is None:
            label = bands.fill_at_least(lo)
        else:
            label = str(lo) if lo == hi else bands.fill_closed(lo, hi)
        buckets.append(SizeBucket(label, int(sel.sum()), int(sizes[sel].sum())))
    if n == 0:
        return RiskReport(0, 0, 0.0, 0.0, 0.0, 0.0, 0, 0.0, threshold, 0, 0.0, tuple(buckets))
    at_risk = int(sizes[1.0 / sizes > threshold].sum())
    unique = int(sizes[sizes == 1].sum())
    return RiskReport(
        records=n,
        classes=c,
        prosecutor_highest=float(1.0 / sizes.min()),
        prosecutor_average=c / n,
        journalist_highest=float(1.0 / pop.min()),
        marketer=float((sizes / pop).sum() / n),
        unique_records=unique,
        unique_share=unique / n,
        threshold=threshold,
        records_at_risk=at_risk,
        share_at_risk=at_risk / n,
        distribution=tuple(buckets),
    )
