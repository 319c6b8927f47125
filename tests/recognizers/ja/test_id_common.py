"""The shared ID-recognizer plumbing: per-pattern context, multi-value matches, bad config."""

from pathlib import Path

import pytest

from anonymizer.config import load_yaml_model
from anonymizer.errors import ConfigError
from anonymizer.recognizers.ja._id_common import digits_of
from anonymizer.recognizers.ja.basic_pension_number import JaBasicPensionNumberRecognizer
from anonymizer.recognizers.ja.credit_card import JaCreditCardRecognizer
from anonymizer.recognizers.ja.drivers_license import JaDriversLicenseRecognizer
from anonymizer.recognizers.spec import RecognizerSpec

PENSION = """\
entity: JP_BASIC_PENSION_NUMBER
patterns:
  - {name: hyphenated_4_6, regex: '(?P<value>\\d{4}-\\d{6})', score: 0.45}
context: {words: [年金], boost: 0.4}
"""


def _build(cls, tmp_path: Path, text: str):
    path = tmp_path / f"{cls.NAME}.yaml"
    path.write_text(text, encoding="utf-8")
    return cls(load_yaml_model(path, RecognizerSpec), source=str(path))


@pytest.mark.parametrize(
    ("text", "digits"),
    [("1234-567890", "1234567890"), ("4111 1111", "41111111"), ("T70", "70"), ("", "")],
)
def test_digits_of(text, digits):
    assert digits_of(text) == digits


def test_extra_context_counts_for_its_pattern_only(tmp_path):
    rec = _build(
        JaBasicPensionNumberRecognizer,
        tmp_path,
        PENSION + "params:\n  extra_context:\n    hyphenated_4_6: [被保険者]\n",
    )
    (with_extra,) = rec.analyze("被保険者 1234-567890", [])
    (with_main,) = rec.analyze("年金 1234-567890", [])
    (bare,) = rec.analyze("1234-567890", [])
    assert with_extra.score == with_main.score == pytest.approx(0.85)
    assert bare.score == pytest.approx(0.45)


def test_extra_context_naming_an_unknown_pattern_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError) as exc:
        _build(
            JaBasicPensionNumberRecognizer,
            tmp_path,
            PENSION + "params:\n  extra_context:\n    plain_11: [年金]\n",
        )
    message = str(exc.value)
    assert "ja.basic_pension_number.v1.yaml" in message
    assert "params.extra_context" in message and "plain_11" in message
    assert "hyphenated_4_6" in message  # lists the valid names


def test_unknown_param_key_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError) as exc:
        _build(JaBasicPensionNumberRecognizer, tmp_path, PENSION + "params:\n  extra: 1\n")
    assert "ja.basic_pension_number.v1.params" in str(exc.value)


@pytest.mark.parametrize(
    ("cls", "params"),
    [
        (JaDriversLicenseRecognizer, "params: {commission_codes: ['3']}\n"),
        (JaDriversLicenseRecognizer, "params: {commission_codes: []}\n"),
        (JaDriversLicenseRecognizer, "params: {}\n"),  # required: never defaulted
        (JaCreditCardRecognizer, "params: {first_digits: ['45']}\n"),
        (JaCreditCardRecognizer, "params: {}\n"),
    ],
)
def test_bad_recognizer_params_are_config_errors(tmp_path, cls, params):
    entity = "CREDIT_CARD" if cls is JaCreditCardRecognizer else "JP_DRIVERS_LICENSE"
    with pytest.raises(ConfigError) as exc:
        _build(cls, tmp_path, f"entity: {entity}\n" + params)
    assert f"{cls.NAME}.yaml: {cls.NAME}.params" in str(exc.value)


def test_multi_value_pattern_yields_each_value(recognizers):
    text = "保険証 記号 0012 番号 345 枝番 01"
    results = recognizers["ja.health_insurance_number.v1"].analyze(text, [])
    assert [text[r.start : r.end] for r in results] == ["0012", "345", "01"]
    assert len({r.score for r in results}) == 1


@pytest.mark.parametrize(
    ("prefilter", "why"),
    [("'(\\d'", "does not compile"), ("'(?i)abc'", "cannot be combined")],
)
def test_bad_prefilter_is_a_config_error_naming_the_file(tmp_path, prefilter, why):
    with pytest.raises(ConfigError) as exc:
        _build(JaBasicPensionNumberRecognizer, tmp_path, PENSION + f"prefilter: {prefilter}\n")
    message = str(exc.value)
    assert "ja.basic_pension_number.v1.yaml" in message and "prefilter" in message
    assert why in message
