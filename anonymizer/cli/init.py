"""``anonymizer init``: scan a file and write a proposed, safe-by-default pipeline."""

from __future__ import annotations

from pathlib import Path

import click

from anonymizer.cli.common import detection_options
from anonymizer.config import validate_model
from anonymizer.errors import UsageError
from anonymizer.fsutil import atomic_write_text


@click.command("init")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Where to write the pipeline YAML.")
@click.option("--name", default=None, help="Pipeline name (default: from the YAML file name).")
@click.option("--force", is_flag=True, help="Overwrite an existing pipeline file.")
@click.option("--sample", type=click.IntRange(min=1), default=500, show_default=True, help="Cells sampled per column.")
@detection_options
def command(file: Path, output: Path, name: str | None, force: bool, sample: int, mode: str, entities: str | None, min_score: float, workers: int | None) -> None:
    """Scan FILE and write a proposed pipeline to OUTPUT (safe by default).

    \b
    Example:
      anonymizer init samples/soudan_cp932.csv -o pipelines/soudan.yaml
    """
    from anonymizer.detect import Detector
    from anonymizer.io import read_table
    from anonymizer.pipeline.propose import propose
    from anonymizer.pipeline.spec import PipelineSpec
    from anonymizer.scan.profile import scan_table

    if output.exists() and not force:
        raise UsageError(f"{output}: already exists; use --force to overwrite")
    table = read_table(file)
    with Detector(mode=mode, entities=entities, min_score=min_score, workers=workers) as det:
        scan = scan_table(table, file, det, sample=sample)
    # every proposed generalization is tried on all of the file's values before it is written
    text = propose(scan, output, name, table.frame)
    import yaml

    validate_model(yaml.safe_load(text), PipelineSpec, str(output))  # never write an invalid proposal
    atomic_write_text(output, text)
    click.echo(f"wrote {output}: {len(scan.columns)} columns; review it, then: anonymizer run {output}")
