import pytest

from anonymizer.recognizers.ja.credit_card import is_luhn_valid, luhn_check_digit

THRESHOLD = 0.5
VISA = "4111111111111111"  # brands' published test numbers
AMEX = "378282246310005"
DINERS = "30569309025904"
JCB = "3530111333300000"
MASTER2 = "2223003122003222"
LONG19 = "6011000000000000001"  # 19 digits, Luhn-valid


@pytest.mark.parametrize(
    ("base", "check"),
    [("7992739871", 3), ("411111111111111", 1), ("37828224631000", 5), ("0", 0)],
)
def test_luhn_check_digit(base, check):
    assert luhn_check_digit(base) == check


@pytest.mark.parametrize(
    ("candidate", "valid"),
    [
        (VISA, True),
        (AMEX, True),
        (DINERS, True),
        (JCB, True),
        (LONG19, True),
        ("4111 1111 1111 1111", True),
        ("4111111111111112", False),
        ("1", False),
        ("", False),
    ],
)
def test_is_luhn_valid(candidate, valid):
    assert is_luhn_valid(candidate) is valid


def test_check_digit_rejects_bad_input():
    with pytest.raises(ValueError):
        luhn_check_digit("12a4")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"カード番号 {VISA}", [(6, 22)]),
        (VISA, [(0, 16)]),  # Luhn + MII valid: 0.6 without context
        ("4111 1111 1111 1111", [(0, 19)]),
        ("4111-1111-1111-1111", [(0, 19)]),
        ("4111‐1111‐1111‐1111", [(0, 19)]),
        ("4111－1111－1111－1111", [(0, 19)]),
        ("4111―1111―1111―1111", [(0, 19)]),
        ("4111−1111−1111−1111", [(0, 19)]),
        ("4111ー1111ー1111ー1111", [(0, 19)]),
        ("４１１１　１１１１　１１１１　１１１１", [(0, 19)]),  # 全角 digits and spaces
        ("AMEX 3782 822463 10005", [(5, 22)]),
        ("Diners 3056 930902 5904", [(7, 23)]),
        (f"JCB {JCB} でお支払い", [(4, 20)]),
        (f"クレジットカード：{MASTER2}", [(9, 25)]),
        (f"カード番号 {LONG19}", [(6, 25)]),
        # negatives
        ("4111111111111112", []),  # Luhn fails
        ("4111 1111 1111 1112", []),
        ("8111111111111118", []),  # Luhn-valid but MII 8 is not a payment card
        ("1111111111111117", []),
        (f"{VISA}1", []),  # inside a longer run (17 digits Luhn-invalid)
        (f"9{VISA}", []),
        (f"12 {VISA}", []),  # continues a digit group before it
        ("4111 1111-1111 1111", []),  # mixed separators are not a card grouping
        ("4111 1111 1111 1111 1111", []),  # 20 digits
        ("4111111111111", []),  # 13 digits
        (f"到達番号 {VISA}", []),  # e-government reference numbers
        (f"受付番号：{VISA}", []),
        ("法人番号 7010705000725", []),
        ("予算額 4,111,111,111,111,111円", []),
        ("電話 042-576-2111", []),
        ("", []),
    ],
)
def test_spans(recognizers, text, expected):
    results = recognizers["ja.credit_card.v1"].analyze(text, ["CREDIT_CARD"])
    assert [(r.start, r.end) for r in results if r.score >= THRESHOLD] == expected
    assert all(r.entity_type == "CREDIT_CARD" for r in results)


def test_scores(recognizers):
    rec = recognizers["ja.credit_card.v1"]
    (plain,) = rec.analyze(VISA, [])
    (grouped,) = rec.analyze("4111 1111 1111 1111", [])
    (ctx,) = rec.analyze(f"クレジットカード番号 {VISA}", [])
    assert 0.6 <= plain.score < grouped.score <= ctx.score


def test_grouped_card_outscores_a_my_number_reading(recognizers):
    """A space-grouped card shows the my_number pattern 12 of its digits; the card must win."""
    text = "4111 1111 1111 1111"
    card = recognizers["ja.credit_card.v1"].analyze(text, [])[0]
    for r in recognizers["ja.my_number.v1"].analyze(text, []):
        assert card.score > r.score
        assert card.start <= r.start and r.end <= card.end


def test_random_valid_numbers_round_trip(recognizers):
    """Luhn catches every single-digit error; built numbers are found in every grouping."""
    import random

    rng = random.Random(20240401)
    rec = recognizers["ja.credit_card.v1"]
    for _ in range(100):
        base = f"{rng.choice('3456')}{rng.randrange(10**14):014d}"
        number = base + str(luhn_check_digit(base))
        grouped = " ".join(number[i : i + 4] for i in range(0, 16, 4))
        for text in (number, grouped):
            assert [(r.start, r.end) for r in rec.analyze(text, [])] == [(0, len(text))]
        pos = rng.randrange(16)
        for d in "0123456789":
            if d != number[pos]:
                assert not is_luhn_valid(number[:pos] + d + number[pos + 1 :])


def test_a_card_number_failing_luhn_in_its_context_is_still_masked(recognizers):
    rec = recognizers["ja.credit_card.v1"]
    (found,) = rec.analyze("クレジットカード番号 4111 1111 1111 1112", ["CREDIT_CARD"])
    assert found.score == 0.6
    assert rec.analyze("4111 1111 1111 1112", ["CREDIT_CARD"]) == []
