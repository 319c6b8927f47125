"""One output profile (``rules/profiles/<id>.yaml``) as a frozen, validated model.

A profile says what a standard file looks like, not how a pipeline computes it: each column
has a name (plus older headers it may carry, ``aliases``), a type the gate checks every cell
against, and where its values come from — ``from`` (the municipality's code or name, the
row's area code or name, the survey date, the note), ``cell`` (the count of one cell of a table
whose dimensions and codes the profile fixes: ``{age: 0～4歳, sex: 男}``) or ``count`` (distinct
households). A pipeline that cannot fill a column is refused before any data is read.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from anonymizer.config import Frozen, load_yaml_model
from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.rules import rules_dir
from anonymizer.tables.hierarchy import Hierarchy, load_hierarchy

ColumnType = Literal["lg_code", "code", "text", "date", "count"]
Source = Literal["municipality_code", "municipality_name", "row_code", "row_name", "as_of", "note"]


class ProfileColumn(Frozen):
    name: str = Field(min_length=1)
    #: other headers a file following the profile may carry for this column
    aliases: tuple[str, ...] = ()
    type: ColumnType
    #: False: a cell may be empty (地域コード of the municipality's total row, 備考)
    required: bool = True
    source: Source | None = Field(default=None, alias="from")
    cell: dict[str, str] | None = None
    count: Literal["households"] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> ProfileColumn:
        given = [x for x in (self.source, self.cell, self.count) if x is not None]
        if len(given) != 1:
            raise ValueError(_("give exactly one of from, cell or count"))
        if (self.cell is not None or self.count is not None) and self.type != "count":
            raise ValueError(_("a cell or count column has type count"))
        return self

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class Profile(Frozen):
    version: Literal[1]
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    #: the standard the profile follows, as a release's metadata names it
    standard: str = Field(min_length=1)
    #: what a row is: ``area`` — one per 地域 plus the municipality's total
    rows: Literal["area"]
    #: table dimensions the ``cell`` columns refer to: {name: hierarchy under rules/tables/hierarchies}
    dimensions: dict[str, str] = {}
    columns: tuple[ProfileColumn, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        names = [h for c in self.columns for h in c.headers]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(
                _("columns: header(s) {twice} used more than once").format(twice=twice)
            )
        for i, c in enumerate(self.columns):
            if c.cell is not None and sorted(c.cell) != sorted(self.dimensions):
                raise ValueError(
                    _("columns[{i}].cell: name each of {dimensions} once").format(
                        i=i, dimensions=sorted(self.dimensions)
                    )
                )
        return self

    def hierarchies(self, where: str) -> dict[str, Hierarchy]:
        return {
            dim: load_hierarchy(ref, f"{where}.dimensions.{dim}") for dim, ref in self.dimensions.items()
        }

    def sources(self) -> set[str]:
        return {c.source for c in self.columns if c.source is not None}

    def counts(self) -> set[str]:
        return {c.count for c in self.columns if c.count is not None}


def _directory() -> Path:
    return rules_dir() / "profiles"


def profile_names() -> list[str]:
    return sorted(p.stem for p in _directory().glob("*.yaml"))


@lru_cache(maxsize=8)
def _load(path: str) -> Profile:
    profile = load_yaml_model(Path(path), Profile)
    if profile.id != Path(path).stem:
        raise ConfigError(
            _("{path}: id: {id!r} differs from the file name").format(path=path, id=profile.id)
        )
    hierarchies = profile.hierarchies(path)
    for i, c in enumerate(profile.columns):
        for dim, code in (c.cell or {}).items():
            if code not in hierarchies[dim].codes:
                raise ConfigError(
                    _("{path}: columns[{i}].cell.{dim}: {code!r} is not a code of {value_}").format(
                        path=path, i=i, dim=dim, code=code, value_=profile.dimensions[dim]
                    )
                )
    return profile


def load_profile(name: str, where: str) -> Profile:
    """The profile ``rules/profiles/<name>.yaml``; an unknown name is a ConfigError naming
    ``where`` and the profiles there are."""
    path = _directory() / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(profile_names()) or "none"
        raise ConfigError(
            _("{where}: unknown output profile {name!r} (rules/profiles/: {known})").format(
                where=where, name=name, known=known
            )
        )
    return _load(str(path))


__all__ = ["ColumnType", "Profile", "ProfileColumn", "Source", "load_profile", "profile_names"]
