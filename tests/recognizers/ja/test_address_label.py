"""住所 after its label, placed by the gazetteer, even at the 町字 level."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("住所：国立市中", ["国立市中"]),
        ("住所 東京都国立市富士見台", ["東京都国立市富士見台"]),
        ("転居先は港区虎ノ門一丁目虎ノ門ヒルズビジネスタワー7-33-22、", ["港区虎ノ門一丁目虎ノ門ヒルズビジネスタワー7-33-22"]),
        ("本籍（長野県松本市島内）", ["長野県松本市島内"]),
        # negatives: not a place, or no label
        ("住所変更の届出", []),
        ("住所：不定", []),
        ("国立市中で開催", []),
    ],
)
def test_spans(recognizers, text, expected):
    found = recognizers["ja.address_label.v1"].analyze(text, ["JP_ADDRESS"])
    assert [text[r.start : r.end] for r in found] == expected


def test_a_phone_number_libphonenumber_does_not_know_counts_next_to_a_phone_word(recognizers):
    rec = recognizers["ja.phone_number.v1"]
    assert [r.score for r in rec.analyze("連絡先 08-1204-1441 まで", ["JP_PHONE_NUMBER"])] == [0.6]
    assert rec.analyze("番号 08-1204-1441", ["JP_PHONE_NUMBER"]) == []
