"""``anonymizer report``: re-render report.html from report.json; bad input → exit 2 naming it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.report._releases import copy_pipeline, run_cli


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("kaigo")
    assert (
        run_cli("run", copy_pipeline("kaigo", d), "--out", d / "out", "--no-progress").exit_code
        == 0
    )
    return d / "out" / "kaigo"


@pytest.fixture
def copy(release: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(release, tmp_path / "kaigo"))


def test_rerender_gives_the_released_page_byte_for_byte(copy):
    original = (copy / "report.html").read_bytes()
    (copy / "report.html").unlink()
    result = run_cli("report", copy)
    assert result.exit_code == 0, result.stderr
    assert (copy / "report.html").read_bytes() == original
    assert result.stdout.strip() == f"wrote {copy / 'report.html'}" and result.stderr == ""


def test_output_option_and_a_json_file_argument(copy, tmp_path):
    result = run_cli("report", copy / "report.json", "--output", tmp_path / "page.html")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "page.html").read_bytes() == (copy / "report.html").read_bytes()
    refused = tmp_path / "kaigo.refused.json"
    shutil.copy(copy / "report.json", refused)
    assert run_cli("report", refused).exit_code == 0
    assert (tmp_path / "kaigo.refused.html").is_file()


def test_a_changed_page_is_noted_against_the_manifest(copy):
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"]["report.html"] = "0" * 64
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = run_cli("report", copy)
    assert result.exit_code == 0 and "differs from the copy manifest.json recorded" in result.stderr


def _broken(copy: Path, edit) -> dict:
    report = json.loads((copy / "report.json").read_text(encoding="utf-8"))
    edit(report)
    (copy / "report.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return report


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: r["verdict"].pop("summary"), "report.json: verdict.summary: Field required"),
        (lambda r: r.pop("provenance"), "report.json: provenance: Field required"),
        (
            lambda r: r["steps"][0].pop("suppressed"),
            r"report.json: steps\[0\].kanonymity.suppressed: Field required",
        ),
        (lambda r: r["risk"]["after"].update(records="x"), "report.json: risk.after.records:"),
        (
            lambda r: r.update(schema_version="1.0"),
            "report.json: schema_version: '1.0' is not supported",
        ),
    ],
)
def test_a_missing_or_bad_field_exits_2_naming_it(copy, edit, message):
    before = (copy / "report.html").read_bytes()
    _broken(copy, edit)
    result = run_cli("report", copy)
    assert result.exit_code == 2
    assert re.search(message, result.stderr), result.stderr
    assert (copy / "report.html").read_bytes() == before  # nothing half-written


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "report.json: not found"),
        ("{not json", r"report.json: not valid JSON \(line 1, column 2\)"),
        ("[1, 2]", "report.json: .top level.: expected a JSON object"),
        (b"\xff\xfe\x00", "report.json: cannot be read"),
    ],
)
def test_a_missing_or_corrupt_file_exits_2(copy, content, message):
    target = copy / "report.json"
    if content is None:
        target.unlink()
    elif isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    result = run_cli("report", copy)
    assert result.exit_code == 2
    assert re.search(message, result.stderr), result.stderr


def test_help_has_an_example():
    result = run_cli("report", "--help")
    assert result.exit_code == 0 and "anonymizer report out/soudan" in result.stdout
