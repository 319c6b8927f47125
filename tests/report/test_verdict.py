"""The verdict in Japanese, one sentence per gate check, from counts only."""

from __future__ import annotations

import pytest

from anonymizer.report.labels import vocabulary
from anonymizer.report.verdict import check_sentence, verdict


@pytest.fixture(scope="module")
def words():
    return vocabulary()


RESCAN_FAIL = {
    "name": "rescan", "passed": False, "detail": "…",
    "data": {"findings": {"相談内容": {"PERSON": {"cells": 5, "rows": [1, 4, 9, 12, 30]}}},
             "scanned_with": {"相談内容": "fast detector"}, "allow_listed": {}},
}  # fmt: skip
RAW_FAIL = {
    "name": "raw_values", "passed": False, "detail": "…",
    "data": {"problems": {"相談者ID": {"cells": 200, "rows": [1, 2], "from_columns": ["氏名"]}},
             "values_checked": 400},
}  # fmt: skip


#: the policy fields every reidentification check carries
POLICY = {"k": 5, "max_suppression": 0.05, "counted_in": "persons",
          "measured": [{"column": "受付日"}, {"column": "性別"}]}


@pytest.mark.parametrize(
    ("check", "title", "fragments"),
    [
        ({"name": "rescan", "passed": True, "data": {"scanned_with": {"a": "x", "b": "y"}}},
         "公開前の再検査", ["全2列", "検出されませんでした"]),
        (RESCAN_FAIL, "公開前の再検査", ["相談内容列に氏名5セル", "1・4・9行目など"]),
        ({"name": "raw_values", "passed": True, "data": {"values_checked": 1108, "problems": {}}},
         "直接識別子の原値照合", ["1,108種類"]),
        (RAW_FAIL, "直接識別子の原値照合", ["相談者ID列の200セル", "氏名の値", "1・2行目"]),
        ({"name": "reidentification", "passed": False,
          "data": {**POLICY, "min_class": 1, "classes_below_k": 110, "suppressed": 0,
                   "suppressed_share": 0.0,
                   "drivers": [{"column": "受付日", "alone_share": 0.61, "alone_unique": 0.34,
                                "without_share": 0.12}]}},
         "再識別ポリシー（各クラスの人数と抑制率）",
         ["最小クラスは1人", "k=5未満のクラスが110個", "受付日だけで61%", "除くと12%"]),
        ({"name": "reidentification", "passed": True,
          "data": {**POLICY, "min_class": 6, "classes_below_k": 0, "suppressed": 3,
                   "suppressed_share": 0.015, "drivers": []}},
         "再識別ポリシー（各クラスの人数と抑制率）",
         ["準識別子（受付日・性別）", "最小クラスは6人", "抑制した記録は3件（2%、上限5%）", "k=5を満たしています"]),
        ({"name": "free_text_review", "passed": False,
          "data": {"reviewed": [], "unreviewed": ["相談内容"]}},
         "自由記述のレビュー", ["自由記述の列（相談内容）がレビューなし"]),
        ({"name": "free_text_review", "passed": True,
          "data": {"reviewed": [{"column": "相談内容", "role": "個人情報保護担当"}], "unreviewed": []}},
         "自由記述のレビュー", ["相談内容（個人情報保護担当）", "レビューを受けて公開"]),
        ({"name": "dp_budget", "passed": True, "data": {"population": "kunitachi"}},
         "プライバシー予算の支出", ["母集団「kunitachi」"]),
        ({"name": "kanonymity_distinct-l-diversity", "passed": True, "data": {"achieved": 3.0}},
         "ℓ-多様性（distinct）", ["値3で達成"]),
        ({"name": "future_check", "passed": False, "data": {}}, "future_check", ["不合格"]),
    ],
)  # fmt: skip
def test_each_check_is_one_japanese_sentence(words, check, title, fragments):
    s = check_sentence(check, words)
    assert s["title"] == title and s["passed"] is check["passed"]
    assert s["sentence"].endswith("。") and s["sentence"].count("。") == 1
    for fragment in fragments:
        assert fragment in s["sentence"]


def test_released_verdict_says_what_and_why(words):
    checks = [{"name": "rescan", "passed": True, "data": {"scanned_with": {"a": "x"}}},
              {"name": "raw_values", "passed": True, "data": {"values_checked": 3}}]  # fmt: skip
    v = verdict(True, checks, 200, 10, words)
    assert v["summary"] == "公開可: 200行・10列を公開しました。"
    assert (
        v["why"]
        == "公開前ゲートの全2検査（公開前の再検査、直接識別子の原値照合）に合格したためです。"
    )
    assert v["reasons"] == [] and [c["name"] for c in v["checks"]] == ["rescan", "raw_values"]


def test_refused_verdict_gives_one_reason_per_failed_check(words):
    ok = {"name": "dp_budget", "passed": True, "data": {"population": "kunitachi"}}
    v = verdict(False, [RESCAN_FAIL, RAW_FAIL, ok], 200, 10, words)
    assert v["summary"] == "公開不可: 何も公開していません。"
    assert v["why"] == "公開前ゲートの3検査のうち2件に不合格だったためです。"
    assert len(v["reasons"]) == 2
    assert v["reasons"][0].startswith("公開前の再検査: ") and v["reasons"][1].startswith(
        "直接識別子の原値照合: "
    )
