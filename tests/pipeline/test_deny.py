"""``gate.deny``: a steward fixes a miss without touching the source — the terms and patterns
are masked by mask_text in their column and refused by the gate wherever still released;
the public report counts them and never shows them."""

from __future__ import annotations

import json

import pytest

from tests.pipeline.conftest import ROWS, base_pipeline, set_path

ROWS_DENY = [dict(r) for r in ROWS]
ROWS_DENY[5]["相談内容"] = "ゆうきの件で案件ＱＺ－４４７１を確認"  # a miss, and a local code


def _deny() -> list[dict]:
    return [{"column": "相談内容", "entity": "PERSON", "terms": ["ゆうき"]},
            {"column": "相談内容", "patterns": [r"QZ-\d{4}"]}]


def test_deny_terms_and_patterns_are_masked_and_counted_not_shown(work):
    spec = set_path(base_pipeline(), "gate.deny", _deny())
    result = work.setup(spec, ROWS_DENY).run()
    assert result.exit_code == 0, result.stderr
    assert work.data()["相談内容"].iloc[5] == "＜氏名＞の件で案件＜非公開＞を確認"
    report = (work.release / "report.json").read_text(encoding="utf-8")
    assert "ゆうき" not in report and "QZ" not in report and "ＱＺ" not in report
    masked = json.loads(report)["detection"]["masked_in_free_text"]["相談内容"]
    assert masked["DENY_LIST"] == 1  # the pattern; the term was declared a PERSON


def test_a_denied_term_still_released_in_its_column_is_refused(work):
    spec = set_path(base_pipeline(), "gate.deny", [{"column": "メモ", "terms": ["ＳＵＭ"]}])
    result = work.setup(spec).run()  # メモ is kept as it is: =SUM(A1) holds the term
    assert result.exit_code == 1
    assert "メモ has DENY_LIST×1" in result.stderr and "SUM" not in result.stderr


@pytest.mark.parametrize(
    ("deny", "message"),
    [
        ([{"column": "相談内容", "patterns": ["CT(\\d"]}], "gate.deny[0].patterns[0]: regex does not compile"),
        ([{"column": "相談内容", "terms": [" "]}], "gate.deny[0].terms[0]: String should have at least 1 character"),
        ([{"column": "相談内容"}], "gate.deny[0]: give terms or patterns"),
        ([{"column": "経過", "terms": ["x"]}], "gate.deny[0].column names undeclared column '経過'"),
        ([{"column": "相談内容", "entity": "NAME", "terms": ["x"]}], "gate.deny[0].entity: unknown entity 'NAME'"),
    ],
)
def test_bad_deny_entries_exit_2_with_the_yaml_path(work, deny, message):
    result = work.setup(set_path(base_pipeline(), "gate.deny", deny)).run()
    assert result.exit_code == 2 and message in result.stderr, result.stderr
