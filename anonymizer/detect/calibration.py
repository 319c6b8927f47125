"""Calibrated scores (``rules/calibration.yaml``): a finding scored s is right about s of the time.

The recognizers score evidence on hand-set levels (a full name 0.85, NER alone 0.5 …): ordered
by how often a hit is right, not equal to it. The detector maps each finding through a curve
of its evidence class — mode, entity type and recognizer — from evidence to the fraction of
such hits that were right on held-apart, labelled texts of both kinds (human-written and
administrative). The curves are fitted by ``python -m benchmarks calibrate`` (isotonic
regression: never decreasing in the evidence) and are data, like every other rule.

Between two fitted evidence levels the probability is interpolated, above them clipped (as
scikit-learn's ``IsotonicRegression.predict``); evidence weaker than any fitted is trusted no
more than the fallback curve says (a bare number shaped like a phone number is not a phone
number however sure the phone numbers seen in context were). An evidence class without
labelled data (no curve: DATE, ORGANIZATION, 要配慮 …) takes the fallback curve, which maps the
evidence every recognizer calls a finding on its own (0.5) onto the default threshold: what
evidence 0.5 kept, the default keeps.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from anonymizer.config import Frozen
from anonymizer.entities import EntityName
from anonymizer.i18n import _
from anonymizer.rules import load_rules


class Point(Frozen):
    """Hits with this evidence were right ``probability`` of the time (``hits``: how many)."""

    evidence: float = Field(ge=0.0, le=1.0)
    probability: float = Field(ge=0.0, le=1.0)
    hits: int = Field(default=0, ge=0)


def _monotone(points: tuple[Point, ...]) -> tuple[Point, ...]:
    for a, b in zip(points, points[1:], strict=False):
        if b.evidence <= a.evidence:
            raise ValueError(_("evidence levels must increase"))
        if b.probability < a.probability:
            raise ValueError(
                _("a curve never decreases: {a} at {ea} but {b} at {eb}").format(
                    a=a.probability, ea=a.evidence, b=b.probability, eb=b.evidence
                )
            )
    return points


#: evidence → probability, never decreasing (more evidence is never less likely right)
Curve = Annotated[tuple[Point, ...], Field(min_length=1), AfterValidator(_monotone)]


class Calibration(Frozen):
    version: int = Field(ge=1, le=1)
    #: how the curves were fitted (command, data, weights): kept with them
    fitted: str
    #: the default ``--min-score`` (and the gate's): chosen by the fit, recall first
    default_min_score: float = Field(ge=0.0, le=1.0)
    #: a class without a curve: the recognizers' shared evidence scale mapped so that the
    #: default threshold keeps what evidence 0.5 kept
    fallback: Curve
    modes: dict[Literal["fast", "accurate"], dict[EntityName, dict[str, Curve]]]


def load_calibration(directory: Path | str | None = None) -> Calibration:
    return load_rules("calibration.yaml", Calibration, directory)


def default_min_score(directory: Path | str | None = None) -> float:
    """The default threshold, a probability (``rules/calibration.yaml``)."""
    return load_calibration(directory).default_min_score


class Calibrator:
    """``calibrator(entity, recognizer, evidence) -> probability`` for one mode."""

    def __init__(self, table: Calibration, mode: str) -> None:
        self.default_min_score = table.default_min_score
        self._fallback = _xy(table.fallback)
        curves: Mapping[str, Mapping[str, Curve]] = table.modes.get(mode, {})  # type: ignore[call-overload]
        self._curves = {
            (entity, recognizer): _xy(curve)
            for entity, by_recognizer in curves.items()
            for recognizer, curve in by_recognizer.items()
        }
        #: evidence comes in a few levels per class: each is mapped once
        self._memo: dict[tuple[str, str, float], float] = {}

    def knows(self, entity: str, recognizer: str) -> bool:
        return (entity, recognizer) in self._curves

    def __call__(self, entity: str, recognizer: str, evidence: float) -> float:
        key = (entity, recognizer, evidence)
        p = self._memo.get(key)
        if p is None:
            p = self._memo[key] = self._map(entity, recognizer, evidence)
        return p

    def _map(self, entity: str, recognizer: str, evidence: float) -> float:
        fb = self._fallback
        xs, ys = self._curves.get((entity, recognizer), fb)
        p = _interpolate(xs, ys, evidence)
        if evidence < xs[0]:  # weaker than any fitted: no more than the fallback says
            p = min(p, _interpolate(*fb, evidence))
        return round(p, 4)


def _xy(curve: tuple[Point, ...]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    return tuple(p.evidence for p in curve), tuple(p.probability for p in curve)


def _interpolate(xs: tuple[float, ...], ys: tuple[float, ...], x: float) -> float:
    """Linear between levels, clipped outside them (``numpy.interp``, without numpy)."""
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    i = bisect_right(xs, x)
    x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
