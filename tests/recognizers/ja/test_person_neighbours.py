"""PERSON evidence for a lone katakana name from its neighbours (person_neighbours.py, #20
target 1): a role before it, a name listed with it, the same name again; and the unknown word
that splits only into listed syllables. Through the real Detector (Sudachi, fast mode, raw
evidence); positives and negatives of the same shape, spans and scores asserted."""

from __future__ import annotations

import pytest

from anonymizer.detect import Detector


@pytest.fixture(scope="module")
def fast() -> Detector:
    with Detector(mode="fast", calibrated=False) as d:
        yield d


def spans(det: Detector, text: str) -> list[tuple[str, float]]:
    return [(text[f.start : f.end], f.score) for f in det.detect(text) if f.type == "PERSON"]


# -- after a role, with or without の ---------------------------------------------------------
AFTER_ROLE = [
    ("画家のモルテンセンが個展を開いた。", [("モルテンセン", 0.6)]),  # unknown word: 0.5 raised
    ("通訳のバルタザークと打ち合わせをした。", [("バルタザーク", 0.6)]),
    ("船長ドルゴフは港に戻った。", [("ドルゴフ", 0.6)]),  # without の
    ("叔母のケストリッツが訪ねてきた。", [("ケストリッツ", 0.6)]),  # a kinship word
    ("俳優のウルフ・ランゲが来日した。", [("ウルフ・ランゲ", 0.6)]),  # a ・-chain of words
    ("リーダーのテンプルは会議に遅れた。", [("テンプル", 0.6)]),  # a common noun too: a subject
]
# a thing after a role (not a subject), a compound (no の), the word going on
NOT_AFTER_ROLE = [
    "選手のサインをもらった。",
    "歌手のマイクを借りた。",
    "監督のノートに書いた。",
    "作家クラブの会合に出た。",
    "画家のアトリエを訪ねた。",
]


@pytest.mark.parametrize(("text", "expected"), AFTER_ROLE)
def test_a_katakana_word_after_a_role_is_a_name(fast, text, expected):
    assert spans(fast, text) == expected


@pytest.mark.parametrize("text", NOT_AFTER_ROLE)
def test_a_thing_or_a_compound_after_a_role_is_not_a_name(fast, text):
    assert spans(fast, text) == []


# -- a Chinese or Korean name after a role and の ------------------------------------------
SINITIC = [
    ("大使の韓丙洙は帰国した。", [("韓丙洙", 0.6)]),
]
# two letters after the surname that are a common noun; a word going on; no role before
NOT_SINITIC = [
    "父の林業は盛んだった。",
    "弟の金曜日は休みだ。",
    "監督の日本映画を見た。",
]


@pytest.mark.parametrize(("text", "expected"), SINITIC)
def test_three_kanji_after_a_role_starting_with_a_surname_are_a_name(fast, text, expected):
    assert spans(fast, text) == expected


@pytest.mark.parametrize("text", NOT_SINITIC)
def test_a_word_after_a_role_is_not_a_sinitic_name(fast, text):
    assert spans(fast, text) == []


# -- listed with a katakana name by と, や or 、 --------------------------------------------
LISTED = [
    ("ジョージとライトは口論になった。", [("ジョージ", 0.6), ("ライト", 0.6)]),
    ("スミスやブラックが好きだった。", [("スミス", 0.6), ("ブラック", 0.6)]),
    ("エドワードとホフステッターが同席した。", [("エドワード", 0.6), ("ホフステッター", 0.6)]),
]
# a common noun listed by 、 (an apposition), or not the subject; the tail of a compound; a
# pair that does not end as a subject or go on (things owned or read: の, を after it)
NOT_LISTED = [
    ("スミスやブラックを読んだ。", [("スミス", 0.6)]),
    ("エドワードとホフステッターの共著を読んだ。", [("エドワード", 0.6), ("ホフステッター", 0.5)]),
    ("トーマスとショートの守備を競った。", [("トーマス", 0.6)]),
    ("2001年シーズン、ジョン・ルッソが加入した。", [("ジョン・ルッソ", 0.6)]),
    ("人気の演奏ユニット、ソナーレ・ハイムの新曲。", [("ソナーレ・ハイム", 0.6)]),
]


@pytest.mark.parametrize(("text", "expected"), LISTED)
def test_a_katakana_word_listed_with_a_name_is_a_name(fast, text, expected):
    assert spans(fast, text) == expected


@pytest.mark.parametrize(("text", "expected"), NOT_LISTED)
def test_a_word_next_to_a_name_is_not_always_listed(fast, text, expected):
    assert spans(fast, text) == expected


# -- the same name again ---------------------------------------------------------------------
AGAIN = [
    ("通訳のクオデルは、クオデルの家に住んだ。", [("クオデル", 0.6), ("クオデル", 0.6)]),
    ("ハンナは港でハンナの母を待った。", [("ハンナ", 0.6), ("ハンナ", 0.6)]),
    ("トーマス・ケラーは、ケラーの名で知られた。", [("トーマス・ケラー", 0.6), ("ケラー", 0.6)]),
]
# inside a longer word (クオデル|式), or the first one too weak to repeat
NOT_AGAIN = [
    ("通訳のクオデルは、クオデルの家に住んだ。", [("クオデル", 0.6), ("クオデル", 0.6)]),
    ("通訳のクオデルは、クオデル式の料理を作った。", [("クオデル", 0.6)]),
    ("クオデルは作戦でクオデルの話をした。", [("クオデル", 0.5)]),
]


@pytest.mark.parametrize(("text", "expected"), AGAIN)
def test_a_name_written_again_is_the_same_name(fast, text, expected):
    assert spans(fast, text) == expected


@pytest.mark.parametrize(("text", "expected"), NOT_AGAIN)
def test_a_name_inside_a_word_or_a_weak_one_is_not_repeated(fast, text, expected):
    assert spans(fast, text) == expected


# -- an unknown word that splits only into listed syllables -----------------------------------
SYLLABLES = [
    ("クオデルは作戦を指揮した。", [("クオデル", 0.5)]),  # クオ: a proper noun of two letters
]
# not the subject; or a compound of words (ラブ|コール)
NOT_SYLLABLES = [
    "クオデルの作戦は成功した。",
    "ラブコールを送った。",
]


@pytest.mark.parametrize(("text", "expected"), SYLLABLES)
def test_an_unknown_word_of_listed_syllables_is_a_name_as_a_subject(fast, text, expected):
    assert spans(fast, text) == expected


@pytest.mark.parametrize("text", NOT_SYLLABLES)
def test_an_unknown_word_of_syllables_elsewhere_or_a_compound_is_not_a_name(fast, text):
    assert spans(fast, text) == []


# -- a nobiliary particle heads a katakana chain (person.py, rules: name_particles) ----------
PARTICLE_CHAINS = [
    ("決勝ではフォン・ハントが勝った。", [("フォン・ハント", 0.6)]),
    ("ダ・ヴィンチは画家だった。", [("ダ・ヴィンチ", 0.6)]),
]
# the particle not a noun here (a musical term); no particle at the head
NOT_PARTICLE_CHAINS = [
    "ダ・カーポで演奏した。",
    "ケア・マネジャーに相談した。",
]


@pytest.mark.parametrize(("text", "expected"), PARTICLE_CHAINS)
def test_a_chain_headed_by_a_nobiliary_particle_is_a_name(fast, text, expected):
    assert spans(fast, text) == expected


@pytest.mark.parametrize("text", NOT_PARTICLE_CHAINS)
def test_a_chain_of_letters_or_words_is_not_a_name(fast, text):
    assert spans(fast, text) == []


# -- a kanji item between two full names of a list --------------------------------------------
BETWEEN = [
    (
        "出品者は中村春子、石段草舟、吉田一郎である。",
        [("中村春子", 0.85), ("石段草舟", 0.6), ("吉田一郎", 0.85)],
    ),
]
# a name on one side only; a word the dictionary holds (a place, a room)
NOT_BETWEEN = [
    ("出品者は中村春子、石段草舟である。", [("中村春子", 0.85)]),
    ("山田太郎、東京都、佐藤花子が出席した。", [("山田太郎", 0.85), ("佐藤花子", 0.85)]),
    ("山田太郎・会議室・佐藤花子", [("山田太郎", 0.85), ("佐藤花子", 0.85)]),
]


@pytest.mark.parametrize(("text", "expected"), BETWEEN)
def test_a_kanji_item_between_two_full_names_is_a_name(fast, text, expected):
    assert spans(fast, text) == expected


@pytest.mark.parametrize(("text", "expected"), NOT_BETWEEN)
def test_a_word_or_an_item_with_one_name_beside_it_is_not_listed(fast, text, expected):
    assert spans(fast, text) == expected
