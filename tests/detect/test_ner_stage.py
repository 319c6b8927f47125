"""NerStage: GiNZA only outside what is already found, once per distinct masked sentence."""

from __future__ import annotations

import pytest

from anonymizer.detect.ner_stage import MASK, NerStage, mask_spans, sentences


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("山田太郎さんの電話", [(0, 4)], "＊さんの電話"),  # a masked run becomes one ＊
        ("山田太郎さんの電話", [], "山田太郎さんの電話"),
        ("abc 090-1234-5678", [(4, 17)], "abc " + MASK),
        ("山田太郎さん", [(0, 2), (1, 4)], "＊さん"),  # overlapping spans: one run
        ("山田 太郎", [(0, 2), (3, 5)], "＊ ＊"),  # separate runs stay separate
        ("ab", [(0, 2)], "＊"),
        ("", [], ""),
    ],
)
def test_mask_spans_collapses_runs(text, spans, expected):
    masked, starts, ends = mask_spans(text, spans)
    assert masked == expected
    assert len(starts) == len(ends) == len(masked)
    # every character maps back to the original span it stands for
    for i, ch in enumerate(masked):
        if ch == MASK:
            assert all(any(s <= k < e for s, e in spans) for k in range(starts[i], ends[i]))
        else:
            assert text[starts[i] : ends[i]] == ch


def test_templates_differing_only_in_masked_values_share_one_sentence():
    a, _, _ = mask_spans("山田太郎さんから相談。", [(0, 4)])
    b, _, _ = mask_spans("佐藤一さんから相談。", [(0, 3)])
    assert a == b


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("対応済み。後日連絡する。", [(0, "対応済み。"), (5, "後日連絡する。")]),
        ("本当？はい！了解", [(0, "本当？"), (3, "はい！"), (6, "了解")]),
        ("一行目\n二行目", [(0, "一行目\n"), (4, "二行目")]),
        ("Done. OK?", [(0, "Done. OK?")]),  # an ASCII period is not a sentence end
        ("全角．ピリオド", [(0, "全角．"), (3, "ピリオド")]),
        ("。。", [(0, "。"), (1, "。")]),
        ("", []),
    ],
)
def test_sentences(text, expected):
    out = sentences(text)
    assert out == expected
    assert all(text[o : o + len(s)] == s for o, s in out)


# -- with the real ja_ginza model -------------------------------------------------------------
@pytest.fixture(scope="module")
def stage(accurate):
    return NerStage(accurate.nlp.ginza)


@pytest.mark.slow
def test_spans_are_in_original_offsets(stage):
    text = "山田太郎さんから電話。長女さつきが来所した。"
    (spans,) = stage.spans([text], [[(0, 4)]])
    persons = [(s.start, s.end) for s in spans if s.label == "Person"]
    assert persons == [(text.index("さつき"), text.index("さつき") + 3)]
    assert all(MASK not in text[s.start : s.end] for s in spans)


@pytest.mark.slow
def test_spans_touching_a_masked_character_are_dropped(stage):
    text = "長女さつきが来所した。"
    (free,) = stage.spans([text], [[]])
    assert ("Person", "さつき") in [(s.label, text[s.start : s.end]) for s in free]
    (covered,) = stage.spans([text], [[(3, 4)]])  # one character of the name is already found
    assert all(not (s.start < 4 and s.end > 3) for s in covered)
    assert "さつき" not in [text[s.start : s.end] for s in covered]


@pytest.mark.slow
def test_repeated_masked_sentences_run_once(accurate):
    stage = NerStage(accurate.nlp.ginza)
    texts = [
        "佐藤花子さんから電話があり、書類を郵送した。",
        "鈴木一郎さんから電話があり、書類を郵送した。",
        "田中次郎さんから電話があり、書類を郵送した。",
    ]
    covered = [[(0, 4)]] * 3  # the names are already found: the masked sentences are identical
    out = stage.spans(texts, covered)
    assert stage.stats == {"sentences": 3, "ner_runs": 1, "cache_hits": 0, "skipped": 0}
    assert out[0] == out[1] == out[2]
    stage.spans(texts[:1], covered[:1])
    assert stage.stats == {"sentences": 4, "ner_runs": 1, "cache_hits": 1, "skipped": 0}


@pytest.mark.slow
def test_sentences_without_letters_are_skipped(accurate):
    stage = NerStage(accurate.nlp.ginza)
    text = "山田。090-1234-5678。＊＊。12歳。連絡済み。"
    (spans,) = stage.spans([text], [[(0, 2)]])
    # 山田 is masked; 090…, ＊＊ and 12歳 have no run of two letters; only 連絡済み runs
    assert stage.stats == {"sentences": 5, "ner_runs": 1, "cache_hits": 0, "skipped": 4}
    assert list(stage.cache) == ["連絡済み。"]
    assert all(s.start >= text.index("連絡済み") for s in spans)


@pytest.mark.slow
def test_tiny_cache_evicting_within_a_batch_still_answers(accurate):
    stage = NerStage(accurate.nlp.ginza, cache_size=1)
    texts = ["長女さつきが来所した。", "次女あかりが来所した。", "長女さつきが来所した。"]
    out = stage.spans(texts, [[], [], []])
    assert len(stage.cache) == 1
    assert out[0] == out[2]
    assert ("Person", "さつき") in [(s.label, texts[0][s.start : s.end]) for s in out[0]]
