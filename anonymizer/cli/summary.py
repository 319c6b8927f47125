"""``anonymizer summary``: the releases and refusals in an output directory, on one screen."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("summary")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"))
@click.option("--json", "as_json", is_flag=True, help="The same data as JSON (for pipelines).")
def command(out_dir: Path, as_json: bool) -> None:
    """The releases in OUT_DIR (default: out): name, verdict, rows, protection, location.

    Read from what each run wrote (report.json of a release, <name>.refused.json of a
    refusal): it can be printed after the fact. Exit 0 when every release listed is
    released, 1 when one is refused, 2 when OUT_DIR has none or cannot be read.

    \b
    Example:
      anonymizer summary out
      anonymizer summary out --json > releases.json
    """
    from anonymizer.errors import UsageError
    from anonymizer.release.summary import collect, render

    if not out_dir.is_dir():
        raise UsageError(f"{out_dir}: not a directory")
    found = collect(out_dir)
    if not found:
        raise UsageError(f"{out_dir}: no release and no refusal here (run a pipeline with --out {out_dir})")
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in found], ensure_ascii=False, indent=2))
    else:
        click.echo(render(found), nl=False)
    if any(s.verdict == "refused" for s in found):
        raise SystemExit(1)
