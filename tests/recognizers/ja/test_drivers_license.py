import pytest

from anonymizer.recognizers.ja.drivers_license import (
    drivers_license_check_digit,
    is_valid_drivers_license,
)

THRESHOLD = 0.5
VALID = "309012345620"  # 東京 30, 1990, serial 123456, check 2, no reissue (jiko0.com example)
BOTH = "300000000071"  # valid as a licence *and* as a My Number
MY_NUMBER_ONLY = "123456789018"  # the my_number test's valid number; licence check fails


@pytest.mark.parametrize(
    ("base10", "check"),
    [
        ("4598033587", 2),  # Σ = 174, 174 mod 11 = 9, 11 − 9 = 2 (published worked example)
        ("3090123456", 2),  # Σ = 119, remainder 9
        ("3000000000", 7),  # Σ = 15, remainder 4
        ("2000000002", 8),  # Σ = 14, remainder 3
        ("0000000006", 0),  # Σ = 12, remainder 1: 10 → last digit 0
        ("0000000000", 1),  # remainder 0: 11 → last digit 1
    ],
)
def test_check_digit_worked_examples(base10, check):
    assert drivers_license_check_digit(base10) == check


@pytest.mark.parametrize(
    ("candidate", "valid"),
    [
        (VALID, True),
        (BOTH, True),
        ("3090-1234-5620", True),
        ("309012345621", True),  # 12th digit = reissue count, any value
        ("309012345630", False),  # wrong check digit
        (MY_NUMBER_ONLY, False),
        ("30901234562", False),  # 11 digits
        ("", False),
    ],
)
def test_validator(candidate, valid):
    assert is_valid_drivers_license(candidate) is valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"運転免許証番号 第{VALID}号", [(9, 21)]),
        (f"免許証番号：{VALID}", [(6, 18)]),
        ("運転免許証 第３０９０１２３４５６２０号", [(7, 19)]),  # 全角
        ("免許証 3090 1234 5620", [(4, 18)]),
        ("免許証 3090-1234-5620", [(4, 18)]),
        ("免許証 3090‐1234‐5620", [(4, 18)]),
        ("免許証 3090－1234－5620", [(4, 18)]),
        ("免許証 3090―1234―5620", [(4, 18)]),
        ("免許証 3090−1234−5620", [(4, 18)]),
        ("免許証 3090ー1234ー5620", [(4, 18)]),
        (f"{VALID}（運転免許証）", [(0, 12)]),
        (f"本人確認書類：運転免許証（第{BOTH}号）", [(14, 26)]),
        # negatives
        (VALID, []),  # no 免許 context: below 0.5
        (f"番号 第{VALID}号", []),
        (f"運転免許証 第{MY_NUMBER_ONLY}号", []),  # licence check digit fails
        ("運転免許証 第309012345630号", []),
        ("運転免許証 第001234567850号", []),  # 00: not a 公安委員会 code
        ("運転免許証 第981234567850号", []),  # 98: not a 公安委員会 code
        ("運転免許証 第159012345630号", []),  # 15: unused code
        (f"運転免許証 {VALID}9", []),  # 13-digit run
        ("運転免許証の自主返納者数 1,234人", []),
        ("運転免許センター 電話 042-123-4567", []),
        ("免許 123456789012円", []),
        ("", []),
    ],
)
def test_spans(recognizers, text, expected):
    results = recognizers["ja.drivers_license.v1"].analyze(text, ["JP_DRIVERS_LICENSE"])
    assert [(r.start, r.end) for r in results if r.score >= THRESHOLD] == expected
    assert all(r.entity_type == "JP_DRIVERS_LICENSE" for r in results)


def _score(recognizers, name, text):
    results = recognizers[name].analyze(text, [])
    return max((r.score for r in results), default=0.0)


@pytest.mark.parametrize(
    "text",
    [f"運転免許証番号 第{BOTH}号", f"免許証 {BOTH}", f"{BOTH}（運転免許）"],
)
def test_beats_my_number_with_licence_context(recognizers, text):
    licence = _score(recognizers, "ja.drivers_license.v1", text)
    my_number = _score(recognizers, "ja.my_number.v1", text)
    assert licence >= 0.96
    assert licence > my_number > 0


@pytest.mark.parametrize("text", [BOTH, f"番号 {BOTH}", f"個人番号 {BOTH}"])
def test_loses_to_my_number_without_licence_context(recognizers, text):
    licence = _score(recognizers, "ja.drivers_license.v1", text)
    my_number = _score(recognizers, "ja.my_number.v1", text)
    assert licence < THRESHOLD
    assert my_number > licence


def test_random_valid_numbers_round_trip(recognizers):
    import random

    rng = random.Random(20240401)
    rec = recognizers["ja.drivers_license.v1"]
    codes = ["10", "14", "30", "45", "54", "62", "97"]
    for _ in range(200):
        base = f"{rng.choice(codes)}{rng.randrange(10**8):08d}"
        number = f"{base}{drivers_license_check_digit(base)}{rng.randrange(10)}"
        found = rec.analyze(f"運転免許証番号 第{number}号", [])
        assert [(r.start, r.end, r.score >= 0.96) for r in found] == [(9, 21, True)]
