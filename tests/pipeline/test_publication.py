"""The gate's ``publication`` check: init's placeholders, a title that is only a file or
pipeline name, and a code that names no municipality are refused, each by its YAML path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from anonymizer.errors import ConfigError
from anonymizer.pipeline.publication import (
    PlaceholderRules,
    load_placeholder_rules,
    publication_check,
)
from anonymizer.pipeline.spec import PipelineSpec, load_pipeline
from anonymizer.rules import load_rules
from tests.pipeline.conftest import base_pipeline, set_path

PIPELINES = Path(__file__).resolve().parents[2] / "pipelines"
INPUT = Path("data/soudan_2024.csv")


def _spec(**metadata: Any) -> PipelineSpec:
    spec = base_pipeline()  # name soudan-test; metadata of 国立市 132152
    for key, value in metadata.items():
        set_path(spec, f"metadata.{key}", value)
    return PipelineSpec.model_validate(spec)


def _check(spec: PipelineSpec):
    return publication_check(spec, INPUT, "pipelines/soudan.yaml")


def test_complete_metadata_passes_and_names_the_municipality():
    check = _check(_spec())
    assert check.name == "publication" and check.passed, check.detail
    assert check.data == {"problems": {}}
    assert "132152 東京都国立市" in check.detail


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("publisher", "（要記入）"),  # what init writes
        ("publisher", "(要記入)"),
        ("publisher", "要記入"),
        ("publisher", "国立市 ○○課"),
        ("publisher", "●●市"),
        ("publisher", "〇〇市 福祉課"),  # U+3007, as the IME offers it for まる
        ("publisher", "未定"),
        ("publisher", "（未定）"),
        ("publisher", "-"),
        ("publisher", "　"),  # an ideographic space only
        ("title", "TODO"),
        ("title", "ＴＯＤＯ：あとで"),  # 全角, after NFKC
        ("title", "TBD"),
        ("title", "xxx"),
        ("title", "ＸＸＸ市の統計"),
        ("title", "dummy"),
        ("title", "Placeholder"),
        ("title", "TODO記入"),  # Japanese next to it is a word boundary
        ("description", "要記入: データの説明"),
        ("description", "lorem ipsum dolor sit amet"),
        ("contact", "TBD"),
        ("contact", "xx-xxxx-xxxx"),
    ],
)
def test_a_placeholder_is_refused_by_its_yaml_path(field, value):
    check = _check(_spec(**{field: value}))
    assert not check.passed
    assert check.data["problems"] == {f"metadata.{field}": "placeholder"}
    assert f"metadata.{field}: a placeholder ({value})" in check.detail


def test_a_placeholder_keyword_is_refused_by_its_index():
    check = _check(_spec(keywords=["住民相談", "TODO"]))
    assert check.data["problems"] == {"metadata.keywords[1]": "placeholder"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("publisher", "国立市 市民協働推進課（サンプル）"),  # the sample pipelines' publisher
        ("title", "二〇〇五年度 住民相談件数"),  # 〇〇 inside a kanji numeral
        ("title", "Toyota市 mastodon 利用状況"),  # "todo" and "xx" inside words
        ("title", "相談記録 XXI"),
        ("description", "日程未定の行事を含む"),  # 未定 is a placeholder only on its own
        ("description", "テスト運用期間中のデータ"),
        ("description", ""),  # optional: empty is fine
        ("contact", "国立市 市民協働推進課 042-576-2111"),
    ],
)
def test_real_metadata_is_not_a_placeholder(field, value):
    check = _check(_spec(**{field: value}))
    assert check.passed, check.detail


def test_the_failure_detail_says_what_to_write_and_where():
    check = _check(_spec(publisher="（要記入）"))
    assert check.detail == (
        "metadata.publisher: a placeholder (（要記入）) — 公開する自治体・部署名を記入してください"
        " (metadata: in soudan.yaml)"
    )


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("soudan-test", "equals_name"),
        ("Soudan-Test", "equals_name"),
        ("ｓｏｕｄａｎ＿ｔｅｓｔ", "equals_name"),  # 全角, _ for -
        ("soudan_2024", "equals_input_file"),
        ("SOUDAN 2024", "equals_input_file"),
        ("soudan_2024.csv", "equals_input_file"),
    ],
)
def test_a_title_that_is_only_a_name_is_refused(title, reason):
    check = _check(_spec(title=title))
    assert not check.passed and check.data["problems"] == {"metadata.title": reason}
    if reason == "equals_name":
        assert "metadata.title: equals the pipeline name — give the dataset's title" in check.detail


@pytest.mark.parametrize(
    "code",
    [
        "000001",  # init's placeholder: its check digit is right
        "00000",
        "99999",
        "131245",  # 13123 is 江戸川区; 13124 is nothing (its check digit is right)
        "13124",
    ],
)
def test_a_code_of_no_municipality_is_refused(code):
    check = _check(_spec(municipality_code=code))
    assert not check.passed
    assert check.data["problems"] == {"metadata.municipality_code": "unknown_code"}
    assert (
        f"metadata.municipality_code: {code} is not a 全国地方公共団体コード of any prefecture "
        "or municipality" in check.detail
    )


def test_a_wrong_check_digit_is_refused_even_past_the_spec():
    """The spec refuses it when the YAML is loaded; the check does not rely on that."""
    spec = _spec()
    wrong = spec.metadata.model_copy(update={"municipality_code": "132151"})
    check = _check(spec.model_copy(update={"metadata": wrong}))
    assert check.data["problems"] == {"metadata.municipality_code": "unknown_code"}


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("132152", "東京都国立市"),
        ("13215", "東京都国立市"),
        ("141003", "神奈川県横浜市"),  # a designated city
        ("011002", "北海道札幌市"),
        ("141011", "神奈川県横浜市鶴見区"),  # its ward
        ("130001", "東京都"),  # a prefecture
        ("131016", "東京都千代田区"),  # a special ward
    ],
)
def test_codes_of_prefectures_and_municipalities_pass(code, name):
    check = _check(_spec(municipality_code=code))
    assert check.passed, check.detail
    assert f"{code} {name}" in check.detail


def test_every_problem_is_listed():
    check = _check(_spec(title="soudan_2024", publisher="（要記入）", municipality_code="000001"))
    assert check.data["problems"] == {
        "metadata.title": "equals_input_file",
        "metadata.publisher": "placeholder",
        "metadata.municipality_code": "unknown_code",
    }
    assert check.detail.count("; ") == 2


@pytest.mark.parametrize("path", sorted(PIPELINES.glob("*.yaml")), ids=lambda p: p.name)
def test_the_sample_pipelines_pass(path):
    spec = load_pipeline(path)
    check = publication_check(spec, path.parent / spec.input.path, str(path))
    assert check.passed, check.detail


def test_the_placeholder_rules_refuse_unknown_keys(tmp_path):
    (tmp_path / "placeholders.yaml").write_text(
        "version: 1\nmarks: [要記入]\nwords: [todo]\nvalues: [未定]\nphrases: [x]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="placeholders.yaml: phrases: Extra inputs"):
        load_rules("placeholders.yaml", PlaceholderRules, tmp_path)


def test_the_shipped_placeholder_rules_do_not_list_sample():
    rules = load_placeholder_rules()
    assert "サンプル" not in (*rules.marks, *rules.values)
    assert not rules.is_placeholder("国立市 高齢者支援課（サンプル）")
