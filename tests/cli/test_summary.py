"""``anonymizer summary`` and the summary ``run`` ends with: one line per release or refusal,
read back from what the runs wrote; exit 0 / 1 / 2; no value from the input."""

from __future__ import annotations

import json

import yaml

from tests.report._releases import copy_pipeline, run_cli


def test_a_release_and_a_refusal_side_by_side(tmp_path):
    kaigo = copy_pipeline("kaigo", tmp_path)
    run = run_cli("run", kaigo, "--out", tmp_path / "out", "--no-progress")
    assert run.exit_code == 0, run.output
    assert "kaigo   公開可  486" in run.output  # run ends with its own summary
    (tmp_path / "strict").mkdir()
    strict = copy_pipeline("kaigo", tmp_path / "strict", policy={"k": 500, "reason": "試験: 実際には満たせない k で拒否を確かめる"})
    spec = yaml.safe_load(strict.read_text(encoding="utf-8"))
    spec["name"] = "kaigo-strict"
    strict.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    refused = run_cli("run", strict, "--out", tmp_path / "out", "--no-progress")
    assert refused.exit_code == 1 and refused.stdout == ""

    result = run_cli("summary", tmp_path / "out")
    assert result.exit_code == 1  # one refusal listed
    lines = result.output.splitlines()
    assert lines[0].split() == ["公開物", "判定", "行数", "保護", "場所"]
    kaigo_line = next(ln for ln in lines if ln.startswith("kaigo "))
    assert "公開可" in kaigo_line and "486" in kaigo_line and "k-匿名化 k=" in kaigo_line
    strict_line = next(ln for ln in lines if ln.startswith("kaigo-strict"))
    assert "公開不可" in strict_line

    data = json.loads(run_cli("summary", tmp_path / "out", "--json").output)
    assert [d["name"] for d in data] == ["kaigo", "kaigo-strict"]
    assert data[0]["verdict"] == "released" and data[0]["rows"] == 486
    assert data[1]["verdict"] == "refused" and data[1]["rows"] is None
    assert data[1]["path"].endswith("kaigo-strict.refused.json")

    # nothing from the input: no name, no insured number
    raw = (copy_pipeline.__globals__["SAMPLES"] / "kaigo_utf8.csv").read_text(encoding="utf-8").splitlines()[1:]
    values = {cell for line in raw for cell in line.split(",")[:2]}
    assert not any(v and v in result.output for v in values)


def test_an_empty_or_missing_directory_is_exit_2(tmp_path):
    assert run_cli("summary", tmp_path).exit_code == 2
    assert run_cli("summary", tmp_path / "nope").exit_code == 2
