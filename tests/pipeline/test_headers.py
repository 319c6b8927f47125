"""Headers are data: a missing header row is named as such without its values; an undeclared
header that looks like a value is not quoted; a released header holding personal information
refuses the release (and stays out of the refusal); a formula-looking header is neutralised."""

import json

import pandas as pd
import pytest

from anonymizer.pipeline.headers import data_like
from tests.pipeline.conftest import (
    PLANTED,
    ROWS,
    base_pipeline,
    leaks,
    released_texts,
    visible,
)


def _no_header_csv(path, rows):
    frame = pd.DataFrame(rows, dtype="string")
    frame.to_csv(path, index=False, header=False, lineterminator="\r\n")


def test_a_file_without_a_header_row_says_so_without_its_values(work):
    work.setup()
    _no_header_csv(work.input, ROWS)
    result = work.run()
    assert result.exit_code == 2
    assert "no header row?" in result.stderr and str(work.input) in result.stderr
    assert leaks([result.stdout, result.stderr]) == []
    assert not work.out.exists()


def test_the_wrong_excel_sheet_says_no_header_row(work, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "データ"
    for r in ROWS:  # the data without its header row, as on a printed sheet
        wb.active.append(list(r.values()))
    wb.save(tmp_path / "in.xlsx")
    spec = base_pipeline()
    spec["input"] = {"path": "in.xlsx", "sheet": "データ"}
    work.setup(spec)
    result = work.run()
    assert result.exit_code == 2 and "no header row?" in result.stderr
    assert leaks([result.stdout, result.stderr]) == []


def test_an_undeclared_header_is_named_unless_it_looks_like_data(work):
    rows = [dict(r, 世帯番号="H-1", **{"090-1234-5678": "x"}) for r in ROWS]
    result = work.setup(rows=rows).run()
    assert result.exit_code == 2
    assert "'世帯番号'" in result.stderr
    assert "column 12 (its header looks like data: not shown)" in result.stderr
    assert leaks([result.stdout, result.stderr]) == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("相談者ID", False), ("代理人ID", False), ("申請者名", False), ("受付日", False),
        ("2024年度件数", True), ("山田太郎", True), ("090-1234-5678", True),
        ("suzuki@example.jp", True), ("1950/04/01", True), ("R06-000101", True),
        ("東京都国立市富士見台1-2-3", True),
    ],
)  # fmt: skip
def test_data_like(header, expected):
    from anonymizer.detect import Detector

    with Detector("fast") as det:
        assert data_like([header], det) == [expected]


@pytest.mark.parametrize(("renamed", "why"), [
    ("田中一郎", "PERSON"),
    ("連絡先080-9999-1111", "JP_PHONE_NUMBER"),
    ("R06-000101", "a raw identifier value"),  # a value of the direct identifier 管理番号
])  # fmt: skip
def test_a_header_holding_personal_information_refuses_and_is_not_repeated(work, renamed, why):
    spec = base_pipeline()
    spec["output"]["columns"][1] = {"from": "性別", "to": renamed}
    result = work.setup(spec).run()
    assert result.exit_code == 1, result.stderr
    assert f"headers: personal information in released column headers: column 2 ({why}" in (
        result.stderr
    )
    assert not work.release.exists()
    assert visible(work.out) == ["soudan-test.refused.html", "soudan-test.refused.json"]
    written = list(released_texts(work.out).values())
    assert leaks([*written, result.stdout, result.stderr], (*PLANTED, renamed)) == []
    refusal = json.loads((work.out / "soudan-test.refused.json").read_text(encoding="utf-8"))
    [check] = [c for c in refusal["gate"]["checks"] if c["name"] == "headers"]
    assert check["passed"] is False and check["data"]["columns"] == {"2": [why]}
    assert renamed not in json.dumps(refusal, ensure_ascii=False)
    assert any("列見出し（2列目）に個人情報" in r for r in refusal["verdict"]["reasons"])


def test_a_formula_header_is_neutralised_everywhere_it_is_released(work):
    spec = base_pipeline()
    spec["output"]["columns"][1] = {"from": "性別", "to": "=SUM(1,2)"}
    assert work.setup(spec).run().exit_code == 0
    assert list(work.data().columns)[1] == "'=SUM(1,2)"
    raw = (work.release / "soudan.csv").read_bytes().decode("utf-8-sig")
    assert ",=SUM" not in raw and '"=SUM' not in raw
    package = json.loads((work.release / "datapackage.json").read_text(encoding="utf-8"))
    fields = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert fields[1] == "'=SUM(1,2)"
    report = json.loads((work.release / "report.json").read_text(encoding="utf-8"))
    assert report["output"]["formulas_neutralized"] == 4 + 1  # four cells and the header
