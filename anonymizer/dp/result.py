"""Typed results of a DP release: the table, what was spent, and how accurate each measure is.

One :class:`DpResult` feeds the CSV, the JSON summary and (through the lead's pipeline) the
report. It contains only published quantities: noisy values, public keys, budgets, noise
scales and error bounds computed from public parameters or noisy values — never a true count.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from anonymizer.dp.budget import ApproxDP
from anonymizer.dp.ledger import PopulationStatus


@dataclass(frozen=True)
class MeasureReport:
    """How one measure was released: its budget share, mechanism, scale and accuracy."""

    name: str
    type: str
    column: str | None
    epsilon: float
    delta: float
    mechanism: str
    sensitivity: dict[str, float]
    #: Laplace-equivalent scale b = Δ/ε per noisy quantity (σ for Gaussian)
    noise_scale: dict[str, float | str]
    #: |error| ≤ this with ≥ 95% probability, the same for every cell (None: per cell or none)
    error_bound_95: float | None
    #: min / median / max of the per-cell 95% bounds (means, whose bound depends on the count)
    error_bound_95_cells: dict[str, float] | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class FlaggedCell:
    keys: dict[str, str]
    measure: str
    value: float | None
    error_bound_95: float


@dataclass(frozen=True)
class DpResult:
    table: pd.DataFrame
    release_id: int
    population: str
    dataset: str
    spent: ApproxDP
    status: PopulationStatus  # after this release
    measures: tuple[MeasureReport, ...]
    #: per-cell 95% bounds, same rows as ``table``, one column per bounded measure column
    cell_error_bounds: pd.DataFrame
    flagged: tuple[FlaggedCell, ...]
    key_sources: dict[str, dict[str, Any]]
    insecure_seed: int | None = None
    discovery: dict[str, Any] | None = None
    csv: bytes = field(default=b"", repr=False)

    @property
    def output_sha256(self) -> str:
        return hashlib.sha256(self.csv).hexdigest()

    def summary(self) -> dict[str, Any]:
        """The JSON summary: spent, remaining, per-measure scale and bound, flagged cells."""
        return {
            "release_id": self.release_id,
            "population": self.population,
            "dataset": self.dataset,
            "spent": {"epsilon": self.spent.epsilon, "delta": self.spent.delta},
            "ledger": self.status.to_dict(),
            "randomness": "secure (secrets.SystemRandom)"
            if self.insecure_seed is None
            else f"INSECURE: seeded with {self.insecure_seed} (not for publication)",
            "insecure_seed": self.insecure_seed,
            "cells": len(self.table),
            "key_sources": self.key_sources,
            "key_discovery": self.discovery,
            "measures": [m.to_dict() for m in self.measures],
            "flagged_cells": [
                {
                    "keys": f.keys,
                    "measure": f.measure,
                    "value": None if f.value is None or math.isnan(f.value) else f.value,
                    "error_bound_95": f.error_bound_95,
                }
                for f in self.flagged
            ],
            "output_sha256": self.output_sha256,
        }


def table_csv(table: pd.DataFrame) -> bytes:
    """The canonical bytes of a released table (UTF-8, LF); the ledger records their hash."""
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


__all__ = ["DpResult", "FlaggedCell", "MeasureReport", "table_csv"]
