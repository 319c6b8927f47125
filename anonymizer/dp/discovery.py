"""Keys found in the data by τ-thresholding — only when a pipeline explicitly asks for it.

Each distinct (NFKC-normalized) value of a ``discover: true`` column gets its count plus
Laplace noise of scale b = k/ε (k = max rows per person: one person changes the counts by at
most k in L1) and is kept only if the noisy count exceeds

    τ = k + b · ln(k / (2δ)).

A value that exists only because of one person has count ≤ k, and that person touches at
most k values, so the chance that any such value is published is ≤ k · ½e^{−(τ−k)/b} = δ.
This is the standard construction (Korolova et al. 2009, "Releasing search queries and
clicks privately"; Wilson et al. 2020, "Differentially private SQL with bounded user
contribution", §3). The noisy counts are discarded; only the kept keys are used, as a
public key set for the measures that follow (which spend their own ε).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from anonymizer.dp import mechanisms as mech
from anonymizer.dp.budget import ApproxDP
from anonymizer.dp.keys import KeySet, match_form
from anonymizer.dp.measures import tally
from anonymizer.dp.rng import RandomState


def threshold(epsilon: float, delta: float, k: int) -> float:
    return k + (k / epsilon) * math.log(k / (2 * delta))


def discover_keys(
    values: pd.Series, column: str, budget: ApproxDP, k: int, rs: RandomState,
    weight: np.ndarray | None = None,
) -> tuple[KeySet, float]:
    """The column's published key set and the threshold τ that admitted it (``weight``: how
    many rows each value stands for, in a summary)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    normalized = [match_form(str(u)) for u in uniques]
    merged, names = pd.factorize(pd.Series(normalized, dtype="object"))
    present = codes >= 0
    counts = tally(merged[codes[present]], len(names), None if weight is None else weight[present])
    tau = threshold(budget.epsilon, budget.delta, k)
    noisy = mech.laplace(counts, budget.epsilon, k, rs)
    kept = sorted(str(names[i]) for i in np.flatnonzero(noisy > tau) if names[i] != "")
    return KeySet(column, tuple(kept), "discovered"), tau


__all__ = ["discover_keys", "threshold"]
