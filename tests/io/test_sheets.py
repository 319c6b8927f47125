"""Workbooks of several sheets: a run is told which one; scan and init choose the fullest."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from anonymizer.cli.main import cli
from anonymizer.errors import InputError
from anonymizer.io import read_table
from tests.io.test_header_row import HEADER, ROWS


def _workbook(path: Path, records_at: int, sheets: int = 3) -> Path:
    """A cover and a notes sheet around the records (sheet names after people: never echoed)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for i in range(sheets):
        ws = wb.create_sheet(f"山田太郎{i}")
        if i == records_at:
            ws.append(HEADER)
            for row in ROWS:
                ws.append(row)
        else:
            ws.append(["表紙"])
            ws.append(["このブックには個人情報を含みます"])
    wb.save(path)
    return path


def test_a_run_needs_the_sheet_named_and_never_echoes_sheet_names(tmp_path):
    path = _workbook(tmp_path / "book.xlsx", records_at=1)
    with pytest.raises(InputError) as err:
        read_table(path)
    assert "3 sheets" in str(err.value) and "input.sheet" in str(err.value)
    assert "山田" not in str(err.value)
    assert list(read_table(path, sheet=1).frame.columns) == HEADER
    assert list(read_table(path, sheet="山田太郎1").frame.columns) == HEADER


@pytest.mark.parametrize("records_at", [0, 1, 2])
def test_choose_sheet_reads_the_sheet_with_the_most_filled_cells(tmp_path, records_at):
    path = _workbook(tmp_path / "book.xlsx", records_at=records_at)
    table = read_table(path, choose_sheet=True)
    assert list(table.frame.columns) == HEADER and len(table.frame) == len(ROWS)
    assert (table.sheet, table.sheets) == (records_at, 3)


def test_a_single_sheet_workbook_needs_no_sheet(tmp_path):
    path = _workbook(tmp_path / "book.xlsx", records_at=0, sheets=1)
    table = read_table(path)
    assert list(table.frame.columns) == HEADER and table.sheet is None


def test_scan_and_init_say_and_write_which_sheet_and_the_run_reads_it(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = _workbook(tmp_path / "export.xlsx", records_at=2)
    runner = CliRunner()
    scan = runner.invoke(cli, ["scan", str(path), "--mode", "fast"])
    assert scan.exit_code == 0, scan.stderr
    assert "sheet: position 2 of the workbook's 3" in scan.stdout and "山田太郎2" not in scan.stdout
    pipeline = tmp_path / "p.yaml"
    init = runner.invoke(cli, [
        "init", str(path), "-o", str(pipeline), "--mode", "fast", "--title", "相談記録",
        "--publisher", "国立市 テスト課", "--municipality-code", "132152",
    ])  # fmt: skip
    assert init.exit_code == 0, init.stderr
    spec = yaml.safe_load(pipeline.read_text(encoding="utf-8"))
    assert spec["input"]["sheet"] == 2 and set(spec["columns"]) == set(HEADER)
    run = runner.invoke(cli, ["run", str(pipeline), "--out", str(tmp_path / "out"), "--no-progress"])
    assert run.exit_code in (0, 1), run.stderr  # released, or refused by the policy: not an error
    del spec["input"]["sheet"]
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    run = runner.invoke(cli, ["run", str(pipeline), "--out", str(tmp_path / "out2"), "--no-progress"])
    assert run.exit_code == 2 and "input.sheet" in run.stderr and "山田" not in run.stderr
