"""A title and notes above the header (the way city exports are printed): the header row is
found, the rows above are skipped, and ``input.header_row`` overrides; scan says what it
assumed, init writes it down, and run releases the table (#19)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from anonymizer.cli.main import cli
from anonymizer.io import read_table
from anonymizer.io.table import find_header_row

HEADER = ["番号", "氏名", "性別", "区分", "相談内容"]
ROWS = [
    [f"R{i:04d}", f"山田　{n}", "男" if i % 2 else "女", "福祉" if i % 3 else "税務", "特になし"]
    for i, n in enumerate(["太郎", "花子", "一郎", "美咲", "健太", "さくら"] * 5)
]


def _xlsx(path: Path, above: list[list[str]], header: list[str] = HEADER) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in above:
        ws.append(row)
    ws.append(header)
    for row in ROWS:
        ws.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([HEADER, *ROWS], 0),
        ([["国立市 相談記録一覧"], ["作成日 2025年4月1日"], [], HEADER, *ROWS], 3),
        ([["相談記録", "", "", "", ""], HEADER, *ROWS], 1),
        # a first row of numbers is data, not a title: the reader's own error speaks
        ([["1", "2", "3", "4", "5"], *ROWS], 0),
        ([["タイトル"], ["1", "2", "3", "4", "5"]], 0),  # nothing qualifies: the first row
        ([], 0),
    ],
)
def test_find_header_row(rows, expected):
    assert find_header_row(rows) == expected


def test_an_excel_title_above_the_header_is_skipped(tmp_path):
    path = _xlsx(tmp_path / "in.xlsx", [["国立市 住民相談記録一覧（令和6年度）"], ["※ 内部資料"], []])
    table = read_table(path)
    assert list(table.frame.columns) == HEADER and len(table.frame) == len(ROWS)
    assert table.header_row == 4
    forced = read_table(path, header_row=4)
    assert list(forced.frame.columns) == HEADER


def test_a_csv_title_above_the_header_is_skipped(tmp_path):
    lines = ["住民相談記録一覧,,,,", ",,,,", ",".join(HEADER), *(",".join(r) for r in ROWS)]
    path = tmp_path / "in.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    table = read_table(path)
    assert list(table.frame.columns) == HEADER and table.header_row == 3
    assert table.frame["番号"].iloc[0] == "R0000"


def test_scan_init_run_on_an_excel_export_with_a_title_row(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = _xlsx(tmp_path / "export.xlsx", [["国立市 住民相談記録一覧"], []])
    runner = CliRunner()
    scan = runner.invoke(cli, ["scan", str(path), "--mode", "fast"])
    assert scan.exit_code == 0, scan.stderr
    assert "header: row 3" in scan.stdout and "Unnamed" not in scan.stdout
    pipeline = tmp_path / "p.yaml"
    init = runner.invoke(cli, [
        "init", str(path), "-o", str(pipeline), "--mode", "fast", "--title", "相談記録",
        "--publisher", "国立市 テスト課", "--municipality-code", "132152",
    ])  # fmt: skip
    assert init.exit_code == 0, init.stderr
    spec = yaml.safe_load(pipeline.read_text(encoding="utf-8"))
    assert spec["input"]["header_row"] == 3 and set(spec["columns"]) == set(HEADER)
    run = runner.invoke(cli, ["run", str(pipeline), "--out", str(tmp_path / "out"), "--no-progress"])
    assert run.exit_code in (0, 1), run.stderr  # released, or refused by the policy: not an error
    assert "Unnamed" not in run.stderr and "undeclared" not in run.stderr


def test_excel_dates_come_as_dates_and_text_numbers_keep_their_zeros(tmp_path):
    """A date cell reads as 1985-04-01 (not 1985-04-01 00:00:00, which no date operator reads);
    a real time of day stays; a number stored as text keeps its leading zeros."""
    import datetime as dt

    import pandas as pd

    from anonymizer.io import read_table

    path = tmp_path / "export.xlsx"
    pd.DataFrame({
        "生年月日": [dt.datetime(1985, 4, 1), dt.datetime(1990, 5, 2)],
        "受付日時": [dt.datetime(2024, 5, 1, 9, 30), dt.datetime(2024, 5, 2, 0, 0)],
        "被保険者番号": ["0012345678", "0098765432"],
    }).to_excel(path, index=False)  # fmt: skip
    frame = read_table(path).frame
    assert frame["生年月日"].tolist() == ["1985-04-01", "1990-05-02"]
    assert frame["受付日時"].tolist() == ["2024-05-01 09:30:00", "2024-05-02"]
    assert frame["被保険者番号"].tolist() == ["0012345678", "0098765432"]


def _merged_book(path, sub_headers: bool):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["国立市 相談記録一覧"])
    ws.append([])
    if sub_headers:
        ws.append(["相談番号", "氏名", "住所", None, "電話番号"])
        ws.append([None, None, "都道府県", "市区町村", None])
        for cells in ("C3:D3", "A3:A4", "B3:B4", "E3:E4"):
            ws.merge_cells(cells)
    else:
        ws.append(["相談番号", "連絡先", None])
        ws.merge_cells("B3:C3")
    for i in range(4):
        ws.append([str(i + 1), f"国立 {i}", "東京都", "国立市", "042-000-0000"][: 5 if sub_headers else 3])
    wb.save(path)


def test_merged_header_cells_name_their_columns(tmp_path):
    """住所 merged over two columns with 都道府県 / 市区町村 below: 住所・都道府県, 住所・市区町村,
    the cells merged down keep their names, and the data start below both rows; a merged cell
    with data right below names its columns 連絡先, 連絡先_2."""
    from anonymizer.io import read_table

    _merged_book(tmp_path / "two.xlsx", sub_headers=True)
    table = read_table(tmp_path / "two.xlsx")
    assert list(table.frame.columns) == ["相談番号", "氏名", "住所・都道府県", "住所・市区町村", "電話番号"]
    assert table.header_row == 3 and len(table.frame) == 4
    assert table.frame.iloc[0].tolist() == ["1", "国立 0", "東京都", "国立市", "042-000-0000"]

    _merged_book(tmp_path / "one.xlsx", sub_headers=False)
    table = read_table(tmp_path / "one.xlsx")
    assert list(table.frame.columns) == ["相談番号", "連絡先", "連絡先_2"]
    assert len(table.frame) == 4 and table.frame.iloc[0].tolist() == ["1", "国立 0", "東京都"]


def test_a_one_column_group_over_a_sub_header_joins_a_two_row_header(tmp_path):
    """申請者氏名 merged over 姓 / 名, and 連絡先 over 電話番号 in one column: a sub-header the
    rules know under a one-column header is part of the two-row header (it was read as the
    first data row, and the columns as 連絡先, 申請者氏名_2); a data value there is not (see
    the one-row case above). The sheet count is the workbook's (one), not the columns'."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["就学援助申請者一覧"])
    ws.append(["No.", "申請者氏名", None, "連絡先", "備考"])
    ws.append([None, "姓", "名", "電話番号", None])
    ws.merge_cells("B2:C2")
    for i in range(4):
        ws.append([str(i + 1), "上杉", f"翔{i}", "072-222-0000", "特になし"])
    wb.save(tmp_path / "groups.xlsx")
    table = read_table(tmp_path / "groups.xlsx")
    assert list(table.frame.columns) == ["No.", "申請者氏名・姓", "申請者氏名・名", "連絡先・電話番号", "備考"]
    assert len(table.frame) == 4 and table.frame.iloc[0].tolist()[:3] == ["1", "上杉", "翔0"]
    assert table.sheets == 1


def test_an_unmerged_two_row_header_names_its_columns(tmp_path):
    """The same two-row header without merged cells (as many systems write it): the group name
    followed by empty header cells, a sub-header under each of its columns."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["国立市 相談記録一覧"])
    ws.append(["相談番号", "氏名", "住所", None, None, "電話番号"])  # fmt: skip
    ws.append([None, None, "都道府県", "市区町村", "番地", None])
    for i in range(4):
        ws.append([str(i + 1), f"国立 {i}", "東京都", "国立市", f"{i}-1", "042-000-0000"])
    wb.save(tmp_path / "plain.xlsx")
    table = read_table(tmp_path / "plain.xlsx")
    assert list(table.frame.columns) == [
        "相談番号", "氏名", "住所・都道府県", "住所・市区町村", "住所・番地", "電話番号",
    ]  # fmt: skip
    assert table.header_row == 2 and len(table.frame) == 4
    assert table.frame.iloc[3].tolist() == ["4", "国立 3", "東京都", "国立市", "3-1", "042-000-0000"]
    # what init writes down (input.header_row: 2) reads the same two-row header
    again = read_table(tmp_path / "plain.xlsx", header_row=2)
    assert list(again.frame.columns) == list(table.frame.columns) and len(again.frame) == 4


def test_an_empty_header_cell_over_data_is_not_a_group(tmp_path):
    """An empty header cell whose column holds data (not a sub-header) stays unnamed: the run
    then names it as an undeclared column rather than guessing a group."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["相談番号", "氏名", None])
    for i in range(4):
        ws.append([str(i + 1), f"国立 {i}", "x"])
    wb.save(tmp_path / "blank.xlsx")
    assert [c.startswith("Unnamed") for c in read_table(tmp_path / "blank.xlsx").frame.columns] == [
        False, False, True,
    ]  # fmt: skip


def _serial_book(path: Path, columns: dict[str, list[object]], date_system_1904: bool = False) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    if date_system_1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904

        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(list(columns))
    for row in zip(*columns.values(), strict=True):
        ws.append(list(row))
    wb.save(path)
    return path


def test_excel_serials_in_date_columns_read_as_dates(tmp_path):
    """31138 in a date column is 1985-04-01 (whether the column says so by its other cells or by
    its header); 45383.5 keeps its time; an ID, a count or a serial-shaped code column with a
    non-date header is left as it is, and so is a date column holding a number no date has."""
    import datetime as dt

    path = _serial_book(
        tmp_path / "serials.xlsx",
        {
            "生年月日": [31138, 32995, None, 36617],           # by the header alone
            "受付": [dt.datetime(2024, 4, 1), 45383.5, 45384, 45385],  # by its other cells
            "宛名番号": [31138, 32995, 12345, 36617],           # an ID: not a date header
            "申請日": [31138, 99999999, 45384, 45385],          # one number no date has
            "件数": [3, 5, 7, 9],
        },
    )
    table = read_table(path)
    frame = table.frame
    assert frame["生年月日"].tolist()[:2] == ["1985-04-01", "1990-05-02"]
    assert frame["生年月日"].tolist()[3] == "2000-04-01"
    assert frame["受付"].tolist() == ["2024-04-01", "2024-04-01 12:00:00", "2024-04-02", "2024-04-03"]
    assert frame["宛名番号"].tolist() == ["31138", "32995", "12345", "36617"]
    assert frame["申請日"].tolist()[1] == "99999999"
    assert frame["件数"].tolist() == ["3", "5", "7", "9"]
    assert table.serial_dates == ("生年月日", "受付")


def test_the_1904_date_system_is_the_workbooks_own(tmp_path):
    path = _serial_book(tmp_path / "mac.xlsx", {"生年月日": [31138]}, date_system_1904=True)
    assert read_table(path).frame["生年月日"].tolist() == ["1989-04-02"]


def test_scan_says_which_columns_it_read_as_serials(tmp_path):
    path = _serial_book(tmp_path / "s.xlsx", {"生年月日": [31138, 32995, 36617] * 4, "性別": ["男", "女", "男"] * 4})
    result = CliRunner().invoke(cli, ["scan", str(path), "--mode", "fast", "--json", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    assert "生年月日" in result.output.split("Excel date serials")[1].splitlines()[0]
    import json

    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["serial_dates"] == ["生年月日"]


def test_serials_beside_missing_value_tokens_are_still_read(tmp_path):
    """不明 in a date column is a missing value (rules/missing.yaml), not a reason to leave the
    column's serials as numbers."""
    path = _serial_book(tmp_path / "m.xlsx", {"生年月日": [31138, "不明", 32995, "－"]})
    table = read_table(path)
    assert table.frame["生年月日"].tolist() == ["1985-04-01", "不明", "1990-05-02", "－"]
    assert table.serial_dates == ("生年月日",)
