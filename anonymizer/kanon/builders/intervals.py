"""Numeric intervals: age 37 → 35～39歳 → 30～39歳 → 20～39歳 → * (ARX's interval builder,
simplified).

Intervals are anchored at ``lower``; each level's width must be a multiple of the previous one
so that every interval nests in exactly one interval of the next level (a tree). Values are
parsed after NFKC (全角 ３７ is 37). Values outside ``[lower, upper)`` go to the ``below`` /
``above`` labels (top-coding, e.g. ``100歳以上``) when those are declared, else they are errors.
Labels are the project's band labels (``rules/bands.yaml``) with the ``unit`` unless the spec
gives its own ``label`` template.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator, model_validator

from anonymizer.i18n import _
from anonymizer.kanon.builders.base import BuilderSpec, assemble, reject_unplaced
from anonymizer.kanon.hierarchy import Hierarchy, nfkc
from anonymizer.text.bands import (
    BandRules,
    check_template,
    load_bands,
    number,
    spreadsheet_safe,
)


class IntervalsSpec(BuilderSpec):
    type: Literal["intervals"]
    lower: float
    upper: float
    widths: tuple[float, ...] = Field(min_length=1)
    #: own template (``{lo}``/``{hi}``/``{unit}``) instead of the project's band labels
    #: (rules/bands.yaml: 35～39歳, or 10以上20未満 when not ``integer``); with ``integer: true``
    #: hi is inclusive (35～39), else exclusive
    label: str | None = Field(default=None, min_length=1)
    integer: bool = True
    #: the label of values below ``lower`` / from ``upper`` on; ``true``: the project's open
    #: band (19歳以下 or 10未満, 100歳以上)
    below: str | Literal[True] | None = None
    above: str | Literal[True] | None = None
    top: str | None = "*"
    #: a unit written after the number, read and dropped before parsing ("54歳" → 54), and
    #: written after the numbers of the labels (35～39歳)
    unit: str | None = Field(default=None, min_length=1)

    @field_validator("label")
    @classmethod
    def _label(cls, v: str | None) -> str | None:
        return v if v is None else check_template(v, ("lo", "hi"))

    @field_validator("below", "above")
    @classmethod
    def _open(cls, v: str | Literal[True] | None) -> str | Literal[True] | None:
        return (
            spreadsheet_safe(v, "an open band's label (true: the project's, 100歳以上)")
            if isinstance(v, str)
            else v
        )

    @field_validator("widths")
    @classmethod
    def _nested(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if any(w <= 0 for w in v):
            raise ValueError(_("widths must be positive"))
        for prev, w in zip(v, v[1:], strict=False):
            if w <= prev or not float(w / prev).is_integer():
                raise ValueError(_("each width must be a larger multiple of the previous one"))
        return v

    @model_validator(mode="after")
    def _range(self) -> IntervalsSpec:
        if self.upper <= self.lower:
            raise ValueError(_("upper must be greater than lower"))
        return self

    def labeller(self, bands: BandRules) -> Callable[[float, float], str]:
        """lo, hi (inclusive when ``integer``) → label."""
        unit = self.unit or ""
        if self.label is not None:
            label = self.label
            return lambda lo, hi: label.format(lo=number(lo), hi=number(hi), unit=unit)
        if self.integer:
            return lambda lo, hi: bands.fill_closed(lo, hi, unit)
        return lambda lo, hi: bands.fill_half_open(lo, hi, unit)

    def open_labels(self, bands: BandRules) -> tuple[str | None, str | None]:
        """The ``below`` and ``above`` labels, ``true`` filled from the band templates."""
        unit = self.unit or ""
        below, above = self.below, self.above
        if below is True:
            below = (
                bands.fill_at_most(self.lower - 1, unit)
                if self.integer and float(self.lower).is_integer()
                else bands.fill_less_than(self.lower, unit)
            )
        if above is True:
            above = bands.fill_at_least(self.upper, unit)
        return below, above

    def build(self, name: str, column: str, values: Sequence[str], base_dir: Path) -> Hierarchy:
        bands = load_bands()
        label = self.labeller(bands)
        below, above = self.open_labels(bands)
        vals = list(values)
        unit = nfkc(self.unit) if self.unit else None
        texts = [nfkc(v).strip() for v in vals]
        if unit:
            texts = [t[: -len(unit)].strip() if t.endswith(unit) else t for t in texts]
        x = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce")
        num = x.to_numpy(dtype=float)
        bad = np.isnan(num)
        if self.integer:
            bad |= ~np.isnan(num) & (np.floor(np.nan_to_num(num)) != np.nan_to_num(num))
        lo_out = num < self.lower
        hi_out = num >= self.upper
        if below is None:
            bad |= lo_out
        if above is None:
            bad |= hi_out
        reject_unplaced(name, column, vals, bad)
        order = np.lexsort([np.array(vals, dtype=object).astype(str), num])
        num, lo_out, hi_out = num[order], lo_out[order], hi_out[order]
        levels = []
        for w in self.widths:
            lo = self.lower + np.floor((num - self.lower) / w) * w
            hi = lo + w - 1 if self.integer else lo + w
            labels = np.array([label(a, b) for a, b in zip(lo, hi, strict=True)], dtype=object)
            labels[lo_out] = below
            labels[hi_out] = above
            levels.append(labels)
        return assemble(name, [vals[i] for i in order], levels, self.top)
