"""The APPI 匿名加工 checklist: which declared actions satisfy which measure (施行規則 第34条)."""

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
) -> dict[str, dict[str, str]]:
    spec = base_pipeline()
    spec["columns"] = {**GOOD, **(changes or {})}
    del spec["output"]["columns"], spec["policy"], spec["review"]
    loaded = load_pipeline(write_pipeline(tmp_path / "p.yaml", spec))
    operators = {
        col: [
            build_operator(
                name, params, OperatorContext(column=col, key=KEY.encode(), domain="d"), "p.yaml"
            )
            for name, params in cs.operator_calls()
        ]
        for col, cs in loaded.columns.items()
    }
    result = GateResult([GateCheck("rescan", rescan_ok, ""), *([policy] if policy else [])])
    items = appi_checklist(loaded, operators, steps or [], result, aggregate)
    assert [i["measure"] for i in items] == ["1", "2", "3", "4", "5"]
    return {i["measure"]: i for i in items}


def _status(items: dict[str, dict[str, str]]) -> dict[str, str]:
    return {m: i["status"] for m, i in items.items()}


def test_a_complete_pipeline_satisfies_every_measure(tmp_path):
    items = _checklist(tmp_path)
    assert _status(items) == dict.fromkeys("12345", "satisfied")
    assert "住所: generalize" in items["1"]["evidence"]  # deleting part of an address is measure 1
    assert "管理番号: pseudonymize" in items["3"]["evidence"]
    assert "トップ／ボトムコーディング: 生年月日" in items["4"]["evidence"]
    assert "一般化: 住所, 生年月日" in items["5"]["evidence"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # a direct identifier released as it is
        (
            {"氏名": {"role": "direct_identifier", "entity": "PERSON", "actions": ["keep"]}},
            {"1": "not_satisfied"},
        ),
        # free text released without masking: names and numbers in it remain
        (
            {"相談内容": {"role": "free_text", "actions": ["keep"]}},
            {"1": "not_satisfied", "2": "not_satisfied"},
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
            {"2": "not_satisfied"},
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
            {"1": "not_satisfied", "3": "not_satisfied"},
        ),
        # no linking code at all
        ({"管理番号": {"role": "other", "actions": ["drop"]}}, {"3": "not_applicable"}),
        # no top/bottom coding and no k: 特異な記述 not addressed
        (
            {
                "生年月日": {
                    "role": "quasi_identifier",
                    "entity": "DATE_OF_BIRTH",
                    "actions": [{"generalize": {"to": "age_band", "width": 10, "reference_date": "2026-04-01"}}],
                }
            },
            {"4": "not_satisfied"},
        ),
    ],
)
def test_each_measure_reacts_to_its_columns(tmp_path, changes, expected):
    assert _status(_checklist(tmp_path, changes)) == {
        **dict.fromkeys("12345", "satisfied"),
        **expected,
    }


def test_residual_findings_fail_measure_1(tmp_path):
    items = _checklist(tmp_path, rescan_ok=False)
    assert items["1"]["status"] == "not_satisfied" and "検出あり" in items["1"]["evidence"]


def test_the_gate_policy_counts_for_measure_4(tmp_path):
    no_coding = {
        "生年月日": {
            "role": "quasi_identifier",
            "actions": [{"generalize": {"to": "age_band", "width": 10, "reference_date": "2026-04-01"}}],
        }
    }
    policy = GateCheck("reidentification", True, "", {"k": 5, "counted_in": "persons", "measured": [{"column": "生年月日"}]})
    items = _checklist(tmp_path, no_coding, policy=policy)
    assert items["4"]["status"] == "satisfied" and "k≥5人" in items["4"]["evidence"]


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
