"""Dates: 2024-03-15 → 2024-03 → 2024 → 2020～2029年 → *, or 2024-03 → 2023年度 → *.

Values are NFKC-normalized and parsed with the declared ``formats`` (strptime codes, tried in
order); Japanese era dates (令和6年3月15日, R6.3.15) are parsed when the spec lists the eras
with the western year of their first year (元年). The era table is data, in the YAML. A decade
is a band (``rules/bands.yaml``): 2020～2029年.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field, field_validator

from anonymizer.kanon.builders.base import BuilderSpec, assemble, reject_unplaced
from anonymizer.kanon.hierarchy import Hierarchy, nfkc
from anonymizer.text.bands import BandRules, load_bands

Level = Literal["month", "quarter", "fiscal_year", "year", "decade"]
#: coarseness; 年度 (April–March) and the calendar year are alternatives at the same rank:
#: calendar quarters nest in fiscal years, but a fiscal year spans two calendar years (and
#: two decades when it starts in a year ending in 9), so neither year nor decade may follow it
_ORDER: dict[str, int] = {"month": 0, "quarter": 1, "fiscal_year": 2, "year": 2, "decade": 3}
#: 年度 starts in April
FISCAL_START = 4


#: the unit written after a decade's years (2020～2029年)
DECADE_UNIT = "年"


def _label(d: date, level: str, bands: BandRules) -> str:
    if level == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if level == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if level == "year":
        return f"{d.year:04d}"
    if level == "fiscal_year":
        return f"{d.year if d.month >= FISCAL_START else d.year - 1:04d}年度"
    start = d.year - d.year % 10
    return bands.fill_closed(f"{start:04d}", f"{start + 9:04d}", DECADE_UNIT)


class DatesSpec(BuilderSpec):
    type: Literal["dates"]
    formats: tuple[str, ...] = Field(default=("%Y-%m-%d",), min_length=1)
    levels: tuple[Level, ...] = Field(min_length=1)
    #: era name (or letter) → western year of its first year, e.g. {令和: 2019, R: 2019}
    eras: dict[str, int] = Field(default_factory=dict)
    top: str | None = "*"

    @field_validator("levels")
    @classmethod
    def _tree(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        """Each level must nest in the next, or the hierarchy is not a tree."""
        if "year" in v and "fiscal_year" in v:
            raise ValueError(
                "year and fiscal_year exclude each other: a 年度 (April–March) spans two "
                "calendar years, so neither nests in the other"
            )
        if any(_ORDER[b] <= _ORDER[a] for a, b in zip(v, v[1:], strict=False)):
            raise ValueError(
                "levels must go from finer to coarser (month, quarter, year or fiscal_year, decade)"
            )
        if "fiscal_year" in v and v[-1] != "fiscal_year":
            raise ValueError(
                f"{v[v.index('fiscal_year') + 1]} cannot follow fiscal_year: a 年度 spans two "
                "calendar years (and two decades when it starts in a year ending in 9)"
            )
        return v

    def parse(self, value: str) -> date | None:
        text = nfkc(value)
        for fmt in self.formats:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        if self.eras:
            names = "|".join(re.escape(e) for e in sorted(self.eras, key=len, reverse=True))
            m = re.fullmatch(
                rf"({names})\s*(元|\d{{1,2}})\s*(?:年|[./-])\s*(\d{{1,2}})\s*(?:月|[./-])"
                rf"\s*(\d{{1,2}})\s*日?",
                text,
            )
            if m:
                year = self.eras[m.group(1)] + (0 if m.group(2) == "元" else int(m.group(2)) - 1)
                try:
                    return date(year, int(m.group(3)), int(m.group(4)))
                except ValueError:
                    return None
        return None

    def build(self, name: str, column: str, values: Sequence[str], base_dir: Path) -> Hierarchy:
        vals = list(values)
        parsed = [self.parse(v) for v in vals]
        reject_unplaced(name, column, vals, np.array([p is None for p in parsed], dtype=bool))
        order = sorted(range(len(vals)), key=lambda i: (parsed[i], vals[i]))
        bands = load_bands()
        levels = [[_label(parsed[i], lvl, bands) for i in order] for lvl in self.levels]  # type: ignore[arg-type]
        return assemble(name, [vals[i] for i in order], levels, self.top)
