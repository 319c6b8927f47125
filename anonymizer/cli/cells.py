"""``anonymizer cells``: a hierarchical count or magnitude table with primary and secondary cell
suppression and the interval audit.

Thin over :func:`anonymizer.tables.run_table` (the same code as the ``cell_suppression``
pipeline step). OUT.csv is written (atomically) only when every primary cell is suppressed and
the audit shows every suppressed primary cell's feasible interval reaches its protection level;
otherwise nothing is written and the exit code is 1. Bad input exits 2 naming the option,
column, rows or cell coordinates — never a count.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from anonymizer.config import validate_model
from anonymizer.errors import GateRefused, UsageError
from anonymizer.fsutil import atomic_write_bytes
from anonymizer.i18n import N_, _
from anonymizer.io.table import read_table
from anonymizer.pipeline.release import csv_bytes
from anonymizer.progress import show_progress, terminal_progress
from anonymizer.tables.spec import TableSpec


def _dimension(value: str) -> dict[str, Any]:
    column, sep, hierarchy = value.partition("=")
    if not sep or not column or not hierarchy:
        raise UsageError(
            _(
                "--dim {value!r}: expected COL=HIERARCHY (a name under rules/tables/hierarchies/ "
                "or a path), e.g. 年齢=age_5y_10y.yaml"
            ).format(value=value)
        )
    path = Path(hierarchy)
    return {"column": column, "hierarchy": str(path.resolve()) if path.is_file() else hierarchy}


def _dominance(value: str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    n, sep, k = value.partition(":")
    try:
        if sep:
            return {"n": int(n), "k": float(k)}
    except ValueError:
        pass
    raise UsageError(
        _(
            "--dominance {value!r}: expected N:K, e.g. 1:75 (the largest contribution over 75 %)"
        ).format(value=value)
    )


def _manual(option: str, values: tuple[str, ...], status: str) -> list[dict[str, Any]]:
    out = []
    for v in values:
        cell = {}
        for part in v.split(","):
            k, sep, code = part.partition("=")
            if not sep or not k.strip():
                raise UsageError(
                    _("{option} {v!r}: expected COL=CODE,COL=CODE,… naming every dimension").format(
                        option=option, v=v
                    )
                )
            cell[k.strip()] = code.strip()
        out.append({"cell": cell, "status": status, "reason": f"{option} on the command line"})
    return out


@click.command("cells", help=N_("""Publish a table with small cells suppressed so that none can be recomputed.

    \b
    Example:
      anonymizer cells samples/kaigo_utf8.csv --dim 性別=sex.yaml \\
          --dim 年齢=age_5y_10y.yaml --id-column 被保険者番号 --out table.csv --json audit.json
    """))
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "--dim",
    "dims",
    multiple=True,
    required=True,
    metavar="COL=HIERARCHY",
    help=N_("A dimension and its hierarchy (repeatable, in table order)."),
)
@click.option(
    "--sum",
    "sum_column",
    metavar="COL",
    help=N_("Magnitude table: sum COL per cell (default: count rows)."),
)
@click.option(
    "--value",
    "value_column",
    metavar="COL",
    help=N_("INPUT is already a count table: COL holds each cell's count (totals are checked)."),
)
@click.option("--id-column", metavar="COL", help=N_("Count contributors as distinct persons of COL."))
@click.option(
    "--min-frequency", type=int, help=N_("Cells with 1 … N−1 contributors are primary (default 3).")
)
@click.option(
    "--dominance", metavar="N:K", help=N_("(n,k)-dominance rule for --sum tables, e.g. 1:75.")
)
@click.option("--p-rule", type=float, metavar="P", help=N_("p%-rule for --sum tables, e.g. 15."))
@click.option(
    "--protection",
    type=float,
    help=N_("Count tables: protection level (default: the minimum frequency)."),
)
@click.option(
    "--magnitude-protection",
    type=float,
    help=N_("--sum tables: share of the largest contribution (default 0.15)."),
)
@click.option(
    "--suppress-zeros",
    is_flag=True,
    default=None,
    help=N_("Suppress zero cells too (default: publish them)."),
)
@click.option(
    "--cost", type=click.Choice(["cells", "value"]), help=N_("What secondary suppression minimises.")
)
@click.option(
    "--method", type=click.Choice(["auto", "optimal", "modular"]), default="auto", show_default=True
)
@click.option("--time-limit", type=float, help=N_("Seconds for the MILP per table (default 600)."))
@click.option(
    "--publish",
    "publish",
    multiple=True,
    metavar="COL=CODE,…",
    help=N_("Keep this cell published (the audit still judges it)."),
)
@click.option(
    "--suppress",
    "suppress",
    multiple=True,
    metavar="COL=CODE,…",
    help=N_("Suppress and protect this cell too."),
)
@click.option("--mark", help=N_("What a suppressed cell shows (default X)."))
@click.option("--layout", type=click.Choice(["wide", "long"]), default="wide", show_default=True)
@click.option(
    "--across",
    metavar="COL",
    help=N_("Wide layout: the dimension across the columns (default: the last)."),
)
@click.option(
    "--name", default="人数", show_default=True, help=N_("Name of the value column (long layout).")
)
@click.option("--encoding", default="auto", show_default=True, help=N_("Input CSV encoding."))
@click.option("--out", "out_path", type=click.Path(path_type=Path), required=True)
@click.option(
    "--json", "json_path", type=click.Path(path_type=Path), help=N_("Summary and audit as JSON.")
)
@click.option("--progress/--no-progress", default=None,
              help=N_("A bar over the solver's work, on stderr once it takes more than two "
                      "seconds (default: when stderr is a terminal)."))
def command(
    input_path: Path, dims: tuple[str, ...], sum_column: str | None, value_column: str | None,
    id_column: str | None, min_frequency: int | None, dominance: str | None, p_rule: float | None,
    protection: float | None, magnitude_protection: float | None, suppress_zeros: bool | None,
    cost: str | None, method: str, time_limit: float | None, publish: tuple[str, ...],
    suppress: tuple[str, ...], mark: str | None, layout: str, across: str | None, name: str,
    encoding: str, out_path: Path, json_path: Path | None, progress: bool | None,
) -> None:  # fmt: skip
    data: dict[str, Any] = {
        "dimensions": [_dimension(d) for d in dims],
        "sum": sum_column,
        "value_column": value_column,
        "min_frequency": min_frequency,
        "dominance": _dominance(dominance),
        "p_rule": p_rule,
        "count_protection": protection,
        "magnitude_protection": magnitude_protection,
        "suppress_zeros": suppress_zeros,
        "cost": cost,
        "method": method,
        "time_limit": time_limit,
        "manual": _manual("--publish", publish, "publish")
        + _manual("--suppress", suppress, "suppress"),
        "mark": mark,
        "layout": layout,
        "across": across,
        "name": name,
    }
    spec = validate_model(data, TableSpec, "command line")
    table = read_table(input_path, encoding=encoding)
    frame = table.frame
    persons = None
    if id_column is not None:
        if id_column not in frame.columns:
            raise UsageError(
                _("--id-column: {id_column!r} is not a column of {input_path}").format(
                    id_column=id_column, input_path=input_path
                )
            )
        persons = frame[id_column]
    from anonymizer.tables.build import run_table  # scipy: import only when used

    bars = terminal_progress(show_progress(progress))
    result, out, section = run_table(frame, spec, "command line", Path.cwd(), persons, bars)
    if json_path is not None:
        text = (
            json.dumps({"type": "cell_suppression", **section}, ensure_ascii=False, indent=2) + "\n"
        )
        atomic_write_bytes(json_path, text.encode("utf-8"))
    v = result.verdict
    if not v.passed:
        parts = []
        if len(v.exposed):
            parts.append(
                f"{len(v.exposed)} primary cell(s) would be published: {result.table.where(int(v.exposed[0]))} …"
            )
        if v.findings:
            parts.append(
                f"{len(v.findings)} suppressed cell side(s) can be narrowed below the protection level: "
                f"{result.table.where(v.findings[0].cell)} …"
            )
        raise GateRefused(
            f"{input_path}: table refused, {out_path} not written: " + "; ".join(parts)
        )
    atomic_write_bytes(out_path, csv_bytes(out, "utf-8-sig"))
    o = result.outcome
    gap = "" if o.gap is None else f", gap {o.gap:.2%}"
    click.echo(
        f"{result.table.size} cells: {int(v.primary.mask.sum())} primary + "
        f"{int((v.suppressed & ~v.primary.mask).sum())} secondary suppressed ({result.method}, "
        f"{o.status}{gap}, {o.seconds:.1f} s); audit passed ({len(v.intervals.cells)} intervals) → {out_path}"
    )
