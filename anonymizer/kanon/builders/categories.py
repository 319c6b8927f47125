"""Grouped or ordered categories: 会社員 → 被用者 → 就業 → *, or 1,2,3,4,5 → 1～2,3～4,5 → *.

Each level either names its groups explicitly (``groups: {label: [members of the level
below]}``; every label of the level below must be in exactly one group) or groups consecutive
labels of the level below in their declared order (``size: 2``), for ordered categories such
as household size, labelled as the project's bands are (``rules/bands.yaml``: 1～2). The
domain is ``values`` (or, if omitted, the members of the first explicit level, in order). Data
values are matched on their NFKC form by default (全角/半角).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from anonymizer.config import Frozen
from anonymizer.i18n import _
from anonymizer.kanon.builders.base import BuilderSpec
from anonymizer.kanon.hierarchy import Hierarchy, from_rows
from anonymizer.text.bands import check_template, load_bands


class GroupLevel(Frozen):
    groups: dict[str, tuple[str, ...]] = Field(min_length=1)


class RunLevel(Frozen):
    size: int = Field(ge=2)
    #: own template (``{first}``/``{last}``) instead of the project's closed band (1～2)
    label: str | None = Field(default=None, min_length=1)

    @field_validator("label")
    @classmethod
    def _label(cls, v: str | None) -> str | None:
        return v if v is None else check_template(v, ("first", "last"))

    def run_label(self, first: str, last: str) -> str:
        if self.label is not None:
            return self.label.format(first=first, last=last, unit="")
        return load_bands().fill_closed(first, last)


class CategoriesSpec(BuilderSpec):
    type: Literal["categories"]
    values: tuple[str, ...] = ()
    levels: tuple[GroupLevel | RunLevel, ...] = ()
    top: str | None = "*"
    lookup: Literal["exact", "nfkc"] = "nfkc"

    @model_validator(mode="after")
    def _complete(self) -> CategoriesSpec:
        self.columns()
        return self

    def domain(self) -> list[str]:
        if self.values:
            return list(self.values)
        if self.levels and isinstance(self.levels[0], GroupLevel):
            return [m for members in self.levels[0].groups.values() for m in members]
        raise ValueError(_("values: required unless the first level lists its groups"))

    def columns(self) -> list[list[str]]:
        """Level columns (one entry per domain value); ValueError names the faulty level."""
        cols = [self.domain()]
        if len(set(cols[0])) != len(cols[0]):
            raise ValueError(_("values: a value is listed twice"))
        ends: dict[str, tuple[str, str]] = {}  # a run's label → its first and last value
        for i, level in enumerate(self.levels):
            below = list(dict.fromkeys(cols[-1]))
            if isinstance(level, GroupLevel):
                parent: dict[str, str] = {}
                for label, members in level.groups.items():
                    for m in members:
                        if m in parent:
                            raise ValueError(
                                _("levels[{i}]: a member is in two groups").format(i=i)
                            )
                        parent[m] = label
                unknown = len(set(parent) - set(below))
                missing = len(set(below) - set(parent))
                if unknown or missing:
                    raise ValueError(
                        _(
                            "levels[{i}]: {missing} label(s) of the level below are in no group, "
                            "{unknown} member(s) are not labels of the level below"
                        ).format(i=i, missing=missing, unknown=unknown)
                    )
            else:
                parent = {}
                for start in range(0, len(below), level.size):
                    run = below[start : start + level.size]
                    # a run of runs spans from its first value to its last: 1～4, not 1～2～3～4
                    first = ends.get(run[0], (run[0], run[0]))[0]
                    last = ends.get(run[-1], (run[-1], run[-1]))[1]
                    label = level.run_label(first, last)
                    if len(run) > 1:
                        ends[label] = (first, last)
                    parent.update({m: (run[0] if len(run) == 1 else label) for m in run})
            cols.append([parent[v] for v in cols[-1]])
        if self.top is not None:
            cols.append([self.top] * len(cols[0]))
        return cols

    def build(self, name: str, column: str, values: Sequence[str], base_dir: Path) -> Hierarchy:
        cols = self.columns()
        return from_rows(name, [list(r) for r in zip(*cols, strict=True)], self.lookup)
