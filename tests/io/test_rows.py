"""One row numbering: the spreadsheet row a steward sees, the data row in brackets."""

from __future__ import annotations

import pytest

from anonymizer.i18n import set_language
from anonymizer.io import read_table
from anonymizer.io.rows import RowMap, describe_rows, numbering


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    set_language(None)


def test_an_excel_title_row_moves_the_sheet_rows(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    rows = (["国立市 一覧"], [], ["番号", "氏名", "性別", "区分"], ["1", "甲", "男", "A"],
            [None, None, None, None], ["3", "乙", "女", "B"])  # fmt: skip
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / "t.xlsx")
    table = read_table(tmp_path / "t.xlsx")
    assert table.header_row == 3
    # data row 1 is sheet row 4; a blank row stays a row in the sheet and in the frame
    assert [table.row_map.sheet_row(i) for i in (1, 2, 3)] == [4, 5, 6]


def test_a_csv_record_over_several_lines_is_one_row(tmp_path):
    text = (
        '一覧,,,\n番号,相談内容,性別,区分\n1,"一行目\n二行目\n三行目",男,A\n\n2,短い,女,B\n'
        "3,x,男,A\n"
    )
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    table = read_table(tmp_path / "t.csv")
    assert table.frame["番号"].tolist() == ["1", "2", "3"]
    # rows as Excel shows them: 一覧 1, header 2, the 3-line record 3, the blank line 4
    assert table.rows == RowMap((3, 5, 6))


@pytest.mark.parametrize(
    ("lang", "mapped", "plain"),
    [
        ("en", "row 5 (data row 2), row 6 (data row 3), …", "data row 2, data row 3, …"),
        ("ja", "5行目（データ2行目）、6行目（データ3行目）、…", "データ2行目、データ3行目、…"),
    ],
)
def test_rows_are_named_in_both_languages(lang, mapped, plain):
    set_language(lang)
    with numbering(RowMap((3, 5, 6))):
        assert describe_rows([2, 3], more=True) == mapped
    assert describe_rows([2, 3], more=True) == plain
