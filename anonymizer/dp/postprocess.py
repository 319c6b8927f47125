"""Post-processing of noisy outputs (free under DP) and flagging of unreliable cells.

- non-negative: counts and histograms, and sums whose public lower bound is ≥ 0, are clamped
  at 0 (the truth is in that set, so clamping never moves a value away from it);
- integers: counts are integers already; sums are rounded;
- consistency with a PUBLISHED total: the noisy counts are projected onto
  ``{x ≥ 0, Σx = total}`` (Euclidean projection onto the scaled simplex, Duchi et al. 2008,
  "Efficient projections onto the l1-ball", Fig. 1) and rounded by largest remainder so the
  integers still sum to the total. The total must be public (e.g. already published
  population); a private total would need its own budget.

Flags use the mechanism's 95% bound against the *published* value, so they reveal nothing new.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from anonymizer.dp.result import FlaggedCell


def project_to_simplex(v: np.ndarray, total: float) -> np.ndarray:
    """The closest point (L2) to ``v`` with non-negative entries summing to ``total``."""
    if len(v) == 0:
        return v.astype(np.float64)
    if total <= 0:
        return np.zeros(len(v))
    u = np.sort(v.astype(np.float64))[::-1]
    css = np.cumsum(u) - total
    ind = np.arange(1, len(u) + 1)
    rho = np.flatnonzero(u - css / ind > 0)[-1]
    theta = css[rho] / (rho + 1)
    return np.maximum(v - theta, 0.0)


def round_preserving_sum(x: np.ndarray, total: int) -> np.ndarray:
    """Integers summing to ``total``: floor, then +1 to the largest remainders."""
    floor = np.floor(x).astype(np.int64)
    short = int(total - floor.sum())
    if short > 0:
        order = np.argsort(-(x - floor), kind="stable")
        floor[order[:short]] += 1
    return floor


def consistent_counts(noisy: np.ndarray, total: int) -> np.ndarray:
    return round_preserving_sum(project_to_simplex(noisy, float(total)), total)


def flag_cells(
    keys: pd.DataFrame, table: pd.DataFrame, bounds: pd.DataFrame, share: float
) -> tuple[FlaggedCell, ...]:
    """Cells whose 95% bound exceeds ``share`` × |published value| (or that are empty)."""
    out: list[FlaggedCell] = []
    for col in bounds.columns:
        value = table[col].to_numpy(dtype=np.float64, na_value=np.nan)
        bound = bounds[col].to_numpy(dtype=np.float64)
        hit = np.isnan(value) | (bound > share * np.abs(value))
        for i in np.flatnonzero(hit):  # loops over flagged cells only
            out.append(
                FlaggedCell(
                    {c: str(keys.iat[i, j]) for j, c in enumerate(keys.columns)},
                    col,
                    float(value[i]),
                    float(bound[i]),
                )
            )
    return tuple(out)


__all__ = ["consistent_counts", "flag_cells", "project_to_simplex", "round_preserving_sum"]
