"""What a method (optimal search or local recoding) decided, before the release is built."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anonymizer.i18n import _
from anonymizer.kanon.models import ClassModel, Hist
from anonymizer.kanon.spec import KAnonConfig


@dataclass(frozen=True)
class Release:
    """What a method decided: levels/star per tuple, suppressed tuples, metric value."""

    levels: np.ndarray  # (T, m)
    star: np.ndarray  # (T, m) cells published as the star
    suppressed: np.ndarray  # (T,) tuples whose records are suppressed
    value: float
    achieved: dict[str, float]
    method: str
    level_map: dict[str, int] | None = None
    lattice_size: int = 0
    checked: int = 0


def achieved(
    models: list[ClassModel], sizes: np.ndarray, hist: Hist, persons: np.ndarray | None = None
) -> dict[str, float]:
    """The parameters the kept classes actually reach (for the summary and the tests); models
    that count persons are given the distinct persons per class when known."""
    if not len(sizes):
        return {}
    out = {
        m.name: m.achieved(persons if m.per_person and persons is not None else sizes, hist)
        for m in models
    }
    out["average-risk"] = len(sizes) / float(sizes.sum())
    return out


def no_solution(config: KAnonConfig, max_supp: int) -> str:
    parts = [f"k={config.k}"]
    if config.l is not None:
        parts.append(f"{config.l_variant} l={config.l}")
    if config.t is not None:
        parts.append(f"{config.t_distance} t={config.t}")
    if config.max_risk is not None:
        parts.append(f"average risk <= {config.max_risk}")
    return _(
        "no transformation satisfies {requirements} with at most {max_supp} suppressed "
        "record(s); nothing was released"
    ).format(requirements=", ".join(parts), max_supp=max_supp)


