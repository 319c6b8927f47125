"""Session fixtures: one real release per kind of report (k-anonymity, DP, refusal, and the
accurate-mode consultation sample), each run once by the real CLI into a tmp directory."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.report._releases import PIPELINES, copy_pipeline, run_cli, write_key


@pytest.fixture(scope="session")
def kaigo_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pipelines/kaigo.yaml: k-anonymity step (k=5, ℓ=2, 5% suppression)."""
    d = tmp_path_factory.mktemp("kaigo")
    result = run_cli("run", copy_pipeline("kaigo", d), "--out", d / "out", "--no-progress")
    assert result.exit_code == 0, result.stderr
    return d / "out" / "kaigo"


@pytest.fixture(scope="session")
def dp_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pipelines/soudan_dp.yaml released twice from one population: a ledger with history."""
    d = tmp_path_factory.mktemp("dp")
    pipeline = copy_pipeline("soudan_dp", d)
    budget = run_cli(
        "budget", "kunitachi-residents", "--state-dir", d / "state", "--total", "1.2"
    )
    assert budget.exit_code == 0, budget.stderr
    for _ in range(2):
        result = run_cli("run", pipeline, "--out", d / "out", "--no-progress", "--force")
        assert result.exit_code == 0, result.stderr
    return d / "out" / "soudan-dp"


@pytest.fixture(scope="session")
def refusal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The consultation sample with 氏名 released as it is: the gate refuses; the refusal's
    JSON is rendered by ``anonymizer report``. Returns the .refused.json path."""
    d = tmp_path_factory.mktemp("refusal")
    columns = yaml.safe_load((PIPELINES / "soudan.yaml").read_text(encoding="utf-8"))["columns"]
    columns["氏名"] = {"role": "direct_identifier", "entity": "PERSON", "actions": ["keep"]}
    pipeline = copy_pipeline("soudan", d, mode="fast", columns=columns)
    result = run_cli("run", pipeline, "--out", d / "out", "--no-progress")
    assert result.exit_code == 1, result.stderr
    refused = d / "out" / "soudan.refused.json"
    rendered = run_cli("report", refused)
    assert rendered.exit_code == 0, rendered.stderr
    return refused


@pytest.fixture(scope="session")
def soudan_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pipelines/soudan.yaml itself (accurate mode: loads ja_ginza) on samples/, with a key
    made here and --out in the tmp dir. Only slow tests use it."""
    d = tmp_path_factory.mktemp("soudan")
    result = run_cli("run", PIPELINES / "soudan.yaml", "--out", d / "out", "--no-progress")
    assert result.exit_code == 0, result.stderr
    return d / "out" / "soudan"
