"""The greedy decoding loop: spaCy's own predictions, with the step products on numpy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anonymizer.nlp.ginza import GinzaNer
from anonymizer.nlp.greedy import can_decode, decode

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

#: shapes the sample texts lack: long sentences, Latin, digits, symbols, lone characters
EXTRA = [
    "",
    "　",
    "。",
    "林",
    "ＡＢＣ株式会社のJohn Smith氏とマイケル・ジョンソン氏が2024年4月1日に来庁した。",
    "織田信長は尾張国の戦国大名である。豊臣秀吉が後を継ぎ、徳川家康が江戸幕府を開いた。" * 3,
    "＊さん（＊）から＊に電話。＊＊＊",
    "1234 5678 9012",
]


@pytest.fixture(scope="module")
def ner() -> GinzaNer:
    return GinzaNer()


def _texts() -> list[str]:
    texts = []
    for name in ("texts.jsonl", "clean_texts.jsonl"):
        lines = (SAMPLES / name).read_text(encoding="utf-8").splitlines()
        texts += [json.loads(x)["text"] for x in lines if x.strip()]
    return texts + EXTRA


def _ents(docs) -> list[tuple[tuple[int, int, str], ...]]:
    return [tuple((e.start_char, e.end_char, e.label_) for e in d.ents) for d in docs]


@pytest.mark.slow
def test_decode_gives_the_entities_of_spacys_own_loop(ner):
    texts = _texts()
    nlp = ner.nlp
    expected = _ents(nlp.pipe((ner.make_doc(t) for t in texts), batch_size=64))
    assert sum(map(len, expected)) > 300  # the comparison covers many entities
    docs = [ner.make_doc(t) for t in texts]
    for _doc in nlp.get_pipe("tok2vec").pipe(docs):
        pass
    decode(nlp.get_pipe("ner"), docs)
    assert _ents(docs) == expected
    # and through GinzaNer.spans, in batches of any size
    for size in (1, 7, 1000):
        got = list(GinzaNer(batch_size=size).spans(texts))  # (the model ner loaded)
        assert [tuple((s.start, s.end, s.label) for s in f) for f in got] == expected


@pytest.mark.slow
def test_empty_docs_are_left_without_entities(ner):
    docs = [ner.make_doc(""), ner.make_doc("")]
    decode(ner.nlp.get_pipe("ner"), docs)
    assert [d.ents for d in docs] == [(), ()]


@pytest.mark.slow
def test_only_greedy_transition_pipes_are_decoded_here(ner):
    ner_pipe = ner.nlp.get_pipe("ner")
    assert can_decode(ner_pipe)
    assert not can_decode(ner.nlp.get_pipe("tok2vec"))
    ner_pipe.cfg["beam_width"] = 4
    try:
        assert not can_decode(ner_pipe)
    finally:
        ner_pipe.cfg["beam_width"] = 1
