"""ONLINE_ACCOUNT: a LINE ID or an SNS handle after its service or an account word, or an @handle."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LINEのIDはyamada_1985、インスタは@taro.yamada です。", ["yamada_1985", "@taro.yamada"]),
        ("本人のX（旧Twitter）アカウント @kunitachi_taro に中傷投稿あり。", ["@kunitachi_taro"]),
        ("Xアカウントはkunitachi_city。", ["kunitachi_city"]),  # the final 。 is not part of it
        ("インスタ：taro.y で連絡", ["taro.y"]),
        ("アカウント名 hana-86 から", ["hana-86"]),
        ("ＩＤ：ｙａｍａｄａ０１でログイン", ["ｙａｍａｄａ０１"]),  # 全角, NFKC-matched
        ("@kunitachi_taro.", ["@kunitachi_taro"]),
        # negatives: a service, an ID or an @ that is no account
        ("X線検査を受けた", []),
        ("X JAPANのファン", []),
        ("ID：12345", []),  # no letter: a number
        ("LINEで連絡した", []),
        ("IDカードを発行", []),
        ("SNSはInstagramを利用", []),
        ("単価＠500円", []),
        ("@SUM(A1)", []),  # a spreadsheet formula
        ("@x", []),  # a formula prefix, too short for a handle
        ("mail taro@example.com まで", []),  # an e-mail's local part
        ("LINE公式アカウントを開設", []),
        ("ユーザー名を変更", []),
    ],
)
def test_spans(recognizers, text, expected):
    found = recognizers["ja.online_account.v1"].analyze(text, ["ONLINE_ACCOUNT"])
    assert [text[r.start : r.end] for r in found if r.score >= 0.5] == expected
