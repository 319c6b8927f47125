"""``anonymizer init``: scan a file and write a proposed, safe-by-default pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from anonymizer.cli.common import detection_options
from anonymizer.config import format_loc, problem_text, read_yaml, validate_model
from anonymizer.errors import UsageError
from anonymizer.fsutil import atomic_write_text
from anonymizer.i18n import N_, _

if TYPE_CHECKING:
    from anonymizer.pipeline.publication import MetadataFile


def publication_metadata(file: Path | None, options: dict[str, Any]) -> MetadataFile | None:
    """``--metadata FILE``, overridden by the options given; errors name the file and key,
    or the option."""
    from pydantic import ValidationError

    from anonymizer.pipeline.publication import MetadataFile

    given = validate_model(read_yaml(file), MetadataFile, str(file)) if file is not None else None
    flags = {k: v for k, v in options.items() if v is not None}
    try:
        from_flags = MetadataFile.model_validate(flags)
    except ValidationError as err:
        raise UsageError("\n".join(
            f"--{format_loc(tuple(e['loc'])).replace('_', '-')}: {problem_text(e)}"
            for e in err.errors(include_input=False, include_url=False)
        )) from None
    if given is None and not flags:
        return None
    return (given or MetadataFile()).model_copy(update=from_flags.model_dump(include=set(flags)))


@click.command("init", help=N_("""Scan FILE and write a proposed pipeline to OUTPUT (safe by default).

    Publication metadata not given (title, publisher, municipality code) is written as a
    placeholder, which the release gate refuses: fill it in, or give it here.

    \b
    Example:
      anonymizer init samples/soudan_cp932.csv -o pipelines/soudan.yaml \\
        --title 住民相談記録 --publisher '国立市 市民協働推進課' --municipality-code 132152
    """))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), required=True,
    help=N_("Where to write the pipeline YAML."),
)
@click.option("--name", default=None, help=N_("Pipeline name (default: from the YAML file name)."))
@click.option("--force", is_flag=True, help=N_("Overwrite an existing pipeline file."))
@click.option(
    "--sample", type=click.IntRange(min=1), default=500, show_default=True,
    help=N_("Cells sampled per column."),
)
@click.option("--title", default=None, help=N_("Dataset title (metadata.title)."))
@click.option("--publisher", default=None, help=N_("City and department (metadata.publisher)."))
@click.option(
    "--municipality-code", default=None, metavar="CODE",
    help=N_("全国地方公共団体コード, 6 digits (or 5): 国立市 132152."),
)
@click.option(
    "--license", "license_", type=click.Choice(["CC-BY-4.0", "PDL-1.0"]), default=None,
    help=N_("Licence (default CC-BY-4.0)."),
)
@click.option("--description", default=None, help=N_("Dataset description (metadata.description)."))
@click.option(
    "--metadata", "metadata_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help=N_("YAML with title, publisher, municipality_code, license, description, contact, "
    "keywords (the options above override it)."),
)
@detection_options
def command(
    file: Path, output: Path, name: str | None, force: bool, sample: int,
    title: str | None, publisher: str | None, municipality_code: str | None,
    license_: str | None, description: str | None, metadata_file: Path | None,
    mode: str, entities: str | None, min_score: float | None, workers: int | None,
) -> None:
    from anonymizer.detect import Detector
    from anonymizer.entities import FREE_TEXT_ONLY
    from anonymizer.io import read_table
    from anonymizer.pipeline.missing import default_missing
    from anonymizer.pipeline.propose import propose
    from anonymizer.pipeline.spec import DEFAULT_FAIL_ON, GateSpec, PipelineSpec
    from anonymizer.report.build import REPORT_SAMPLE
    from anonymizer.scan.profile import scan_frame, scan_table

    if output.exists() and not force:
        raise UsageError(
            _("{output}: already exists; use --force to overwrite").format(output=output)
        )
    metadata = publication_metadata(metadata_file, {
        "title": title, "publisher": publisher, "municipality_code": municipality_code,
        "license": license_, "description": description,
    })
    table = read_table(file, require_data=True, choose_sheet=True)
    with Detector(mode=mode, entities=entities, min_score=min_score, workers=workers) as det:
        scan = scan_table(table, file, det, sample=sample)
        # what the release gate will see of these columns: its fast detector, its sample
        with Detector("fast", workers=workers) as light:
            gate_view = scan_frame(table.frame, light, sample=REPORT_SAMPLE)

        def personal(column: str) -> bool:
            """The gate's re-scan of a column released as it is, on every distinct value."""
            values = table.frame[column].dropna().astype(str)
            distinct = [v for v in values.unique().tolist() if v.strip()]
            return any(  # a kept column is structured: the gate checks it so (FREE_TEXT_ONLY)
                f.type in DEFAULT_FAIL_ON and f.type not in FREE_TEXT_ONLY
                and f.score >= GateSpec().threshold()
                for found in det.detect_cells(distinct, header=column)
                for f in found
            )

        # every proposed generalization is tried on all of the file's values before it is
        # written, and every column proposed as kept is re-scanned as the gate will
        # (with the cells that mean "no value" read as empty, as the run will read them)
        text = propose(
            scan, output, name, default_missing(table.frame), gate_view, personal, metadata
        )
    import yaml

    # never write an invalid proposal
    validate_model(yaml.safe_load(text), PipelineSpec, str(output))
    atomic_write_text(output, text)
    click.echo(
        _("wrote {output}: {columns} columns; review it, then: anonymizer run {output}").format(
            output=output, columns=len(scan.columns)
        )
    )
