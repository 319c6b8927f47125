"""``anonymizer scan``: CSV (CP932, UTF-8 with BOM), Excel and Parquet; never a raw value."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from anonymizer.cli.main import cli

N = 24
SURNAMES = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村"]
GIVEN = ["太郎", "花子", "一郎", "美咲", "健太", "さくら"]
MY_NUMBERS = ["123456789018", "100000000001", "200000000002"]  # valid check digits


def _table() -> tuple[dict[str, list[str]], list[str]]:
    names = [f"{SURNAMES[i % 8]}{GIVEN[i % 6]}" for i in range(N)]
    phones = [f"090-{2000 + i}-{6000 + i}" for i in range(N)]
    zips = [f"00{10000 + i}" for i in range(N)]  # leading zeros: 0010000…
    codes = [f"000{4000 + i}" for i in range(N)]  # 0004000…: unique, code-like
    notes = [f"{names[i]}さんから電話（{phones[i]}）があり、折り返した。" for i in range(N)]
    data = {
        "氏名": names,
        "電話番号": phones,
        "郵便番号": zips,
        "宛名コード": codes,
        "col_code": codes,
        "相談内容": notes,
        "区分": ["新規", "継続", "終了"] * (N // 3),
    }
    planted = names + phones + zips + codes
    return data, planted


def run(*args: str):
    return CliRunner().invoke(cli, ["scan", *args, "--mode", "fast"])


def write_csv(path: Path, encoding: str, sep: str = ",") -> list[str]:
    data, planted = _table()
    header = sep.join(data)
    rows = [sep.join(col[i] for col in data.values()) for i in range(N)]
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode(encoding))
    return planted


def check_profile(result, json_path: Path, planted: list[str]) -> dict:
    assert result.exit_code == 0, result.output
    doc = json.loads(json_path.read_text(encoding="utf-8"))
    assert set(doc) >= {"columns"}
    cols = {c["name"]: c for c in doc["columns"]}
    assert list(cols) == [
        "氏名",
        "電話番号",
        "郵便番号",
        "宛名コード",
        "col_code",
        "相談内容",
        "区分",
    ]
    for c in doc["columns"]:
        assert set(c) >= {"name", "role", "entities", "examples"}
        assert isinstance(c["entities"], dict) and isinstance(c["examples"], list)
    assert {n: c["role"] for n, c in cols.items()} == {
        "氏名": "direct_identifier",
        "電話番号": "direct_identifier",
        "郵便番号": "quasi_identifier",
        "宛名コード": "direct_identifier",
        "col_code": "direct_identifier",  # from the values: a unique linking code
        "相談内容": "free_text",
        "区分": "other",
    }
    assert cols["氏名"]["entities"] == {"PERSON": N}
    assert cols["電話番号"]["entities"] == {"JP_PHONE_NUMBER": N}
    assert cols["郵便番号"]["entities"] == {"JP_POSTAL_CODE": N}  # 7 digits: zeros survived
    assert cols["col_code"]["examples"] == ["9999999"]  # read as text, not the number 4000
    assert cols["相談内容"]["entities"] == {"JP_PHONE_NUMBER": N, "PERSON": N}
    # no raw sample value anywhere: stdout, stderr, JSON
    text = json_path.read_text(encoding="utf-8")
    for out in (result.stdout, result.stderr, text):
        assert [v for v in planted if v in out] == []
    return doc


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig", "utf-8", "euc_jp", "utf-16"])
def test_csv_encodings(tmp_path, encoding):
    src = tmp_path / "data.csv"
    planted = write_csv(src, encoding)
    out = tmp_path / "scan.json"
    result = run(str(src), "--json", str(out))
    doc = check_profile(result, out, planted)
    assert doc["rows"] == N and doc["delimiter"] == ","
    expected = {"cp932": "cp932", "utf-8-sig": "utf_8_sig", "utf-8": "utf_8", "euc_jp": "euc_jp",
                "utf-16": "utf_16"}  # Excel's "Unicode text": UTF-16 with its BOM
    assert doc["encoding"] == expected[encoding]
    assert f"encoding {expected[encoding]}" in result.stdout


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_excel_unicode_text_is_utf16_with_tabs(tmp_path, bom):
    """Excel's "Unicode テキスト" export: UTF-16 (either byte order, by its BOM), tab-delimited."""
    src = tmp_path / "data.txt"
    planted = write_csv(src, "utf-8", sep="\t")
    text = src.read_bytes().decode("utf-8")
    src.write_bytes(bom + text.encode("utf-16-le" if bom == b"\xff\xfe" else "utf-16-be"))
    out = tmp_path / "scan.json"
    doc = check_profile(run(str(src), "--json", str(out)), out, planted)
    assert (doc["encoding"], doc["delimiter"]) == ("utf_16", "\t")


def test_tsv_and_explicit_encoding(tmp_path):
    src = tmp_path / "data.tsv"
    planted = write_csv(src, "cp932", sep="\t")
    out = tmp_path / "scan.json"
    doc = check_profile(run(str(src), "--encoding", "cp932", "--json", str(out)), out, planted)
    assert doc["delimiter"] == "\t"


def test_excel(tmp_path):
    from openpyxl import Workbook

    data, planted = _table()
    wb = Workbook()
    wb.active.title = "表紙"
    wb.active.append(["この表は試験用です"])
    ws = wb.create_sheet("相談記録")
    ws.append(list(data))
    for i in range(N):
        ws.append([col[i] for col in data.values()])  # str cells: leading zeros kept
    src = tmp_path / "data.xlsx"
    wb.save(src)
    out = tmp_path / "scan.json"
    doc = check_profile(run(str(src), "--sheet", "相談記録", "--json", str(out)), out, planted)
    assert doc["encoding"] is None and doc["delimiter"] is None
    fullest = run(str(src))  # default: the sheet with the most filled cells, said by position
    assert fullest.exit_code == 0
    assert "sheet: position 1 of the workbook's 2" in fullest.stdout and "氏名:" in fullest.stdout
    assert "この表は試験用です" not in fullest.stdout and "相談記録" not in fullest.stdout
    missing = run(str(src), "--sheet", "存在しないシート")
    assert missing.exit_code == 2


def test_parquet(tmp_path):
    data, planted = _table()
    src = tmp_path / "data.parquet"
    pd.DataFrame(data).to_parquet(src)
    out = tmp_path / "scan.json"
    check_profile(run(str(src), "--json", str(out)), out, planted)


def test_stdout_lists_columns_roles_and_masked_examples(tmp_path):
    src = tmp_path / "data.csv"
    planted = write_csv(src, "cp932")
    result = run(str(src))
    assert result.exit_code == 0
    assert f"{src}: {N} rows, encoding cp932, mode fast" in result.stdout
    assert "氏名: direct_identifier (header); entities: PERSON×" in result.stdout
    assert "col_code: direct_identifier (values)" in result.stdout
    assert "e.g. ＜氏名＞" in result.stdout
    assert "＜氏名＞さんから電話（＜電話番号＞）" in result.stdout
    assert [v for v in planted if v in result.output] == []


def test_sample_option(tmp_path):
    src = tmp_path / "data.csv"
    write_csv(src, "utf-8")
    out = tmp_path / "scan.json"
    assert run(str(src), "--sample", "5", "--json", str(out)).exit_code == 0
    cols = {c["name"]: c for c in json.loads(out.read_text(encoding="utf-8"))["columns"]}
    assert cols["氏名"]["sampled"] == 5 and cols["氏名"]["non_empty"] == N
    assert run(str(src), "--sample", "0").exit_code == 2


def test_entities_option(tmp_path):
    src = tmp_path / "data.csv"
    write_csv(src, "utf-8")
    out = tmp_path / "scan.json"
    assert run(str(src), "--entities", "JP_PHONE_NUMBER", "--json", str(out)).exit_code == 0
    cols = {c["name"]: c for c in json.loads(out.read_text(encoding="utf-8"))["columns"]}
    assert cols["氏名"]["entities"] == {}
    assert cols["相談内容"]["entities"] == {"JP_PHONE_NUMBER": N}
    bad = run(str(src), "--entities", "NAME")
    assert bad.exit_code == 2 and "valid entities: PERSON" in bad.stderr


def test_undecodable_file_names_the_encodings_tried(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_bytes("氏名,電話\r\n".encode("cp932") + b"\x81\x7f\xf0\x28\x8c\x28,x\r\n" * 3)
    out = tmp_path / "scan.json"
    result = run(str(src), "--json", str(out))
    assert result.exit_code == 2
    for enc in ("utf_8", "cp932", "euc_jp", "shift_jis"):
        assert enc in result.stderr
    assert str(src) in result.stderr
    assert not out.exists()


def test_declared_encoding_that_does_not_fit(tmp_path):
    src = tmp_path / "data.csv"
    write_csv(src, "cp932")
    result = run(str(src), "--encoding", "utf-8")
    assert result.exit_code == 2
    assert "not decodable as utf-8" in result.stderr
    assert "山田" not in result.output


def test_ragged_rows_name_the_row_not_the_value(tmp_path):
    src = tmp_path / "ragged.csv"
    src.write_text(
        "氏名,電話番号\n山田太郎,090-1111-2222\n佐藤花子,090-3333-4444,余分\n", encoding="utf-8"
    )
    result = run(str(src))
    assert result.exit_code == 2
    assert "row 3 has 3 fields, the header has 2" in result.stderr
    for v in ("山田太郎", "佐藤花子", "090-3333-4444", "余分"):
        assert v not in result.output


def test_missing_file(tmp_path):
    result = run(str(tmp_path / "nothing.csv"))
    assert result.exit_code == 2
    assert "file not found" in result.stderr


def test_empty_csv(tmp_path):
    src = tmp_path / "empty.csv"
    src.write_bytes(b"")
    out = tmp_path / "scan.json"
    result = run(str(src), "--json", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert (doc["rows"], doc["columns"]) == (0, [])


def test_header_only_csv(tmp_path):
    src = tmp_path / "header.csv"
    src.write_text("氏名,電話番号\n", encoding="utf-8")
    out = tmp_path / "scan.json"
    assert run(str(src), "--json", str(out)).exit_code == 0
    cols = json.loads(out.read_text(encoding="utf-8"))["columns"]
    assert [(c["name"], c["role"], c["non_empty"], c["examples"]) for c in cols] == [
        ("氏名", "direct_identifier", 0, []),
        ("電話番号", "direct_identifier", 0, []),
    ]


def test_help_has_an_example():
    result = CliRunner().invoke(cli, ["scan", "--help"])
    assert result.exit_code == 0 and "anonymizer scan" in result.output


def test_progress_bar_on_request_without_headers_or_values(tmp_path):
    planted = write_csv(tmp_path / "in.csv", "utf-8")
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "in.csv"), "--mode", "fast", "--progress"])
    assert result.exit_code == 0, result.stderr
    assert "scan:" in result.stderr and "/7 " in result.stderr  # one step per column
    assert not any(p in result.stderr for p in planted) and "氏名" not in result.stderr
    # the category column shows its values with counts (8 each ≥ k = 5)
    assert "新規（8件）" in result.stdout
    quiet = CliRunner().invoke(cli, ["scan", str(tmp_path / "in.csv"), "--mode", "fast", "--no-progress"])
    assert quiet.stderr == ""
