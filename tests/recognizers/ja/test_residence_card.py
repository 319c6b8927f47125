"""在留カード番号 (JP_RESIDENCE_CARD): AB12345678CD, surer beside a residence word."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("在留カード番号 AB12345678CD を確認", [("AB12345678CD", 0.9)]),
        ("特別永住者証明書：ＸＹ８７６５４３２１ＺＷ", [("ＸＹ８７６５４３２１ＺＷ", 0.9)]),  # 全角
        ("番号 RT72907180MT の更新", [("RT72907180MT", 0.55)]),  # the shape alone
        # negatives
        ("型番 AB12345678CD の部品", []),
        ("AB12345678C", []),
        ("TK1234567", []),  # a passport's shape
    ],
)
def test_spans(recognizers, text, expected):
    found = recognizers["ja.residence_card.v1"].analyze(text, ["JP_RESIDENCE_CARD"])
    assert [(text[r.start : r.end], round(r.score, 2)) for r in found if r.score >= 0.5] == expected
