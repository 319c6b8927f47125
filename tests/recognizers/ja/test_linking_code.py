"""連結符号 (LINKING_CODE): a record number after its label; no label, no finding."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("会員番号 CT90288167 の方", ["CT90288167"]),
        ("社員番号：EMP-2023-310162", ["EMP-2023-310162"]),
        ("宛名番号は0001234567です", ["0001234567"]),
        ("受付番号（R06-000123）", ["R06-000123"]),
        ("顧客ＩＤ：ＡＢ１２３４５", ["ＡＢ１２３４５"]),  # 全角, NFKC-matched
        ("契約番号=K-2024-0091、", ["K-2024-0091"]),
        # the number of a card or booklet the person holds
        ("受給者証番号 0123456789 を再発行", ["0123456789"]),
        ("障害者手帳番号：A123456", ["A123456"]),
        ("会員証番号は M-55821", ["M-55821"]),
        ("学生証番号 20231045", ["20231045"]),
        # negatives
        ("会員番号を確認した", []),
        ("受給者証を再発行した", []),
        ("会員番号 ABC の件", []),  # a word after a label: fewer than three digits
        ("CT90288167", []),  # no label
        ("法人番号 1234567890123", []),  # public, not a linking code
    ],
)
def test_spans(recognizers, text, expected):
    found = recognizers["ja.linking_code.v1"].analyze(text, ["LINKING_CODE"])
    assert [text[r.start : r.end] for r in found if r.score >= 0.5] == expected
