"""PERSON evidence from context and the dictionary's readings (person_context.py, #20 item 1),
through the real Detector (Sudachi; ja_ginza for the accurate cases). One table per class,
positives and negatives of the same shape, spans and scores asserted."""

from __future__ import annotations

import pytest

from anonymizer.detect import Detector


@pytest.fixture(scope="module")
def fast() -> Detector:
    with Detector(mode="fast", calibrated=False) as d:
        yield d


@pytest.fixture(scope="module")
def accurate() -> Detector:
    with Detector(mode="accurate", calibrated=False) as d:
        yield d


@pytest.fixture(scope="module")
def accurate_low() -> Detector:
    """Everything PERSON the accurate mode finds, down to the counter-evidence's score."""
    with Detector(mode="accurate", min_score=0.3, entities="PERSON", calibrated=False) as d:
        yield d


def scored(det: Detector, text: str) -> dict[str, float]:
    return {text[f.start : f.end]: f.score for f in det.detect(text) if f.type == "PERSON"}


# -- a word the dictionary knows as a surname, alone before a title --------------------------
SURNAME_TITLES = [
    ("今監督は続投を表明した。", {"今": 0.65}),  # 今: 副詞可能 in context, a 姓 in the dictionary
    ("星監督が述べた。", {"星": 0.65}),  # 星: a common noun in context, a 姓 in the dictionary
    ("和田社長が会見した。", {"和田": 0.85}),  # 人名 in context already
]
# words that qualify a title (the dictionary lists 新, 元, 前 as surnames too), common nouns
QUALIFIED_TITLES = [
    "新監督が就任した。", "元社長が語った。", "前会長に聞いた。", "初代会長に就いた。",
    "球団社長が発表した。", "両選手が出場した。",
    "今社長が会見した。",  # 今 read as a prefix in context (the present president): no name
]


@pytest.mark.parametrize(("text", "expected"), SURNAME_TITLES)
def test_a_dictionary_surname_alone_before_a_title_is_a_name(fast, text, expected):
    assert scored(fast, text) == expected


@pytest.mark.parametrize("text", QUALIFIED_TITLES)
def test_a_word_qualifying_a_title_is_not_a_name(fast, text):
    assert scored(fast, text) == {}


# -- a child's hiragana given name in family text ------------------------------------------
FAMILY_NAMES = [
    ("２歳のきょうこは元気です。", {"きょうこ": 0.7}),  # 形状詞 to Sudachi, no common noun
    ("長女のさくらが入学した。", {"さくら": 0.7}),  # a common noun, and a given name
    ("3歳のはなこと遊んだ。", {"はなこ": 0.7}),
    ("息子のけんたが泣いた。", {"けんた": 0.7}),
    ("８か月のゆいは寝ている。", {"ゆい": 0.7}),
]
NOT_FAMILY_NAMES = [
    "長女のために買った。", "２歳のころに引っ越した。", "長女のおむつを替えた。",
    "息子のことが心配だ。", "２歳のかわいい娘がいる。", "長女のほうが背が高い。",
    "3歳のときに入院した。", "サクラのさくらが咲いた。",
    "桜のさくらが咲いた。",  # no kinship word or age before の
]


@pytest.mark.parametrize(("text", "expected"), FAMILY_NAMES)
def test_a_hiragana_name_after_a_kinship_word_or_an_age_is_a_name(fast, text, expected):
    assert scored(fast, text) == expected


@pytest.mark.parametrize("text", NOT_FAMILY_NAMES)
def test_a_time_formal_or_common_word_after_a_kinship_word_is_not_a_name(fast, text):
    assert scored(fast, text) == {}


# -- a historical figure's appellation -----------------------------------------------------
HISTORICAL = [
    ("聖徳太子が建てた寺。", {"聖徳太子": 0.85}), ("明治天皇の時代。", {"明治天皇": 0.85}),
    ("弘法大師が開いた。", {"弘法大師": 0.85}),
]
NOT_HISTORICAL = ["天皇が訪問した。", "京都の大師堂。", "皇太子が訪問した。", "太子町に住む。"]


@pytest.mark.parametrize(("text", "expected"), HISTORICAL)
def test_a_proper_noun_with_an_honorary_title_is_a_name(fast, text, expected):
    assert scored(fast, text) == expected


@pytest.mark.parametrize("text", NOT_HISTORICAL)
def test_an_honorary_title_alone_or_in_a_place_is_not_a_name(fast, text):
    assert scored(fast, text) == {}


# -- a place: a lone candidate followed by travel or residence -------------------------------
PLACES = [
    "羽田から出発した。", "小松で降りた。", "貝塚に住んでいる。", "ミューシアに上陸した。",
    "クリーサップの街に着いた。", "宮崎で開催された。", "羽田に本社を置く。", "小松で生まれた。",
]
# the same words with a person's context: kept
NOT_PLACES = [
    ("羽田が発言した。", "羽田"), ("貝塚さんに住所を聞いた。", "貝塚"),
    ("山田から電話があった。", "山田"),
    ("小松社長が降りた。", "小松"), ("山田を訪問した。", "山田"),
    ("山田に留学の相談をした。", "山田"),
]


@pytest.mark.parametrize("text", PLACES)
def test_a_lone_name_before_travel_or_residence_is_a_place(fast, accurate, text):
    assert scored(fast, text) == {}
    assert scored(accurate, text) == {}


@pytest.mark.parametrize("text", PLACES)
def test_a_place_is_kept_below_the_threshold(text):
    with Detector(mode="fast", min_score=0.3, calibrated=False) as low:
        assert set(scored(low, text).values()) <= {0.4}


@pytest.mark.parametrize(("text", "name"), NOT_PLACES)
def test_a_name_before_other_words_or_with_an_honorific_is_kept(fast, text, name):
    assert list(scored(fast, text)) == [name]


# -- a model, not a person: a katakana candidate with a model number -------------------------
MODELS = ["JR東日本のクモハ123-1とは種車が同じ。", "ミウラP400SVを持っている。"]
NOT_MODELS = [
    ("ヘンリー8世が即位した。", "ヘンリー"), ("ルイ14世の治世。", "ルイ"),
    ("マイケルが来た。", "マイケル"),
]


@pytest.mark.parametrize("text", MODELS)
def test_a_katakana_word_before_a_model_number_is_not_a_name(fast, text):
    assert scored(fast, text) == {}


@pytest.mark.parametrize(("text", "name"), NOT_MODELS)
def test_a_regnal_number_or_no_number_keeps_the_name(fast, text, name):
    assert list(scored(fast, text)) == [name]


# -- a name listed with names ----------------------------------------------------------------
LISTED = [
    ("山田と彩が来た。", {"山田": 0.6, "彩": 0.6}),  # 彩: a one-letter given name, weak alone
    ("同僚教師のすみれと彩は意気投合した。", {"すみれ": 0.7, "彩": 0.6}),
    ("淡井真紀、田中リタ、高原零、板倉あやのが集まった。",
     {"淡井真紀": 0.85, "田中リタ": 0.85, "高原零": 0.6, "板倉あやの": 0.85}),
]
NOT_LISTED = [
    ("彩が来た。", {}), ("山田は彩りを添えた。", {"山田": 0.6}),
    ("東京、高原町、大阪を回った。", {}),  # no name on either side
    ("淡井真紀、秘密基地、板倉あやのが集まった。", {"淡井真紀": 0.85, "板倉あやの": 0.85}),
]


@pytest.mark.parametrize(("text", "expected"), LISTED)
def test_a_weak_name_or_a_surname_listed_with_names_is_a_name(fast, text, expected):
    assert scored(fast, text) == expected


@pytest.mark.parametrize(("text", "expected"), NOT_LISTED)
def test_a_weak_name_or_a_word_not_listed_with_names_is_not(fast, text, expected):
    assert scored(fast, text) == expected


# -- buildings and series models: counter-evidence for NER spans too -------------------------
@pytest.mark.slow
@pytest.mark.parametrize(
    "text", ["解散時にダラム大聖堂から持ち出された。", "フェラーリ・F512M、ベンツを持つ。"]
)
def test_a_building_or_a_model_is_not_a_person(accurate, text):
    assert scored(accurate, text) == {}


# -- a thing, not a person: eaten, bought, planted, kept; named after someone ----------------
THINGS = [
    "昼にマルゲリータを食べた。", "セレナを買った。", "チワワのセレナを飼っている。",
    "庭にマーガレットを植えた。", "母はギラン・バレー症候群と診断された。",
    # the katakana common nouns: a plant, a food, a product, a dog breed, an eponym
    "パキラに水をやった。", "ハンバーグを食べた。", "トヨタのプリウスに乗る。",
    "チワワを飼っている。", "アルツハイマー病と診断された。",
]
NOT_THINGS = [
    ("ジョンを育てた。", "ジョン"), ("マルゲリータが食べた。", "マルゲリータ"),
    ("ニュートンリングが見える。", "ニュートンリング"),  # (see person_context.py: not a rule)
    ("ギラン・バレーが発見した。", "ギラン・バレー"),
]


@pytest.mark.parametrize("text", THINGS)
def test_a_name_used_for_a_thing_is_not_a_person(fast, accurate, text):
    assert scored(fast, text) == {}
    assert scored(accurate, text) == {}


@pytest.mark.parametrize(("text", "name"), NOT_THINGS)
def test_the_same_names_as_agents_are_kept(fast, text, name):
    assert list(scored(fast, text)) == [name]


# -- a class noun of places, vessels, animals or businesses says what the name names ---------
CLASSED = [
    "伝説の黄金の都市エル・ドラードを求めた。", "愛犬ポチと散歩した。",
    "ホテル・コルテシア東京で挙式予定。",
]
NOT_CLASSED = [
    ("作家マイケルが来た。", "マイケル"),
    ("民主党のビル・クリントンを支持した。", "ビル・クリントン"),  # ビル: a given name too
    ("中島みゆきが歌った。", "中島みゆき"),  # 中|島: 島 is no word of its own here
    ("町の山田が来た。", "山田"),
]


@pytest.mark.parametrize("text", CLASSED)
def test_a_name_after_a_class_of_things_is_not_a_person(fast, text):
    assert scored(fast, text) == {}


@pytest.mark.parametrize(("text", "name"), NOT_CLASSED)
def test_a_name_after_a_person_word_or_no_class_is_kept(fast, text, name):
    assert list(scored(fast, text)) == [name]


# -- a katakana word the dictionary has no entry for (Sudachi does not always flag it) -------
UNLISTED = [
    # (テルサンドロス after a kinship word: raised by person_neighbours.py)
    ("ポリュネイケスの子テルサンドロスは戦った。", {"ポリュネイケス": 0.5, "テルサンドロス": 0.6}),
    ("日本語を覚えたセルギイは帰国した。", {"セルギイ": 0.5}),
]
# known words joined into one (ラブ|コール, フル|スケール), dictionary words: no name
NOT_UNLISTED = [
    "ラブコールを送られている。", "変換回路のフルスケールは用いられていない。",
    "ハイブリッドバスが導入された。", "テレビを見た。",
]


@pytest.mark.parametrize(("text", "expected"), UNLISTED)
def test_an_unlisted_katakana_word_is_a_weak_name(fast, text, expected):
    assert scored(fast, text) == expected


@pytest.mark.parametrize("text", NOT_UNLISTED)
def test_known_katakana_words_joined_into_one_are_not_a_name(fast, text):
    assert scored(fast, text) == {}


# -- a person's other names after their label (ja.person_anchor.v1), ・ as the separator ----
ALIASES = [
    ("通称・但馬、和泉、又左衛門。", "但馬"), ("本名・山田太郎。", "山田太郎"),
    ("旧姓は田中。", "田中"),
    ("幼名は竹千代。", "竹千代"), ("芸名はタモリ。", "タモリ"),
]
NOT_ALIASES = ["本名は不明。", "本人・家族の同意。", "妻・長男と同居。", "代理人・弁護士が来た。"]


@pytest.mark.parametrize(("text", "name"), ALIASES)
def test_a_name_after_an_alias_label_is_a_name(fast, text, name):
    assert name in scored(fast, text)


@pytest.mark.parametrize("text", NOT_ALIASES)
def test_a_role_or_a_statement_after_a_label_is_not_a_name(fast, text):
    assert scored(fast, text) == {}


# -- a name glossed with its 姓␣名 reading in brackets -----------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [("荒川漣（あらかわ　れん）が来た。", {"荒川漣": 0.85, "あらかわ\u3000れん": 0.85}),
     ("担当は大森翠（おおもり みどり）です。", {"大森翠": 0.85, "おおもり みどり": 0.85})],
)
def test_a_kanji_run_with_a_spaced_reading_is_a_name(fast, text, expected):
    assert scored(fast, text) == expected


@pytest.mark.parametrize("text", ["東京（とうきょう）に行った。", "会議（かいぎ）に出た。"])
def test_a_word_glossed_in_one_piece_is_not_a_name(fast, text):
    assert scored(fast, text) == {}
