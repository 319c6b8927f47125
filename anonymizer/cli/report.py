"""``anonymizer report``: re-render report.html from a release's report.json."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import click

from anonymizer.i18n import N_, _


@click.command("report", help=N_("""Re-render the reviewer's page (report.html) from RELEASE/report.json.

    RELEASE is a release directory (OUT/<name>) or a report JSON file, such as the
    OUT/<name>.refused.json a refused run leaves (its page goes beside it, .html).
    Exit 2 when report.json is missing, is not JSON, or lacks a field (the message names it).

    \b
    Example:
      anonymizer report out/soudan
      anonymizer report out/soudan.refused.json
    """))
@click.argument("release", type=click.Path(path_type=Path))
@click.option(
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("Write the page here (default: report.html beside report.json)."),
)
def command(release: Path, output: Path | None) -> None:
    from anonymizer.fsutil import atomic_write_bytes
    from anonymizer.report import load_report, render_html

    source = release / "report.json" if release.is_dir() else release
    target = output or (
        source.with_name("report.html") if release.is_dir() else source.with_suffix(".html")
    )
    html = render_html(load_report(source)).encode("utf-8")
    atomic_write_bytes(target, html)
    click.echo(_("wrote {target}").format(target=target))
    manifest = source.with_name("manifest.json")
    if release.is_dir() and output is None and manifest.is_file():
        recorded = (
            json.loads(manifest.read_text(encoding="utf-8")).get("outputs", {}).get("report.html")
        )
        if recorded and recorded != hashlib.sha256(html).hexdigest():
            click.echo(
                _(
                    "note: report.html differs from the copy manifest.json recorded at release "
                    "time (the report template or labels changed since)"
                ),
                err=True,
            )
