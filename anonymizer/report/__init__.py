"""The reviewer's report: report.json rendered to one self-contained HTML page (Jinja2)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("anonymizer.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: dict[str, Any]) -> str:
    return _env().get_template("report.html.j2").render(r=report)
