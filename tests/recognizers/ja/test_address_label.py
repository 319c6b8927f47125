"""住所 after its label, placed by the gazetteer, even at the 町字 level."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("住所：国立市中、", ["国立市中"]),
        ("住所 東京都国立市富士見台（転居前）", ["東京都国立市富士見台"]),
        ("転居先は港区虎ノ門一丁目虎ノ門ヒルズビジネスタワー7-33-22、", ["港区虎ノ門一丁目虎ノ門ヒルズビジネスタワー7-33-22"]),
        ("本籍（長野県松本市島内）", ["長野県松本市島内"]),
        # a cell that is only a label and an address (備考: 住所 …), not a header's colon
        ("住所 東京都港区虎ノ門一丁目 虎ノ門ヒルズビジネスタワー", ["東京都港区虎ノ門一丁目 虎ノ門ヒルズビジネスタワー"]),
        ("住所は東京都国立市中1-2-3です", ["東京都国立市中1-2-3"]),  # the sentence goes on
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


def test_a_cell_read_under_its_column_header_is_left_to_the_column():
    """住所：東京都国立市富士見台 is how a generalized 住所 cell reads with its header as context:
    what generalization publishes, not an address a record wrote after its label."""
    from anonymizer.detect import Detector

    with Detector("fast", workers=1) as fast:
        (found,) = fast.detect_cells(["東京都国立市富士見台"], header="住所")
        assert [f for f in found if f.type == "JP_ADDRESS"] == []
        (found,) = fast.detect_cells(["住所：国立市中へ転居"], header="相談内容")
        assert [f.type for f in found] == ["JP_ADDRESS"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "相談者は東京都港区虎ノ門1丁目虎ノ門ヒルズビジネスタワー7-33-22在住",
            ["東京都港区虎ノ門1丁目虎ノ門ヒルズビジネスタワー7-33-22"],
        ),
        ("大阪市北区梅田二丁目グランフロントタワー 12-3 へ転居", ["大阪市北区梅田二丁目グランフロントタワー 12-3"]),
        # no building word between the 丁目 and the numbers: not one address
        ("国立市中1丁目交差点で2-3台が接触", []),
    ],
)
def test_a_building_between_the_丁目_and_the_numbers(recognizers, text, expected):
    found = recognizers["ja.address.v1"].analyze(text, ["JP_ADDRESS"])
    assert [text[r.start : r.end] for r in found if r.score >= 0.5] == expected


def test_a_one_letter_town_after_a_sentence_end_with_a_three_part_street(recognizers):
    text = "生活費に困窮し来所。西1-20-29 パレス西 502の家賃滞納あり。"
    found = recognizers["ja.address.v1"].analyze(text, ["JP_ADDRESS"])
    assert [text[r.start : r.end] for r in found if r.score >= 0.5] == ["西1-20-29 パレス西 502"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("自宅西4-7-24 ハイツ西 409前とのこと。", ["西4-7-24 ハイツ西 409"]),
        ("自宅北1-4-6前とのこと。", ["北1-4-6"]),
        ("実家は中1-23-15です", []),  # a particle between: not a label written before the town
    ],
)
def test_a_one_letter_town_after_自宅(recognizers, text, expected):
    found = recognizers["ja.address.v1"].analyze(text, ["JP_ADDRESS"])
    assert [text[r.start : r.end] for r in found if r.score >= 0.5] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("東3-37-30の内田　友樹さん宅で漏水。", ["東3-37-30"]),  # a sentence opening with it
        ("泉2-38-2のゴンザレツ ダニエルさん宅", ["泉2-38-2"]),
        ("中3-2-1", []),  # a cell that is only that: not enough
    ],
)
def test_a_one_letter_town_opening_the_text(recognizers, text, expected):
    found = recognizers["ja.address.v1"].analyze(text, ["JP_ADDRESS"])
    assert [text[r.start : r.end] for r in found if r.score >= 0.5] == expected
