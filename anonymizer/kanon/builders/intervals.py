"""Numeric intervals: age 37 → 35-39 → 30-39 → 20-39 → * (ARX's interval builder, simplified).

Intervals are anchored at ``lower``; each level's width must be a multiple of the previous one
so that every interval nests in exactly one interval of the next level (a tree). Values are
parsed after NFKC (全角 ３７ is 37). Values outside ``[lower, upper)`` go to the ``below`` /
``above`` labels (top-coding, e.g. ``90-``) when those are declared, else they are errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator, model_validator

from anonymizer.kanon.builders.base import BuilderSpec, assemble, reject_unplaced
from anonymizer.kanon.hierarchy import Hierarchy, nfkc


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


class IntervalsSpec(BuilderSpec):
    type: Literal["intervals"]
    lower: float
    upper: float
    widths: tuple[float, ...] = Field(min_length=1)
    #: ``{lo}``/``{hi}``; with ``integer: true`` hi is inclusive (35-39), else exclusive
    label: str = "{lo}-{hi}"
    integer: bool = True
    below: str | None = None
    above: str | None = None
    top: str | None = "*"
    #: a unit written after the number, read and dropped before parsing ("54歳" → 54)
    unit: str | None = Field(default=None, min_length=1)

    @field_validator("widths")
    @classmethod
    def _nested(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if any(w <= 0 for w in v):
            raise ValueError("widths must be positive")
        for prev, w in zip(v, v[1:], strict=False):
            if w <= prev or not float(w / prev).is_integer():
                raise ValueError("each width must be a larger multiple of the previous one")
        return v

    @model_validator(mode="after")
    def _range(self) -> IntervalsSpec:
        if self.upper <= self.lower:
            raise ValueError("upper must be greater than lower")
        return self

    def build(self, name: str, column: str, values: Sequence[str], base_dir: Path) -> Hierarchy:
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
        if self.below is None:
            bad |= lo_out
        if self.above is None:
            bad |= hi_out
        reject_unplaced(name, column, vals, bad)
        order = np.lexsort([np.array(vals, dtype=object).astype(str), num])
        num, lo_out, hi_out = num[order], lo_out[order], hi_out[order]
        levels = []
        for w in self.widths:
            lo = self.lower + np.floor((num - self.lower) / w) * w
            hi = lo + w - 1 if self.integer else lo + w
            labels = np.array(
                [self.label.format(lo=_fmt(a), hi=_fmt(b)) for a, b in zip(lo, hi, strict=True)],
                dtype=object,
            )
            labels[lo_out] = self.below
            labels[hi_out] = self.above
            levels.append(labels)
        return assemble(name, [vals[i] for i in order], levels, self.top)
