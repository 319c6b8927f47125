"""``anonymizer scan``: profile a table's columns (roles, entities, masked examples)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from anonymizer.cli.common import detection_options
from anonymizer.fsutil import atomic_write_text
from anonymizer.i18n import N_, _
from anonymizer.scan.profile import DEFAULT_SAMPLE


@click.command("scan", help=N_("""Profile each column of FILE (CSV in UTF-8/CP932/EUC-JP, Excel, Parquet).

    Prints each column's role (direct_identifier, quasi_identifier, sensitive, free_text,
    other), how it was decided, entity counts over the sampled cells and masked examples.
    Raw values are never shown.

    \b
    Example:
      anonymizer scan samples/soudan_cp932.csv --mode fast --json scan.json
    """))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@detection_options
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), help=N_("Write the profile as JSON here."))
@click.option("--sample", type=click.IntRange(min=1), default=DEFAULT_SAMPLE, show_default=True, help=N_("Cells sampled per column."))
@click.option("--encoding", default="auto", show_default=True, help=N_("auto, utf-8, cp932, euc-jp…"))
@click.option("--sheet", default=None, help=N_("Excel sheet name (default: the sheet with the most filled cells)."))
@click.option("--progress/--no-progress", default=None, help=N_("A progress bar over the columns (default: when stderr is a terminal)."))
def command(
    file: Path,
    mode: str,
    entities: str | None,
    min_score: float | None,
    workers: int | None,
    json_out: Path | None,
    sample: int,
    encoding: str,
    sheet: str | None,
    progress: bool | None,
) -> None:
    from anonymizer.detect import Detector
    from anonymizer.scan import scan_file

    with Detector(mode=mode, entities=entities, min_score=min_score, workers=workers) as det:
        show = sys.stderr.isatty() if progress is None else progress
        result = scan_file(file, det, sample=sample, encoding=encoding, sheet=sheet, progress=show)
    click.echo(
        _("{file}: {rows} rows, encoding {encoding}, mode {mode}").format(
            file=result.file, rows=result.rows, encoding=result.encoding or "-", mode=result.mode
        )
    )
    if result.sheet is not None and sheet is None:  # say which sheet was read
        click.echo(
            _(
                "  sheet: position {position} of the workbook's {sheets} (the one with the most "
                "filled cells; set input.sheet in the pipeline, or --sheet here, if that is wrong)"
            ).format(position=result.sheet, sheets=result.sheets)
        )
    if result.header_row > 1:  # say what was assumed: a title and notes above the header
        click.echo(
            _(
                "  header: row {row} (the {above} row(s) above it read as a title; set "
                "input.header_row in the pipeline if that is wrong)"
            ).format(row=result.header_row, above=result.header_row - 1)
        )
    if result.serial_dates:  # bare numbers in date columns read as Excel date serials
        click.echo(
            _("  Excel date serials read as dates in {n} column(s): {columns}").format(
                n=len(result.serial_dates), columns=", ".join(result.serial_dates)
            )
        )
    for col in result.columns:
        ents = ", ".join(f"{k}×{v}" for k, v in col.entities.items()) or "-"
        click.echo(
            _("  {column}: {role} ({source}); entities: {entities}").format(
                column=col.name, role=col.role, source=col.role_source, entities=ents
            )
        )
        if col.categories:  # a category column: its values and counts (each ≥ the policy's k)
            click.echo("      " + "、".join(f"{v}（{n}件）" for v, n in col.categories))
        else:
            for ex in col.examples:
                click.echo(_("      e.g. {example}").format(example=ex))
    if json_out is not None:
        atomic_write_text(json_out, json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
