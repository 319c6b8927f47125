"""normalize(): what recognizers match on, and how its offsets map back to the original."""

import unicodedata

import pytest

from anonymizer.text.normalize import NormalizedText, normalize


def orig(nt: NormalizedText, sub: str) -> str:
    """The original text behind the first occurrence of ``sub`` in the normalized text."""
    start = nt.text.index(sub)
    s, e = nt.span(start, start + len(sub))
    return nt.original[s:e]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 全角 digits, letters, punctuation → ASCII
        ("０９０－１２３４－５６７８", "090-1234-5678"),
        ("ＡＢＣ１２３", "ABC123"),
        ("ｍａｉｌ＠ｅｘａｍｐｌｅ．ｊｐ", "mail@example.jp"),
        ("（０３）１２３４", "(03)1234"),
        # 半角 katakana → 全角, voiced marks composed as whole-string NFKC would (ｶﾞ → ガ)
        ("ｶﾞｽ代", "ガス代"),
        ("ﾊﾟｽﾎﾟｰﾄ", "パスポート"),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"),
        ("ｳﾞｨｸﾄﾙ", "ヴィクトル"),
        # enclosed and compatibility characters expand
        ("㈱山田商事", "(株)山田商事"),
        ("①番", "1番"),
        ("㍻元年", "平成元年"),
        # every dash between digit groups → "-"
        ("1‐2", "1-2"),
        ("1‑2", "1-2"),
        ("1‒2", "1-2"),
        ("1–2", "1-2"),
        ("1—2", "1-2"),
        ("1―2", "1-2"),
        ("1−2", "1-2"),
        ("1－2", "1-2"),
        ("1﹣2", "1-2"),
        ("1⁃2", "1-2"),
        # ー / ｰ / ─ are dashes only between digits
        ("090ー1234ー5678", "090-1234-5678"),
        ("０９０ー１２３４", "090-1234"),
        ("1ｰ2", "1-2"),
        ("3─4", "3-4"),
        ("3━4", "3-4"),
        ("コーヒー", "コーヒー"),
        ("ﾃﾞｰﾀ", "データ"),
        ("12ー34ー", "12-34ー"),  # the trailing ー has no digit after it
        ("ー1", "ー1"),
        ("1ーA", "1ーA"),
        ("ｰ1ｰ2", "ー1-2"),
        ("H元ー1ー8", "H元-1-8"),  # 元 counts as a digit: 平成元年1月8日
        ("元ー1", "元-1"),
        ("元年ー1", "元年ー1"),
        # ideographic space → ASCII space
        ("山田\u3000太郎", "山田 太郎"),
        ("\u3000\u3000", "  "),
        # untouched
        ("山田太郎", "山田太郎"),
        ("", ""),
        ("plain ascii 123-456", "plain ascii 123-456"),
    ],
)
def test_normalized_text(text, expected):
    nt = normalize(text)
    assert nt.original == text
    assert nt.text == expected
    if nt.starts is not None:
        assert len(nt.starts) == len(nt.text)
        assert list(nt.starts) == sorted(nt.starts)  # non-decreasing: bisect-able


@pytest.mark.parametrize(
    "text", ["", "abc", "plain ascii 123-456", "山田太郎", "コーヒー", "東京都国立市", "ー1"]
)
def test_identity_fast_path(text):
    nt = normalize(text)
    assert nt.starts is None
    assert nt.text is text or nt.text == text
    for s in range(len(text) + 1):
        for e in range(s, len(text) + 1):
            assert nt.span(s, e) == (s, e)


@pytest.mark.parametrize(
    ("text", "normalized_sub", "original_sub"),
    [
        ("電話０９０－１２３４－５６７８です", "090-1234-5678", "０９０－１２３４－５６７８"),
        ("携帯：０９０ー１２３４ー５６７８", "090-1234-5678", "０９０ー１２３４ー５６７８"),
        ("ｶﾞｽ代 1,200円", "ガス", "ｶﾞｽ"),
        ("ｶﾞｽ代 1,200円", "ガ", "ｶﾞ"),
        ("ｶﾞｽ代 1,200円", "ス代", "ｽ代"),
        ("ﾊﾟｽﾎﾟｰﾄ番号", "パスポート", "ﾊﾟｽﾎﾟｰﾄ"),
        ("ﾊﾟｽﾎﾟｰﾄ番号", "ポ", "ﾎﾟ"),
        ("名義 ﾔﾏﾀﾞ", "ヤマダ", "ﾔﾏﾀﾞ"),  # ends on a composed pair: the whole ﾀﾞ is covered
        ("㈱山田商事", "(株)", "㈱"),
        ("㈱山田商事", "山田", "山田"),
        ("㈱山田商事", "株", "㈱"),  # part of an expansion maps to the whole character
        ("㈱山田商事", "(", "㈱"),
        ("山田\u3000太郎さん", "山田 太郎", "山田\u3000太郎"),
        ("ＴＥＬ　０３－１２３４－５６７８", "03-1234-5678", "０３－１２３４－５６７８"),
        ("①番地", "1番地", "①番地"),
        ("番号:ＡＢ１２３４５６７", "AB1234567", "ＡＢ１２３４５６７"),
    ],
)
def test_span_maps_back_to_original(text, normalized_sub, original_sub):
    assert orig(normalize(text), normalized_sub) == original_sub


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("０９０－１２３４－５６７８", "090-1234-5678"),
        ("山田\u3000太郎", "山田 太郎"),
        ("ﾔﾏﾀﾞ", "ヤマダ"),  # not one-to-one: ﾀﾞ composes
        ("ＴＥＬ：０３ー１２３４", "TEL:03-1234"),
    ],
)
def test_one_to_one_normalization_keeps_offsets(text, expected):
    """When every character maps to exactly one, offsets are the original ones."""
    nt = normalize(text)
    assert nt.text == expected
    if len(expected) == len(text):
        assert nt.starts is None
        assert nt.span(1, 3) == (1, 3)
    else:
        assert nt.starts is not None


def test_every_single_char_span_is_inside_the_original():
    text = "㈱ﾃﾞｰﾀ　０９０ー１２３４ｶﾞ①"
    nt = normalize(text)
    covered = set()
    for i in range(len(nt.text)):
        s, e = nt.span(i, i + 1)
        assert 0 <= s < e <= len(text)
        covered.update(range(s, e))
    assert covered == set(range(len(text)))  # no original character is unreachable


def test_full_span_is_the_whole_original():
    for text in ("㈱ﾃﾞｰﾀ", "ｶﾞ", "０９０ー１２３４", "ﾊﾞﾋﾞﾌﾞ"):
        nt = normalize(text)
        assert nt.span(0, len(nt.text)) == (0, len(text))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, 0, (0, 0)),  # empty span
        (3, 3, (4, 4)),  # empty span before ( of (株): original index of ㈱
        (5, 2, (4, 4)),  # reversed: empty, at the start's original position
        (0, 99, (0, 5)),  # clipped at the end
        (99, 100, (5, 5)),  # past the end
        (1, 3, (2, 4)),  # ス代
        (3, 4, (4, 5)),  # "(" of (株) → the whole ㈱
    ],
)
def test_degenerate_and_edge_spans(start, end, expected):
    nt = normalize("ｶﾞｽ代㈱")  # originals ｶ ﾞ ｽ 代 ㈱ → "ガス代(株)"
    assert nt.text == "ガス代(株)"
    assert nt.starts == (0, 2, 3, 4, 4, 4)
    assert nt.span(start, end) == expected


def test_uncomposable_voiced_mark_keeps_its_own_offset():
    # ｱﾞ has no precomposed form: the mark stays a separate (combining) character
    nt = normalize("ｱﾞｲ")
    assert nt.text == unicodedata.normalize("NFKC", "ｱﾞ") + "イ"
    assert nt.span(1, 2) == (1, 2)
    assert nt.span(2, 3) == (2, 3)


def test_matches_whole_string_nfkc_for_japanese_text():
    # the per-character normalization agrees with NFKC of the whole string outside dashes
    text = "ﾔﾏﾀﾞﾀﾛｳ様　ＡＢＣ㈱ｶﾞｽ"
    assert normalize(text).text == unicodedata.normalize("NFKC", text).replace("\u3000", " ")
