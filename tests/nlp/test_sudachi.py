"""The Sudachi bridge: morphemes as the plain SudachiPy tokenizer gives them, in order,
with original offsets, for every text of a batch (one MorphemeList is reused)."""

from __future__ import annotations

import pytest
from sudachipy import dictionary

from anonymizer.nlp.sudachi import SudachiMorphologizer

TEXTS = [
    "身長163.1cm、体重52kgの山田太郎さん（45歳）。",
    "長島　華音氏、81歳。電話090-6659-9877",
    "ヴァヒド・ハリルホジッチ監督",
    "ｶﾀｶﾅ と ＡＢＣ と 半角",
]


@pytest.fixture(scope="module")
def bridge() -> SudachiMorphologizer:
    return SudachiMorphologizer()


def test_morphemes_match_a_plain_tokenizer_text_after_text(bridge):
    plain = dictionary.Dictionary(dict="core").create()
    for text in TEXTS + TEXTS[::-1]:  # a reused list must not carry anything over
        expected = tuple(
            (m.begin(), m.end(), m.surface(), tuple(m.part_of_speech()), m.is_oov())
            for m in plain.tokenize(text)
        )
        assert tuple(tuple(m) for m in bridge.morphemes(text)) == expected


def test_decimal_numbers_stay_one_morpheme(bridge):
    morphs = bridge.morphemes("身長163.1cm")
    assert [m[:4] for m in morphs] == [
        (0, 2, "身長", ("名詞", "普通名詞", "一般", "*", "*", "*")),
        (2, 7, "163.1", ("名詞", "数詞", "*", "*", "*", "*")),
        (7, 9, "cm", ("名詞", "普通名詞", "一般", "*", "*", "*")),
    ]


def test_empty_text_and_pickling(bridge):
    import pickle

    assert bridge.morphemes("") == ()
    again = pickle.loads(pickle.dumps(bridge))
    assert again.morphemes("山田") == bridge.morphemes("山田")
