"""The gate's re-identification policy through ``anonymizer run``: measured columns, person
counting, waivers, reviews, aggregate releases, and the bad input each key can get."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.pipeline.conftest import Work, leftovers, new_work, write_csv

#: 40 residents: 性別 × 年代 classes of 10 rows each; 地区 splits them into classes of 2
SEXES = ["男", "女"]
BANDS = ["60代", "70代"]
DISTRICTS = ["北", "東", "西", "南", "中"]


def _rows(persons: list[str] | None = None) -> list[dict[str, str]]:
    rows = []
    for i in range(40):
        rows.append({
            "住民番号": persons[i] if persons else f"P{i:03d}",
            "性別": SEXES[i % 2],
            "年代": BANDS[(i // 2) % 2],
            "地区": DISTRICTS[i % 5] if i < 35 else "北",
            "相談区分": ["福祉", "子育て"][i % 2],
            "相談内容": "窓口で制度を案内した。",
        })
    return rows


def _pipeline(**extra: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "version": 1,
        "name": "policy-test",
        "mode": "fast",
        "input": {"path": "in.csv"},
        "columns": {
            "住民番号": {"role": "direct_identifier", "actions": ["drop"]},
            "性別": {"role": "quasi_identifier", "actions": ["keep"]},
            "年代": {"role": "other", "actions": ["keep"]},  # the header says AGE: measured anyway
            "地区": {"role": "other", "actions": ["drop"]},
            "相談区分": {"role": "other", "actions": ["keep"]},
            "相談内容": {"role": "free_text", "actions": ["drop"]},
        },
        "output": {"file": "policy.csv"},
        "metadata": {
            "title": "ポリシーの検査",
            "publisher": "国立市（テスト）",
            "license": "CC-BY-4.0",
            "municipality_code": "132152",
            "issued": dt.date(2026, 4, 1),
        },
    }
    spec.update(extra)
    return spec


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Work:
    return new_work(tmp_path, monkeypatch)


def _check(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in report["gate"]["checks"] if c["name"] == name)


def _refusal(work: Work) -> dict[str, Any]:
    return json.loads((work.out / "policy-test.refused.json").read_text(encoding="utf-8"))


def _report(work: Work) -> dict[str, Any]:
    return json.loads((work.release / "report.json").read_text(encoding="utf-8"))


def test_a_column_declared_other_is_still_measured_when_it_looks_quasi_identifying(work):
    result = work.setup(_pipeline(), _rows()).run(key=False)
    assert result.exit_code == 0, result.stderr
    policy = _report(work)["risk"]["policy"]
    assert [(m["column"], m["why"]) for m in policy["measured"]] == [
        ("性別", "role"), ("年代", "header")
    ]
    assert policy["min_class"] == 10 and policy["counted_in"] == "records"
    assert policy["source"] == "default" and policy["k"] == 5 and policy["max_suppression"] == 0.05
    data = work.data()
    assert data.groupby(["性別", "年代"]).size().min() == 10  # independent count


def test_refusal_names_the_quasi_identifier_that_drives_the_small_classes(work):
    spec = _pipeline()
    spec["columns"]["地区"]["actions"] = ["keep"]  # 性別 × 年代 × 地区: classes of 2
    result = work.setup(spec, _rows()).run(key=False)
    assert result.exit_code == 1
    assert "地区 alone puts" in result.stderr and "fix: add a kanonymity step" in result.stderr
    assert not work.release.exists() and leftovers(work.out) == []
    check = _check(_refusal(work), "reidentification")
    assert not check["passed"] and check["data"]["min_class"] < 5
    assert check["data"]["drivers"][0]["column"] == "地区"
    html = (work.out / "policy-test.refused.html").read_text(encoding="utf-8")
    assert "小さなクラスを生んでいる準識別子" in html and "地区" in html


def test_the_kanonymity_step_fixes_what_the_refusal_named(work):
    spec = _pipeline(steps=[{
        "type": "kanonymity", "qis": {"性別": "flat", "年代": "flat", "地区": "flat"},
        "k": 5, "suppression": 0.05,
    }])
    spec["columns"]["地区"]["actions"] = ["keep"]
    result = work.setup(spec, _rows()).run(key=False)
    assert result.exit_code == 0, result.stderr
    data = work.data()
    assert data.groupby(["性別", "年代", "地区"]).size().min() >= 5


def test_two_rows_of_one_person_count_once(work):
    # 40 rows from 16 residents (2–3 rows each): 10 rows per 性別 × 年代 class, but 4 persons
    persons = [f"P{i % 16:03d}" for i in range(40)]
    rows = _rows(persons)
    for r in rows:  # each resident keeps one 性別 and 年代
        n = int(r["住民番号"][1:])
        r["性別"], r["年代"] = SEXES[n % 2], BANDS[(n // 2) % 2]
    by_rows = work.setup(_pipeline(), rows).run(key=False)
    assert by_rows.exit_code == 0, by_rows.stderr  # counted in rows, every class has ≥ 5
    frame = pd.DataFrame(rows)
    assert frame.groupby(["性別", "年代"])["住民番号"].nunique().min() < 5
    by_persons = work.setup(_pipeline(person_column="住民番号"), rows).run("--force", key=False)
    assert by_persons.exit_code == 1
    check = _check(_refusal(work), "reidentification")
    assert check["data"]["counted_in"] == "persons"
    assert check["data"]["min_class"] == frame.groupby(["性別", "年代"])["住民番号"].nunique().min()


def test_a_kept_column_the_policy_does_not_measure_is_shown_with_the_classes_it_splits(work):
    """相談区分 (role other, kept) is no quasi-identifier by role, header or values: the release
    passes, and the report tells the reviewer how small the classes would be for a reader who
    also knew it. A column that splits no class (相談区分 as 性別 splits it) is not listed."""
    result = work.setup(_pipeline(), _rows()).run(key=False)
    assert result.exit_code == 0, result.stderr
    assert _report(work)["risk"]["policy"]["unmeasured"] == []
    rows = _rows()
    for i, r in enumerate(rows):
        r["相談区分"] = ["福祉", "子育て", "介護", "住宅", "就労"][i % 5]
    result = work.setup(_pipeline(), rows).run("--force", key=False)
    assert result.exit_code == 0, result.stderr
    report = _report(work)
    data = work.data()
    sizes = data.groupby(["性別", "年代", "相談区分"])["相談区分"].transform("size")
    assert report["risk"]["policy"]["unmeasured"] == [{
        "column": "相談区分",
        "share_below_k": round(float((sizes < 5).mean()), 4),
        "unique": round(float((sizes == 1).mean()), 4),
    }]
    assert (sizes < 5).mean() > 0.5
    html = (work.release / "report.html").read_text(encoding="utf-8")
    assert "測定していない公開列" in html
    assert any(n.startswith("測定していない公開列: 相談区分") for n in report["verdict"]["notes"])


def test_a_waiver_is_shown_in_the_report_with_its_reason(work):
    spec = _pipeline(policy={"waivers": [{"column": "地区", "reason": "地区は公開済みの集計単位で、町名より粗い"}]})
    spec["columns"]["地区"]["actions"] = ["keep"]
    result = work.setup(spec, _rows()).run(key=False)
    assert result.exit_code == 0, result.stderr
    report = _report(work)
    assert report["risk"]["policy"]["waived"] == [
        {"column": "地区", "source": "地区", "reason": "地区は公開済みの集計単位で、町名より粗い"}
    ]
    assert any("地区" in n for n in report["verdict"]["notes"])
    html = (work.release / "report.html").read_text(encoding="utf-8")
    assert "測定から除外した列" in html and "地区は公開済みの集計単位で、町名より粗い" in html


def test_free_text_needs_a_review_and_the_report_says_it_was_released_under_one(work):
    spec = _pipeline()
    spec["columns"]["相談内容"]["actions"] = ["mask_text"]
    refused = work.setup(spec, _rows()).run(key=False)
    assert refused.exit_code == 1 and "free text released without a review: 相談内容" in refused.stderr
    spec["review"] = [{"column": "相談内容", "role": "個人情報保護担当", "reason": "全件の置換結果を確認した"}]
    released = work.setup(spec, _rows()).run(key=False)
    assert released.exit_code == 0, released.stderr
    report = _report(work)
    assert any("個人情報保護担当" in n and "相談内容" in n for n in report["verdict"]["notes"])
    assert report["risk"]["policy"]["reviews"][0]["role"] == "個人情報保護担当"


def test_a_policy_changed_with_a_reason_is_reported_as_the_pipelines(work):
    spec = _pipeline(policy={"k": 10, "reason": "小規模な町のため既定より厳しくする"})
    result = work.setup(spec, _rows()).run(key=False)
    assert result.exit_code == 0, result.stderr
    policy = _report(work)["risk"]["policy"]
    assert policy["k"] == 10 and policy["source"] == "pipeline"
    assert policy["reason"] == "小規模な町のため既定より厳しくする"


def test_too_many_suppressed_records_refuse(work):
    spec = _pipeline(
        policy={"max_suppression": 0.01},
        steps=[{"type": "kanonymity", "qis": {"性別": "flat", "年代": "flat", "地区": "flat"},
                "k": 5, "suppression": 0.2}],
    )
    spec["columns"]["地区"]["actions"] = ["keep"]
    rows = [dict(r, 地区="北") for r in _rows()]
    rows[0]["地区"] = "島"  # a resident alone in a district: the step suppresses them
    result = work.setup(spec, rows).run(key=False)
    assert result.exit_code == 1, result.stdout
    data = _check(_refusal(work), "reidentification")["data"]
    assert data["suppressed"] >= 1 and data["suppressed_share"] > 0.01


def test_rows_a_selection_leaves_out_are_not_counted_as_suppressed(work):
    """A release of one kind of consultation (select_rows, then k-anonymity): the other half
    of the rows is outside what is published, not suppressed — the policy's suppression is
    counted over the selected rows, and the check says how many were not selected."""
    spec = _pipeline(
        steps=[
            {"type": "select_rows", "column": "相談区分", "values": ["福祉"]},
            {"type": "kanonymity", "qis": {"性別": "flat", "年代": "flat"}, "k": 5,
             "suppression": 0.05},
        ],
    )  # fmt: skip
    result = work.setup(spec, _rows()).run(key=False)
    assert result.exit_code == 0, result.stdout
    data = _check(_report(work), "reidentification")["data"]
    assert (data["rows_in"], data["rows_not_selected"], data["rows_out"]) == (20, 20, 20)
    assert data["suppressed"] == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"policy": {"k": 1, "reason": "小さな表のため"}}, "policy.k: k must be at least 2"),
        ({"policy": {"k": 3}}, "policy: reason: required to set k other than 5"),
        ({"policy": {"max_suppression": 0.2}}, "policy: reason: required"),
        ({"policy": {"waivers": [{"column": "地区"}]}}, "policy.waivers[0].reason: Field required"),
        ({"policy": {"waivers": [{"column": "地区", "reason": "x"}]}},
         "policy.waivers[0].reason: String should have at least 5 characters"),
        ({"policy": {"waivers": [{"column": "町名", "reason": "存在しない列"}]}},
         "policy.waivers[0].column names undeclared column '町名'"),
        ({"person_column": "宛名番号"}, "person_column names undeclared column '宛名番号'"),
        ({"review": [{"column": "相談内容", "reason": "確認済みです"}]}, "review[0].role: Field required"),
        ({"review": [{"column": "相談内容", "role": "担当課"}]}, "review[0].reason: Field required"),
        ({"gate": {"min_k": 5}}, "gate: min_k: replaced by policy.k"),
        ({"gate": {"quasi_identifiers": ["性別"]}}, "gate: quasi_identifiers: replaced"),
    ],
)
def test_bad_policy_keys_exit_2_with_the_yaml_path(work, extra, message):
    result = work.setup(_pipeline(**extra), _rows()).run(key=False)
    assert result.exit_code == 2
    assert f"{work.pipeline}: " in result.stderr and message in result.stderr, result.stderr
    assert not work.out.exists() or list(work.out.iterdir()) == []


def test_a_person_column_with_an_empty_cell_exits_2_naming_rows_not_values(work):
    rows = _rows()
    rows[6]["住民番号"] = ""
    result = work.setup(_pipeline(person_column="住民番号"), rows).run(key=False)
    assert result.exit_code == 2
    assert "person_column: '住民番号' is empty in 1 row(s) (row 8 (data row 7))" in result.stderr
    assert "P00" not in result.stderr


def test_a_reference_column_that_is_not_a_date_exits_2_with_the_yaml_path(work):
    rows = [dict(r, 生年月日="1950/04/01", 受付日="2024/05/10" if i else "不明") for i, r in enumerate(_rows())]
    spec = _pipeline()
    spec["columns"]["生年月日"] = {
        "role": "quasi_identifier", "entity": "DATE_OF_BIRTH",
        "actions": [{"generalize": {"to": "age", "reference_column": "受付日"}}],
    }
    spec["columns"]["受付日"] = {"role": "quasi_identifier", "actions": ["drop"]}
    result = work.setup(spec, rows).run(key=False)
    assert result.exit_code == 2
    assert f"{work.pipeline}: columns.生年月日.actions[0]:" in result.stderr
    assert "受付日" in result.stderr and "不明" not in result.stderr
    spec["columns"]["生年月日"]["actions"][0]["generalize"]["reference_column"] = "申請日"
    result = work.setup(spec, rows).run(key=False)
    assert result.exit_code == 2
    assert "columns.生年月日.actions[0]: reference column(s) ['申請日'] are not declared" in result.stderr


def test_ages_are_taken_at_the_record_date_not_the_publication_date(work):
    rows = [dict(r, 生年月日="1995/06/01", 受付日="2024/05/10") for r in _rows()]
    spec = _pipeline()
    spec["columns"]["生年月日"] = {
        "role": "quasi_identifier", "entity": "DATE_OF_BIRTH",
        "actions": [{"generalize": {"to": "age_band", "width": 10, "reference_column": "受付日"}}],
    }
    spec["columns"]["受付日"] = {"role": "quasi_identifier", "actions": ["drop"]}
    result = work.setup(spec, rows).run(key=False)
    assert result.exit_code == 0, result.stderr
    assert set(work.data()["生年月日"]) == {"20～29歳"}  # 28 on 2024-05-10, though 30 on issue


def test_an_aggregate_release_is_not_judged_by_the_policy(tmp_path):
    from tests.pipeline.conftest import cli_run, write_pipeline

    rows = _rows()
    for i, r in enumerate(rows):
        r["受付日"] = f"2024/{4 + i % 3:02d}/10"
    write_csv(tmp_path / "in.csv", rows)
    spec = _pipeline(steps=[{
        "type": "dp_aggregate", "population": "policy-test",
        "epsilon": 0.5, "group_by": [{"column": "受付日", "keys": ["2024-04", "2024-05", "2024-06"]}],
        "measures": [{"type": "count", "name": "件数"}],
    }])
    spec["columns"]["受付日"] = {"role": "quasi_identifier", "actions": [{"generalize": {"to": "year_month"}}]}
    write_pipeline(tmp_path / "p.yaml", spec)
    assert cli_run("budget", "policy-test", "--total", "1").exit_code == 0  # $XDG_STATE_HOME
    result = cli_run("run", tmp_path / "p.yaml", "--out", tmp_path / "out", "--no-progress")
    assert result.exit_code == 0, result.stderr
    report = json.loads((tmp_path / "out" / "policy-test" / "report.json").read_text(encoding="utf-8"))
    names = [c["name"] for c in report["gate"]["checks"]]
    assert "reidentification" not in names and "dp_budget" in names
    assert report["risk"]["policy"] is None and report["output"]["aggregate"] is True
