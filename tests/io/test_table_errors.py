"""Input that cannot be read is an InputError naming the file (and line and byte where there is
one) — never a traceback, never a value from the file."""

import time

import pandas as pd
import pytest

from anonymizer.errors import InputError
from anonymizer.io import read_table
from anonymizer.io import table as table_module

SECRET = "山田太郎"


def _excel(path, rows):
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "parquet"])
def test_empty_and_header_only_name_the_file(tmp_path, suffix):
    empty, header = tmp_path / f"empty.{suffix}", tmp_path / f"header.{suffix}"
    if suffix == "csv":
        empty.write_bytes(b"")
        header.write_text("氏名,電話番号\r\n", encoding="utf-8")
    elif suffix == "xlsx":
        _excel(empty, [])
        _excel(header, [["氏名", "電話番号"]])
    else:
        pd.DataFrame().to_parquet(empty)
        pd.DataFrame({"氏名": pd.array([], dtype="string")}).to_parquet(header)
    with pytest.raises(InputError, match="the file is empty") as err:
        read_table(empty, require_data=True)
    assert str(empty) in err.value.message
    with pytest.raises(InputError, match="header row .* but no data rows") as err:
        read_table(header, require_data=True)
    assert str(header) in err.value.message
    assert len(read_table(header).frame) == 0  # a scan may still profile the headers


def test_declared_encoding_error_gives_line_and_byte(tmp_path):
    path = tmp_path / "mixed.csv"
    head = "氏名,区分\n佐藤,A\n".encode()
    path.write_bytes(head + SECRET.encode("cp932") + b",B\n")
    with pytest.raises(InputError) as err:
        read_table(path, encoding="utf-8")
    msg = err.value.message
    assert "line 3, byte 1 of that line" in msg and f"offset {len(head)}" in msg
    assert SECRET not in msg


def test_undetectable_encoding_gives_line_and_byte_per_encoding(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\r\n1,2\r\n3,\x81\r\n")  # a lead byte with no trail: in no encoding
    with pytest.raises(InputError) as err:
        read_table(path)
    assert "UTF-8: line 3, byte 3 of that line" in err.value.message


def test_a_50_mb_cell_is_read(tmp_path):
    """A cell of any size is valid CSV (the csv module's default limit was 128 KiB: a
    traceback and exit 1)."""
    big = "あ" * (50 * 1024 * 1024 // 3 + 1)
    path = tmp_path / "big.csv"
    path.write_text(f"番号,内容\r\n1,短い\r\n2,{big}\r\n3,\"引用,符\"\r\n", encoding="utf-8")
    t = time.perf_counter()
    frame = read_table(path, require_data=True).frame
    assert time.perf_counter() - t < 60
    assert frame["内容"].str.len().tolist() == [2, len(big), 4]


def test_a_cell_over_the_stated_limit_is_refused_with_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(table_module, "MAX_CELL_CHARS", 1000)
    path = tmp_path / "big.csv"
    path.write_text("番号,内容\n1,x\n2," + "y" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="longer than 1,000 characters") as err:
        read_table(path)
    assert "line 3" in err.value.message and "yyy" not in err.value.message


def test_excel_sheet_errors_do_not_list_the_workbooks_sheet_names(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = SECRET  # a sheet named after a person
    wb.active.append(["a"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    for sheet, expected in (("相談記録", "'相談記録' not found"), (3, "has 1 sheet")):
        with pytest.raises(InputError, match=expected) as err:
            read_table(path, sheet=sheet)
        assert SECRET not in err.value.message


@pytest.mark.parametrize(("suffix", "expected"), [
    ("xlsx", "not a readable Excel workbook"),
    ("parquet", "not a readable Parquet file"),
])  # fmt: skip
def test_damaged_binary_files(tmp_path, suffix, expected):
    path = tmp_path / f"damaged.{suffix}"
    path.write_bytes(SECRET.encode() * 100)
    with pytest.raises(InputError, match=expected) as err:
        read_table(path)
    assert SECRET not in err.value.message


def test_unknown_declared_encoding(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a\n1\n")
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read_table(path, encoding="klingon")
