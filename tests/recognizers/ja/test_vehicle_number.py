"""自動車登録番号 (JP_VEHICLE_NUMBER): a number plate, decided by a vehicle word near it."""

from __future__ import annotations

import pytest

from anonymizer.recognizers.ja.vehicle_number import is_plate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("車のナンバーは多摩 500 さ 12-34。", ["多摩 500 さ 12-34"]),
        ("車両番号 品川300あ1234 の放置車両。", ["品川300あ1234"]),
        ("練馬 33 ね ・・・8 の軽自動車", ["練馬 33 ね ・・・8"]),
        ("富士山500そ12-34が駐車", ["富士山500そ12-34"]),
        ("つくば 300 に 12-34 の車", ["つくば 300 に 12-34"]),
        ("ナンバー：品川３００あ１２－３４", ["品川３００あ１２－３４"]),  # 全角, NFKC-matched
        # the shape without a vehicle word stays below the threshold
        ("品川300あ1234", []),
        ("中町 1 の 2 に住む", []),
        # not plates
        ("市内500か所に駐車場", []),
        ("車は第3問の答え", []),
        ("車両は約100名が使用", []),
        ("車 品川 300 し 12-34", []),  # し is never issued
    ],
)
def test_spans(recognizers, text, expected):
    found = recognizers["ja.vehicle_number.v1"].analyze(text, ["JP_VEHICLE_NUMBER"])
    assert [text[r.start : r.end] for r in found if r.score >= 0.5] == expected


def test_plate_shape():
    assert is_plate("品川300あ12-34") and is_plate("練馬 33 ね ・・・8")
    assert not is_plate("品川300ん12-34") and not is_plate("300あ1234")
