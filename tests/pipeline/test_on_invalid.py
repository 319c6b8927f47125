"""on_invalid: a cell no operator can read stops the run (default), is read as empty, or its row
is left out — counted in the report, never shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from anonymizer.cli.main import cli


def _pipeline(tmp: Path, policy: dict) -> Path:
    rows = ["相談番号,生年月日,性別"]
    for i in range(60):
        rows.append(f"{i + 1},1980-0{1 + i % 9}-1{i % 9},{'男' if i % 2 else '女'}")
    rows[5] = "5,1980-13-45,男"  # no such date
    (tmp / "in.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    spec = {
        "version": 1, "name": "inv", "mode": "fast", "input": {"path": "in.csv", **policy.get("input", {})},
        "columns": {
            "相談番号": {"role": "direct_identifier", "actions": ["drop"]},
            "生年月日": {"role": "quasi_identifier", "entity": "DATE_OF_BIRTH",
                     "actions": [{"generalize": {"to": "year"}}], **policy.get("column", {})},
            "性別": {"role": "quasi_identifier", "actions": ["keep"]},
        },
        "output": {"file": "inv.csv"},
        "metadata": {"title": "生年・性別の件数（試験）", "publisher": "国立市 市民課", "license": "CC-BY-4.0",
                     "municipality_code": "132152", "issued": "2026-04-01"},
    }  # fmt: skip
    path = tmp / "p.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def _run(path: Path):
    return CliRunner().invoke(cli, ["run", str(path), "--out", str(path.parent / "out"), "--no-progress", "--force"])


def test_the_default_stops_the_run_naming_the_row_and_the_way_out(tmp_path):
    result = _run(_pipeline(tmp_path, {}))
    assert result.exit_code == 2
    assert "column '生年月日': 1 of 60 cell(s) cannot be read as a date" in result.output
    assert "(row 6 (data row 5))" in result.output and "on_invalid: missing | suppress_row" in result.output
    assert "1980-13-45" not in result.output


@pytest.mark.parametrize("where", ["input", "column"])
def test_suppress_row_leaves_the_row_out_and_counts_it(tmp_path, where):
    result = _run(_pipeline(tmp_path, {where: {"on_invalid": "suppress_row"}}))
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out" / "inv" / "inv.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(out) == 1 + 59
    report = json.loads((tmp_path / "out" / "inv" / "report.json").read_text(encoding="utf-8"))
    col = next(c for c in report["input"]["columns"] if c["name"] == "生年月日")
    assert col["invalid_values"] == 1 and col["on_invalid"] == "suppress_row"


def test_missing_reads_it_as_empty_and_the_policy_still_judges_the_row(tmp_path):
    result = _run(_pipeline(tmp_path, {"column": {"on_invalid": "missing"}}))
    # the unreadable birth date is now empty: a class of one (empty, 男), which the policy refuses
    assert result.exit_code == 1 and "reidentification" in result.output
    refusal = json.loads((tmp_path / "out" / "inv.refused.json").read_text(encoding="utf-8"))
    col = next(c for c in refusal["input"]["columns"] if c["name"] == "生年月日")
    assert col["invalid_values"] == 1 and col["on_invalid"] == "missing"


def test_a_direct_identifier_ignores_the_pipeline_default(tmp_path):
    from anonymizer.pipeline.spec import ColumnSpec

    direct = ColumnSpec(role="direct_identifier", actions=("drop",))
    assert direct.invalid_policy("suppress_row") == "error"
    assert ColumnSpec(role="quasi_identifier", actions=("keep",)).invalid_policy("missing") == "missing"
