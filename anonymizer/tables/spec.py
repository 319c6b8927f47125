"""What a protected table must satisfy, and how to get there: the rules and their defaults.

Defaults live in ``rules/tables/defaults.yaml`` (the office's house rules); a pipeline step or
the ``anonymizer cells`` options override any of them. Every field is validated before data is
read; a bad value names its YAML path or option.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from anonymizer.config import Frozen, load_yaml_model, validate_model
from anonymizer.i18n import _
from anonymizer.rules import rules_dir

Cost = Literal["cells", "value"]
Method = Literal["auto", "optimal", "modular"]


class Dominance(Frozen):
    """(n,k)-dominance: the n largest contributions exceed k % of the cell."""

    n: int = Field(ge=1, le=10)
    k: float = Field(gt=0, lt=100)


class Defaults(Frozen):
    """``rules/tables/defaults.yaml``."""

    version: Literal[1]
    min_frequency: int = Field(ge=1)
    suppress_zeros: bool
    count_protection: float | None = Field(default=None, ge=0)
    magnitude_protection: float = Field(ge=0, le=1)
    cost: Cost
    time_limit: float = Field(gt=0)
    mip_gap: float = Field(ge=0, lt=1)
    optimal_max_cells: int = Field(ge=1)
    mark: str = Field(min_length=1)


@lru_cache(maxsize=4)
def _defaults(directory: str) -> Defaults:
    return load_yaml_model(Path(directory) / "tables" / "defaults.yaml", Defaults)


def load_defaults() -> Defaults:
    return _defaults(str(rules_dir()))


class ManualStatus(Frozen):
    """A cell whose status a person set: ``publish`` (never suppressed; the gate still checks
    it) or ``suppress`` (protected like a primary cell)."""

    cell: dict[str, str] = Field(min_length=1)
    status: Literal["publish", "suppress"]
    reason: str = Field(min_length=5)


class SuppressionRules(Frozen):
    """Primary rules, protection levels and the secondary method; ``None`` → the default."""

    min_frequency: int | None = Field(default=None, ge=1)
    suppress_zeros: bool | None = None
    dominance: Dominance | None = None
    #: p %-rule: the cell minus its two largest contributions is less than p % of the largest
    p_rule: float | None = Field(default=None, gt=0, lt=100)
    count_protection: float | None = Field(default=None, ge=0)
    magnitude_protection: float | None = Field(default=None, ge=0, le=1)
    cost: Cost | None = None
    method: Method = "auto"
    time_limit: float | None = Field(default=None, gt=0)
    mip_gap: float | None = Field(default=None, ge=0, lt=1)
    optimal_max_cells: int | None = Field(default=None, ge=1)
    manual: tuple[ManualStatus, ...] = ()

    def resolved(self) -> Resolved:
        d = load_defaults()
        n = self.min_frequency if self.min_frequency is not None else d.min_frequency
        count_prot = (
            self.count_protection if self.count_protection is not None else d.count_protection
        )
        return Resolved(
            min_frequency=n,
            suppress_zeros=d.suppress_zeros if self.suppress_zeros is None else self.suppress_zeros,
            dominance=self.dominance,
            p_rule=self.p_rule,
            count_protection=float(n) if count_prot is None else count_prot,
            magnitude_protection=(
                self.magnitude_protection
                if self.magnitude_protection is not None
                else d.magnitude_protection
            ),
            cost=self.cost or d.cost,
            method=self.method,
            time_limit=self.time_limit or d.time_limit,
            mip_gap=d.mip_gap if self.mip_gap is None else self.mip_gap,
            optimal_max_cells=self.optimal_max_cells or d.optimal_max_cells,
        )


class Resolved(Frozen):
    """The rules in force (defaults filled in), as the report shows them."""

    min_frequency: int
    suppress_zeros: bool
    dominance: Dominance | None
    p_rule: float | None
    count_protection: float
    magnitude_protection: float
    cost: Cost
    method: Method
    time_limit: float
    mip_gap: float
    optimal_max_cells: int

    @property
    def top(self) -> int:
        """How many largest contributions per cell the rules need."""
        return max(2, self.dominance.n if self.dominance else 0)


class DimensionSpec(Frozen):
    column: str = Field(min_length=1)
    #: a name under rules/tables/hierarchies/, a path (relative to the pipeline) or inline
    hierarchy: str | dict[str, Any]
    #: the released header of this dimension (default: the column's name)
    label: str | None = Field(default=None, min_length=1)


class TableSpec(SuppressionRules):
    """Everything a table needs: its dimensions, what is counted, the rules and the output."""

    dimensions: tuple[DimensionSpec, ...] = Field(min_length=1)
    #: magnitude table: the column summed per cell (else rows/persons are counted)
    sum: str | None = None
    #: an already aggregated table: this column holds each cell's count
    value_column: str | None = None
    #: the released value column's name
    name: str = Field(default="人数", min_length=1)
    mark: str | None = Field(default=None, min_length=1)
    layout: Literal["wide", "long"] = "wide"
    #: wide layout: the dimension whose codes become columns (default: the last)
    across: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> TableSpec:
        names = [d.column for d in self.dimensions]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(_("dimensions: {twice} listed more than once").format(twice=twice))
        if self.sum is not None and self.value_column is not None:
            raise ValueError(
                _("give sum (microdata) or value_column (an aggregated table), not both")
            )
        if self.value_column is not None and (self.dominance or self.p_rule):
            raise ValueError(
                _("dominance and p_rule need each contribution: give microdata and sum")
            )
        if (self.dominance or self.p_rule) and self.sum is None:
            raise ValueError(_("dominance and p_rule apply to magnitude tables: give sum"))
        if self.across is not None and self.across not in names:
            raise ValueError(
                _("across: {across!r} is not one of the dimensions").format(across=self.across)
            )
        if self.layout == "wide" and len(names) < 2 and self.across is not None:
            raise ValueError(_("across needs at least two dimensions"))
        for i, m in enumerate(self.manual):
            if sorted(m.cell) != sorted(names):
                raise ValueError(
                    _("manual[{i}].cell: name each of {names} once").format(i=i, names=names)
                )
        return self

    def columns(self) -> list[str]:
        cols = [d.column for d in self.dimensions]
        return cols + [c for c in (self.sum, self.value_column) if c]


def table_spec(data: Any, where: str) -> TableSpec:
    return validate_model(data, TableSpec, where)


__all__ = [
    "Dominance",
    "ManualStatus",
    "Resolved",
    "SuppressionRules",
    "TableSpec",
    "load_defaults",
    "table_spec",
]
