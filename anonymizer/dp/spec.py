"""The validated shape of a ``dp_aggregate`` step: keys, measures, privacy unit, budget split.

Everything that decides the privacy guarantee is declared here and checked before any data is
read: where each group-by column's keys come from (a public key file under ``rules/keys/``,
values listed inline, or — only when chosen — τ-thresholding, which spends δ), the PUBLIC
clamping bounds of every numeric measure (never computed from the data), the privacy unit
(one row, or one person via an id column with at most N rows), and how ε (and δ) are split
over measures: each part gets ``ε · weight / Σ weights``. δ goes only to the parts that need
it (key discovery, Gaussian noise); declaring δ that nothing uses, or needing δ without
declaring it, is a configuration error rather than a silent default.

The population and ledger are run-level settings passed to :func:`run_dp_aggregate`.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from anonymizer.config import Frozen
from anonymizer.dp.budget import ApproxDP
from anonymizer.i18n import _

#: the ε a release may declare, and the least any one measure's share may be: the range in
#: which the noise libraries compute soundly. Below, the noise scale overflows (ε = 1e-320
#: makes it infinite; 1e-12 wraps a sum around to −2⁶³); above, exp(ε) overflows. What is
#: *sensible* is far narrower and is the population total's business (``anonymizer budget``)
EPSILON_RANGE = (1e-6, 1e6)
#: the least δ (when δ is used): smaller values underflow in the Gaussian calibration
DELTA_MIN = 1e-30


def _finite(v: float) -> float:
    if not math.isfinite(v):
        raise ValueError(_("must be finite"))
    return v


class GroupBy(Frozen):
    """One group-by column and the public source of its keys (exactly one)."""

    column: str = Field(min_length=1)
    #: a file name under rules/keys/ (one value per line), or an absolute path
    keys_file: str | None = None
    keys: tuple[str, ...] | None = None
    #: discover keys from the data by noisy τ-thresholding (spends ε and δ)
    discover: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> GroupBy:
        given = [self.keys_file is not None, self.keys is not None, self.discover]
        if sum(given) != 1:
            raise ValueError(
                _(
                    "give exactly one key source: keys_file, keys, or discover: true (keys are "
                    "never taken silently from the private data)"
                )
            )
        if self.keys is not None and not self.keys:
            raise ValueError(_("keys must not be empty"))
        return self


class _Measure(Frozen):
    #: output column name (defaults to e.g. ``count``, ``mean(年齢)``)
    name: str | None = Field(default=None, min_length=1)
    weight: float = Field(default=1.0, gt=0)

    _check_weight = field_validator("weight")(_finite)

    @property
    def needs_delta(self) -> bool:
        return False

    def output_name(self) -> str:
        return self.name or self.default_name()

    def default_name(self) -> str:
        raise NotImplementedError


class CountMeasure(_Measure):
    type: Literal["count"]

    def default_name(self) -> str:
        return "count"


class _Bounded(_Measure):
    column: str = Field(min_length=1)
    lower: float
    upper: float
    #: empty cells: ``error`` (fail closed) or ``drop`` (the row is left out of this measure)
    missing: Literal["error", "drop"] = "error"

    _check_bounds = field_validator("lower", "upper")(_finite)

    @model_validator(mode="after")
    def _ordered(self) -> _Bounded:
        if not self.lower < self.upper:
            raise ValueError(_("lower must be below upper (public clamping bounds)"))
        return self


class SumMeasure(_Bounded):
    type: Literal["sum"]
    mechanism: Literal["laplace", "gaussian"] = "laplace"

    @property
    def needs_delta(self) -> bool:
        return self.mechanism == "gaussian"

    def default_name(self) -> str:
        return f"sum({self.column})"


class MeanMeasure(_Bounded):
    """Noisy clamped sum over a noisy count (the release's ``count`` is reused when present)."""

    type: Literal["mean"]
    mechanism: Literal["laplace", "gaussian"] = "laplace"

    @property
    def needs_delta(self) -> bool:
        return self.mechanism == "gaussian"

    def default_name(self) -> str:
        return f"mean({self.column})"


class QuantileMeasure(_Bounded):
    type: Literal["quantile"]
    q: float = Field(ge=0.0, le=1.0)

    def default_name(self) -> str:
        return f"q{self.q:g}({self.column})"


class MedianMeasure(_Bounded):
    type: Literal["median"]

    @property
    def q(self) -> float:
        return 0.5

    def default_name(self) -> str:
        return f"median({self.column})"


class HistogramMeasure(_Measure):
    """Counts per public bin ``[e_i, e_{i+1})`` (last one closed); values clamped to the edges."""

    type: Literal["histogram"]
    column: str = Field(min_length=1)
    edges: tuple[float, ...] = Field(min_length=2)
    missing: Literal["error", "drop"] = "error"

    @field_validator("edges")
    @classmethod
    def _increasing(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        pairs = zip(v, v[1:], strict=False)
        if not all(math.isfinite(e) for e in v) or any(b <= a for a, b in pairs):
            raise ValueError(_("edges must be finite and strictly increasing"))
        return v

    def default_name(self) -> str:
        return self.column

    def bin_names(self) -> list[str]:
        base = self.output_name()
        e = self.edges
        return [
            f"{base}[{e[i]:g},{e[i + 1]:g}{']' if i == len(e) - 2 else ')'}"
            for i in range(len(e) - 1)
        ]


Measure = Annotated[
    CountMeasure | SumMeasure | MeanMeasure | QuantileMeasure | MedianMeasure | HistogramMeasure,
    Field(discriminator="type"),
]


class PrivacyUnit(Frozen):
    """One row (default), or one person: all rows sharing ``id_column``, at most N kept."""

    id_column: str | None = Field(default=None, min_length=1)
    max_rows_per_id: int | None = Field(default=None, ge=1, le=10_000)

    @model_validator(mode="after")
    def _both_or_neither(self) -> PrivacyUnit:
        if (self.id_column is None) != (self.max_rows_per_id is None):
            raise ValueError(_("id_column and max_rows_per_id go together"))
        return self

    @property
    def rows_per_unit(self) -> int:
        return self.max_rows_per_id or 1


class KeyDiscovery(Frozen):
    """τ-thresholding for ``discover: true`` columns: its share of ε and of δ."""

    weight: float = Field(default=1.0, gt=0)

    _check_weight = field_validator("weight")(_finite)


class PostProcessing(Frozen):
    non_negative: bool = True
    #: round counts and sums to integers
    integers: bool = True
    #: a PUBLISHED total the counts are made consistent with (non-negative integers summing to it)
    total: int | None = Field(default=None, ge=0)
    #: decimals kept for means, quantiles and non-integer sums
    decimals: int = Field(default=2, ge=0, le=12)


class DpAggregateSpec(Frozen):
    type: Literal["dp_aggregate"] = "dp_aggregate"
    epsilon: float = Field(gt=0)
    delta: float = Field(default=0.0, ge=0, lt=1)
    group_by: tuple[GroupBy, ...] = ()
    measures: tuple[Measure, ...]
    privacy_unit: PrivacyUnit = PrivacyUnit()
    key_discovery: KeyDiscovery | None = None
    post_processing: PostProcessing = PostProcessing()
    #: flag a cell when its 95% error bound exceeds this share of its value
    flag_error_share: float = Field(default=0.5, gt=0)
    max_cells: int = Field(default=1_000_000, ge=1)

    _check_eps = field_validator("epsilon")(_finite)

    @model_validator(mode="after")
    def _consistent(self) -> DpAggregateSpec:
        if not self.measures:  # here, not min_length: that repeats every item's error
            raise ValueError(_("measures must list at least one measure"))
        cols = [g.column for g in self.group_by]
        if len(set(cols)) != len(cols):
            raise ValueError(_("group_by lists a column twice"))
        names = cols + [n for m in self.measures for n in _output_names(m)]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(
                _("output column names clash: {dupes} (set name:)").format(dupes=', '.join(dupes))
            )
        discovering = any(g.discover for g in self.group_by)
        if discovering != (self.key_discovery is not None):
            raise ValueError(
                _("key_discovery is required exactly when a group_by has discover: true")
            )
        needs_delta = discovering or any(m.needs_delta for m in self.measures)
        if needs_delta and self.delta == 0:
            raise ValueError(_("delta must be > 0: key discovery and Gaussian noise spend δ"))
        if not needs_delta and self.delta > 0:
            raise ValueError(_("delta is declared but nothing spends it (pure ε-DP release)"))
        lo, hi = EPSILON_RANGE
        if not lo <= self.epsilon <= hi:
            raise ValueError(
                _(
                    "epsilon must be between {lo:g} and {hi:g} (outside, the noise libraries "
                    "overflow); nothing was spent"
                ).format(lo=lo, hi=hi)
            )
        if 0 < self.delta < DELTA_MIN:
            raise ValueError(
                _("delta must be 0 or at least {delta_min:g}; nothing was spent").format(
                    delta_min=DELTA_MIN
                )
            )
        for name, part in self.allocation().items():
            if part.epsilon < lo or (part.delta and part.delta < DELTA_MIN):
                raise ValueError(
                    _(
                        "the share of {name!r} (ε={epsilon:g}, δ={delta:g}) is below ε={lo:g} / "
                        "δ={delta_min:g}: raise epsilon or that measure's weight"
                    ).format(
                        name=name,
                        epsilon=part.epsilon,
                        delta=part.delta,
                        lo=lo,
                        delta_min=DELTA_MIN,
                    )
                )
        if self.post_processing.total is not None and not any(
            m.type == "count" for m in self.measures
        ):
            raise ValueError(_("post_processing.total needs a count measure"))
        if sum(m.type == "count" for m in self.measures) > 1:
            raise ValueError(_("at most one count measure"))
        return self

    @property
    def budget(self) -> ApproxDP:
        return ApproxDP(self.epsilon, self.delta)

    def allocation(self) -> dict[str, ApproxDP]:
        """``{part: (ε, δ)}`` for every measure (by output name) and ``_key_discovery``."""
        parts: list[tuple[str, float, bool]] = [
            (m.output_name(), m.weight, m.needs_delta) for m in self.measures
        ]
        if self.key_discovery is not None:
            parts.append(("_key_discovery", self.key_discovery.weight, True))
        eps = _split(self.epsilon, [w for _, w, _ in parts])
        d_parts = [w if nd else 0.0 for _, w, nd in parts]
        dlt = _split(self.delta, d_parts) if any(d_parts) else [0.0] * len(parts)
        return {name: ApproxDP(e, d) for (name, _, _), e, d in zip(parts, eps, dlt, strict=True)}


def _output_names(m: _Measure) -> list[str]:
    return m.bin_names() if isinstance(m, HistogramMeasure) else [m.output_name()]


def _split(total: float, weights: list[float]) -> list[float]:
    """Shares of ``total`` by weight whose running float sum never exceeds ``total``."""
    w = sum(weights)
    shares = [total * x / w for x in weights]
    last = max(i for i, x in enumerate(weights) if x > 0)
    while sum(shares) > total:  # sequential float sum, as diffprivlib's accountant adds them
        shares[last] = math.nextafter(shares[last], 0.0)
    return shares


__all__ = [
    "CountMeasure",
    "DpAggregateSpec",
    "GroupBy",
    "HistogramMeasure",
    "KeyDiscovery",
    "MeanMeasure",
    "Measure",
    "MedianMeasure",
    "PostProcessing",
    "PrivacyUnit",
    "QuantileMeasure",
    "SumMeasure",
]
