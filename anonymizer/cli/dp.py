"""``anonymizer dp``: one differentially private release of grouped counts, sums and means.

Thin over :func:`anonymizer.dp.run_dp_aggregate` (the same engine as the ``dp_aggregate``
pipeline step). Outputs are written to temporary files and renamed at the end; when the
ledger refuses, nothing is computed and no OUT.csv appears (exit 1).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from anonymizer.cli.budget import LEDGER_MOVED, state_dir_option
from anonymizer.config import validate_model
from anonymizer.dp.rng import DpRandom
from anonymizer.dp.spec import DpAggregateSpec
from anonymizer.errors import FileSystemError, UsageError
from anonymizer.fsutil import atomic_write_bytes
from anonymizer.i18n import N_, _
from anonymizer.io.table import read_table
from anonymizer.progress import show_progress, terminal_progress
from anonymizer.state import Ledger

#: flagged cells listed in the JSON summary (all are counted)
_MAX_FLAGS_LISTED = 1000


def _bounded(option: str, value: str) -> dict[str, Any]:
    """``COL:LO:HI`` (the column may itself contain ``:``)."""
    parts = value.rsplit(":", 2)
    if len(parts) != 3 or not parts[0]:
        raise UsageError(
            _("{option} {value!r}: expected COL:LO:HI, e.g. 年齢:0:110").format(
                option=option, value=value
            )
        )
    try:
        lower, upper = float(parts[1]), float(parts[2])
    except ValueError:
        raise UsageError(
            _("{option} for column {value_!r}: LO and HI must be numbers").format(
                option=option, value_=parts[0]
            )
        ) from None
    return {"column": parts[0], "lower": lower, "upper": upper}


def _group_by(value: str) -> dict[str, Any]:
    column, sep, keys = value.partition("=")
    if not sep or not keys or not column:
        raise UsageError(
            _(
                "--group-by {value!r}: give the public keys as COL=KEYS_FILE (one value per line; "
                "a name under rules/keys/ or a path); keys are never taken from the private data "
                "(use --discover-keys COL with --delta for noisy τ-thresholding)"
            ).format(value=value)
        )
    path = Path(keys)
    return {"column": column, "keys_file": str(path.resolve()) if path.exists() else keys}


@click.command("dp", help=N_("""Release noisy counts/sums/means per public key combination, spending ledger budget.

    \b
    Example:
      anonymizer budget kunitachi-residents --total 2
      anonymizer dp samples/soudan_utf8.csv --group-by 相談区分=soudan_kubun.txt \\
          --count --epsilon 0.5 --population kunitachi-residents \\
          --out counts.csv --json counts.json

    The budget is drawn from the ledger in the state directory (--state-dir, default
    $XDG_STATE_HOME/anonymizer); the spend is recorded once the noise is drawn, and not
    at all when anything fails before.
    """))
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--group-by", "group_by", multiple=True, metavar="COL=KEYS_FILE",
              help=N_("Group by COL over the public keys in KEYS_FILE (repeatable)."))
@click.option("--discover-keys", multiple=True, metavar="COL",
              help=N_("Group by COL with keys found by noisy τ-thresholding (spends δ)."))
@click.option("--count", "with_count", is_flag=True, help=N_("Noisy row count per cell."))
@click.option("--sum", "sums", multiple=True, metavar="COL:LO:HI", help=N_("Clamped noisy sum."))
@click.option("--mean", "means", multiple=True, metavar="COL:LO:HI", help=N_("Clamped noisy mean."))
@click.option("--median", "medians", multiple=True, metavar="COL:LO:HI", help=N_("Noisy median."))
@click.option("--id-column", help=N_("Protect persons: all rows sharing this id are one unit."))
@click.option("--max-rows-per-id", type=int, help=N_("Rows kept per id (excess dropped at random)."))
@click.option("--epsilon", type=float, required=True, help=N_("ε of this release."))
@click.option("--delta", type=float, default=0.0, show_default=True, help=N_("δ of this release."))
@click.option("--population", required=True, help=N_("Ledger population the budget is drawn from."))
@state_dir_option
@click.option("--out", "out_path", type=click.Path(path_type=Path), required=True)
@click.option("--json", "json_path", type=click.Path(path_type=Path), help=N_("Summary JSON."))
@click.option("--published-total", "total", type=int,
              help=N_("A public, already published total the counts are made to add up to."))
@click.option("--flag-share", type=float, default=0.5, show_default=True,
              help=N_("Flag cells whose 95% error bound exceeds this share of the value."))
@click.option("--encoding", default="auto", show_default=True, help=N_("Input CSV encoding."))
@click.option("--insecure-seed", type=int,
              help=N_("Seed the noise (tests/demos only; recorded in the ledger and summary)."))
@click.option("--progress/--no-progress", default=None,
              help=N_("A bar over the measures, on stderr (default: when stderr is a terminal)."))
def command(
    input_path: Path, group_by: tuple[str, ...], discover_keys: tuple[str, ...],
    with_count: bool, sums: tuple[str, ...], means: tuple[str, ...], medians: tuple[str, ...],
    id_column: str | None, max_rows_per_id: int | None, epsilon: float, delta: float,
    population: str, state_dir: Path | None, old_ledger: Path | None, out_path: Path,
    json_path: Path | None,
    total: int | None, flag_share: float, encoding: str, insecure_seed: int | None,
    progress: bool | None,
) -> None:  # fmt: skip
    if old_ledger is not None:
        raise UsageError(_(LEDGER_MOVED))
    measures: list[dict[str, Any]] = [{"type": "count"}] if with_count else []
    measures += [{"type": "sum", **_bounded("--sum", v)} for v in sums]
    measures += [{"type": "mean", **_bounded("--mean", v)} for v in means]
    measures += [{"type": "median", **_bounded("--median", v)} for v in medians]
    if not measures:
        raise UsageError(_("nothing to release: give --count, --sum, --mean or --median"))
    data: dict[str, Any] = {
        "epsilon": epsilon,
        "delta": delta,
        "group_by": [_group_by(v) for v in group_by]
        + [{"column": c, "discover": True} for c in discover_keys],
        "measures": measures,
        "flag_error_share": flag_share,
        "post_processing": {"total": total},
    }
    if discover_keys:
        data["key_discovery"] = {}
    if id_column or max_rows_per_id:
        data["privacy_unit"] = {"id_column": id_column, "max_rows_per_id": max_rows_per_id}
    spec = validate_model(data, DpAggregateSpec, "command line")
    if insecure_seed is not None:
        click.echo(_("anonymizer: WARNING: --insecure-seed makes the noise reproducible; "
                     "do not publish this output"), err=True)  # fmt: skip
        try:
            rng = DpRandom.insecure(insecure_seed)
        except ValueError as exc:
            raise UsageError(_("--insecure-seed: {exc}").format(exc=exc)) from None
    else:
        rng = DpRandom.secure()
    from anonymizer.dp.engine import run_dp_aggregate  # diffprivlib: import only when used

    table = read_table(input_path, encoding=encoding)
    result = run_dp_aggregate(
        table.frame, spec, Ledger(state_dir), population, input_path.name, rng,
        progress=terminal_progress(show_progress(progress)),
    )
    try:
        atomic_write_bytes(out_path, result.csv)
        if json_path is not None:
            summary = result.summary()
            summary["flagged_count"] = len(summary["flagged_cells"])
            summary["flagged_cells"] = summary["flagged_cells"][:_MAX_FLAGS_LISTED]
            text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
            atomic_write_bytes(json_path, text.encode("utf-8"))
    except FileSystemError as err:  # the noise was drawn: its spend stays, and we say so
        raise FileSystemError(
            _(
                "{message}; release {release_id} was recorded in the ledger all the same (its "
                "noise was drawn): `anonymizer budget {population}` shows it"
            ).format(message=err.message, release_id=result.release_id, population=population)
        ) from None
    left = result.status.remaining
    click.echo(
        _(
            "release {release_id}: spent ε={epsilon:g} δ={delta:g}; {population!r} has "
            "ε={left_epsilon:g} δ={left_delta:g} left; {cells} cells ({flagged} flagged) → {out}"
        ).format(
            release_id=result.release_id, epsilon=spec.epsilon, delta=spec.delta,
            population=population, left_epsilon=left.epsilon, left_delta=left.delta,
            cells=len(result.table), flagged=len(result.flagged), out=out_path,
        ),
        file=sys.stdout,
    )
