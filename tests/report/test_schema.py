"""report.json against its documented schema (report/schema.py, docs/report-schema.md)."""

from __future__ import annotations

import copy
import re

import pytest

from anonymizer.errors import InputError
from anonymizer.report import SCHEMA_VERSION, validate_report
from anonymizer.report.schema import Report
from tests.report._releases import ROOT, report_json


@pytest.fixture
def report(kaigo_release):
    return report_json(kaigo_release)


def test_real_reports_match_the_schema(report, dp_release):
    assert report["schema_version"] == SCHEMA_VERSION
    validate_report(report)
    validate_report(report_json(dp_release))


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (("verdict", "summary"), "verdict.summary"),
        (("risk",), "risk"),
        (("input", "columns", 0, "released_as"), r"input.columns\[0\].released_as"),
        (("steps", 0, "levels"), r"steps\[0\].kanonymity.levels"),
        (("provenance", "generated_at"), "provenance.generated_at"),
    ],
)
def test_a_missing_field_is_named(report, path, field):
    broken = copy.deepcopy(report)
    node = broken
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]
    with pytest.raises(InputError, match=rf"x\.json: {field}: Field required"):
        validate_report(broken, "x.json")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: r["verdict"].update(released="maybe"), "verdict.released"),
        (lambda r: r["risk"]["after"].update(records="many"), "risk.after.records"),
        (lambda r: r.update(surprise=1), "surprise"),
        (lambda r: r["appi"][0].update(status="satisfied"), r"appi\[0\].status"),
    ],
)
def test_a_wrong_or_unknown_field_is_named(report, change, field):
    broken = copy.deepcopy(report)
    change(broken)
    with pytest.raises(InputError, match=rf"report.json: {field}:"):
        validate_report(broken)


def test_step_sections_may_grow(report):
    grown = copy.deepcopy(report)
    grown["steps"][0]["new_figure"] = 1.5
    grown["steps"].append({"type": "some_future_step", "anything": [1, 2]})
    grown["gate"]["checks"][0]["data"]["more"] = {"x": 1}
    validate_report(grown)


@pytest.mark.parametrize("version", ["1.0", "2.0", 1.1])
def test_other_schema_versions_are_refused_by_name(report, version):
    report["schema_version"] = version
    with pytest.raises(InputError, match="schema_version: .* is not supported"):
        validate_report(report)


def test_the_document_describes_every_top_level_field():
    doc = (ROOT / "docs" / "report-schema.md").read_text(encoding="utf-8")
    assert f"schema_version {SCHEMA_VERSION}" in doc
    for name in Report.model_fields:
        assert f"| `{name}` |" in doc, name
    for field in ("released_as", "ledger_history", "riskiest", "why", "raw_values", "this_release"):
        assert field in doc


def test_no_value_is_echoed_in_errors(report):
    report["verdict"]["summary"] = ["山田太郎"]
    with pytest.raises(InputError) as err:
        validate_report(report)
    assert "山田" not in str(err.value) and re.search(r"verdict\.summary", str(err.value))
