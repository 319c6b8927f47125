"""The record-aware matcher: a row's identifier values found again in text, in any spelling."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from anonymizer.match import RecordMatcher, fold_key, fold_with_offsets

NAMES = pd.Series(["北　恵子", "ワン・ウェイ", "山田 太郎", "関二胡"], dtype="string")
READINGS = pd.Series(["キタ　ケイコ", "ワン　ウェイ", "ヤマダ タロウ", "セキ ニコ"], dtype="string")
PHONES = pd.Series(["090-1234-5678", "03-3456-7890", "", None], dtype="string")
MY_NUMBER = pd.Series(["123456789018", None, None, None], dtype="string")


@pytest.fixture(scope="module")
def matcher() -> RecordMatcher:
    return RecordMatcher(
        {"氏名": NAMES, "フリガナ": READINGS, "電話": PHONES, "個人番号": MY_NUMBER},
        {
            "氏名": "PERSON",
            "フリガナ": "PERSON",
            "電話": "JP_PHONE_NUMBER",
            "個人番号": "JP_MY_NUMBER",
        },
        ["氏名", "フリガナ"],
    )


@pytest.mark.parametrize(
    ("text", "row", "expected"),
    [
        ("世帯主北恵子、生活保護の申請。", 0, ["北恵子"]),
        ("世帯主北恵子、生活保護の申請。", 3, ["北恵子"]),  # a whole value: any row
        ("緊急連絡先：ワン・ウェイ（長男）", 1, ["ワン・ウェイ"]),
        ("氏名 ワンウェイ、", 2, ["ワンウェイ"]),
        ("やまだたろう様より", 2, ["やまだたろう"]),  # the reading in hiragana
        ("山田様から電話", 2, ["山田"]),  # a name part, in its own row
        ("山田様から電話", 0, []),  # ... but not in another row's text
        ("連絡先は０９０　１２３４　５６７８です", 3, ["０９０　１２３４　５６７８"]),
        ("個人番号1234\u200b5678\u20609018を確認", 1, ["1234\u200b5678\u20609018"]),
        ("申請者は関二胡。", 0, ["関二胡"]),
        ("北口で待ち合わせ", 0, []),  # 北 alone is not identifying
        ("特になし", 0, []),
    ],
)
def test_values_are_found_in_any_spelling(matcher, text, row, expected):
    assert [text[m.start : m.end] for m in matcher.find(text, row)] == expected


def test_matches_carry_their_column_and_entity(matcher):
    (m,) = matcher.find("連絡は090-1234-5678まで", 0)
    assert (m.column, m.entity) == ("電話", "JP_PHONE_NUMBER")


def test_short_values_and_small_numbers_are_not_patterns():
    m = RecordMatcher({"c": pd.Series(["一", "12345", "123456"], dtype="string")})
    assert len(m) == 1 and m.find("番号123456と12345と一") != []
    assert [s.end - s.start for s in m.find("番号123456と12345と一")] == [6]


def test_fold_offsets_point_into_the_original():
    text = "Ａ\u200bＢ－１"
    key, where = fold_with_offsets(text)
    assert key == fold_key(text) == "ab1"
    assert [text[s:e] for s, e in where] == ["Ａ", "Ｂ", "１"]


def test_columns_in_joined_keys(matcher):
    keys = [fold_key(t) for t in ["なし", "キタケイコさん", "090.1234.5678", "山田"]]
    assert matcher.columns_in(keys) == {1: {"フリガナ"}, 2: {"電話"}}  # parts never: any row


VARIANTS = [
    lambda s: s.replace("　", ""),
    lambda s: s.replace("　", " "),
    lambda s: s.replace("　", "\u200b"),
    lambda s: "\u2060".join(s),
    lambda s: s.replace("　", "・"),
    lambda s: s.translate({cp: cp - 0x60 for cp in range(0x30A1, 0x30F7)}),  # to hiragana
    lambda s: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s),  # 全角
]


def test_any_spacing_kana_or_hidden_variant_of_a_value_is_found():
    rng = random.Random(7)
    values = [
        "北　恵子",
        "カシワギ　ユウミ",
        "yamada.t@example.jp",
        "090-1234-5678",
        "東京都国立市中1-2-3",
    ]
    m = RecordMatcher({"v": pd.Series(values, dtype="string")})
    for _ in range(300):
        value = rng.choice(values)
        variant = value
        for f in rng.sample(VARIANTS, 3):
            variant = f(variant)
        text = f"本日、{variant}について相談があった。"
        found = m.find(text)
        assert found, (value, variant)
        start, end = min(f.start for f in found), max(f.end for f in found)
        assert text[start:end].strip("\u2060\u200b") in (variant, variant.strip("\u2060"))


def test_short_kana_parts_are_not_searched_everyday_words_are_not_names():
    m = RecordMatcher({"フリガナ": pd.Series(["カナイ エミ"], dtype="string")}, {}, ["フリガナ"])
    assert m.find("開かないよう助言", 0) == []
    assert [m_.start for m_ in m.find("かないえみ様", 0)] == [0]  # the whole reading still is


@pytest.mark.parametrize(
    ("text", "row", "expected"),
    [
        ("本人（北）から電話。", 0, ["北"]),  # a one-character surname in brackets after 本人
        ("北さんより相談。", 0, ["北"]),
        ("窓口で北さんと面談", 0, ["北"]),  # a hiragana before it ends the word before
        ("世帯主北が来庁", 0, ["北"]),  # after a label word
        ("北口で待ち合わせ", 0, []),  # a word that begins with it
        ("東北地方の親族", 0, []),  # a word that ends with it
        ("北さんより相談。", 1, []),  # another row's person
        ("恵子さんは北国の出身", 0, ["恵子"]),  # the longer part anywhere, 北国 not a name
    ],
)
def test_a_one_character_name_part_is_found_where_it_stands_as_a_name(matcher, text, row, expected):
    """北　恵子's family name 北 alone is masked in her own row where it stands as a name (a
    boundary or label before it, an honorific or particle after it: rules/record_match.yaml),
    never inside a word (北口, 東北) and never in another row."""
    assert [text[m.start : m.end] for m in matcher.find(text, row)] == expected


def test_a_name_written_without_a_space_is_split_by_the_dictionarys_surnames():
    """林翔太 (no space, as some exports store names): 林 and 翔太 are its parts, found in the
    row's own text like the parts of 林　翔太; a value the dictionary cannot open with a surname
    (関二胡: 関 is read as a place) has no parts, and is still matched whole."""
    from anonymizer.match.split import surname_split

    assert surname_split("林翔太") == ("林", "翔太")
    assert surname_split("佐々木美咲") == ("佐々木", "美咲")
    assert surname_split("関二胡") == ()
    m = RecordMatcher(
        {"氏名": pd.Series(["林翔太", "関二胡"], dtype="string")}, {"氏名": "PERSON"}, ["氏名"],
        split_name=surname_split,
    )  # fmt: skip
    text = "本人（林）から電話。翔太くんの件。"
    assert [text[x.start : x.end] for x in m.find(text, 0)] == ["林", "翔太"]
    assert m.find(text, 1) == []
    assert [("申請者は関二胡。")[x.start : x.end] for x in m.find("申請者は関二胡。", 1)] == ["関二胡"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("岡様より電話。オカ（岡）氏の件。", ["岡", "オカ", "岡"]),  # the reading before the kanji
        ("おかさんに電話", ["おか"]),  # in hiragana too
        ("リンさん", ["リン"]),
        ("オカモトさん", []),  # the start of a longer reading
        ("タオカ様", []),  # the end of one
        ("開かない", []),
        ("リンゴを食べた", []),
    ],
)
def test_a_short_reading_is_found_where_it_stands_as_a_name(text, expected):
    """オカ　リン is the reading of 岡　凛: オカ and リン (shorter than five kana, everyday words
    elsewhere) are masked in the row where they stand as a name, in either kana."""
    m = RecordMatcher(
        {"氏名": pd.Series(["岡　凛"]), "カナ": pd.Series(["オカ　リン"])},
        {"氏名": "PERSON", "カナ": "PERSON"}, ["氏名", "カナ"],
    )  # fmt: skip
    assert [text[x.start : x.end] for x in m.find(text, 0)] == expected


def test_values_held_in_parts_find_what_the_whole_matcher_finds():
    """RecordMatcher.of_keys (the Spark gate: each task an automaton of the folded values it
    holds, with an address's digit groupings): the parts' hits together are the whole
    matcher's — whole values only, an address with its own grouping, no value inside a longer
    number."""
    from anonymizer.match.matcher import digit_gaps

    values = {
        "氏名": ["北　恵子", "山田　太郎"],
        "電話": ["090-1234-5678"],
        "住所": ["東京都国立市泉二丁目1-5", "東京都国立市泉一丁目9-1"],
    }
    texts = [
        "世帯主北恵子さん", "山田太郎様", "山田さん",  # a part alone is no whole value
        "０９０ １２３４ ５６７８", "09012345678901",
        "東京都国立市泉二丁目15番14号", "東京都国立市泉一丁目9-19", "東京都国立市泉二丁目１－５",
    ]  # fmt: skip
    keys = [fold_key(t) for t in texts]
    whole = RecordMatcher(
        {c: pd.Series(v, dtype="string") for c, v in values.items()}, address_columns=["住所"]
    ).columns_in(keys, texts)
    held = [(fold_key(v), c) for c, vs in values.items() for v in vs]
    gaps = {fold_key(v): {digit_gaps(v, fold_key(v))} for v in values["住所"]}
    found: dict[int, set[str]] = {}
    for part in (held[::2], held[1::2]):
        mine = dict(part)
        matcher = RecordMatcher.of_keys(mine, {k: g for k, g in gaps.items() if k in mine})
        for i, cols in matcher.columns_in(keys, texts).items():
            found.setdefault(i, set()).update(cols)
    assert found == whole == {0: {"氏名"}, 1: {"氏名"}, 3: {"電話"}, 7: {"住所"}}


def test_whole_values_of_rows_not_given_are_matched_as_the_whole_tables():
    """``whole_keys`` (a Spark batch given the other rows' values found in its texts): matched
    in every row with the column and entity they have in the whole table, over a part of a
    name the batch holds for its own row only."""
    rows = {"氏名": pd.Series(["山田　太郎"], index=[7], dtype="string")}
    entities = {"氏名": "PERSON", "相談番号": None}
    alone = RecordMatcher(rows, entities, ["氏名"])
    foreign = {fold_key("R06-000003"): ("相談番号", None), fold_key("山田"): ("氏名", "PERSON")}
    given = RecordMatcher(rows, entities, ["氏名"], whole_keys=foreign)
    text = "R06-000003の件で山田さんから"
    assert [text[m.start : m.end] for m in alone.find(text, 7)] == ["山田"]
    assert alone.find(text, 8) == []  # a part: in its own row only
    found = [(text[m.start : m.end], m.column) for m in given.find(text, 8)]
    assert found == [("R06-000003", "相談番号"), ("山田", "氏名")]
