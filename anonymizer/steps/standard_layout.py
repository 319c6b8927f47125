"""``standard_layout``: a statistical table in a national standard layout (an output profile,
``rules/profiles/<id>.yaml``), counted from the rows and protected by cell suppression.

The profile fixes the columns, their order and types, and which cell of the table each count
column is (``0-4歳の男性`` = age 0～4歳 × sex 男). The pipeline says which of its columns are
the profile's dimensions, which column is the area (its public code list: a CSV of
``地域コード,地域名`` under ``rules/keys/`` or beside the pipeline), the household column for
``世帯数``, the survey date and the note. One row per area plus the municipality's total (first,
as printed tables put the total before its parts).

Protection: the persons table (area × the profile's dimensions, every total included) and the
households table (area and total) are each protected like the ``cell_suppression`` step —
primary cells below the minimum frequency, secondary cells so that no suppressed cell can be
narrowed from the published ones — and audited by the same gate checks
(``cell_suppression_primary`` / ``_audit``; ``…:世帯数`` for households). With a person
column, persons are counted as distinct persons.

A profile column the pipeline cannot fill (a dimension not mapped, no household column for
``世帯数``, no survey date) is refused before any data is read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.errors import ConfigError, InputError
from anonymizer.i18n import _
from anonymizer.pipeline.municipalities import name_of
from anonymizer.profiles.spec import Profile, load_profile
from anonymizer.rules import rules_dir
from anonymizer.steps._groups import disagreeing, group_ids, rows_text
from anonymizer.steps.base import GateCheck, PublicCells, Step, StepContext, StepResult, register
from anonymizer.steps.cell_suppression import suppression_checks
from anonymizer.tables.engine import Protected, protect, summary
from anonymizer.tables.hierarchy import Hierarchy, load_hierarchy
from anonymizer.tables.output import LEGEND
from anonymizer.tables.spec import SuppressionRules, load_defaults
from anonymizer.tables.table import Dimension, LinkedTable, tabulate

#: profile columns whose values come from public lists, not from the rows
_PUBLIC = {
    "municipality_code": "全国地方公共団体コード (metadata)",
    "municipality_name": "rules/municipalities.txt",
    "row_code": "the area code list (area.codes)",
    "row_name": "the area code list (area.codes)",
    "as_of": "the pipeline's survey date",
}


class AreaSpec(Frozen):
    column: str = Field(min_length=1)
    #: CSV ``地域コード,地域名`` (public): a name under rules/keys/ or a path beside the pipeline
    codes: str = Field(min_length=1)


class StandardLayoutParams(SuppressionRules):
    profile: str = Field(min_length=1)
    area: AreaSpec
    #: the profile's dimensions → this pipeline's columns ({age: 年齢, sex: 性別})
    dimensions: dict[str, str] = {}
    #: the household column (世帯番号) when the profile counts households
    households: str | None = Field(default=None, min_length=1)
    #: 調査年月日
    as_of: dt.date | None = None
    note: str = ""
    mark: str | None = Field(default=None, min_length=1)


def _area_file(name: str, base: Path, where: str) -> Path:
    local = base / name
    path = local if local.is_file() else rules_dir() / "keys" / name
    if not path.is_file():
        raise ConfigError(
            _(
                "{where}.area.codes: {name!r} not found (beside the pipeline or under rules/keys/)"
            ).format(where=where, name=name)
        )
    return path


def read_areas(path: Path, where: str) -> pd.DataFrame:
    """``地域コード,地域名`` rows: unique codes and names, none empty."""
    try:
        areas = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, UnicodeDecodeError) as e:
        raise ConfigError(
            _("{where}.area.codes: {path}: cannot be read ({error_type})").format(
                where=where, path=path, error_type=type(e).__name__
            )
        ) from None
    if list(areas.columns) != ["地域コード", "地域名"]:
        raise ConfigError(
            _("{where}.area.codes: {path}: the header must be 地域コード,地域名").format(
                where=where, path=path
            )
        )
    areas = areas.apply(lambda s: s.str.strip())
    for col in areas.columns:
        if (areas[col] == "").any() or areas[col].duplicated().any():
            raise ConfigError(
                _("{where}.area.codes: {path}: {column} is empty or repeated").format(
                    where=where, path=path, column=col
                )
            )
    if areas.empty:
        raise ConfigError(_("{where}.area.codes: {path}: no areas").format(where=where, path=path))
    return areas


@dataclass(frozen=True)
class Layout:
    """What a run of the step lays its table out by."""

    #: the municipality's code (metadata.municipality_code)
    code: str
    #: the codes file's 地域コード and 地域名
    areas: pd.DataFrame
    area: Dimension
    hier: dict[str, Hierarchy]
    #: the area, then the profile's dimensions
    dims: tuple[Dimension, ...]


@register("standard_layout")
class StandardLayout(Step):
    Params = StandardLayoutParams

    def __init__(self, params: StandardLayoutParams, where: str) -> None:
        super().__init__(params, where)
        self.profile: Profile = load_profile(params.profile, f"{where}.profile")
        self._fillable()

    def _fillable(self) -> None:
        """Every profile column can be filled from what the pipeline gives."""
        p, w = self.params, self.where
        missing = sorted(set(self.profile.dimensions) - set(p.dimensions))
        extra = sorted(set(p.dimensions) - set(self.profile.dimensions))
        if missing or extra:
            raise ConfigError(
                f"{w}.dimensions: map each of the profile's dimensions {sorted(self.profile.dimensions)} "
                f"to a column" + (f" (missing {missing})" if missing else "") + (f" (unknown {extra})" if extra else "")
            )
        if "households" in self.profile.counts() and p.households is None:
            col = next(c.name for c in self.profile.columns if c.count == "households")
            raise ConfigError(
                _(
                    "{w}.households: the profile's column {column!r} counts households: name the "
                    "household column"
                ).format(w=w, column=col)
            )
        if "as_of" in self.profile.sources() and p.as_of is None:
            col = next(c.name for c in self.profile.columns if c.source == "as_of")
            raise ConfigError(
                _(
                    "{w}.as_of: the profile's column {column!r} needs the survey date (YYYY-MM-DD)"
                ).format(w=w, column=col)
            )
        cols = [p.area.column, *p.dimensions.values(), *([p.households] if p.households else [])]
        twice = sorted({c for c in cols if cols.count(c) > 1})
        if twice:
            raise ConfigError(
                _("{w}: column(s) {twice} used for more than one role").format(w=w, twice=twice)
            )

    def preflight(self, pipeline_path: Path) -> None:
        read_areas(_area_file(self.params.area.codes, pipeline_path.parent, self.where), self.where)
        self.profile.hierarchies(self.where)
        self.params.resolved()

    def check_columns(self, columns: list[str]) -> None:
        p = self.params
        need = [p.area.column, *p.dimensions.values(), *([p.households] if p.households else [])]
        missing = [c for c in need if c not in columns]
        if missing:
            raise ConfigError(
                _("{where}: column(s) {map} not in the table at this step").format(
                    where=self.where, map=', '.join(map(repr, missing))
                )
            )

    # -- run -------------------------------------------------------------------------------

    def _area_hierarchy(self, areas: pd.DataFrame, total: str) -> Hierarchy:
        return load_hierarchy(
            {"type": "values", "values": areas["地域名"].tolist(), "total": total}, f"{self.where}.area"
        )

    def _official(self, table, area: Dimension, hier: dict[str, Hierarchy]) -> np.ndarray:  # type: ignore[no-untyped-def]
        """The municipality's own totals (総人口, 男性, 女性: columns at most one dimension
        below its total) stay published: the city publishes them every month anyway, and a
        suppressed city total would tell users nothing they cannot look up. Suppression is
        chosen around them; the audit still checks every suppressed cell against them."""
        keep = np.zeros(table.size, dtype=bool)
        p = self.params
        for col in self.profile.columns:
            if col.cell is None:
                continue
            below = sum(code != hier[d].codes[0] for d, code in col.cell.items())
            if below <= 1:
                coords = {area.column: area.hierarchy.codes[0], **{p.dimensions[d]: c for d, c in col.cell.items()}}
                keep[table.cell_of(coords, self.where)] = True
        return keep

    def _one_row_per_person(
        self, frame: pd.DataFrame, persons: pd.Series, columns: list[str]
    ) -> tuple[pd.DataFrame, pd.Series]:
        """A person is counted once: repeated rows of one person are one, and rows of one
        person that disagree (two 町丁, two ages) stop the run — a table counts each person in
        one cell, and its totals must add up."""
        ids = persons.astype("string")
        seen = ids.duplicated(keep=False).to_numpy(dtype=bool)
        if seen.any():
            groups = disagreeing(frame.loc[seen, columns].astype("string").fillna(""), ids[seen])
            if len(groups):
                rows = rows_text(frame.index, ids.isin(groups).to_numpy(dtype=bool))
                raise self.persons_disagree(len(groups), columns, rows)
        first = ~ids.duplicated().to_numpy(dtype=bool)
        return frame.loc[first], persons.loc[first]

    def persons_disagree(self, n_groups: int, columns: list[str], rows: str) -> InputError:
        """``n_groups`` persons have rows that disagree on ``columns``."""
        return InputError(
            _(
                "{where}: {n_groups} person(s) have rows that disagree on {map} (rows "
                "{rows}); each person is counted in one cell"
            ).format(
                where=self.where, n_groups=n_groups, map=", ".join(map(repr, columns)), rows=rows
            )
        )

    def _households(self, frame: pd.DataFrame, area: Dimension) -> pd.DataFrame:
        """One row per household (its first), refusing a household spread over areas."""
        p = self.params
        assert p.households is not None
        ids = group_ids(frame, p.households, f"{self.where}.households")
        groups = disagreeing(frame[[area.column]].astype("string"), ids)
        if len(groups):
            rows = rows_text(frame.index, ids.isin(groups).to_numpy(dtype=bool))
            raise self.households_disagree(len(groups), area, rows)
        first = ~ids.duplicated().to_numpy(dtype=bool)
        return frame.loc[first, [area.column, p.households]]

    def households_disagree(self, n_groups: int, area: Dimension, rows: str) -> InputError:
        """``n_groups`` households have rows in more than one area."""
        return InputError(
            _(
                "{where}.households: {n_groups} household(s) live in more than one {column} "
                "({rows}); a household is counted in one area"
            ).format(where=self.where, n_groups=n_groups, column=area.column, rows=rows)
        )

    def layout(self, ctx: StepContext) -> Layout:
        """The areas (the codes file), their dimension and the table's dimensions."""
        p, where = self.params, self.where
        code = str(ctx.extras.get("municipality_code") or "")
        municipality = name_of(code) if code else None
        if municipality is None:
            raise ConfigError(
                _("{where}: metadata.municipality_code is not a listed municipality").format(
                    where=where
                )
            )
        areas = read_areas(_area_file(p.area.codes, ctx.pipeline_path.parent, where), where)
        area = Dimension(p.area.column, self._area_hierarchy(areas, municipality))
        hier = self.profile.hierarchies(f"{where}.profile")
        dims = (area, *(Dimension(p.dimensions[d], hier[d]) for d in self.profile.dimensions))
        return Layout(code, areas, area, hier, dims)

    def run(self, frame: pd.DataFrame, ctx: StepContext) -> StepResult:
        p, where = self.params, self.where
        lay = self.layout(ctx)
        persons = ctx.persons.loc[frame.index] if ctx.persons is not None else None
        if persons is not None:
            columns = [d.column for d in lay.dims]
            frame, persons = self._one_row_per_person(frame, persons, columns)
        table = tabulate(frame, lay.dims, where=where, contributors=persons, name="人口")
        htable = None
        if "households" in self.profile.counts():
            assert p.households is not None
            homes = self._households(frame, lay.area)
            htable = tabulate(
                homes, (lay.area,), where=f"{where}.households",
                contributors=homes[p.households].astype("string"), name="世帯数",
            )  # fmt: skip
        return self.tabulated(lay, table, htable, ctx, by_persons=persons is not None)

    def tabulated(
        self,
        lay: Layout,
        table: LinkedTable,
        htable: LinkedTable | None,
        ctx: StepContext,
        *,
        by_persons: bool,
    ) -> StepResult:
        """The step's result from its persons table and (when the profile counts them) its
        households table, tabulated here (:meth:`run`) or where the rows are (the Spark
        engine: :mod:`anonymizer.engine.spark.tables`)."""
        p = self.params
        area, hier, where = lay.area, lay.hier, self.where
        rules = p.resolved()
        people = protect(table, rules, self._official(table, area, hier), progress=ctx.progress)
        protected: dict[str, Protected] = {"persons": people}
        if htable is not None:
            total = np.zeros(htable.size, dtype=bool)
            total[htable.cell_of({area.column: area.hierarchy.codes[0]}, where)] = True
            protected["households"] = protect(htable, rules, total, progress=ctx.progress)
        mark = p.mark or load_defaults().mark
        out = self._render(protected, area, lay.areas, lay.code, mark)
        checks: list[GateCheck] = []
        sections: dict[str, Any] = {}
        for key, prot in protected.items():
            section = summary(prot)
            sections[key] = section
            suffix = "" if key == "persons" else ":世帯数"
            checks.extend(suppression_checks(section, p, suffix))
        report = {
            "type": "standard_layout",
            "profile": self.profile.id,
            "standard": self.profile.standard,
            "rows": len(out),
            "tables": sections,
            "counted_in": "persons" if by_persons else "rows",
            "legend": {mark: LEGEND},
        }
        every = pd.Series(True, index=out.index)
        public = {
            c.name: PublicCells(every, _PUBLIC[c.source])
            for c in self.profile.columns
            if c.source in _PUBLIC
        }
        return StepResult(frame=out, report=report, checks=checks, aggregate=True, public=public)

    def _render(
        self,
        protected: dict[str, Protected],
        area: Dimension,
        areas: pd.DataFrame,
        code: str,
        mark: str,
    ) -> pd.DataFrame:
        p = self.params
        # the total row has no 地域コード; each area its own
        codes = {area.hierarchy.codes[0]: "", **dict(zip(areas["地域名"], areas["地域コード"], strict=True))}
        texts = {k: _texts(v, mark) for k, v in protected.items()}
        rows: list[list[str]] = []
        for name in area.hierarchy.codes:
            row: list[str] = []
            for col in self.profile.columns:
                if col.source is not None:
                    row.append({
                        "municipality_code": code,
                        "municipality_name": area.hierarchy.codes[0],
                        "row_code": codes[name],
                        "row_name": name,
                        "as_of": p.as_of.isoformat() if p.as_of else "",
                        "note": p.note,
                    }[col.source])  # fmt: skip
                elif col.cell is not None:
                    coords = {area.column: name, **{p.dimensions[d]: c for d, c in col.cell.items()}}
                    table = protected["persons"].table
                    row.append(texts["persons"][table.cell_of(coords, self.where)])
                else:
                    table = protected["households"].table
                    row.append(texts["households"][table.cell_of({area.column: name}, self.where)])
            rows.append(row)
        return pd.DataFrame(rows, columns=[c.name for c in self.profile.columns]).astype("string")


def _texts(prot: Protected, mark: str) -> np.ndarray:
    values = prot.table.value
    text = np.array([str(int(round(v))) for v in values], dtype=object)
    text[prot.suppressed] = mark
    return text


__all__ = ["StandardLayout", "StandardLayoutParams", "read_areas"]
