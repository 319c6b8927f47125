import pytest

from anonymizer.recognizers.ja.bank_account import is_valid_bank_account

THRESHOLD = 0.5


@pytest.mark.parametrize(
    ("candidate", "valid"),
    [("1234567", True), ("0000001", True), ("123456", False), ("12345678", False), ("", False)],
)
def test_validator(candidate, valid):
    assert is_valid_bank_account(candidate) is valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("口座番号 1234567", [(5, 12)]),
        ("口座番号：１２３４５６７", [(5, 12)]),  # 全角
        ("普通 1234567", [(3, 10)]),  # the account type itself is the notation
        ("普通預金 1234567", [(5, 12)]),
        ("（普通）1234567", [(4, 11)]),
        ("当座 0012345", [(3, 10)]),
        ("普通預金 口座番号：7654321", [(10, 17)]),
        ("○○銀行 国立支店 普通 1234567", [(13, 20)]),
        ("支店番号 123 口座番号 1234567", [(14, 21)]),  # the branch number is not the account
        ("振込先：○○銀行 123-1234567", [(13, 20)]),
        ("振込先：○○銀行 123‐1234567", [(13, 20)]),
        ("振込先：○○銀行 123－1234567", [(13, 20)]),
        ("振込先：○○銀行 123―1234567", [(13, 20)]),
        ("振込先：○○銀行 123−1234567", [(13, 20)]),
        ("振込先：○○銀行 123ー1234567", [(13, 20)]),
        ("1234567（口座）", [(0, 7)]),
        # negatives
        ("1234567", []),
        ("番号 1234567", []),
        ("支店番号 123", []),
        ("普通交付税 1234567千円", []),
        ("普通交付税 1234567", []),
        ("普通会計 1234567", []),
        ("普通建設事業費 1,234,567千円", []),
        ("口座振替件数 1234567件", []),
        ("口座振替額 1234567円", []),
        ("口座 〒1860004", []),
        ("口座 郵便番号 1860004", []),
        ("銀行 電話 0425762111", []),
        # after 口座 itself, another length is still the account (the label decides)
        ("口座番号 12345678", [(5, 13)]),
        ("口座番号 123456", [(5, 11)]),
        ("ゆうちょ 記号10130 番号12345671", [(7, 23)]),
        ("口座数 123456", []),
        ("口座 第1234567号", []),
        ("口座 2024-04-01", []),
        ("口座 JIS X 8341-3:2016", []),
        ("銀行 法人番号 7010705000725", []),
        ("", []),
    ],
)
def test_spans(recognizers, text, expected):
    results = recognizers["ja.bank_account.v1"].analyze(text, ["JP_BANK_ACCOUNT"])
    assert [(r.start, r.end) for r in results if r.score >= THRESHOLD] == expected
    assert all(r.entity_type == "JP_BANK_ACCOUNT" for r in results)


def test_context_lifts_plain_number(recognizers):
    rec = recognizers["ja.bank_account.v1"]
    (bare,) = rec.analyze("1234567", [])
    (ctx,) = rec.analyze("口座番号 1234567", [])
    assert bare.score < THRESHOLD <= 0.6 <= ctx.score
