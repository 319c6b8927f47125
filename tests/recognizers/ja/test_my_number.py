import pytest

from anonymizer.recognizers.ja.my_number import is_valid_my_number, my_number_check_digit

# 12345678901 → check digit 8 (worked example: Σ P·Q = 168, 168 mod 11 = 3, 11 − 3 = 8)
VALID = "123456789018"


def test_check_digit_worked_example():
    assert my_number_check_digit("12345678901") == 8


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"個人番号 {VALID} を確認", [(5, 17)]),
        ("個人番号 1234 5678 9018", [(5, 19)]),
        ("マイナンバー：１２３４－５６７８－９０１８", [(7, 21)]),  # 全角 digits and hyphens
        ("個人番号カード 1234‐5678‐9018 を提示", [(8, 22)]),
        (f"{VALID}", [(0, 12)]),
        # a wrong check digit in its context is still the person's number (mistyped)
        ("個人番号 123456789012", [(5, 17)]),
        # negatives
        ("123456789012", []),  # wrong check digit and no context
        ("法人番号 1123456789018", []),  # 13 digits: not a 12-digit run
        ("予算額 123,456,789,018 円", []),
        ("電話 0120-1234-5678", []),
        ("", []),
    ],
)
def test_spans(recognizers, text, expected):
    results = recognizers["ja.my_number.v1"].analyze(text, ["JP_MY_NUMBER"])
    assert [(r.start, r.end) for r in results] == expected
    assert all(r.entity_type == "JP_MY_NUMBER" for r in results)


def test_context_raises_score(recognizers):
    rec = recognizers["ja.my_number.v1"]
    bare = rec.analyze(f"番号は {VALID}", [])[0].score
    with_ctx = rec.analyze(f"個人番号カードの番号は {VALID}", [])[0].score
    assert with_ctx > bare


@pytest.mark.parametrize("grouped", ["1234 5678 9018", "1234-5678-9018", "123456789018"])
def test_validator_accepts_groupings(grouped):
    assert is_valid_my_number(grouped)


def test_the_check_digit_raises_the_score_the_context_decides(recognizers):
    rec = recognizers["ja.my_number.v1"]
    (valid,) = rec.analyze(f"個人番号 {VALID}", ["JP_MY_NUMBER"])
    (mistyped,) = rec.analyze("個人番号 123456789012", ["JP_MY_NUMBER"])
    assert valid.score > mistyped.score == 0.6
    assert rec.analyze("照会番号 123456789012", ["JP_MY_NUMBER"]) == []
