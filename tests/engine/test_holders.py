"""``holders`` on the executors (#21): a register of permit holders classified and protected
where its rows are — the pandas engine's release, step report, public cells and gate
checks; flagged rows refused with the same message, naming rows, never values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from anonymizer.cli.main import cli
from tests.engine.test_equivalence import _same
from tests.pipeline.conftest import leaks, write_csv, write_pipeline
from tests.steps.test_holders import canaries, corporate_number, invalid_number, register, shipped


def _setup(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    write_csv(tmp_path / "in.csv", rows, encoding="utf-8-sig")
    spec = shipped(str(tmp_path / "in.csv"))
    spec["output"]["max_rows_per_file"] = 50  # part files too
    return write_pipeline(tmp_path / "p.yaml", spec)


def _run(pipeline: Path, out: Path, engine: str, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_STATE_HOME", str(out.parent / f"state-{engine}"))
    args = ["run", str(pipeline), "--out", str(out), "--insecure-seed", "7", "--no-progress",
            "--engine", engine, "--master", "local[2]"]  # fmt: skip
    return CliRunner().invoke(cli, args)


def test_the_sample_register_runs_holders_on_the_executors():
    from anonymizer.engine.spark import _holders, _tabulated
    from anonymizer.steps.base import build_step

    spec = shipped()
    steps = [
        build_step(s["type"], {k: v for k, v in s.items() if k != "type"}, f"steps[{i}]")
        for i, s in enumerate(spec["steps"])
    ]
    assert _holders(steps) and not _tabulated(steps)


@pytest.mark.slow
def test_a_register_is_released_alike_where_its_rows_are(spark, tmp_path, monkeypatch):
    rows, people = register(individuals=60, corporations=60)
    pipeline = _setup(tmp_path, rows)
    releases = []
    for engine in ("pandas", "spark"):
        run = _run(pipeline, tmp_path / engine, engine, monkeypatch)
        assert run.exit_code == 0, run.output
        releases.append(tmp_path / engine / "eigyo-kyoka")
    local, remote = releases
    _same(local, remote)
    report = json.loads((remote / "report.json").read_text(encoding="utf-8"))
    step = report["steps"][0]
    assert (step["corporations"], step["individuals"]) == (60, 60)
    holders = [c for c in report["gate"]["checks"] if c["name"] == "holders"]
    assert holders and holders[0]["passed"] and holders[0]["data"]["corporations"] == 60
    texts = [p.read_text(encoding="utf-8-sig") for p in remote.iterdir() if p.is_file()]
    assert leaks(texts, canaries(people)) == []


@pytest.mark.slow
def test_flagged_rows_are_refused_alike_naming_rows(spark, tmp_path, monkeypatch):
    rows, people = register()
    rows[2] = {**rows[2], "営業者氏名又は名称": "有限会社カナリア屋", "法人番号": invalid_number(7)}
    rows[8] = {**rows[8], "法人番号": corporate_number(99)}
    pipeline = _setup(tmp_path, rows)
    messages = []
    for engine in ("pandas", "spark"):
        run = _run(pipeline, tmp_path / engine, engine, monkeypatch)
        assert run.exit_code == 2, run.output
        assert not (tmp_path / engine / "eigyo-kyoka").exists()
        messages.append(run.output)
    assert messages[0] == messages[1]
    assert "2 of 16 row(s) are neither a corporation" in messages[1]
    assert "(row 4 (data row 3))" in messages[1] and "(row 10 (data row 9))" in messages[1]
    flagged = ["カナリア", invalid_number(7), corporate_number(99), *canaries(people)]
    assert leaks(messages, flagged) == []


@pytest.mark.slow
def test_the_sample_register_is_released_alike(spark, tmp_path):
    """The shipped 食品等営業許可 pipeline on a synthetic city's register (another seed)."""
    from samples.city import generate_city, render
    from tests.engine.test_equivalence import _pipeline
    from tests.engine.test_tables import _both

    data = tmp_path / "eigyo_kyoka.csv"
    data.write_bytes(render(generate_city(residents=3_000, seed=23))["eigyo_kyoka.csv"])
    local, remote = _both(_pipeline(tmp_path, "eigyo_kyoka", data), tmp_path)
    _same(local, remote)
