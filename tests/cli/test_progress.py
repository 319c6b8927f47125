"""Progress bars: on stderr with ``--progress``, none with ``--no-progress`` nor by default when
stderr is not a terminal (the test runner's is not); labels and counts only — no value, no
column header — for ``run`` (columns, detection, the k-anonymity lattice), ``kanon`` (nodes
evaluated) and ``dp`` (measures)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from tests.kanon.conftest import people
from tests.pipeline.conftest import COLUMNS, PLANTED, Work, cli_run, leaks

ROOT = Path(__file__).resolve().parents[2]
BAR = re.compile(r"\d+%\||\d+(列|件|ノード|測定|columns|texts|nodes|measures) \[")


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Work:
    monkeypatch.delenv("ANONYMIZER_KEY", raising=False)
    return Work(tmp_path)


FLAGS = [("--progress", True), ("--no-progress", False), (None, False)]


@pytest.mark.parametrize(("flag", "shown"), FLAGS)
def test_run(work, flag, shown):
    args = ["run", work.setup().pipeline, "--out", work.out, *([flag] if flag else [])]
    res = cli_run(*args)
    assert res.exit_code == 0, res.stderr
    assert bool(BAR.search(res.stderr)) is shown and ("columns:" in res.stderr) is shown
    assert not BAR.search(res.stdout)  # bars never on stdout
    if shown:  # no value, and no column header either (a header may itself be personal)
        assert leaks([res.stderr], PLANTED) == []
        assert not [c for c in COLUMNS if c in res.stderr]
    else:
        assert res.stderr == ""


def test_bars_speak_the_runs_language(tmp_path):
    """The labels and units are catalog messages: Japanese by default, English with --lang en
    (the test suite runs in English)."""
    ja = cli_run("--lang", "ja", "run", ROOT / "pipelines" / "kaigo.yaml", "--out", tmp_path / "ja",
                 "--progress")  # fmt: skip
    assert ja.exit_code == 0, ja.stderr
    assert "k-匿名化（格子 200）" in ja.stderr and "ノード" in ja.stderr and "列:" in ja.stderr


def test_run_shows_the_lattice_search_of_its_k_anonymity_step(tmp_path):
    res = cli_run("run", ROOT / "pipelines" / "kaigo.yaml", "--out", tmp_path, "--progress")
    assert res.exit_code == 0, res.stderr
    assert "k-anonymity (lattice of 200)" in res.stderr and "nodes" in res.stderr


@pytest.fixture
def people_csv(tmp_path: Path) -> Path:
    src = tmp_path / "in.csv"
    people(300, seed=2).to_csv(src, index=False)
    return src


@pytest.mark.parametrize(("flag", "shown"), FLAGS)
def test_kanon(people_csv, flag, shown):
    res = cli_run("kanon", people_csv, "--qi", "age=age_5y", "--qi", "zip=postal_code", "--k", "5",
                  "--suppression", "0.05", "--out", people_csv.with_name("out.csv"),
                  *([flag] if flag else []))  # fmt: skip
    assert res.exit_code == 0, res.output
    assert ("k-anonymity (lattice of" in res.stderr) is shown and bool(BAR.search(res.stderr)) is shown
    assert "levels age=" in res.stderr  # the summary line is still there


@pytest.mark.parametrize(("flag", "shown"), FLAGS)
def test_dp(tmp_path, monkeypatch, flag, shown):
    monkeypatch.chdir(tmp_path)
    rows = [(f"p{i % 50}", "青柳" if i % 2 else "石田", "2024-04") for i in range(200)]
    pd.DataFrame(rows, columns=["住民ID", "町", "月"]).to_csv("in.csv", index=False)
    assert cli_run("budget", "city", "--state-dir", "state", "--total", "1").exit_code == 0
    res = cli_run("dp", "in.csv", "--group-by", "町=kunitachi_cho.txt", "--count",
                  "--id-column", "住民ID", "--max-rows-per-id", "2", "--epsilon", "0.5",
                  "--population", "city", "--state-dir", "state", "--out", "out.csv",
                  *([flag] if flag else []))  # fmt: skip
    assert res.exit_code == 0, res.output
    assert ("differential privacy" in res.stderr) is shown and bool(BAR.search(res.stderr)) is shown
    assert "p1" not in res.stderr and not BAR.search(res.stdout)
    if not shown:
        assert res.stderr == ""
