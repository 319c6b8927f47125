"""GinzaNer: the same entities as stock ja_ginza, batched or one by one, on numpy's BLAS."""

from __future__ import annotations

import pytest

from anonymizer.nlp.ginza import GinzaNer

TEXTS = [
    "山田太郎さんから電話があった。",
    "長女さつきが来所した。",
    "国立市富士見台に住む佐藤花子氏は、株式会社ミドリ商事に勤務している。",
    "ヴァヒド・ハリルホジッチ監督は東京都内で会見した。",
    "対応済み。",
    "本人より転居の相談があり、後日連絡することとした。",
    "SPRiNGSと最も仲の良いライバルグループ。",
    "",
    "　",
    "織田信長は尾張国の戦国大名である。豊臣秀吉が後を継いだ。",
]


@pytest.fixture(scope="module")
def ner() -> GinzaNer:
    return GinzaNer(batch_size=4)


@pytest.mark.slow
def test_batched_spans_equal_one_by_one_and_stock_ja_ginza(ner):
    import spacy

    batched = list(ner.spans(TEXTS))
    one_by_one = [next(ner.spans([t])) for t in TEXTS]
    assert batched == one_by_one
    stock = spacy.load("ja_ginza")  # every pipe, thinc's default (blis) ops
    expected = [tuple((e.start_char, e.end_char, e.label_) for e in stock(t).ents) for t in TEXTS]
    assert [tuple((s.start, s.end, s.label) for s in found) for found in batched] == expected
    assert ("Person", "山田太郎") in [(s.label, TEXTS[0][s.start : s.end]) for s in batched[0]]


@pytest.mark.slow
def test_matrix_products_run_on_numpy_blas(ner):
    from thinc.api import NumpyOps

    for _name, pipe in ner.nlp.pipeline:
        for node in pipe.model.walk():
            assert isinstance(node.ops, NumpyOps) and not node.ops.use_blis


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        *TEXTS,
        "  先頭に空白",
        "空白  二つ\t\tタブ\n改行",
        "半角ｶﾀｶﾅ　全角空白　　",
        "…",
        "絵文字😀です",
        "a  b   c ",
        "＊さん ＊に連絡",
        "〒186-0004 国立市中1-1-1",
    ],
)
def test_docs_have_the_words_and_spaces_of_make_doc(ner, text):
    ours = ner.make_doc(text)
    stock = ner.nlp.make_doc(text)
    assert [(t.text, t.whitespace_) for t in ours] == [(t.text, t.whitespace_) for t in stock]
    assert ours.text == text


@pytest.mark.slow
def test_a_process_loads_a_model_once(ner):
    """Each run builds its detectors; in one process (a test session, a notebook) they share
    the model loaded first, with its own batch size, and find the same spans."""
    other = GinzaNer(batch_size=1)
    assert other.nlp is ner.nlp
    assert list(other.spans(TEXTS)) == list(ner.spans(TEXTS))
