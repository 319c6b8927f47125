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
    from anonymizer.pipeline.spec import DEFAULT_FAIL_ON, GateSpec, PipelineSpec
    from anonymizer.report.build import REPORT_SAMPLE
    from anonymizer.scan.profile import scan_frame, scan_table

    if output.exists() and not force:
        raise UsageError(f"{output}: already exists; use --force to overwrite")
    table = read_table(file, require_data=True)
    with Detector(mode=mode, entities=entities, min_score=min_score, workers=workers) as det:
        scan = scan_table(table, file, det, sample=sample)
        # what the release gate will see of these columns: its fast detector, its sample
        with Detector("fast", workers=workers) as light:
            gate_view = scan_frame(table.frame, light, sample=REPORT_SAMPLE)

        def personal(column: str) -> bool:
            """The gate's re-scan of a column released as it is, on every distinct value."""
            values = table.frame[column].dropna().astype(str)
            distinct = [v for v in values.unique().tolist() if v.strip()]
            return any(
                f.type in DEFAULT_FAIL_ON and f.score >= GateSpec().min_score
                for found in det.detect_cells(distinct, header=column)
                for f in found
            )

        # every proposed generalization is tried on all of the file's values before it is
        # written, and every column proposed as kept is re-scanned as the gate will
        text = propose(scan, output, name, table.frame, gate_view, personal)
    import yaml

    validate_model(yaml.safe_load(text), PipelineSpec, str(output))  # never write an invalid proposal
    atomic_write_text(output, text)
    click.echo(f"wrote {output}: {len(scan.columns)} columns; review it, then: anonymizer run {output}")
