import pytest

from anonymizer.recognizers.ja.health_insurance_number import is_valid_health_insurance_number

THRESHOLD = 0.5


@pytest.mark.parametrize(
    ("candidate", "valid"),
    [
        ("0123456789", True),
        ("12345678", True),
        ("123456", True),
        ("12", True),
        ("20250731", False),  # reads as a date
        ("19991231", False),
        ("20251399", True),  # month 13: not a date
        ("12345678901", False),
        ("12-34", False),
        ("", False),
    ],
)
def test_validator(candidate, valid):
    assert is_valid_health_insurance_number(candidate) is valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("被保険者番号 12345678", [(7, 15)]),  # 後期高齢者医療
        ("被保険者番号：１２３４５６", [(7, 13)]),  # 国保, 全角
        ("介護保険 被保険者番号 0123456789", [(12, 22)]),
        ("介護保険 0123456789", [(5, 15)]),  # 介護保険 counts for the 10-digit form
        ("保険者番号 0123456789", [(6, 16)]),
        ("保険証の番号は 1234567 です", [(8, 15)]),
        ("資格確認書 12345678", [(6, 14)]),
        ("被保険者証 記号 12 番号 345", [(9, 11), (15, 18)]),
        ("被保険者証 記号１２ 番号３４５ 枝番０１", [(8, 10), (13, 16), (19, 21)]),
        ("保険証（記号：1234・番号：56789）", [(7, 11), (15, 20)]),
        ("国民健康保険 記号12 番号345", [(9, 11), (14, 17)]),
        ("12345678（被保険者番号）", [(0, 8)]),
        # negatives: never ≥ 0.5 without context
        ("12345678", []),
        ("番号 0123456789", []),
        ("記号12 番号345", []),
        ("介護保険 123456", []),  # 介護保険 is not enough for 6–8 digits
        ("保険者番号 131234", []),  # the insurer's public number
        ("後期高齢者医療の保険者番号は 39131234 です", []),
        ("被保険者証の有効期限 20250731", []),  # a date
        ("保険証 20241202 から資格確認書へ", []),
        ("被保険者数 123456", []),
        ("国民健康保険の被保険者数 1234567人", []),
        ("保険証 第12345678号", []),
        ("保険証 1,234,567円", []),
        ("保険証 12345678901", []),  # 11 digits
        ("保険証 1234-5678", []),
        ("保険証 042-576-2111", []),
        ("保険証 2024-04-01", []),
        ("ゆうちょ銀行 記号 12345 番号 12345678 保険証", []),
        ("保険証 JIS X 8341-3:2016", []),
        ("", []),
    ],
)
def test_spans(recognizers, text, expected):
    results = recognizers["ja.health_insurance_number.v1"].analyze(
        text, ["JP_HEALTH_INSURANCE_NUMBER"]
    )
    assert [(r.start, r.end) for r in results if r.score >= THRESHOLD] == expected
    assert all(r.entity_type == "JP_HEALTH_INSURANCE_NUMBER" for r in results)


def test_one_result_per_span(recognizers):
    """記号・番号 values are also bare 6–8-digit candidates: keep one result, the best."""
    results = recognizers["ja.health_insurance_number.v1"].analyze("保険証 記号 12 番号 345678", [])
    spans = [(r.start, r.end) for r in results]
    assert spans == sorted(set(spans))
    assert all(r.score >= 0.6 for r in results)
