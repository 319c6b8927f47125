"""``cell_suppression``: tabulate the rows into a hierarchical count or magnitude table and
publish it with primary and secondary cell suppression (see anonymizer/tables).

The step's parameters are a :class:`~anonymizer.tables.spec.TableSpec`: ``dimensions`` (each a
column and its hierarchy — a name under ``rules/tables/hierarchies/``, a path relative to the
pipeline, or inline), ``sum`` for a magnitude table, the primary rules, protection levels,
cost, method, ``manual`` cell statuses, the mark and the layout. With a person column, cells
count contributors in distinct persons.

The output is an aggregate, judged by this step's own gate checks, which re-derive everything
from the table and the final pattern: ``cell_suppression_primary`` (no cell that breaks a
primary rule is published) and ``cell_suppression_audit`` (every suppressed primary cell's
feasible interval reaches its protection level). Either failing refuses the release.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from anonymizer.i18n import _
from anonymizer.steps.base import GateCheck, PublicCells, Step, StepContext, StepResult, register
from anonymizer.tables.build import build_table, check_columns, dimensions, protect_table
from anonymizer.tables.spec import SuppressionRules, TableSpec
from anonymizer.tables.table import LinkedTable

_LISTED = 5


class CellSuppressionParams(TableSpec):
    """The table and its protection (anonymizer/tables/spec.py) as step parameters."""


def _cells(coords: list[dict[str, str]]) -> str:
    shown = "; ".join(
        "(" + ", ".join(f"{k}={v}" for k, v in c.items()) + ")" for c in coords[:_LISTED]
    )
    return shown + (" …" if len(coords) > _LISTED else "")


def suppression_checks(section: dict[str, Any], rules: SuppressionRules, suffix: str = "") -> list[GateCheck]:
    """The gate checks of one protected table from its report section (``summary``):
    ``cell_suppression_primary`` and ``cell_suppression_audit`` (plus ``suffix`` when a step
    protects more than one table, e.g. ``:世帯数``)."""
    audit = section["audit"]
    n = rules.resolved().min_frequency
    exposed = audit["exposed"]
    return [
        GateCheck(
            "cell_suppression_primary" + suffix,
            not exposed,
            (
                _(
                    "every cell that breaks a primary rule (minimum frequency {n}{rules}) is "
                    "suppressed"
                ).format(
                    n=n,
                    rules=(", dominance" if rules.dominance else "")
                    + (", p%-rule" if rules.p_rule else ""),
                )
                if not exposed
                else _("{count} cell(s) that break a primary rule are published: {cells}").format(
                    count=len(exposed), cells=_cells(exposed)
                )
            ),
            {"primary": section["primary"]["cells"], "exposed": exposed},
        ),
        GateCheck(
            "cell_suppression_audit" + suffix,
            not audit["narrow"],
            (
                _(
                    "the feasible interval of each of {count} suppressed cell(s), computed from "
                    "everything published, reaches its protection level"
                ).format(count=audit["audited"])
                if not audit["narrow"]
                else _(
                    "{count} suppressed cell side(s) can be narrowed below the protection level "
                    "from the published cells: {cells}"
                ).format(
                    count=len(audit["narrow"]), cells=_cells([f["cell"] for f in audit["narrow"]])
                )
            ),
            {"audited": audit["audited"], "narrow": audit["narrow"]},
        ),
    ]


@register("cell_suppression")
class CellSuppression(Step):
    Params = CellSuppressionParams

    def preflight(self, pipeline_path):  # type: ignore[no-untyped-def]
        """Hierarchies and the rules file are read and checked before any data."""
        dimensions(self.params, self.where, pipeline_path.parent)
        self.params.resolved()

    def check_columns(self, columns: list[str]) -> None:
        check_columns(self.params, columns, self.where)

    def run(self, frame: pd.DataFrame, ctx: StepContext) -> StepResult:
        persons = ctx.persons.loc[frame.index] if ctx.persons is not None else None
        table = build_table(frame, self.params, self.where, ctx.pipeline_path.parent, persons)
        return self.tabulated(table, ctx, by_persons=persons is not None)

    def tabulated(self, table: LinkedTable, ctx: StepContext, *, by_persons: bool) -> StepResult:
        """The step's result from its table, tabulated here (:meth:`run`) or where the rows
        are (the Spark engine: :mod:`anonymizer.engine.spark.tables`)."""
        result, out, section = protect_table(
            table, self.params, self.where, by_persons, ctx.progress
        )
        checks = suppression_checks(section, self.params)
        report = {"type": "cell_suppression", **section}
        # the dimension columns hold codes of public hierarchies (石田 is a 町丁 there, not a
        # surname): the re-scan counts what it finds there instead of refusing it
        every = pd.Series(True, index=out.index)
        public = {
            (d.label or d.column): PublicCells(every, f"codes of the public hierarchy of {d.column}")
            for d in self.params.dimensions
            if (d.label or d.column) in out.columns
        }
        return StepResult(frame=out, report=report, checks=checks, aggregate=True, public=public)
