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


# -- an unknown word that splits only into listed syllables -----------------------------------
SYLLABLES = [
    ("クオデルは作戦を指揮した。", [("クオデル", 0.5)]),  # クオ: a proper noun of two letters
]
# not the subject; or a compound of words (ラブ|コール)
NOT_SYLLABLES = [
    "クオデルの作戦は成功した。",
    "ラブコールを送った。",
]


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


# -- the subject of a person's life: a predicate only a person has, or "is an occupation" --
LIFE = [
    ("シャーマンは故郷の高校で法律を学んだ。", [("シャーマン", 0.6)]),  # 学ん
    ("テンプルは鉄道の技師であり、後に市長になった。", [("テンプル", 0.6)]),  # a role, a copula
    ("2003年、スコールは新会社の社長に就任した。", [("スコール", 0.6)]),  # after 、
    ("千葉は同年に劇団へ入団した。", [("千葉", 0.6)]),  # a kanji word the dictionary knows as a 姓
    ("同年マーカーは旧友の娘と結婚した。", [("マーカー", 0.6)]),  # after a time noun
    ("1950年にウィンが著した自伝が出た。", [("ウィン", 0.6)]),  # after a date and に
]
# no such predicate; another subject's; not opening a clause; a place's copula
NOT_LIFE = [
    "テンプルは古い建物で、町の中心にある。",
    "システムが導入され、担当者が述べた。",
    "古いシャーマンは地元で学んだ。",
    "ミュンヘンはバイエルン州の州都であり、人口が多い。",
    "千葉は人口が多い。",
    "同年マーカーは品切れになった。",
    "公園にマーカーが落ちていた。",
]


# -- a family's name: a katakana name-like word before 一家, 一族, 家, 兄弟 … ----------------
FAMILY = [
    ("ロマーノ一家はシチリアから移住した。", [("ロマーノ", 0.6)]),
    ("ヴァンダービルト家の邸宅が公開された。", [("ヴァンダービルト", 0.6)]),
]
# a family of a trade (a word the dictionary knows as a common noun), a kanji word
NOT_FAMILY = ["サッカー一家に生まれた。", "ホテル一家が経営する宿。", "音楽一家に育った。"]


def _cases(kind: str, found: list, left: list) -> list:  # type: ignore[type-arg]
    """``found``: (text, spans) the evidence must give; ``left``: texts it must leave alone
    (or (text, spans) where other evidence finds something else)."""
    return [
        *(pytest.param(t, e, id=f"{kind}+{i}") for i, (t, e) in enumerate(found)),
        *(
            pytest.param(*(c if isinstance(c, tuple) else (c, [])), id=f"{kind}-{i}")
            for i, c in enumerate(left)
        ),
    ]


CASES = [
    *_cases("after_role", AFTER_ROLE, NOT_AFTER_ROLE),
    *_cases("sinitic", SINITIC, NOT_SINITIC),
    *_cases("listed", LISTED, NOT_LISTED),
    *_cases("again", AGAIN, NOT_AGAIN),
    *_cases("syllables", SYLLABLES, NOT_SYLLABLES),
    *_cases("particle", PARTICLE_CHAINS, NOT_PARTICLE_CHAINS),
    *_cases("between", BETWEEN, NOT_BETWEEN),
    *_cases("life", LIFE, NOT_LIFE),
    *_cases("family", FAMILY, NOT_FAMILY),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_person_neighbours(fast, text, expected):
    """Each kind of evidence: the names it finds (+), and what it leaves (−)."""
    assert spans(fast, text) == expected
