"""Real releases of the sample pipelines (the real CLI into tmp dirs), once per session.

Every ``anonymized`` sample: soudan (a fast-mode copy here; the accurate original in a slow
test), kaigo, soudan_dp (with its DP ledger in the tmp state dir) and kaigo_cells (its
MILP takes half a minute: slow tests only).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.portal.ckan_server import FakeCkan
from tests.report._releases import PIPELINES, copy_pipeline, run_cli


def _release(directory: Path, pipeline: Path, name: str) -> Path:
    result = run_cli("run", pipeline, "--out", directory / "out", "--no-progress")
    assert result.exit_code == 0, result.stderr
    return directory / "out" / name


@pytest.fixture(scope="session")
def kaigo_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("portal-kaigo")
    return _release(d, copy_pipeline("kaigo", d), "kaigo")


@pytest.fixture(scope="session")
def soudan_fast_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pipelines/soudan.yaml in fast mode (keywords, free text, pseudonyms)."""
    d = tmp_path_factory.mktemp("portal-soudan")
    return _release(d, copy_pipeline("soudan", d, mode="fast"), "soudan")


@pytest.fixture(scope="session")
def dp_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("portal-dp")
    pipeline = copy_pipeline("soudan_dp", d)
    budget = run_cli("budget", "kunitachi-residents", "--state-dir", d / "state", "--total", "1")
    assert budget.exit_code == 0, budget.stderr
    return _release(d, pipeline, "soudan-dp")


@pytest.fixture(scope="session")
def cells_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pipelines/kaigo_cells.yaml (optimal secondary suppression: slow tests only)."""
    d = tmp_path_factory.mktemp("portal-cells")
    return _release(d, copy_pipeline("kaigo_cells", d), "kaigo-cells")


@pytest.fixture(scope="session")
def soudan_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pipelines/soudan.yaml itself (accurate mode: loads ja_ginza): slow tests only."""
    d = tmp_path_factory.mktemp("portal-soudan-accurate")
    return _release(d, PIPELINES / "soudan.yaml", "soudan")


@pytest.fixture
def ckan() -> Iterator[FakeCkan]:
    server = FakeCkan().start()
    yield server
    server.stop()
