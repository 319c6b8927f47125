"""Primary (sensitive) cells and the protection each needs.

* minimum frequency n: 1 … n−1 contributors (persons, or rows) — zeros stay published unless
  ``suppress_zeros`` (a structural zero is not a person);
* (n,k)-dominance: the n largest contributions exceed k % of the cell (magnitude tables);
* p %-rule: the cell minus its two largest contributions is below p % of the largest, so the
  second largest contributor could estimate the largest within p % (magnitude tables).

Every cell is checked, totals included. Protection: a primary cell's feasible interval must
reach v + upper above and max(0, v − lower) below its value v — ``count_protection`` (default
n) for count tables, ``magnitude_protection`` × the largest contribution for magnitude tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anonymizer.tables.spec import Resolved
from anonymizer.tables.table import LinkedTable

#: reason codes, stored per cell (0: not primary)
REASONS = {1: "frequency", 2: "dominance", 3: "p_rule", 4: "zero", 5: "manual"}
FREQUENCY, DOMINANCE, P_RULE, ZERO, MANUAL = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Primary:
    reason: np.ndarray  # int8 per cell, 0 = not primary
    upper: np.ndarray  # required protection above v
    lower: np.ndarray  # required protection below v (never more than v)

    @property
    def mask(self) -> np.ndarray:
        return self.reason > 0

    def counts(self) -> dict[str, int]:
        return {name: int((self.reason == code).sum()) for code, name in REASONS.items()}


def sensitive(table: LinkedTable, rules: Resolved) -> np.ndarray:
    """The primary rule each cell breaks first (0: none), from the table alone."""
    v, f = table.value, table.freq
    reason = np.zeros(table.size, dtype=np.int8)
    positive = v > 0
    if table.magnitude and table.top is not None:
        x = table.top
        if rules.p_rule is not None:
            rest = v - x[:, 0] - x[:, 1]
            hit = positive & (rest < rules.p_rule / 100 * x[:, 0] - 1e-9 * np.maximum(v, 1))
            reason[hit] = P_RULE
        if rules.dominance is not None:
            n, k = rules.dominance.n, rules.dominance.k
            hit = positive & (x[:, :n].sum(axis=1) > k / 100 * v + 1e-9 * np.maximum(v, 1))
            reason[hit] = DOMINANCE
    reason[(f > 0) & (f < rules.min_frequency)] = FREQUENCY
    if rules.suppress_zeros:
        reason[(f == 0) & (v == 0)] = ZERO
    return reason


def protection(
    table: LinkedTable, reason: np.ndarray, rules: Resolved
) -> tuple[np.ndarray, np.ndarray]:
    """(upper, lower) protection levels of every cell (zero where not primary)."""
    if table.magnitude and table.top is not None:
        level = rules.magnitude_protection * table.top[:, 0]
        # a suppressed zero of a magnitude table has no contribution to scale by
        level = np.where(level > 0, level, rules.magnitude_protection * np.abs(table.value))
    else:
        level = np.full(table.size, rules.count_protection)
    upper = np.where(reason > 0, level, 0.0)
    lower = np.where(reason > 0, np.minimum(level, table.value), 0.0)
    return upper, lower


def primary_cells(
    table: LinkedTable, rules: Resolved, manual_suppress: np.ndarray | None = None
) -> Primary:
    reason = sensitive(table, rules)
    if manual_suppress is not None:
        reason[manual_suppress & (reason == 0)] = MANUAL
    upper, lower = protection(table, reason, rules)
    return Primary(reason, upper, lower)


__all__ = ["REASONS", "Primary", "primary_cells", "protection", "sensitive"]
