"""``anonymizer run``: run a pipeline; release only if the gate passes."""

from __future__ import annotations

import sys
from pathlib import Path

import click



@click.command("run")
@click.argument("pipeline", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True, help="Releases go to OUT/<pipeline name>/.")
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path), help="Secret key for pseudonyms (else $ANONYMIZER_KEY).")
@click.option("--force", is_flag=True, help="Replace an existing release of the same name.")
@click.option("--insecure-seed", "seed", type=int, default=None, help="Fixed seed for randomized steps (tests/demos only; recorded in the manifest).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Detection worker processes (default: one per core).")
@click.option("--progress/--no-progress", default=None, help="Progress bars (default: when stderr is a terminal).")
@click.option("--wait/--no-wait", default=True, help="When another run of this pipeline writes to OUT: wait for it (default), or exit 2 at once.")
def command(pipeline: Path, out_dir: Path, key_file: Path | None, force: bool, seed: int | None, workers: int | None, progress: bool | None, wait: bool) -> None:
    """Run PIPELINE and publish OUT/<name>/ only if the release gate passes.

    Exit 0: released. Exit 1: the gate refused (nothing released; reasons on stderr and in
    OUT/<name>.refused.json). Exit 2: usage, config, input or file-system error (the
    previous release, if any, is left as it was).

    OUT/<name> is a symlink to the complete release (switched atomically): copy or upload it
    following links. Two runs of one pipeline into one OUT take turns (--no-wait: exit 2).

    \b
    Example:
      anonymizer run pipelines/soudan.yaml --out out --key-file secret.key
    """
    from anonymizer.pipeline.run import RunOptions, run_pipeline

    from anonymizer.release.summary import of, render

    show = sys.stderr.isatty() if progress is None else progress
    # a refusal says why on stderr (and `anonymizer summary OUT` lists it); stdout stays empty
    result = run_pipeline(RunOptions(pipeline, out_dir, key_file, force, seed, show, workers, wait))
    click.echo(
        f"released: {result.target} ({result.rows_out} rows from {result.rows_in}, "
        f"{result.seconds:.1f} s; gate: {len(result.gate.checks)} checks passed)"
    )
    if result.target is not None:
        click.echo(render(of(out_dir, result.target.name)), nl=False)

