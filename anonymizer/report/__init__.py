"""The reviewer's report: report.json rendered to one self-contained HTML page (Jinja2).

The page is a pure function of report.json: charts are drawn from its figures, every number is
printed by looking it up by path (:mod:`anonymizer.report.format`), and nothing is fetched —
no script, no font, no image; a Content-Security-Policy meta tag forbids them all.

Public API::

    from anonymizer.report import load_report, render_html
    html = render_html(load_report(Path("out/soudan/report.json")))
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pydantic import ValidationError

from anonymizer.config import validation_message
from anonymizer.errors import InputError
from anonymizer.i18n import _
from anonymizer.report.schema import SCHEMA_VERSION, Report

__all__ = ["SCHEMA_VERSION", "load_report", "render_html", "validate_report"]


def validate_report(report: Any, source: str = "report.json") -> Report:
    """The report as the documented schema reads it; InputError naming every bad field."""
    if not isinstance(report, Mapping):
        raise InputError(_("{source}: (top level): expected a JSON object").format(source=source))
    version = report.get("schema_version")
    if version is not None and version != SCHEMA_VERSION:
        raise InputError(
            _(
                "{source}: schema_version: {value_!r} is not supported (this version reads "
                "{schema_version}); re-run the pipeline to rebuild the report"
            ).format(source=source, value_=str(version)[:20], schema_version=SCHEMA_VERSION)
        )
    try:
        return Report.model_validate(report)
    except ValidationError as err:
        raise InputError(validation_message(source, err)) from None


def load_report(path: Path) -> dict[str, Any]:
    """Read and validate a report.json (InputError: missing, not JSON, or a bad field)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            _("{path}: not found (is this a release directory?)").format(path=path)
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            _("{path}: cannot be read ({error_type})").format(
                path=path, error_type=type(exc).__name__
            )
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            _("{path}: not valid JSON (line {lineno}, column {colno})").format(
                path=path, lineno=exc.lineno, colno=exc.colno
            )
        ) from None
    validate_report(data, str(path))
    return data  # type: ignore[no-any-return]


@functools.cache
def _env() -> Environment:
    """One environment per process: it keeps each template compiled (compiling the report's
    took ≈ 0.3 s, every run)."""
    return Environment(
        loader=PackageLoader("anonymizer.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _charts(report: Mapping[str, Any]) -> dict[str, Markup]:
    from anonymizer.report.charts import budget_chart, class_size_chart

    charts: dict[str, Markup] = {}
    risk = report["risk"]
    if risk["applicable"]:
        charts["risk"] = Markup(
            class_size_chart(
                "class-sizes",
                risk["before"],
                risk["after"],
                "同値クラスの大きさ別のレコード数（加工前・加工後）",
            )
        )
    for i, step in enumerate(report["steps"]):
        if step["type"] == "kanonymity":
            charts[f"step-{i}"] = Markup(
                class_size_chart(
                    f"kanon-{i}",
                    step["risk_before"],
                    step["risk_after"],
                    "k-匿名化ステップの前後: 同値クラスの大きさ別のレコード数",
                )
            )
        elif step["type"] == "dp_aggregate":
            charts[f"step-{i}"] = Markup(
                budget_chart(
                    f"budget-{i}",
                    step["ledger_history"],
                    step["ledger"]["remaining"]["epsilon"],
                    f"母集団「{step['population']}」のプライバシー予算 ε の使用状況",
                )
            )
    return charts


def render_html(report: Mapping[str, Any]) -> str:
    """The page for ``report`` (validated first: a report that breaks the schema is an error)."""
    from anonymizer.report.format import figure, format_value
    from anonymizer.report.labels import vocabulary

    validate_report(report)
    words = vocabulary()

    def fig(*path: str | int, style: str = "") -> Markup:
        return figure(report, *path, style=style)

    def label(kind: str, key: str | None) -> str:
        return "—" if key is None else words[kind].get(key, key)

    return (
        _env()
        .get_template("report.html.j2")
        .render(r=report, fig=fig, label=label, fmt=format_value, charts=_charts(report))
    )
