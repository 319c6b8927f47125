"""Re-identification risk before/after and the riskiest combinations (anonymizer/report/risk.py),
on a small table run through the real pipeline. The table has unique combinations, so the
gate's policy refuses it: the refusal's report carries the same risk section."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.report._releases import report_json, run_cli

AGES = [23, 23, 23, 35, 35, 41, 41, 41, 41, 58, 58, 67, 67, 67, 67, 67, 72, 88, 88, 94]
SEXES = ["女", "男"] * 10
ROWS = [
    {"氏名": f"テスト{i:02d}", "年齢": str(a), "性別": s, "生年月日": f"{2025 - a}/04/0{1 + i % 9}",
     "区分": "相談" if i % 3 else "申請"}
    for i, (a, s) in enumerate(zip(AGES, SEXES, strict=True))
]  # fmt: skip
COLUMNS = {
    "氏名": {"role": "direct_identifier", "entity": "PERSON", "actions": ["drop"]},
    "年齢": {"role": "quasi_identifier", "entity": "AGE", "actions": ["keep"]},
    "性別": {"role": "quasi_identifier", "actions": ["keep"]},
    "生年月日": {"role": "quasi_identifier", "entity": "DATE_OF_BIRTH",
                 "actions": [{"generalize": {"to": "age_band", "width": 10,
                                              "reference_date": "2025-12-31"}}]},
    "区分": {"role": "other", "actions": ["keep"]},
}  # fmt: skip


def _release(tmp_path: Path, **changes) -> dict:
    pd.DataFrame(ROWS).to_csv(tmp_path / "in.csv", index=False)
    spec = {
        "version": 1, "name": "risk-test", "mode": "fast", "input": {"path": "in.csv"},
        "columns": COLUMNS,
        "output": {
            "file": "out.csv",
            "columns": ["年齢", "性別", {"from": "生年月日", "to": "年代"}, "区分"],
        },
        "metadata": {"title": "t", "publisher": "p", "license": "CC-BY-4.0",
                     "municipality_code": "132152", "issued": dt.date(2026, 4, 1)},
        **changes,
    }  # fmt: skip
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    result = run_cli("run", tmp_path / "p.yaml", "--out", tmp_path / "out", "--no-progress")
    if result.exit_code == 1:
        refusal = tmp_path / "out" / "risk-test.refused.json"
        return json.loads(refusal.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.stderr
    return report_json(tmp_path / "out" / "risk-test")


@pytest.fixture(scope="module")
def risk(tmp_path_factory) -> dict:
    return _release(tmp_path_factory.mktemp("risk"))["risk"]


def test_quasi_identifiers_are_the_released_ones(risk):
    assert risk["applicable"] is True
    assert risk["quasi_identifiers"] == ["年齢", "性別", "年代"]
    assert risk["sources"] == ["年齢", "性別", "生年月日"]


def test_before_groups_raw_input_values_and_after_the_released_ones(risk):
    raw = pd.DataFrame(ROWS).groupby(["年齢", "性別", "生年月日"]).size()
    assert risk["before"]["classes"] == len(raw) and risk["before"]["unique_records"] == int(
        (raw == 1).sum()
    )
    released = pd.DataFrame({"a": AGES, "s": SEXES}).groupby(["a", "s"]).size()  # 年代 follows 年齢
    after = risk["after"]
    assert after["records"] == 20 and after["classes"] == len(released)
    assert after["unique_records"] == int((released == 1).sum())
    assert after["prosecutor_highest"] == pytest.approx(1 / released.min())
    assert after["prosecutor_average"] == pytest.approx(len(released) / 20)
    assert sum(b["records"] for b in after["distribution"]) == 20
    assert sum(b["classes"] for b in after["distribution"]) == len(released)


def test_riskiest_lists_the_smallest_classes_without_kept_values(risk):
    sizes = [c["size"] for c in risk["riskiest"]]
    assert len(sizes) == 10 and sizes == sorted(sizes) and sizes[0] == 1
    for combo in risk["riskiest"]:
        assert set(combo["values"]) == {"年齢", "性別", "年代"}
        assert combo["values"]["年齢"] == "99"  # kept and not categorical: shape only
        assert combo["values"]["性別"] in ("女", "男")  # categorical: shown
        assert combo["values"]["年代"].endswith("歳")  # generalized: shown as released
    assert "一般化していない列（年齢）" in risk["note"]


def test_waived_columns_are_left_out_of_the_measured_ones(tmp_path):
    waivers = [{"column": "年齢", "reason": "テスト: 年齢を測定から外す"}]
    report = _release(tmp_path, policy={"waivers": waivers})
    risk = report["risk"]
    assert risk["quasi_identifiers"] == ["性別", "年代"] and risk["policy"]["k"] == 5
    assert risk["policy"]["waived"] == [
        {"column": "年齢", "source": "年齢", "reason": "テスト: 年齢を測定から外す"}
    ]


def test_no_quasi_identifier_released_is_not_applicable(tmp_path):
    columns = {
        **COLUMNS,
        **{
            c: {"role": "quasi_identifier", "actions": ["drop"]}
            for c in ("年齢", "性別", "生年月日")
        },
    }
    risk = _release(tmp_path, columns=columns, output={"file": "out.csv"})["risk"]
    assert risk["applicable"] is False and risk["before"] is None and risk["riskiest"] == []
    assert "準識別子がないため、公開する全体を1つのクラスとして" in risk["note"]
