"""From a :class:`~anonymizer.tables.spec.TableSpec` and rows to a protected table: the glue the
``cell_suppression`` step and ``anonymizer cells`` share (so both judge a table the same way)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.progress import ProgressFactory, no_progress
from anonymizer.tables.engine import Protected, protect, summary
from anonymizer.tables.hierarchy import load_hierarchy
from anonymizer.tables.output import LEGEND, render
from anonymizer.tables.spec import TableSpec, load_defaults
from anonymizer.tables.table import Dimension, LinkedTable, from_cells, tabulate


def dimensions(spec: TableSpec, where: str, base: Path | None) -> tuple[Dimension, ...]:
    return tuple(
        Dimension(d.column, load_hierarchy(d.hierarchy, f"{where}.dimensions[{i}].hierarchy", base))
        for i, d in enumerate(spec.dimensions)
    )


def check_columns(spec: TableSpec, columns: list[str], where: str) -> None:
    missing = [c for c in spec.columns() if c not in columns]
    if missing:
        raise ConfigError(
            _("{where}: column(s) {map} not in the table at this step").format(
                where=where, map=', '.join(map(repr, missing))
            )
        )


def build_table(
    frame: pd.DataFrame,
    spec: TableSpec,
    where: str,
    base: Path | None = None,
    persons: pd.Series | None = None,
) -> LinkedTable:
    dims = dimensions(spec, where, base)
    check_columns(spec, list(frame.columns), where)
    if spec.value_column is not None:
        return from_cells(frame, dims, spec.value_column, where=where, name=spec.name)
    rules = spec.resolved()
    top = rules.top if spec.sum is not None else 0
    return tabulate(
        frame, dims, where=where, sum_column=spec.sum, contributors=persons, top=top, name=spec.name
    )


def manual_masks(table: LinkedTable, spec: TableSpec, where: str) -> tuple[np.ndarray, np.ndarray]:
    publish = np.zeros(table.size, dtype=bool)
    suppress = np.zeros(table.size, dtype=bool)
    for i, m in enumerate(spec.manual):
        cell = table.cell_of(dict(m.cell), f"{where}.manual[{i}].cell")
        (publish if m.status == "publish" else suppress)[cell] = True
    return publish, suppress


def run_table(
    frame: pd.DataFrame,
    spec: TableSpec,
    where: str,
    base: Path | None = None,
    persons: pd.Series | None = None,
    progress: ProgressFactory = no_progress,
) -> tuple[Protected, pd.DataFrame, dict[str, Any]]:
    """Tabulate, protect, audit, render: (result, output frame, report section)."""
    table = build_table(frame, spec, where, base, persons)
    return protect_table(table, spec, where, persons is not None, progress)


def protect_table(
    table: LinkedTable,
    spec: TableSpec,
    where: str,
    by_persons: bool,
    progress: ProgressFactory = no_progress,
) -> tuple[Protected, pd.DataFrame, dict[str, Any]]:
    """Protect, audit, render a tabulated table (``by_persons``: its contributors are
    persons): (result, output frame, report section)."""
    publish, suppress = manual_masks(table, spec, where)
    result = protect(table, spec.resolved(), publish, suppress, progress)
    result.manual = [m.model_dump(mode="json") for m in spec.manual]
    mark = spec.mark or load_defaults().mark
    out = render(table, result.suppressed, mark, spec.layout, spec.across)
    out = out.rename(columns={d.column: d.label for d in spec.dimensions if d.label})
    section = {
        **summary(result),
        "measure": f"sum({spec.sum})"
        if spec.sum
        else ("count" if spec.value_column is None else f"table({spec.value_column})"),
        "counted_in": "persons" if by_persons and spec.value_column is None else "rows",
        "layout": spec.layout,
        "legend": {mark: LEGEND},
    }
    return result, out, section


__all__ = [
    "build_table", "check_columns", "dimensions", "manual_masks", "protect_table", "run_table",
]  # fmt: skip
