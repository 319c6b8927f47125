"""A legacy Excel 97–2003 workbook (.xls), as older municipal systems still export: read like
an .xlsx — title rows skipped, date cells as dates, a two-row header joined, a damaged file an
input error naming it — and through the default path (init → run) like any export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from anonymizer.errors import InputError
from anonymizer.io import read_table
from samples._write import write_legacy_xls


def _rows(path: Path, rows: list[list[object]], date_columns: tuple[int, ...] = ()) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("一覧")
    as_date = xlwt.easyxf(num_format_str="yyyy/mm/dd")
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None:
                continue
            if j in date_columns and isinstance(value, dt.date):
                sheet.write(i, j, value, as_date)
            else:
                sheet.write(i, j, value)
    book.save(str(path))
    return path


def test_a_title_row_is_skipped_and_date_cells_read_as_dates(tmp_path):
    path = _rows(tmp_path / "x.xls", [
        ["国立市 相談記録一覧"], [],
        ["相談番号", "受付日", "被保険者番号", "年齢"],
        ["R06-000001", dt.date(2024, 4, 1), "0012345678", 71],
        ["R06-000002", dt.date(2024, 5, 2), "0098765432", 8],
    ], date_columns=(1,))  # fmt: skip
    table = read_table(path)
    assert table.header_row == 3 and table.encoding is None
    assert list(table.frame.columns) == ["相談番号", "受付日", "被保険者番号", "年齢"]
    assert table.frame["受付日"].tolist() == ["2024-04-01", "2024-05-02"]
    assert table.frame["被保険者番号"].tolist() == ["0012345678", "0098765432"]
    assert table.frame["年齢"].tolist() == ["71", "8"]
    assert table.rows.sheet_row(1) == 4  # the sheet row a steward sees


def test_a_two_row_header_is_joined(tmp_path):
    path = _rows(tmp_path / "x.xls", [
        ["相談番号", "氏名", "住所", None, "電話番号"],
        [None, None, "都道府県", "市区町村", None],
        ["1", "国立 一", "東京都", "国立市", "042-000-0000"],
        ["2", "国立 二", "東京都", "府中市", "042-000-0001"],
    ])  # fmt: skip
    table = read_table(path)
    assert list(table.frame.columns) == [
        "相談番号", "氏名", "住所・都道府県", "住所・市区町村", "電話番号",
    ]  # fmt: skip
    assert table.frame["住所・市区町村"].tolist() == ["国立市", "府中市"]


@pytest.mark.parametrize("size", [3000, 20000, None])
def test_a_damaged_or_foreign_xls_is_an_input_error_naming_it(tmp_path, size):
    good = write_legacy_xls(
        pd.DataFrame({"相談番号": [f"R{i:05d}" for i in range(400)], "区分": ["福祉"] * 400}),
        tmp_path / "good.xls",
    )
    bad = tmp_path / "bad.xls"
    bad.write_bytes(good.read_bytes()[:size] if size else b"not a workbook at all")
    with pytest.raises(InputError, match=r"bad\.xls: not a readable Excel workbook"):
        read_table(bad)


def test_the_default_path_on_an_xls_export_releases_no_planted_value(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from anonymizer.cli.main import cli
    from samples._datasets import generate_consultations

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    sample = generate_consultations(300, 37)
    path = write_legacy_xls(sample.frame, tmp_path / "soudan.xls", "令和6年度 住民相談記録")
    pipeline = tmp_path / "p.yaml"
    runner = CliRunner()
    init = runner.invoke(cli, [
        "init", str(path), "-o", str(pipeline), "--mode", "fast", "--title", "相談記録",
        "--publisher", "国立市 テスト課", "--municipality-code", "132152",
    ])  # fmt: skip
    assert init.exit_code == 0, init.stderr
    run = runner.invoke(cli, ["run", str(pipeline), "--out", str(tmp_path / "out"), "--no-progress"])
    assert run.exit_code == 0, run.stderr
    released = "\n".join(
        p.read_text(encoding="utf-8-sig", errors="replace")
        for p in (tmp_path / "out").rglob("*") if p.is_file()
    )  # fmt: skip
    frame = sample.frame
    planted = {
        str(frame.iloc[g["row"]][g["column"]])[g["start"] : g["end"]]
        for g in sample.gold.to_dict("records")
        if g["type"] not in ("DATE", "AGE")
    }
    planted = {v for v in planted if len(v) >= 4}
    assert len(planted) > 1000
    assert [v for v in planted if v in released] == []
