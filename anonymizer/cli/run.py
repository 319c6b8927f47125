"""``anonymizer run``: run a pipeline; release only if the gate passes."""

from __future__ import annotations

from pathlib import Path

import click

from anonymizer.i18n import N_, _


@click.command("run", help=N_("""Run PIPELINE and publish OUT/<name>/ only if the release gate passes.

    Exit 0: released. Exit 1: the gate refused (nothing released; reasons on stderr and in
    OUT/<name>.refused.json). Exit 2: usage, config, input or file-system error (the
    previous release, if any, is left as it was).

    Ends with the release's summary (as `anonymizer summary OUT` shows it): on stdout when
    released; on stderr after the reasons when refused, with the previous release if one is
    still published. Progress bars (detection, k-anonymity, DP) go to stderr.

    OUT/<name> is a symlink to the complete release (switched atomically): copy or upload it
    following links. Two runs of one pipeline into one OUT take turns (--no-wait: exit 2).

    \b
    Example:
      anonymizer run pipelines/soudan.yaml --out out --key-file secret.key
      anonymizer run pipelines/kaigo.yaml --out out --engine spark --master local[2]
    """))
@click.argument("pipeline", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True, help=N_("Releases go to OUT/<pipeline name>/."))
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path), help=N_("Secret key for pseudonyms (else $ANONYMIZER_KEY)."))
@click.option("--force", is_flag=True, help=N_("Replace an existing release of the same name."))
@click.option("--insecure-seed", "seed", type=int, default=None, help=N_("Fixed seed for randomized steps (tests/demos only; recorded in the manifest)."))
@click.option("--workers", type=click.IntRange(min=1), default=None, help=N_("Detection worker processes (default: one per core)."))
@click.option("--progress/--no-progress", default=None, help=N_("Progress bars (default: when stderr is a terminal)."))
@click.option("--wait/--no-wait", default=True, help=N_("When another run of this pipeline writes to OUT: wait for it (default), or exit 2 at once."))
@click.option("--engine", type=click.Choice(["pandas", "spark"]), default=None, help=N_("Where rows are processed (default: the pipeline's engine, else pandas)."))
@click.option("--master", default=None, help=N_("Spark master for --engine spark: local[2], spark://HOST:7077, yarn (default: the pipeline's spark.master, else local[*])."))
def command(pipeline: Path, out_dir: Path, key_file: Path | None, force: bool, seed: int | None, workers: int | None, progress: bool | None, wait: bool, engine: str | None, master: str | None) -> None:
    from anonymizer.cli.summary import render_table
    from anonymizer.errors import GateRefused
    from anonymizer.pipeline.run import RunOptions, run_pipeline
    from anonymizer.progress import show_progress
    from anonymizer.release.summary import REFUSED_SUFFIX, read_refusal, read_release

    show = show_progress(progress)
    options = RunOptions(pipeline, out_dir, key_file, force, seed, show, workers, wait, engine, master)
    try:
        result = run_pipeline(options)
    except GateRefused as err:
        refusal = err.refusal_file
        if refusal is not None and refusal.is_file():
            entries = [read_refusal(refusal)]
            previous = out_dir / refusal.name.removesuffix(REFUSED_SUFFIX)
            if (previous / "manifest.json").is_file():  # still published: say so
                entries.insert(0, read_release(previous))
            err.epilogue = render_table(entries)
        raise
    assert result.target is not None
    click.echo(
        _(
            "released: {target} ({rows_out} rows from {rows_in}, {seconds:.1f} s; gate: "
            "{checks} checks passed)"
        ).format(
            target=result.target, rows_out=result.rows_out, rows_in=result.rows_in,
            seconds=result.seconds, checks=len(result.gate.checks),
        )
    )
    click.echo(render_table([read_release(result.target)]))
