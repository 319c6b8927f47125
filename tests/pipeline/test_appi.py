"""The APPI 匿名加工 checklist (施行規則 第34条): one status per measure, from measured facts."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from anonymizer.operators import OperatorContext, build_operator
from anonymizer.pipeline.appi import appi_checklist
from anonymizer.pipeline.gate import GateResult
from anonymizer.pipeline.spec import load_pipeline
from anonymizer.steps import StepResult
from anonymizer.steps.base import GateCheck
from tests.pipeline.conftest import KEY, base_pipeline, write_pipeline

GOOD: dict[str, dict[str, Any]] = {
    "管理番号": {"role": "direct_identifier", "actions": ["pseudonymize"]},
    "氏名": {"role": "direct_identifier", "entity": "PERSON", "actions": ["drop"]},
    "住所": {
        "role": "direct_identifier",
        "entity": "JP_ADDRESS",
        "actions": [{"generalize": {"to": "address_city"}}],
    },
    "個人番号": {"role": "direct_identifier", "entity": "JP_MY_NUMBER", "actions": ["drop"]},
    "生年月日": {
        "role": "quasi_identifier",
        "entity": "DATE_OF_BIRTH",
        "actions": [
            {"generalize": {"to": "age_band", "width": 10, "reference_date": "2026-04-01"}},
            {"top_bottom_code": {"top": 90}},
        ],
    },
    "相談内容": {"role": "free_text", "actions": ["mask_text"]},
}


def _checklist(
    tmp_path,
    changes: dict[str, Any] | None = None,
    rescan_ok: bool = True,
    steps: list[StepResult] | None = None,
    aggregate: bool = False,
    policy: GateCheck | None = None,
    review: GateCheck | None = None,
    key_kind: str = "per_release",
) -> dict[str, dict[str, str]]:
    spec = base_pipeline()
    spec["columns"] = {**GOOD, **(changes or {})}
    del spec["output"]["columns"], spec["policy"], spec["review"]
    loaded = load_pipeline(write_pipeline(tmp_path / "p.yaml", spec))
    operators = {
        col: [
            build_operator(
                name,
                params,
                OperatorContext(
                    column=col, key=KEY.encode(), domain="d",
                    extras={"key_kind": key_kind, "person_column": loaded.person_column},
                ),
                "p.yaml",
            )
            for name, params in cs.operator_calls()
        ]
        for col, cs in loaded.columns.items()
    }
    result = GateResult(
        [GateCheck("rescan", rescan_ok, ""), *([policy] if policy else []), *([review] if review else [])]
    )
    items = appi_checklist(loaded, operators, steps or [], result, aggregate)
    assert [i["measure"] for i in items] == ["1", "2", "3", "4", "5"]
    return {i["measure"]: i for i in items}


def _status(items: dict[str, dict[str, str]]) -> dict[str, str]:
    return {m: i["status"] for m, i in items.items()}


PASSED_POLICY = GateCheck(
    "reidentification", True, "",
    {"k": 5, "counted_in": "persons", "measured": [{"column": "生年月日"}], "waived": []},
)


def test_a_complete_pipeline_does_every_measure(tmp_path):
    items = _checklist(tmp_path, policy=PASSED_POLICY)
    assert _status(items) == dict.fromkeys("12345", "done")
    assert "住所: generalize" in items["1"]["evidence"]  # deleting part of an address is measure 1
    assert "公開ごとの乱数鍵" in items["3"]["evidence"] and "管理番号" in items["3"]["evidence"]
    assert "k≥5人" in items["4"]["evidence"] and "を満たす" in items["4"]["evidence"]
    assert "一般化: 住所, 生年月日" in items["5"]["evidence"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # a direct identifier released as it is: the others were handled
        (
            {"氏名": {"role": "direct_identifier", "entity": "PERSON", "actions": ["keep"]}},
            {"1": "partial"},
        ),
        # free text released without masking: names and numbers in it remain
        (
            {"相談内容": {"role": "free_text", "actions": ["keep"]}},
            {"1": "partial", "2": "review"},
        ),
        # free text dropped entirely is fine
        ({"相談内容": {"role": "free_text", "actions": ["drop"]}}, {}),
        # an identification code must be deleted entirely, not masked
        (
            {
                "個人番号": {
                    "role": "direct_identifier",
                    "entity": "JP_MY_NUMBER",
                    "actions": [{"mask": {"keep_last": 4}}],
                }
            },
            {"2": "review"},
        ),
        (
            {
                "個人番号": {
                    "role": "direct_identifier",
                    "entity": "JP_MY_NUMBER",
                    "actions": ["redact"],
                }
            },
            {},
        ),
        # a linking code kept
        (
            {"管理番号": {"role": "direct_identifier", "actions": ["keep"]}},
            {"1": "partial", "3": "review"},
        ),
        # 管理番号 is still the person column (a linking code), deleted
        ({"管理番号": {"role": "other", "actions": ["drop"]}}, {}),
    ],
)
def test_each_measure_reacts_to_its_columns(tmp_path, changes, expected):
    assert _status(_checklist(tmp_path, changes, policy=PASSED_POLICY)) == {
        **dict.fromkeys("12345", "done"),
        **expected,
    }


def test_no_identification_code_anywhere_is_not_applicable(tmp_path):
    items = _checklist(
        tmp_path,
        {"個人番号": {"role": "other", "actions": ["drop"]}, "相談内容": {"role": "other", "actions": ["drop"]}},
        policy=PASSED_POLICY,
    )
    assert items["2"]["status"] == "not_applicable"


def test_a_persistent_pseudonym_key_leaves_a_linking_code(tmp_path):
    items = _checklist(tmp_path, policy=PASSED_POLICY, key_kind="persistent")
    assert items["3"]["status"] == "review" and "保管する鍵" in items["3"]["evidence"]


def test_residual_findings_need_review_for_measure_1(tmp_path):
    items = _checklist(tmp_path, rescan_ok=False, policy=PASSED_POLICY)
    assert items["1"]["status"] == "review" and "検出あり" in items["1"]["evidence"]


def test_measure_4_needs_the_policy_met_top_coding_alone_is_partial(tmp_path):
    no_coding = {
        "生年月日": {
            "role": "quasi_identifier",
            "actions": [{"generalize": {"to": "age_band", "width": 10, "reference_date": "2026-04-01"}}],
        }
    }
    # top-coding without the gate's policy: only part of it
    assert _checklist(tmp_path)["4"]["status"] == "partial"
    # nothing at all
    assert _checklist(tmp_path, no_coding)["4"]["status"] == "review"
    # the policy met on measured columns, no top-coding needed
    items = _checklist(tmp_path, no_coding, policy=PASSED_POLICY)
    assert items["4"]["status"] == "done" and "k≥5人" in items["4"]["evidence"]
    # the policy met only because its columns were waived: a person must look
    waived = GateCheck(
        "reidentification", True, "",
        {"k": 5, "counted_in": "records", "measured": [], "waived": [{"column": "生年月日"}]},
    )
    assert _checklist(tmp_path, no_coding, policy=waived)["4"]["status"] == "review"
    # free text released under a review: 要確認 while it goes out
    reviewed = GateCheck("free_text_review", True, "", {"reviewed": [{"column": "相談内容"}]})
    items = _checklist(tmp_path, policy=PASSED_POLICY, review=reviewed)
    assert items["4"]["status"] == "review" and "レビュー" in items["4"]["evidence"]


def test_aggregate_releases_are_outside_the_rule(tmp_path):
    dp = StepResult(pd.DataFrame(), report={"type": "dp_aggregate"}, aggregate=True)
    items = _checklist(
        tmp_path,
        {"氏名": {"role": "direct_identifier", "actions": ["keep"]}},
        steps=[dp],
        aggregate=True,
    )
    assert _status(items) == dict.fromkeys("12345", "not_applicable")
    assert all("差分プライバシー" in i["evidence"] for i in items.values())
