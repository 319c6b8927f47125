"""Pipeline YAML validation: every problem is a ConfigError that starts with the file and
names the YAML path; nothing falls back to a default."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anonymizer.detect.calibration import load_calibration
from anonymizer.entities import ENTITIES
from anonymizer.errors import ConfigError
from anonymizer.gazetteer_index import check_digit
from anonymizer.pipeline.spec import (
    DEFAULT_FAIL_ON,
    GateSpec,
    PipelineSpec,
    load_pipeline,
    local_government_check_digit,
)
from tests.pipeline.conftest import base_pipeline, set_path, write_pipeline


def _load(tmp_path, spec: dict[str, Any]) -> PipelineSpec:
    return load_pipeline(write_pipeline(tmp_path / "p.yaml", spec))


def test_the_base_pipeline_is_valid(tmp_path):
    spec = _load(tmp_path, base_pipeline())
    assert spec.mode == "fast" and spec.metadata.municipality_code == "132152"
    assert spec.columns["氏名"].operator_calls() == [("pseudonymize", {})]
    assert spec.columns["生年月日"].operator_calls() == [
        ("generalize", {"to": "age_band", "width": 10, "reference_date": dt.date(2026, 4, 1)})
    ]
    assert spec.gate.fail_on == DEFAULT_FAIL_ON
    assert (
        "PERSON" in DEFAULT_FAIL_ON
        and "AGE" not in DEFAULT_FAIL_ON
        and "DATE" not in DEFAULT_FAIL_ON
    )


@pytest.mark.parametrize(
    ("dotted", "value", "where", "says"),
    [
        ("colour", "red", "colour", "Extra inputs are not permitted"),
        ("columns.氏名.action", ["drop"], "columns.氏名.action", "Extra inputs are not permitted"),
        ("gate.min_kk", 3, "gate.min_kk", "Extra inputs are not permitted"),
        ("version", 2, "version", "Input should be 1"),
        ("mode", "quick", "mode", "'fast' or 'accurate'"),
        ("engine", "flink", "engine", "'pandas' or 'spark'"),
        ("spark.partitions", 0, "spark.partitions", "greater than or equal to 1"),
        ("spark.workers", 2, "spark.workers", "Extra inputs are not permitted"),
        ("name", "Soudan Test", "name", "lower-case letters"),
        ("columns.氏名.role", "name", "columns.氏名.role", "Input should be"),
        (
            "columns.氏名.entity",
            "NAME",
            "columns.氏名.entity",
            "unknown entity 'NAME'; valid: PERSON",
        ),
        ("columns.氏名.actions", [], "columns.氏名.actions", "at least 1 item"),
        (
            "columns.氏名.actions",
            [{"mask": {}, "drop": {}}],
            "columns.氏名.actions",
            "one-key mapping",
        ),
        ("gate.fail_on", ["PERSON", "NAME"], "gate.fail_on[1]", "unknown entity 'NAME'"),
        ("gate.min_score", 1.5, "gate.min_score", "less than or equal to 1"),
        ("policy.k", 1, "policy.k", "k must be at least 2"),
        ("person_column", 3, "person_column", "Input should be a valid string"),
        (
            "gate.allow",
            [{"column": "氏名", "entity": "PERSON", "reason": "ok"}],
            "gate.allow[0].reason",
            "at least 5",
        ),
        (
            "gate.allow",
            [{"column": "氏名", "entity": "NAME", "reason": "reviewed"}],
            "gate.allow[0].entity",
            "unknown entity",
        ),
        ("output.file", "sub/soudan.csv", "output.file", "no directories"),
        ("output.file", "..\\soudan.csv", "output.file", "no directories"),
        ("output.file", ".soudan.csv", "output.file", "no directories"),
        ("output.file", "soudan.xlsx", "output.file", "ending in .csv"),
        ("output.encoding", "shift_jis", "output.encoding", "'utf-8-sig', 'utf-8' or 'cp932'"),
        ("metadata.license", "MIT", "metadata.license", "'CC-BY-4.0' or 'PDL-1.0'"),
        ("metadata.municipality_code", "132151", "metadata.municipality_code", "check digit"),
        ("metadata.municipality_code", "131040", "metadata.municipality_code", "check digit"),
        ("metadata.municipality_code", "1321", "metadata.municipality_code", "5 or 6 digits"),
        (
            "metadata.municipality_code",
            "１３２１５２",
            "metadata.municipality_code",
            "5 or 6 digits",
        ),
        ("metadata.title", "", "metadata.title", "at least 1"),
        ("metadata.issued", "someday", "metadata.issued", "valid date"),
        ("pseudonym.salt", "x", "pseudonym.salt", "Extra inputs are not permitted"),
    ],
)
def test_invalid_field_names_its_yaml_path(tmp_path, dotted, value, where, says):
    with pytest.raises(ConfigError) as exc:
        _load(tmp_path, set_path(base_pipeline(), dotted, value))
    message = exc.value.message
    assert message.startswith(f"{tmp_path / 'p.yaml'}: {where}: "), message
    assert says in message


@pytest.mark.parametrize("missing", ["version", "name", "input", "columns", "output", "metadata"])
def test_required_sections(tmp_path, missing):
    spec = base_pipeline()
    del spec[missing]
    with pytest.raises(ConfigError, match=rf"p\.yaml: {missing}: Field required"):
        _load(tmp_path, spec)


def test_output_columns_must_be_declared(tmp_path):
    spec = base_pipeline()
    spec["output"]["columns"] = ["性別", {"from": "住所", "to": "地域"}]
    with pytest.raises(ConfigError) as exc:
        _load(tmp_path, spec)
    assert exc.value.message.startswith(f"{tmp_path / 'p.yaml'}: ")
    assert "output.columns names undeclared columns ['住所']" in exc.value.message


def test_output_column_rename_needs_from_and_to(tmp_path):
    spec = base_pipeline()
    spec["output"]["columns"] = [{"from": "氏名"}]
    with pytest.raises(ConfigError, match=r"output\.columns\[0\]"):
        _load(tmp_path, spec)


def test_gate_allow_must_name_a_declared_column(tmp_path):
    spec = base_pipeline()
    spec["gate"] = {
        "allow": [{"column": "担当者", "entity": "PERSON", "reason": "職員名は公開情報"}]
    }
    with pytest.raises(ConfigError, match=r"gate\.allow names undeclared column '担当者'"):
        _load(tmp_path, spec)


def test_duplicate_yaml_keys_are_refused(tmp_path):
    path = write_pipeline(tmp_path / "p.yaml", base_pipeline())
    text = path.read_text(encoding="utf-8").replace("mode: fast", "mode: fast\nmode: accurate")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"p\.yaml: line \d+: duplicate key 'mode'"):
        load_pipeline(path)


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_pipeline(tmp_path / "nope.yaml")
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match="empty document"):
        load_pipeline(tmp_path / "empty.yaml")


def test_steps_keep_their_own_params_for_the_step_to_validate(tmp_path):
    spec = base_pipeline()
    spec["steps"] = [{"type": "kanonymity", "k": 5}]
    loaded = _load(tmp_path, spec)
    assert loaded.steps[0].type == "kanonymity" and loaded.steps[0].params() == {"k": 5}
    spec["steps"] = [{"k": 5}]
    with pytest.raises(ConfigError, match=r"steps\[0\]\.type: Field required"):
        _load(tmp_path, spec)


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("132152", True),  # 国立市
        ("131016", True),  # 千代田区
        ("131041", True),  # 新宿区: Σ mod 11 = 0 → 11 → check digit 1
        ("011002", True),  # 札幌市
        ("271004", True),  # 大阪市
        ("393860", True),  # いの町: Σ mod 11 = 1 → 10 → check digit 0
        ("13215", True),  # 5 digits: no check digit
        ("132151", False),
        ("131040", False),
        ("131017", False),
        ("000001", True),  # the init placeholder is well-formed (the steward must replace it)
        ("000000", False),  # Σ = 0 → check digit 1
    ],
)
def test_municipality_code_check_digit(tmp_path, code, valid):
    spec = set_path(base_pipeline(), "metadata.municipality_code", code)
    if valid:
        assert _load(tmp_path, spec).metadata.municipality_code == code
    else:
        with pytest.raises(ConfigError, match="check digit does not match"):
            _load(tmp_path, spec)


def test_check_digit_agrees_with_the_gazetteer_for_every_remainder():
    # one 5-digit code per remainder 0..10 of the weighted sum
    seen: dict[int, str] = {}
    for n in range(100_000):
        code = f"{n:05d}"
        r = sum(int(d) * w for d, w in zip(code, (6, 5, 4, 3, 2), strict=True)) % 11
        seen.setdefault(r, code)
        if len(seen) == 11:
            break
    for code in seen.values():
        assert str(local_government_check_digit(code)) == check_digit(code)


def test_entities_in_messages_are_the_canonical_list(tmp_path):
    spec = set_path(base_pipeline(), "columns.氏名.entity", "NAME")
    with pytest.raises(ConfigError) as exc:
        _load(tmp_path, spec)
    assert ", ".join(ENTITIES) in exc.value.message


def test_the_gates_threshold_defaults_to_the_calibrated_default():
    # a probability (rules/calibration.yaml), as --min-score is: the gate refuses what the
    # default detector reports
    assert GateSpec().min_score is None
    assert GateSpec().threshold() == load_calibration().default_min_score
    assert GateSpec(min_score=0.8).threshold() == 0.8
