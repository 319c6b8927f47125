"""The Detector in fast mode: order, cache, long texts, cells, filters; Presidio contract."""

from __future__ import annotations

import pytest

from anonymizer.detect import Detector, Finding
from anonymizer.detect.resolve import to_findings
from anonymizer.detect.segment import MAX_CHARS, OVERLAP
from anonymizer.entities import ENTITIES
from anonymizer.errors import UsageError

PHONE = "090-1234-5678"


def found(text: str, findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.type, text[f.start : f.end]) for f in findings]


# -- the basic contract ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "山田太郎さん（45歳）の電話は090-1234-5678",
            [("PERSON", "山田太郎"), ("AGE", "45歳"), ("JP_PHONE_NUMBER", "090-1234-5678")],
        ),
        # 全角 digits and hyphens: offsets index the ORIGINAL text
        ("携帯：０９０ー１２３４ー５６７８", [("JP_PHONE_NUMBER", "０９０ー１２３４ー５６７８")]),
        ("ﾊﾟｽﾎﾟｰﾄ番号 TK1234567", [("JP_PASSPORT", "TK1234567")]),  # 半角 context word
        (
            "個人番号 １２３４ ５６７８ ９０１８ を確認",
            [("JP_MY_NUMBER", "１２３４ ５６７８ ９０１８")],
        ),
        (
            "住所：東京都国立市富士見台1-2-3、メール taro@example.jp",
            [("JP_ADDRESS", "東京都国立市富士見台1-2-3"), ("EMAIL_ADDRESS", "taro@example.jp")],
        ),
        # a date right after a name is a birth date (relations stage)
        (
            "来庁者：山田太郎、昭和45年3月2日、国立市在住",
            [("PERSON", "山田太郎"), ("DATE_OF_BIRTH", "昭和45年3月2日")],
        ),
        # negatives
        ("本日は晴天なり。", []),
        ("予算額 123,456,789,018 円", []),
        ("番号 123456789012", []),  # wrong check digit, no My Number context
    ],
)
def test_detect(fast, text, expected):
    out = fast.detect(text)
    assert found(text, out) == expected
    assert out == sorted(out, key=lambda f: (f.start, f.end, f.type))
    assert all(isinstance(f.recognizer, str) and f.recognizer.startswith("ja.") for f in out)


@pytest.mark.parametrize("text", ["", " ", "\u3000", "\n", "\t \u3000\n", "。", "、、"])
def test_empty_and_whitespace(fast, text):
    assert fast.detect(text) == []


def test_order_is_input_order_and_batching_does_not_matter(fast):
    texts = [
        "佐伯清麗さんから電話（03-1111-2222）",
        "",
        "特になし",
        "メール：order1@example.jp",
        "佐伯清麗さんから電話（03-1111-2222）",  # repeated
        "42歳、男性",
        "　",
    ]
    one_by_one = [fast.detect(t) for t in texts]
    assert list(fast.detect_many(texts)) == one_by_one
    assert list(fast.detect_many(iter(texts), batch_size=2)) == one_by_one
    assert list(fast.detect_many(texts, batch_size=1)) == one_by_one
    assert [bool(x) for x in one_by_one] == [True, False, False, True, True, True, False]
    assert one_by_one[0] == one_by_one[4]


def test_detect_many_streams_lazily(fast):
    """Batches are processed as they arrive: a generator input is not read to the end first."""
    seen: list[int] = []

    def source():
        for i in range(10):
            seen.append(i)
            yield f"電話 03-2222-{1000 + i}"

    it = fast.detect_many(source(), batch_size=3)
    first = next(it)
    assert [f.type for f in first] == ["JP_PHONE_NUMBER"]
    assert len(seen) == 3


# -- cache ----------------------------------------------------------------------------------
def test_repeated_texts_hit_the_cache(fast):
    texts = ["キャッシュ確認：電話 03-3333-0001", "キャッシュ確認：電話 03-3333-0002"]
    before = dict(fast.stats)
    first = list(fast.detect_many(texts + texts[:1]))  # the repeat within a batch is a hit
    mid = dict(fast.stats)
    assert mid["texts"] - before["texts"] == 3
    assert mid["cache_hits"] - before["cache_hits"] == 1
    again = list(fast.detect_many(texts * 5))
    after = dict(fast.stats)
    assert after["texts"] - mid["texts"] == 10
    assert after["cache_hits"] - mid["cache_hits"] == 10
    assert again == first[:2] * 5
    assert after["ner_texts"] == before["ner_texts"] == 0  # fast mode never runs NER


def test_cached_findings_are_copies(fast):
    text = "コピー確認 03-3333-0003"
    out = fast.detect(text)
    out.clear()
    assert found(text, fast.detect(text)) == [("JP_PHONE_NUMBER", "03-3333-0003")]


def test_cache_is_bounded_lru():
    det = Detector(mode="fast", cache_size=2)
    for t in ("a 03-1111-0001", "b 03-1111-0002", "c 03-1111-0003"):
        det.detect(t)
    assert list(det._cache) == ["b 03-1111-0002", "c 03-1111-0003"]
    det.detect("a 03-1111-0001")  # evicted: computed again, not a hit
    assert det.stats == {"texts": 4, "cache_hits": 0, "ner_texts": 0}
    det.detect("c 03-1111-0003")
    assert det.stats["cache_hits"] == 1


def test_cache_size_zero_still_detects():
    det = Detector(mode="fast", cache_size=0)
    texts = ["電話 03-1111-0004"] * 3
    assert [found(texts[0], f) for f in det.detect_many(texts)] == [
        [("JP_PHONE_NUMBER", "03-1111-0004")]
    ] * 3


# -- long texts -----------------------------------------------------------------------------
@pytest.mark.slow
def test_one_megabyte_text_is_processed_without_truncation(fast):
    filler = "本日は窓口で各種の手続きについて説明を行った。"
    body = filler * (1_000_000 // len(filler.encode("utf-8")) + 1)
    text = (
        "冒頭：電話 03-4444-0001。"
        + body[: len(body) // 2]
        + "中程：メール mid@example.jp。"
        + body[len(body) // 2 :]
        + "末尾：携帯 090-4444-0002、個人番号 123456789018"
    )
    assert len(text.encode("utf-8")) > 1_000_000
    out = fast.detect(text)
    assert found(text, out) == [
        ("JP_PHONE_NUMBER", "03-4444-0001"),
        ("EMAIL_ADDRESS", "mid@example.jp"),
        ("JP_PHONE_NUMBER", "090-4444-0002"),
        ("JP_MY_NUMBER", "123456789018"),
    ]
    assert out[-1].end == len(text)  # the very last characters were analysed


@pytest.mark.slow
def test_forced_segment_cuts_do_not_split_a_planted_phone(fast):
    """No sentence end anywhere: pieces overlap, and every phone at a cut is found whole, once."""
    step = MAX_CHARS - OVERLAP
    cuts = [MAX_CHARS + k * step for k in range(25)]  # where each piece ends
    chars = ["あ"] * (cuts[-1] + MAX_CHARS)
    starts = []
    for k, cut in enumerate(cuts):
        # straddle the cut, sit inside the overlap, or end exactly at the cut
        start = cut - (6, OVERLAP // 2, len(PHONE))[k % 3]
        chars[start : start + len(PHONE)] = PHONE
        starts.append(start)
    text = "".join(chars)
    out = fast.detect(text)
    assert [(f.type, f.start, f.end) for f in out] == [
        ("JP_PHONE_NUMBER", s, s + len(PHONE)) for s in starts
    ]


def test_long_text_offsets_are_relative_to_the_whole_text(fast):
    text = "相談記録。" * 1500 + "連絡先 03-5555-0001。" + "相談記録。" * 1500
    (f,) = fast.detect(text)
    assert text[f.start : f.end] == "03-5555-0001"
    assert f.start == text.index("03-5555-0001")


def test_long_and_short_texts_in_one_batch(fast):
    long = "い" * (MAX_CHARS * 2) + " 03-5555-0002"
    texts = ["電話 03-5555-0003", long, ""]
    out = list(fast.detect_many(texts))
    assert found(texts[0], out[0]) == [("JP_PHONE_NUMBER", "03-5555-0003")]
    assert found(long, out[1]) == [("JP_PHONE_NUMBER", "03-5555-0002")]
    assert out[2] == []


# -- cells ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "values", "expected"),
    [
        # the header gives birth context: offsets index the value, not "生年月日：value"
        (
            "生年月日",
            ["1970/3/2", "昭和45年3月2日", "", " "],
            [[("DATE_OF_BIRTH", 0, 8)], [("DATE_OF_BIRTH", 0, 9)], [], []],
        ),
        ("受付日", ["1970/3/2"], [[("DATE", 0, 8)]]),
        # a bare 10-digit number is a phone only in a phone column
        (
            "電話番号",
            ["0425762111", "042-576-2111", "12345678"],
            [[("JP_PHONE_NUMBER", 0, 10)], [("JP_PHONE_NUMBER", 0, 12)], []],
        ),
        ("備考", ["0425762111"], [[]]),
        ("年齢", ["45", "45歳"], [[("AGE", 0, 2)], [("AGE", 0, 3)]]),
        (
            "氏名",
            ["山田　太郎", "ｻﾄｳ ﾊﾅｺ", "たなか"],
            [[("PERSON", 0, 5)], [("PERSON", 0, 7)], [("PERSON", 0, 3)]],
        ),
        ("住所", ["国立市富士見台1-2-3"], [[("JP_ADDRESS", 0, 12)]]),
    ],
)
def test_detect_cells_with_header_context(fast, header, values, expected):
    out = list(fast.detect_cells(values, header=header))
    assert [[(f.type, f.start, f.end) for f in cell] for cell in out] == expected
    for value, cell in zip(values, out, strict=True):
        assert all(0 <= f.start < f.end <= len(value) for f in cell)


def test_detect_cells_header_adds_what_the_bare_value_lacks(fast):
    bare = list(fast.detect_cells(["0425762111", "45", "1970/3/2"]))
    assert [[f.type for f in c] for c in bare] == [[], [], ["DATE"]]
    assert [f.type for f in next(fast.detect_cells(["45"], header="年齢"))] == ["AGE"]


def test_detect_cells_never_reports_the_header_itself(fast):
    # the header alone would be a finding; only the value's findings come back
    out = list(fast.detect_cells(["特になし", "03-6666-0001"], header="連絡先 03-9999-0000"))
    assert out[0] == []
    assert [(f.type, f.start, f.end) for f in out[1]] == [("JP_PHONE_NUMBER", 0, 12)]


# -- options ------------------------------------------------------------------------------
TEXT = "山田太郎さん（45歳）の電話は090-1234-5678、taro@example.jp"


@pytest.mark.parametrize(
    ("entities", "expected"),
    [
        (None, ["PERSON", "AGE", "JP_PHONE_NUMBER", "EMAIL_ADDRESS"]),
        ("JP_PHONE_NUMBER", ["JP_PHONE_NUMBER"]),
        ("PERSON,AGE", ["PERSON", "AGE"]),
        (" AGE , PERSON ", ["PERSON", "AGE"]),
        (["EMAIL_ADDRESS"], ["EMAIL_ADDRESS"]),
        ("JP_MY_NUMBER", []),
    ],
)
def test_entities_filter(entities, expected):
    det = Detector(mode="fast", entities=entities)
    assert [f.type for f in det.detect(TEXT)] == expected


def test_entities_filter_keeps_relations():
    """DATE_OF_BIRTH alone still sees the name that makes the date a birth date."""
    det = Detector(mode="fast", entities="DATE_OF_BIRTH")
    text = "来庁者：山田太郎、昭和45年3月2日、国立市在住"
    assert found(text, det.detect(text)) == [("DATE_OF_BIRTH", "昭和45年3月2日")]


@pytest.mark.parametrize("entities", ["NAME", "PERSON,PHONE", "person", ","])
def test_unknown_entities_list_the_valid_ones(entities):
    with pytest.raises(UsageError) as err:
        Detector(mode="fast", entities=entities)
    assert "PERSON" in str(err.value) and "JP_PHONE_NUMBER" in str(err.value)
    assert all(e in str(err.value) for e in ENTITIES)


def test_min_score():
    text = "長男の蓮が来た。ゼルテンが来た。電話 03-7777-0001"
    every = Detector(mode="fast", min_score=0.0, calibrated=False).detect(text)
    evidence = {text[f.start : f.end]: f.score for f in every}
    # a one-character given name alone (0.3) and an unknown katakana word (0.5)
    assert evidence == {"蓮": 0.3, "ゼルテン": 0.5, "03-7777-0001": 0.9}

    def kept(min_score: float | None, calibrated: bool = True) -> list[str]:
        det = Detector(mode="fast", min_score=min_score, calibrated=calibrated)
        return [text[f.start : f.end] for f in det.detect(text)]

    assert kept(0.3, calibrated=False) == ["蓮", "ゼルテン", "03-7777-0001"]
    # the old default; the threshold is inclusive
    assert kept(None, calibrated=False) == ["ゼルテン", "03-7777-0001"]
    assert kept(0.51, calibrated=False) == ["03-7777-0001"]
    assert kept(0.95, calibrated=False) == []
    # calibrated: the default keeps what evidence 0.5 kept; the threshold is a probability
    every = Detector(mode="fast", min_score=0.0).detect(text)
    probability = {text[f.start : f.end]: f.score for f in every}
    assert probability["蓮"] < probability["ゼルテン"] < probability["03-7777-0001"]
    assert kept(None) == ["ゼルテン", "03-7777-0001"]
    assert kept(probability["ゼルテン"]) == ["ゼルテン", "03-7777-0001"]
    assert kept(probability["ゼルテン"] + 0.001) == ["03-7777-0001"]
    assert kept(0.0) == ["蓮", "ゼルテン", "03-7777-0001"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "turbo"}, "unknown mode 'turbo'; valid: fast, accurate"),
        ({"mode": "fast", "min_score": 1.5}, "min-score must be between 0 and 1"),
        ({"mode": "fast", "min_score": -0.1}, "min-score must be between 0 and 1"),
    ],
)
def test_bad_options(kwargs, message):
    with pytest.raises(UsageError, match=message):
        Detector(**kwargs)


def test_versions_name_the_libraries(fast):
    v = fast.versions()
    assert set(v) == {"presidio-analyzer", "spacy", "sudachipy", "sudachidict-core"}
    assert all(v.values())


def test_workers_fast_mode_matches_single_process():
    texts = [
        f"No.{i} 担当の電話 03-{1000 + i:04d}-{2000 + i:04d}、{20 + i % 60}歳" for i in range(300)
    ]
    with Detector(mode="fast", workers=1) as one, Detector(mode="fast", workers=2) as two:
        assert list(two.detect_many(texts)) == list(one.detect_many(texts))
        assert two._pool is not None  # 300 uncached texts did go to the worker processes
    assert two._pool is None  # closed on exit


# -- Presidio contract ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "山田太郎さん（45歳）の電話は090-1234-5678",
        "個人番号 123456789018 を確認",
        "住所：東京都国立市富士見台1-2-3、メール taro@example.jp",
        "携帯：０９０ー１２３４ー５６７８（佐伯さん）",
        "特に問題なし。",
    ],
)
def test_stock_presidio_analyzer_finds_the_same_spans(fast, text):
    engine = fast.analyzer_engine()
    results = engine.analyze(text=text, language="ja")
    ours = [(f.type, f.start, f.end) for f in fast.detect(text)]
    theirs = [(f.type, f.start, f.end) for f in to_findings(results, fast.min_score, None)]
    assert theirs == ours


def test_stock_presidio_analyzer_lists_our_recognizers(fast):
    engine = fast.analyzer_engine()
    names = {r.name for r in engine.registry.get_recognizers(language="ja", all_fields=True)}
    assert names == {r.NAME for r in fast.recognizers}
    assert "ja.person.v1" in names


def test_workers_settle_codes_and_pseudonyms_without_losing_a_finding():
    """Texts no recognizer's prefilter matches are answered in the parent ("nothing found");
    a full-width phone among 300 pseudonyms is still analysed and found."""
    texts = [f"ID-{i:04x}abcdefghijkl" for i in range(300)] + ["０９０－１２３４－５６７８"]
    with Detector(mode="fast", workers=2) as two:
        found = list(two.detect_many(texts))
    assert all(f == [] for f in found[:300])
    assert [(f.type, f.start, f.end) for f in found[300]] == [("JP_PHONE_NUMBER", 0, 13)]


def test_prefilters_never_hide_a_finding(fast):
    """Every recognizer's prefilter (and their union) is only a shortcut: with all of them
    switched off, the same findings come out of a few thousand PII-dense sample texts."""
    from samples.generate import generate_texts

    texts = [r["text"] for r in generate_texts(3000, 5).records]
    texts += ["記号 12 番号 345", "No.1234 5678 9012", "T1234567890123", "4111 1111 1111 1111"]
    with Detector(mode="fast", cache_size=0) as bare:
        for r in bare.recognizers:
            r._prefilter = None
        bare._any_prefilter = None
        expected = [bare._compute([t])[0] for t in texts]
    with Detector(mode="fast", cache_size=0) as det:
        assert det._any_prefilter is not None
        assert [det._compute([t])[0] for t in texts] == expected
