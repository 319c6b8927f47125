"""``anonymizer kanon``: optimal k-anonymity (ℓ-diversity, t-closeness) for one table.

A thin layer over :func:`anonymizer.kanon.anonymize`: parse options into a validated
``KAnonConfig``, read the table as text, write the release and the JSON summary atomically
(temp file in the same directory, then rename), so a failed run leaves no partial output.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from pydantic import ValidationError

from anonymizer.config import validation_message
from anonymizer.errors import UsageError
from anonymizer.fsutil import atomic_write_text
from anonymizer.i18n import N_, _
from anonymizer.io import read_table
from anonymizer.kanon import KAnonConfig, KAnonResult, anonymize
from anonymizer.progress import show_progress, terminal_progress


def parse_qi(spec: str) -> tuple[str, str]:
    """``COL=HIERARCHY`` → (COL, HIERARCHY); a bare ``COL`` uses rules/hierarchies/COL.yaml."""
    col, sep, ref = spec.partition("=")
    if not col or (sep and not ref):
        raise UsageError(_("--qi {spec!r}: expected COL or COL=HIERARCHY").format(spec=spec))
    return col, ref if sep else col


def summary_line(result: KAnonResult) -> str:
    unit = _(" persons") if result.counted_in == "persons" else ""
    levels = (
        ", ".join(f"{c}={lv}" for c, lv in result.levels.items()) if result.levels else "local"
    )
    return _(
        "levels {levels}; {metric} {value:.4f}; suppressed {suppressed}; {classes} classes "
        "(min {min}, mean {mean:.1f}{unit}); {seconds:.2f} s"
    ).format(
        levels=levels, metric=result.metric, value=result.metric_value,
        suppressed=result.suppressed, classes=result.classes.count, min=result.classes.min,
        mean=result.classes.mean, unit=unit, seconds=result.seconds,
    )


@click.command("kanon", help=N_("""Generalize quasi-identifiers until the table is k-anonymous (optimal, like ARX).

    Writes OUT (UTF-8 CSV, same columns; suppressed records removed or starred) and prints
    one summary line; --json also writes the summary with risk before/after.

    \b
    Example:
      anonymizer kanon adult.csv --qi age=adult_hierarchy_age.csv --qi sex=sex \\
        --k 5 --suppression 0.05 --out adult_k5.csv --json adult_k5.json
      anonymizer kanon visits.csv --qi 年齢=age_5y --qi 性別=sex --id-column 宛名番号 \\
        --k 5 --suppression 0.05 --out visits_k5.csv
    """))
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--qi", "qis", multiple=True, required=True, metavar="COL[=HIERARCHY]",
              help=N_("Quasi-identifier; HIERARCHY is an ARX CSV path or a rules/hierarchies name "
              "(default: the column's name)."))
@click.option("--sensitive", multiple=True, metavar="COL", help=N_("Sensitive column (for l, t)."))
@click.option("--k", "k", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--l", "l_", type=click.IntRange(min=2), default=None, help=N_("ℓ-diversity."))
@click.option("--l-variant", type=click.Choice(["distinct", "entropy", "recursive"]),
              default="distinct", show_default=True)
@click.option("--c", "c", type=click.FloatRange(min=0, min_open=True), default=None,
              help=N_("c of recursive (c,ℓ)-diversity."))
@click.option("--t", "t", type=click.FloatRange(0, 1, min_open=True), default=None,
              help=N_("t-closeness."))
@click.option("--t-distance", type=click.Choice(["equal", "hierarchical", "ordered"]),
              default="equal", show_default=True)
@click.option("--sensitive-hierarchy", multiple=True, metavar="COL=HIERARCHY",
              help=N_("Hierarchy of a sensitive column (hierarchical/ordered t-closeness)."))
@click.option("--max-risk", type=click.FloatRange(0, 1, min_open=True), default=None,
              help=N_("Average re-identification risk threshold."))
@click.option("--suppression", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help=N_("Share of records that may be suppressed."))
@click.option("--metric", type=click.Choice(["loss", "discernibility", "precision", "entropy"]),
              default="loss", show_default=True)
@click.option("--local-recoding", is_flag=True, help=N_("Mondrian local recoding instead."))
@click.option("--suppressed", type=click.Choice(["remove", "star"]), default="remove",
              show_default=True, help=N_("Drop suppressed records or star their QIs."))
@click.option("--id-column", default=None, metavar="COL",
              help=N_("The column identifying a person: classes are counted in distinct persons "
              "(two rows of one person count once). It is written to OUT unchanged."))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help=N_("Write the summary (levels, classes, metric, risk) here."))
@click.option("--rules", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=N_("Rules directory (default: $ANONYMIZER_RULES or the repository's rules/)."))
@click.option("--encoding", default="auto", show_default=True, help=N_("Input encoding."))
@click.option("--progress/--no-progress", default=None,
              help=N_("A bar over the lattice nodes evaluated, on stderr (default: when stderr is "
              "a terminal)."))
def command(
    source: Path, qis: tuple[str, ...], sensitive: tuple[str, ...], k: int, l_: int | None,
    l_variant: str, c: float | None, t: float | None, t_distance: str,
    sensitive_hierarchy: tuple[str, ...], max_risk: float | None, suppression: float,
    metric: str, local_recoding: bool, suppressed: str, id_column: str | None, out: Path,
    json_out: Path | None,
    rules: Path | None, encoding: str, progress: bool | None,
) -> None:
    qi_map = dict(parse_qi(q) for q in qis)
    if len(qi_map) != len(qis):
        raise UsageError(_("--qi: a column is given twice"))
    data = {
        "qis": qi_map,
        "sensitive": sensitive,
        "sensitive_hierarchies": dict(parse_qi(s) for s in sensitive_hierarchy),
        "k": k, "l": l_, "l_variant": l_variant, "c": c, "t": t, "t_distance": t_distance,
        "max_risk": max_risk, "suppression": suppression, "metric": metric,
        "local_recoding": local_recoding, "suppressed": suppressed,
    }
    try:
        config = KAnonConfig.model_validate(data)
    except ValidationError as err:
        raise UsageError(validation_message("options", err)) from None
    frame = read_table(source, encoding=encoding).frame
    if id_column is not None and id_column not in frame.columns:
        raise UsageError(
            _("--id-column: {id_column!r} is not a column of {source}").format(
                id_column=id_column, source=source
            )
        )
    if id_column is not None and id_column in {*qi_map, *sensitive}:
        raise UsageError(
            _("--id-column: {id_column!r} is also a --qi or --sensitive column").format(
                id_column=id_column
            )
        )
    persons = frame[id_column] if id_column is not None else None
    bars = terminal_progress(show_progress(progress))
    result = anonymize(frame, config, rules, persons=persons, progress=bars)
    atomic_write_text(out, result.frame.to_csv(index=False))
    if json_out is not None:
        summary = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
        atomic_write_text(json_out, summary + "\n")
    click.echo(summary_line(result), err=True)
