"""A steward's way through the tool in Japanese (the default) and in English (--lang en):
an Excel export with a title row and 不明 cells goes scan → init → run unedited; bad input —
a CP932 CSV with a short row, a pipeline with an unknown key — exits 2 with the message in
the language asked for, naming the row or YAML path and never a value."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from anonymizer.cli.main import cli

HEADER = ["番号", "氏名", "性別", "生年月日", "区分"]
NAMES = ["太郎", "花子", "一郎", "美咲", "健太", "さくら"]
ROWS = [
    [f"R{i:04d}", f"山田　{n}", "男" if i % 2 else "女",
     "不明" if i % 7 == 3 else f"19{60 + i % 30}-0{1 + i % 9}-1{i % 9}",
     "福祉" if i % 3 else "税務"]
    for i, n in enumerate(NAMES * 6)
]  # fmt: skip
LANGS = {
    # args before the command, the environment, and what each step prints in that language
    "ja": ([], {}, {"scan": "見出し: 3行目", "init": "を書きました", "run": "公開しました:",
                    "yaml": "# 既定で安全側"}),
    "en": (["--lang", "en"], {"LANG": "ja_JP.UTF-8"},
           {"scan": "header: row 3", "init": "wrote ", "run": "released:",
            "yaml": "# Safe by default"}),
}  # fmt: skip


def _env(**extra: str) -> dict[str, str | None]:
    return {"ANONYMIZER_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None, **extra}


def _invoke(lang: str, *args: str):
    pre, env, _ = LANGS[lang]
    return CliRunner().invoke(cli, [*pre, *args], env=_env(**env))


def _export(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["国立市 住民相談記録一覧（令和6年度）"])
    ws.append([])
    ws.append(HEADER)
    for row in ROWS:
        ws.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_excel_export_goes_scan_init_run_in_the_stewards_language(tmp_path, lang):
    export = _export(tmp_path / "export.xlsx")
    said = LANGS[lang][2]
    scan = _invoke(lang, "scan", str(export), "--mode", "fast")
    assert scan.exit_code == 0, scan.output
    assert said["scan"] in scan.output and "山田" not in scan.output
    pipeline = tmp_path / "export.yaml"
    init = _invoke(lang, "init", str(export), "-o", str(pipeline), "--mode", "fast",
                   "--title", "住民相談記録", "--publisher", "国立市 テスト課",
                   "--municipality-code", "132152")  # fmt: skip
    assert init.exit_code == 0, init.output
    assert said["init"] in init.output
    assert said["yaml"] in pipeline.read_text(encoding="utf-8")  # init's comments too
    run = _invoke(lang, "run", str(pipeline), "--out", str(tmp_path / "out"), "--no-progress")
    assert run.exit_code == 0, run.output  # 不明 is read as empty: nothing to edit
    assert said["run"] in run.stdout
    assert "山田" not in run.output


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ja", "4行目の項目数は 3、見出しは 5 です"),
        ("en", "row 4 has 3 fields, the header has 5"),
    ],
)
def test_a_cp932_csv_with_a_short_row_names_the_row(tmp_path, lang, expected):
    lines = ["住民相談記録", ",".join(HEADER), ",".join(ROWS[0]), "R9,山田　秘密,男"]
    path = tmp_path / "bad.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    result = _invoke(lang, "scan", str(path), "--mode", "fast")
    assert result.exit_code == 2
    assert expected in result.output and "[E003]" in result.output
    assert "秘密" not in result.output
    assert ("エラー" in result.output) == (lang == "ja")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ja", "input.sheet_name: 知らないキーです"),
        ("en", "input.sheet_name: Extra inputs are not permitted"),
    ],
)
def test_an_unknown_pipeline_key_names_the_yaml_path(tmp_path, lang, expected):
    export = _export(tmp_path / "export.xlsx")
    pipeline = tmp_path / "export.yaml"
    init = _invoke(lang, "init", str(export), "-o", str(pipeline), "--mode", "fast")
    assert init.exit_code == 0, init.output
    spec = yaml.safe_load(pipeline.read_text(encoding="utf-8"))
    spec["input"]["sheet_name"] = "Sheet1"
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    run = _invoke(lang, "run", str(pipeline), "--out", str(tmp_path / "out"))
    assert run.exit_code == 2
    assert expected in run.output and "[E002]" in run.output


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ja", ("公開を拒否しました", "個人情報が見つかりました: 氏名 に PERSON")),
        ("en", ("release refused, nothing was published", "in the output: 氏名 has PERSON")),
    ],
)
def test_a_refusal_gives_its_reasons_in_the_stewards_language(tmp_path, lang, expected):
    export = _export(tmp_path / "export.xlsx")
    pipeline = tmp_path / "export.yaml"
    init = _invoke(lang, "init", str(export), "-o", str(pipeline), "--mode", "fast",
                   "--title", "住民相談記録", "--publisher", "国立市 テスト課",
                   "--municipality-code", "132152")  # fmt: skip
    assert init.exit_code == 0, init.output
    spec = yaml.safe_load(pipeline.read_text(encoding="utf-8"))
    spec["columns"]["氏名"] = {"role": "other", "actions": ["keep"]}  # a name released as it is
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    run = _invoke(lang, "run", str(pipeline), "--out", str(tmp_path / "out"), "--no-progress")
    assert run.exit_code == 1
    assert all(e in run.output for e in expected), run.output
    assert "山田" not in run.output


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ja", "'性別 '（宣言は '性別': 名前の違いは空白、全角/半角、大文字/小文字だけです）"),
        ("en", "'性別 ' (declared as '性別': the names differ only in spaces, 全角/半角 or case)"),
    ],
)
def test_a_header_that_nearly_matches_names_the_declared_column(tmp_path, lang, expected):
    export = _export(tmp_path / "export.xlsx")
    pipeline = tmp_path / "export.yaml"
    assert _invoke(lang, "init", str(export), "-o", str(pipeline), "--mode", "fast").exit_code == 0
    from openpyxl import load_workbook

    book = load_workbook(export)
    book.active.cell(row=3, column=3).value = "性別 "  # next month's export: a space crept in
    book.save(export)
    run = _invoke(lang, "run", str(pipeline), "--out", str(tmp_path / "out"))
    assert run.exit_code == 2
    assert expected in run.output and "[E002]" in run.output
