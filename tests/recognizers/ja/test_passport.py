import pytest

from anonymizer.recognizers.ja.passport import is_valid_passport

THRESHOLD = 0.5


@pytest.mark.parametrize(
    ("candidate", "valid"),
    [
        ("TK1234567", True),
        ("MZ0000001", True),
        ("tk1234567", False),
        ("T1234567", False),
        ("TK123456", False),
        ("TKA1234567", False),
        ("", False),
    ],
)
def test_validator(candidate, valid):
    assert is_valid_passport(candidate) is valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("旅券番号 TK1234567", [(5, 14)]),
        ("旅券番号：ＴＫ１２３４５６７", [(5, 14)]),  # 全角 letters and digits
        ("パスポート番号 MZ7654321 を控えた", [(8, 17)]),
        ("Passport No. TR0012345", [(13, 22)]),
        ("passport: TH9876543", [(10, 19)]),
        ("TK1234567（旅券）", [(0, 9)]),  # context after
        ("一般旅券の番号はＭＵ１２３４５６７です", [(8, 17)]),
        # negatives
        ("TK1234567", []),  # bare: product codes look alike
        ("番号 TK1234567", []),
        ("型番 TK1234567 のパスポートケース", []),  # product context vetoes
        ("品番：AB1234567", []),
        ("旅券番号 TK12345678", []),  # 8 digits
        ("旅券番号 TKX1234567", []),
        ("旅券番号 TK1234567-2", []),
        ("旅券 JIS X 8341-3:2016", []),
        ("パスポート申請 令和6年第12号", []),
        ("パスポートの申請件数 1,234件", []),
        ("", []),
    ],
)
def test_spans(recognizers, text, expected):
    results = recognizers["ja.passport.v1"].analyze(text, ["JP_PASSPORT"])
    assert [(r.start, r.end) for r in results if r.score >= THRESHOLD] == expected
    assert all(r.entity_type == "JP_PASSPORT" for r in results)


def test_scores(recognizers):
    rec = recognizers["ja.passport.v1"]
    (bare,) = rec.analyze("TK1234567", [])
    (ctx,) = rec.analyze("旅券番号 TK1234567", [])
    assert bare.score < THRESHOLD
    assert ctx.score >= 0.6
