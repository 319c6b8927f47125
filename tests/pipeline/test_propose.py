"""``init``'s proposal: safe by default, valid as written, and it runs."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from anonymizer.pipeline.propose import (
    actions_for,
    fits,
    is_quasi,
    kind_of,
    load_propose_rules,
    propose,
    slug,
)
from anonymizer.pipeline.publication import MetadataFile
from anonymizer.pipeline.spec import load_pipeline
from anonymizer.policy.rules import load_policy_rules
from anonymizer.scan import scan_file
from anonymizer.scan.profile import ColumnProfile
from tests.pipeline.conftest import PLANTED, ROWS, cli_run, leaks, released_texts, write_csv

#: the base rows plus an address and a postal code, as a city export has them
ADDRESSES = [
    "東京都国立市富士見台2丁目6番7号",
    "国立市矢川1044-4",
    "東京都国立市富士見台2丁目6番7号",
    "東京都国立市中1-2-3",
    "国立市北3-4-5",
    "国立市矢川1044-4",
]
POSTAL = ["186-0003", "1860015", "186-0003", "186-0004", "186-0001", "1860015"]
INIT_ROWS = [dict(r, 住所=a, 郵便番号=p) for r, a, p in zip(ROWS, ADDRESSES, POSTAL, strict=True)]
#: the publication metadata a proposal that is run gets (the gate refuses init's placeholders)
METADATA = MetadataFile(
    title="テストデータ", publisher="国立市 テスト課", municipality_code="132152"
)
METADATA_FLAGS = (
    "--title", "テストデータ", "--publisher", "国立市 テスト課", "--municipality-code", "132152"
)


def _profile(
    role: str,
    entity: str | None = None,
    entities: dict[str, int] | None = None,
    sampled: int = 10,
    name: str = "c",
    value_role: str = "other",
    value_entity: str | None = None,
) -> ColumnProfile:
    return ColumnProfile(
        name, role, "header", entity, sampled, sampled, sampled, sampled, entities or {},
        value_role=value_role, value_entity=value_entity,
        header_role=role,
    )


@pytest.mark.parametrize(
    ("profile", "actions"),
    [
        (_profile("direct_identifier", "PERSON"), ["drop"]),
        (
            _profile("direct_identifier"),
            ["drop"],
        ),  # a linking code: pseudonymize needs a key, so drop
        (_profile("free_text"), ["drop"]),  # masking under a review is the comment's alternative
        (_profile("sensitive"), ["keep"]),
        (_profile("other"), ["keep"]),
    ],
)
def test_actions_for_columns_that_are_not_quasi_identifiers(profile, actions):
    proposed, comment = actions_for(profile)
    assert proposed == actions and comment


RULES = load_propose_rules()


@pytest.mark.parametrize(
    ("profile", "event", "kind"),
    [
        (_profile("quasi_identifier", "DATE_OF_BIRTH"), "受付日", "birth_date_at_event"),
        (_profile("quasi_identifier", "DATE_OF_BIRTH"), None, "birth_date"),
        (_profile("other", value_role="quasi_identifier", value_entity="DATE_OF_BIRTH"), None,
         "birth_date"),
        (_profile("quasi_identifier", "AGE"), None, "age"),
        (_profile("quasi_identifier", "JP_POSTAL_CODE"), None, "postal_code"),
        (_profile("direct_identifier", "JP_ADDRESS"), None, "address"),
        (_profile("quasi_identifier", None, {"DATE": 5}), None, "event_date"),
        (_profile("quasi_identifier", None, {"DATE": 4}), None, "category"),  # under half
        (_profile("quasi_identifier", name="世帯人員"), None, "household_size"),
        (_profile("quasi_identifier", name="職業"), None, "category"),
    ],
)
def test_kind_of_each_quasi_identifier(profile, event, kind):
    assert kind_of(profile, RULES, event) == kind


@pytest.mark.parametrize(
    ("profile", "quasi"),
    [
        (_profile("quasi_identifier"), True),
        (_profile("direct_identifier", "JP_ADDRESS"), True),  # released cut to the 町字
        (_profile("direct_identifier", "PERSON"), False),
        (_profile("other", value_role="quasi_identifier"), True),  # event dates by value
        (_profile("other", "AGE"), True),  # a header entity the policy measures
        (_profile("free_text"), False),
        (_profile("sensitive"), False),
        (_profile("other"), False),
    ],
)
def test_quasi_identifiers_are_what_the_gate_will_measure(profile, quasi):
    assert is_quasi(profile, load_policy_rules()) is quasi


def test_a_candidate_that_does_not_fit_every_value_falls_back():
    frame = pd.DataFrame({"年齢": ["54", "不明", "70"]}, dtype="string")
    assert fits("年齢", ["keep"], "flat", frame)
    assert not fits("年齢", ["keep"], "age_5y", frame)  # 不明 has no age band
    frame = pd.DataFrame({"生": ["1950/4/1", "S30.1.2"], "受": ["2024/5/1", "不明"]}, dtype="string")
    assert not fits("生", [{"generalize": {"to": "age", "reference_column": "受"}}], "age_5y", frame)
    assert fits("生", [{"generalize": {"to": "year_month"}}], "year_month", frame)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("soudan", "soudan"),
        ("Soudan 2024", "soudan-2024"),
        ("相談記録", "dataset"),
        ("_x_", "x"),
        ("a" * 80, "a" * 64),
    ],
)
def test_slug(text, expected):
    assert slug(text) == expected


def test_proposal_is_valid_and_safe_by_default(tmp_path, fast):
    (tmp_path / "data").mkdir()
    (tmp_path / "pipelines").mkdir()
    data = write_csv(tmp_path / "data" / "相談.csv", INIT_ROWS, "cp932")
    target = tmp_path / "pipelines" / "Soudan 2024.yaml"
    text = propose(scan_file(data, fast), target, None, pd.read_csv(data, dtype="string", encoding="cp932"))
    target.write_text(text, encoding="utf-8")
    spec = load_pipeline(target)
    assert spec.name == "soudan-2024" and spec.mode == "fast"
    assert spec.input.path == "../data/相談.csv" and spec.input.encoding == "cp932"
    assert list(spec.columns) == list(INIT_ROWS[0])  # every input column declared, in order
    actions = {c: cs.operator_calls() for c, cs in spec.columns.items()}
    for col in ("管理番号", "氏名", "電話番号", "個人番号"):
        assert spec.columns[col].role == "direct_identifier" and actions[col] == [("drop", {})], col
    assert actions["相談内容"] == [("drop", {})]
    assert actions["生年月日"] == [("generalize", {"to": "year_month"})]
    assert actions["住所"] == [("generalize", {"to": "address_town"})]
    assert spec.columns["住所"].role == "quasi_identifier"
    assert actions["郵便番号"] == [("generalize", {"to": "postal3"})]
    assert actions["性別"] == [("keep", {})]
    assert spec.steps[0].params()["qis"] == {
        "生年月日": "year_month", "性別": "flat", "住所": "address", "郵便番号": "postal3"
    }
    assert spec.output.file == "soudan-2024.csv" and spec.output.encoding == "utf-8-sig"
    assert yaml.safe_load(text)["metadata"]["publisher"] == "（要記入）"
    # the comments count findings, they never quote a value
    assert "PERSON×6" in text and leaks([text]) == []


def test_proposal_runs_and_releases_nothing_planted(tmp_path, fast):
    data = write_csv(tmp_path / "in.csv", INIT_ROWS)
    pipeline = tmp_path / "p.yaml"
    frame = pd.read_csv(data, dtype="string")
    text = propose(scan_file(data, fast), pipeline, "proposed", frame, metadata=METADATA)
    pipeline.write_text(text, encoding="utf-8")
    result = cli_run("run", pipeline, "--out", tmp_path / "out", "--no-progress")
    assert result.exit_code == 0, result.stderr
    texts = released_texts(tmp_path / "out" / "proposed")
    assert leaks([*texts.values(), result.stdout, result.stderr], (*PLANTED, *ADDRESSES)) == []
    header = texts["proposed.csv"].split("\r\n")[0]
    assert header == "生年月日,性別,地区コード,件数,住所,郵便番号"  # メモ is free text: dropped


def test_too_many_quasi_identifiers_for_the_optimal_search_get_local_recoding(tmp_path):
    from anonymizer.scan.profile import ScanResult

    names = [f"区分{i:02d}" for i in range(24)]  # 2**24 combinations of levels > MAX_NODES
    frame = pd.DataFrame({n: ["a", "b", "c"] * 10 for n in names}, dtype="string")
    (tmp_path / "in.csv").write_text("x\n", encoding="utf-8")
    scan = ScanResult(str(tmp_path / "in.csv"), "utf-8", ",", 30, "fast",
                      [_profile("quasi_identifier", name=n, sampled=30) for n in names])
    text = propose(scan, tmp_path / "p.yaml", "many", frame)
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    step = load_pipeline(tmp_path / "p.yaml").steps[0].params()
    assert step["local_recoding"] is True and list(step["qis"]) == names
    few = propose(ScanResult(scan.file, "utf-8", ",", 30, "fast", scan.columns[:3]),
                  tmp_path / "p.yaml", "few", frame[names[:3]])
    assert "local_recoding" not in few


def test_a_registered_domicile_is_dropped_not_generalized(tmp_path):
    """本籍 is read as an address by its header and values, but is never proposed cut to the
    町字 and kept: it can point at a 社会的身分 (rules/propose.yaml always_dropped)."""
    from tests.pipeline.conftest import cli_run as run_cli

    rows = [dict(r, 本籍=a) for r, a in zip(INIT_ROWS, ADDRESSES, strict=True)]
    src = write_csv(tmp_path / "in.csv", rows)
    res = run_cli("init", src, "-o", tmp_path / "p.yaml", "--mode", "fast", *METADATA_FLAGS)
    assert res.exit_code == 0, res.output
    from anonymizer.pipeline.spec import load_pipeline

    spec = load_pipeline(tmp_path / "p.yaml")
    assert spec.columns["本籍"].operator_calls() == [("drop", {})]
    assert spec.columns["住所"].operator_calls() == [("generalize", {"to": "address_town"})]
    step = spec.steps[0]
    assert "本籍" not in step.params()["qis"]
