"""The release gate: re-scan, raw identifier values, the policy — refusals name columns, entities
and counts, never values; nothing is released when any check fails."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from anonymizer.pipeline import gate
from anonymizer.pipeline.spec import GateAllow, GateSpec
from tests.pipeline.conftest import (
    OTHER_KEY,
    PLANTED,
    ROWS,
    Work,
    base_pipeline,
    kamei_pipeline,
    leaks,
    visible,
    write_key,
)


def _frame(**columns: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.array(v, dtype="string") for k, v in columns.items()})


def _infos(
    frame: pd.DataFrame, role: str = "other", ner_done: bool = False
) -> dict[str, gate.OutputColumnInfo]:
    return {c: gate.OutputColumnInfo(c, c, role, ner_done) for c in frame.columns}


# -- rescan ------------------------------------------------------------------------------


def test_rescan_finds_personal_information_and_names_no_value(fast):
    frame = _frame(
        連絡メモ=["山田太郎さん来所", "特になし", "山田太郎さん来所"],
        窓口=["090-1234-5678", "", None],
    )
    check = gate.rescan(frame, _infos(frame), GateSpec(), fast, fast)
    assert not check.passed
    assert check.data["findings"]["連絡メモ"]["PERSON"] == {"cells": 2, "rows": [1, 3]}
    assert check.data["findings"]["窓口"]["JP_PHONE_NUMBER"] == {"cells": 1, "rows": [1]}
    assert "連絡メモ has PERSON×2" in check.detail and "窓口 has JP_PHONE_NUMBER×1" in check.detail
    assert leaks([check.detail, json.dumps(check.data, ensure_ascii=False)]) == []


def test_rescan_passes_clean_and_generated_values(fast):
    frame = _frame(
        性別=["男", "女"],
        年代=["70～79歳", "40～49歳"],
        件数=["3", ""],
        内容=["＜氏名＞さんから電話", None],
    )
    check = gate.rescan(frame, _infos(frame, ner_done=True), GateSpec(), fast, fast)
    assert check.passed, check.detail
    assert check.data["scanned_with"] == dict.fromkeys(frame.columns, "patterns+morphology")


def test_rescan_allow_list_is_per_source_column_and_entity(fast):
    frame = _frame(窓口電話=["042-576-1111"], 連絡メモ=["山田太郎さん"])
    infos = {
        "窓口電話": gate.OutputColumnInfo("窓口電話", "施設電話", "other", False),
        "連絡メモ": gate.OutputColumnInfo("連絡メモ", "連絡メモ", "other", False),
    }
    allow = GateSpec(
        allow=(GateAllow(column="施設電話", entity="JP_PHONE_NUMBER", reason="市の施設の代表番号"),)
    )
    check = gate.rescan(frame, infos, allow, fast, fast)
    assert not check.passed and list(check.data["findings"]) == ["連絡メモ"]
    assert check.data["allow_listed"] == {"窓口電話:JP_PHONE_NUMBER": 1}
    # allowing the phone number of one column allows nothing else
    wrong = GateSpec(
        allow=(GateAllow(column="施設電話", entity="PERSON", reason="職員名は公開情報"),)
    )
    assert "窓口電話" in gate.rescan(frame, infos, wrong, fast, fast).data["findings"]


def test_rescan_fail_on_and_min_score_select_what_refuses(fast):
    frame = _frame(連絡メモ=["山田太郎さん 090-1234-5678"])
    only_phones = GateSpec(fail_on=("JP_PHONE_NUMBER",))
    assert list(
        gate.rescan(frame, _infos(frame), only_phones, fast, fast).data["findings"]["連絡メモ"]
    ) == ["JP_PHONE_NUMBER"]
    assert gate.rescan(
        frame, _infos(frame), GateSpec(fail_on=("EMAIL_ADDRESS",)), fast, fast
    ).passed


# -- raw_values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "released"),
    [
        ("山田　太郎", "山田　太郎"),
        ("山田　太郎", "担当: 山田 太郎 (再掲)"),  # 全角 space ↔ 半角 space
        ("090-1234-5678", "０９０－１２３４－５６７８"),  # 全角 digits and hyphen
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"),  # 半角 kana
        ("R06-000101", "控え R06-000101"),
        ("123456", "No.123456"),  # six digits: long enough to identify
    ],
)
def test_raw_values_finds_identifier_values_in_any_spelling(identifier, released):
    check = gate.raw_values(_frame(備考=["なし", released, released]), {"氏名": [identifier]})
    assert not check.passed
    assert check.data["problems"]["備考"] == {"cells": 2, "rows": [2, 3], "from_columns": ["氏名"]}
    assert check.detail == "raw identifier values remain: 備考 (2 cells, values of 氏名)"
    assert identifier not in check.detail and released not in check.detail


@pytest.mark.parametrize(
    ("identifier", "released"),
    [
        ("男", "男"),  # one character identifies nobody
        ("12", "12"),  # short numbers are counts and dates
        ("12345", "12345"),
        ("山田　太郎", "山田　花子"),
        ("090-1234-5678", "090-1234-5679"),
    ],
)
def test_raw_values_ignores_short_values_and_other_values(identifier, released):
    assert gate.raw_values(_frame(備考=[released]), {"氏名": [identifier]}).passed


def test_raw_values_names_every_source_column():
    check = gate.raw_values(
        _frame(備考=["山田　太郎 090-1234-5678", "", None]),
        {"氏名": ["山田　太郎"], "電話番号": ["090-1234-5678"]},
    )
    assert check.data["problems"]["備考"]["from_columns"] == ["氏名", "電話番号"]
    assert check.data["values_checked"] == 2


def test_raw_values_maps_each_hit_to_its_own_cells():
    """One automaton pass over all distinct values joined: hits land on the right rows, a
    value holding a NUL or a match at a value's edge does not shift them."""
    check = gate.raw_values(
        _frame(
            備考=["なし", "a\0b", "R06-000101", "なし", "x R06-000102", None, "R06-000101"],
            区分=["R06-000102", "", "", "", "", "", ""],
        ),
        {"受付番号": ["R06-000101", "R06-000102", "R06-000103"]},
    )
    assert check.data["problems"]["備考"] == {"cells": 3, "rows": [3, 5, 7], "from_columns": ["受付番号"]}
    assert check.data["problems"]["区分"] == {"cells": 1, "rows": [1], "from_columns": ["受付番号"]}


# -- through a run ---------------------------------------------------------------------------


def _with_column(
    name: str,
    values: list[str],
    role: str = "other",
    actions: list | None = None,
    released_as: str | None = None,
) -> tuple[dict, list[dict[str, str]]]:
    spec = base_pipeline()
    spec["columns"][name] = {"role": role, "actions": actions or ["keep"]}
    spec["output"]["columns"].append(
        name if released_as is None else {"from": name, "to": released_as}
    )
    rows = [dict(r, **{name: v}) for r, v in zip(ROWS, values, strict=True)]
    return spec, rows


def _refusal(work: Work) -> dict:
    return json.loads((work.out / "soudan-test.refused.json").read_text(encoding="utf-8"))


def test_name_in_a_kept_other_column_is_refused_and_nothing_is_released(work):
    spec, rows = _with_column("担当者", [r["氏名"] for r in ROWS])
    result = work.setup(spec, rows).run()
    assert result.exit_code == 1
    assert not work.release.exists()
    assert visible(work.out) == [
        "soudan-test.refused.html",  # the reviewer's page for the refusal
        "soudan-test.refused.json",
    ]
    assert "release refused, nothing was published" in result.stderr
    assert "rescan: personal information found in the output: 担当者 has PERSON×6" in result.stderr
    assert (
        "raw_values: raw identifier values remain: 担当者 (6 cells, values of 氏名)"
        in result.stderr
    )
    assert "soudan-test.refused.json" in result.stderr and result.stdout == ""
    refusal = _refusal(work)
    assert refusal["verdict"]["released"] is False
    assert refusal["gate"]["checks"][0]["data"]["findings"]["担当者"]["PERSON"]["cells"] == 6
    text = (work.out / "soudan-test.refused.json").read_text(encoding="utf-8")
    assert leaks([text, result.stdout, result.stderr]) == []


def test_raw_values_catches_an_identifier_copied_into_a_kept_column(work):
    spec, rows = _with_column("備考コード", [r["管理番号"] for r in ROWS])
    result = work.setup(spec, rows).run()
    assert result.exit_code == 1, result.stderr
    checks = {c["name"]: c["passed"] for c in _refusal(work)["gate"]["checks"]}
    # a column headed 備考… is free text to the policy too: released without a review
    assert checks == {
        "rescan": True, "raw_values": False, "headers": True, "publication": True,
        "reidentification": True,
        "free_text_review": False,
    }
    assert "備考コード (6 cells, values of 管理番号)" in result.stderr
    assert (
        leaks([
            result.stderr,
            (work.out / "soudan-test.refused.json").read_text(encoding="utf-8"),
            (work.out / "soudan-test.refused.html").read_text(encoding="utf-8"),
        ])
        == []
    )


def test_allow_list_with_a_reason_lets_a_reviewed_column_pass(work):
    spec, rows = _with_column("施設電話", ["042-576-1111"] * len(ROWS), released_as="窓口電話")
    work.setup(spec, rows)
    refused = work.run()
    assert refused.exit_code == 1 and "窓口電話 has JP_PHONE_NUMBER×6" in refused.stderr

    spec["gate"] = {
        "allow": [
            {
                "column": "施設電話",
                "entity": "JP_PHONE_NUMBER",
                "reason": "市の施設の代表番号（公開情報）",
            }
        ]
    }
    work.setup(spec, rows)
    result = work.run()
    assert result.exit_code == 0, result.stderr
    assert work.data()["窓口電話"].tolist() == ["042-576-1111"] * len(ROWS)
    report = json.loads((work.release / "report.json").read_text(encoding="utf-8"))
    assert report["gate"]["checks"][0]["data"]["allow_listed"] == {"窓口電話:JP_PHONE_NUMBER": 1}


def test_without_its_waivers_the_base_table_is_refused_by_the_policy(work):
    spec = base_pipeline()
    del spec["policy"]  # 性別 and 生年月日 measured: six rows cannot hold classes of five
    result = work.setup(spec).run()
    assert result.exit_code == 1
    assert "reidentification: smallest class over 性別, 生年月日 has 1 persons" in result.stderr
    assert not work.release.exists()
    checks = {c["name"]: c["passed"] for c in _refusal(work)["gate"]["checks"]}
    assert checks["reidentification"] is False and checks["rescan"] is True


def _pseudonyms(work: Work) -> pd.DataFrame:
    return work.data()[["相談者ID", "代理人ID"]]


def test_pseudonyms_are_consistent_across_rows_and_columns(work):
    agents = ["", "山田 太郎", "", "ｻﾄｳ ﾊﾅｺ", "", "佐藤 花子"]  # 半角 spellings of 氏名 values
    spec, rows = _with_column("代理人", agents, "direct_identifier", ["pseudonymize"], "代理人ID")
    spec["columns"]["代理人"]["entity"] = "PERSON"
    spec["purpose"] = "pseudonymized"  # by value under a kept key (仮名加工情報)
    del spec["metadata"]["license"]
    assert work.setup(spec, rows).run().exit_code == 0
    ids = _pseudonyms(work)
    person = ids["相談者ID"].tolist()
    assert all(p.startswith("ID-") and len(p) == 19 and p[3:].isalpha() for p in person)
    assert person[0] == person[2] != person[1]  # 山田　太郎 / 山田 太郎
    assert person[1] == person[5]  # 佐藤　花子 twice
    assert len(set(person)) == 4
    agent = ids["代理人ID"].tolist()
    assert agent[1] == person[0] and agent[5] == person[1]  # linked across columns
    assert agent[3].startswith("ID-") and agent[3] not in person  # カナ is another value
    assert agent[0] == agent[2] == agent[4] == ""  # empty cells stay empty


def test_pseudonyms_differ_with_another_key_or_domain(work):
    assert work.setup(kamei_pipeline()).run().exit_code == 0
    first = work.data()["相談者ID"].tolist()

    write_key(work.key, OTHER_KEY)
    assert work.run("--force").exit_code == 0
    other_key = work.data()["相談者ID"].tolist()

    write_key(work.key)
    spec = kamei_pipeline()
    spec["pseudonym"]["domain"] = "another-release"
    assert work.setup(spec).run("--force").exit_code == 0
    other_domain = work.data()["相談者ID"].tolist()

    spec["pseudonym"]["domain"] = "test-domain"
    spec["columns"]["氏名"]["actions"] = [{"pseudonymize": {"domain": "names-only"}}]
    assert work.setup(spec).run("--force").exit_code == 0
    column_domain = work.data()["相談者ID"].tolist()

    for other in (other_key, other_domain, column_domain):
        assert not set(first) & set(other)
        # the same people are still linked inside each release
        assert [a == b for a in first for b in first] == [a == b for a in other for b in other]

    spec["columns"]["氏名"]["actions"] = ["pseudonymize"]
    assert work.setup(spec).run("--force").exit_code == 0
    assert work.data()["相談者ID"].tolist() == first  # same key and domain: the same pseudonyms


def test_refusal_reports_no_planted_value_anywhere(work):
    spec, rows = _with_column("連絡メモ", [r["相談内容"] + " " + r["電話番号"] for r in ROWS])
    result = work.setup(spec, rows).run()
    assert result.exit_code == 1
    texts = [result.stdout, result.stderr] + [
        p.read_text(encoding="utf-8") for p in work.out.rglob("*") if p.is_file()
    ]
    assert leaks(texts, PLANTED) == []


def test_pseudonyms_may_keep_the_header_they_replace(work):
    """Generated values are re-scanned without their header as context (氏名：ID-… is not a name)."""
    spec = base_pipeline()
    spec["output"]["columns"][0] = "氏名"
    assert work.setup(spec).run().exit_code == 0


# -- 要配慮個人情報 and workplaces: refused in released free text only --------------------


def test_rescan_refuses_sensitive_and_organizations_in_free_text_only(fast):
    """障害者手帳2級 left in a released free-text column is a leak of 要配慮個人情報; the same
    words in a structured column are that column's declared content (measured by the policy)."""
    from anonymizer.pipeline.headers import headers_check

    frame = _frame(
        相談内容=["障害者手帳2級を所持", "勤務先は株式会社多摩物流", "特になし"],
        障害区分=["障害者手帳2級", "なし", "身体障害者手帳1級"],
        勤務先=["株式会社多摩物流", "", "国立第一中学校"],
    )
    infos = {
        "相談内容": gate.OutputColumnInfo("相談内容", "相談内容", "free_text", False),
        "障害区分": gate.OutputColumnInfo("障害区分", "障害区分", "sensitive", False),
        "勤務先": gate.OutputColumnInfo("勤務先", "勤務先", "other", False),
    }
    check = gate.rescan(frame, infos, GateSpec(), fast, fast)
    assert not check.passed
    assert check.data["findings"] == {
        "相談内容": {
            "JP_SENSITIVE_MEDICAL": {"cells": 1, "rows": [1]},
            "ORGANIZATION": {"cells": 1, "rows": [2]},
        }
    }
    assert "障害者手帳" not in check.detail and "多摩物流" not in check.detail
    # a released header that names a category is a header, not a finding
    named = _frame(障害者手帳の等級=["1級"], 勤務先=["―"])
    assert headers_check(named, GateSpec().fail_on, 0.5, fast, {}).passed


def test_rescan_allow_lists_one_category_of_one_column(fast):
    frame = _frame(相談内容=["障害者手帳2級を所持、夫からのDVで避難中"])
    infos = {"相談内容": gate.OutputColumnInfo("相談内容", "相談内容", "free_text", False)}
    allow = GateSpec(
        allow=(
            GateAllow(
                column="相談内容", entity="JP_SENSITIVE_MEDICAL", reason="障害福祉の統計に必要"
            ),
        )
    )
    check = gate.rescan(frame, infos, allow, fast, fast)
    assert not check.passed  # the allow-list covers 病歴・心身の障害, not 犯罪被害
    assert list(check.data["findings"]["相談内容"]) == ["JP_SENSITIVE_CRIME_VICTIM"]
    assert check.data["allow_listed"] == {"相談内容:JP_SENSITIVE_MEDICAL": 1}


def test_every_category_and_organizations_refuse_by_default():
    from anonymizer.entities import FREE_TEXT_ONLY
    from anonymizer.pipeline.spec import DEFAULT_FAIL_ON

    assert set(DEFAULT_FAIL_ON) >= FREE_TEXT_ONLY
