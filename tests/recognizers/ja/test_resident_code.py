import pytest

from anonymizer.recognizers.ja.resident_code import (
    is_valid_resident_code,
    resident_code_check_digit,
)

THRESHOLD = 0.5
# 1234567890 → Σ P·Q = 195 (weights 5,4,3,2,7,6,5,4,3,2 from the left), 195 mod 11 = 8, 11 − 8 = 3
VALID = "12345678903"


@pytest.mark.parametrize(
    ("base10", "check"),
    [
        ("1234567890", 3),
        ("2472705960", 8),  # published sample code 24727059608
        ("2484601622", 4),  # published sample code 24846016224
        ("0000000000", 0),  # remainder 0 → 0
        ("0000000006", 0),  # 6·2 = 12, remainder 1 → 0
    ],
)
def test_check_digit_worked_examples(base10, check):
    assert resident_code_check_digit(base10) == check


@pytest.mark.parametrize(
    ("candidate", "valid"),
    [
        (VALID, True),
        ("24727059608", True),
        ("12345678901", False),
        ("1234567890", False),
        ("123456789030", False),
        ("", False),
    ],
)
def test_validator(candidate, valid):
    assert is_valid_resident_code(candidate) is valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"住民票コード {VALID}", [(7, 18)]),
        (f"住民票コード：{VALID}（世帯主）", [(7, 18)]),
        ("住民票コード　１２３４５６７８９０３", [(7, 18)]),  # 全角
        (f"住民票の写し（住民票コード記載） {VALID}", [(17, 28)]),
        (f"{VALID} 住民票コード", [(0, 11)]),  # context after the number
        (f"住基ネット照会 {VALID}", [(8, 19)]),
        # negatives: bare valid codes stay below 0.5
        (VALID, []),
        (f"番号 {VALID}", []),
        ("住民票コード 12345678901", [(7, 18)]),  # wrong check digit, in context: still masked
        ("12345678901", []),  # wrong check digit, bare
        (f"住民票コード {VALID}2", []),  # 12-digit run
        (f"住民票コード 9{VALID}", []),
        ("住民票の写しの交付申請者 電話 12345678903", []),  # phone context vetoes
        ("住民票の写し 1通300円、交付件数 123,456件", []),
        ("住民票の写しの交付 令和6年第12号", []),
        ("住民基本台帳人口 75,123人（2024-04-01現在）", []),
        ("住民票 090-1234-5678", []),
        ("", []),
    ],
)
def test_spans(recognizers, text, expected):
    results = recognizers["ja.resident_code.v1"].analyze(text, ["JP_RESIDENT_CODE"])
    assert [(r.start, r.end) for r in results if r.score >= THRESHOLD] == expected
    assert all(r.entity_type == "JP_RESIDENT_CODE" for r in results)


def test_bare_valid_code_is_below_threshold_and_context_lifts_it(recognizers):
    rec = recognizers["ja.resident_code.v1"]
    (bare,) = rec.analyze(VALID, [])
    (ctx,) = rec.analyze(f"住民票コード {VALID}", [])
    assert bare.score < THRESHOLD <= 0.6 <= ctx.score


def test_random_valid_codes_round_trip(recognizers):
    import random

    rng = random.Random(20240401)
    rec = recognizers["ja.resident_code.v1"]
    for _ in range(200):
        base = f"{rng.randrange(10**10):010d}"
        code = f"{base}{resident_code_check_digit(base)}"
        results = rec.analyze(f"住民票コード {code}", [])
        assert [(r.start, r.end) for r in results if r.score >= 0.6] == [(7, 18)]
        others = [d for d in "0123456789" if d != code[-1]]
        assert not any(is_valid_resident_code(base + d) for d in others)
