import pytest

from anonymizer.recognizers.ja.basic_pension_number import is_valid_basic_pension_number

THRESHOLD = 0.5


@pytest.mark.parametrize(
    ("candidate", "valid"),
    [
        ("1234-567890", True),
        ("1234567890", True),
        ("123-4567890", False),
        ("1234-56789", False),
        ("12345678901", False),
        ("", False),
    ],
)
def test_validator(candidate, valid):
    assert is_valid_basic_pension_number(candidate) is valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("基礎年金番号 1234-567890", [(7, 18)]),
        ("基礎年金番号：１２３４－５６７８９０", [(7, 18)]),  # 全角
        ("基礎年金番号 1234‐567890", [(7, 18)]),
        ("基礎年金番号 1234―567890", [(7, 18)]),
        ("基礎年金番号 1234−567890", [(7, 18)]),
        ("基礎年金番号 1234ー567890", [(7, 18)]),
        ("年金手帳の番号は 1234567890 です", [(9, 19)]),
        ("1234567890（基礎年金番号）", [(0, 10)]),
        ("国民年金 被保険者 1234-567890", [(10, 21)]),
        # the hyphenated form also passes on a weaker record word
        ("被保険者 1234-567890", [(5, 16)]),
        ("加入者番号 1234-567890", [(6, 17)]),
        # negatives
        ("1234-567890", []),  # bare hyphenated: just under the threshold
        ("1234567890", []),
        ("被保険者 1234567890", []),  # the 10-digit form needs a 年金 word
        ("年金事務所 電話 0312345678", []),
        ("年金相談 TEL 0570051165", []),
        ("年金 第2024-123456号", []),
        ("年金生活者支援給付金 1234567890円", []),
        ("年金受給者数 1234567890人", []),
        ("年金 12345678901", []),
        ("年金 1234-5678901", []),
        ("年金 1,234,567,890", []),
        ("年金 2024-04-01", []),
        ("年金 JIS X 8341-3:2016", []),
        ("資料番号 2024-045678", []),
        ("", []),
    ],
)
def test_spans(recognizers, text, expected):
    results = recognizers["ja.basic_pension_number.v1"].analyze(text, ["JP_BASIC_PENSION_NUMBER"])
    assert [(r.start, r.end) for r in results if r.score >= THRESHOLD] == expected
    assert all(r.entity_type == "JP_BASIC_PENSION_NUMBER" for r in results)


def test_hyphenated_form_needs_less_context(recognizers):
    rec = recognizers["ja.basic_pension_number.v1"]
    (hyphen,) = rec.analyze("1234-567890", [])
    (plain,) = rec.analyze("1234567890", [])
    assert plain.score < hyphen.score < THRESHOLD
    (plain_ctx,) = rec.analyze("年金 1234567890", [])
    assert plain_ctx.score >= 0.6
