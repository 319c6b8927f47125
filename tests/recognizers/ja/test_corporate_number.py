import pytest

from anonymizer.recognizers.ja.corporate_number import (
    corporate_check_digit,
    is_valid_corporate_number,
)

THRESHOLD = 0.5
# 日本税理士会連合会's published number; 国税庁's worked example base 123456789012 → 7
VALID = "7010705000725"
OTHER = "4011001098993"


@pytest.mark.parametrize(
    ("base12", "check"),
    [("010705000725", 7), ("011001098993", 4), ("123456789012", 7), ("000000000000", 9)],
)
def test_check_digit_worked_examples(base12, check):
    assert corporate_check_digit(base12) == check


@pytest.mark.parametrize(
    ("candidate", "valid"),
    [
        (VALID, True),
        (OTHER, True),
        ("7 0107 0500 0725", True),
        ("7-0107-0500-0725", True),
        ("8010705000725", False),  # wrong check digit
        ("701070500072", False),  # 12 digits
        ("70107050007250", False),  # 14 digits
        ("", False),
    ],
)
def test_validator(candidate, valid):
    assert is_valid_corporate_number(candidate) is valid


def test_check_digit_rejects_bad_input():
    with pytest.raises(ValueError):
        corporate_check_digit("12345")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"法人番号 {VALID} の事業者", [(5, 18)]),
        (f"法人番号：{OTHER}", [(5, 18)]),
        ("法人番号　７０１０７０５０００７２５", [(5, 18)]),  # 全角 digits and space
        (f"登録番号 T{VALID}", [(6, 19)]),  # invoice number: the T stays outside
        (f"適格請求書発行事業者登録番号：Ｔ{VALID}", [(16, 29)]),
        ("法人番号 7 0107 0500 0725", [(5, 21)]),
        ("法人番号 7‐0107‐0500‐0725", [(5, 21)]),
        ("法人番号 7－0107－0500－0725", [(5, 21)]),
        ("法人番号 7―0107―0500―0725", [(5, 21)]),
        ("法人番号 7−0107−0500−0725", [(5, 21)]),
        ("法人番号 7ー0107ー0500ー0725", [(5, 21)]),
        (VALID, [(0, 13)]),  # bare valid 13 digits: 0.6
        # negatives
        ("法人番号 8010705000725", []),  # wrong check digit
        (f"法人番号 {VALID}1", []),  # inside a longer run
        (f"1{VALID}", []),
        (f"ISBN{VALID}", []),
        ("ISBN 9784123456786", []),
        ("JAN 4901234567894", []),
        ("予算額 7,010,705,000,725円", []),
        ("令和6年第12号", []),
        ("電話 042-576-2111", []),
        ("", []),
    ],
)
def test_spans(recognizers, text, expected):
    results = recognizers["ja.corporate_number.v1"].analyze(text, ["JP_CORPORATE_NUMBER"])
    assert [(r.start, r.end) for r in results if r.score >= THRESHOLD] == expected
    assert all(r.entity_type == "JP_CORPORATE_NUMBER" for r in results)


def test_context_raises_score(recognizers):
    rec = recognizers["ja.corporate_number.v1"]
    bare = rec.analyze(f"番号 {VALID}", [])[0].score
    with_ctx = rec.analyze(f"法人番号 {VALID}", [])[0].score
    assert 0.6 <= bare < with_ctx


@pytest.mark.parametrize(
    "text",
    [
        f"法人番号 {VALID}",
        f"{VALID}",
        f"登録番号 T{VALID}",
        f"番号 {OTHER} です",
    ],
)
def test_never_a_my_number(recognizers, text):
    """A 13-digit run must not yield a 12-digit My Number match."""
    assert recognizers["ja.my_number.v1"].analyze(text, ["JP_MY_NUMBER"]) == []
    assert recognizers["ja.corporate_number.v1"].analyze(text, [])


def test_grouped_form_outscores_a_bare_my_number_reading(recognizers):
    """In 1-4-4-4 grouping the my_number pattern may see the last 12 digits; ours must win."""
    corp = recognizers["ja.corporate_number.v1"].analyze("7 0107 0500 0725", [])
    assert [(r.start, r.end) for r in corp] == [(0, 16)]
    mine = recognizers["ja.my_number.v1"].analyze("7 0107 0500 0725", [])
    assert all(corp[0].score > r.score for r in mine)


def test_random_valid_numbers_round_trip(recognizers):
    """Numbers built with the public check-digit function are found; every other leading
    digit 1–9 is rejected (0 never leads, so the mod-9 blind spot 0↔9 cannot occur there)."""
    import random

    rng = random.Random(20240401)
    rec = recognizers["ja.corporate_number.v1"]
    for _ in range(200):
        base = f"{rng.randrange(10**12):012d}"
        number = f"{corporate_check_digit(base)}{base}"
        assert [(r.start, r.end) for r in rec.analyze(f"法人番号 {number}", [])] == [(5, 18)]
        wrong = [d for d in "123456789" if d != number[0]]
        assert not any(is_valid_corporate_number(d + base) for d in wrong)
