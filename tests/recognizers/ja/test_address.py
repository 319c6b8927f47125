import pickle

import pytest

from anonymizer.config import load_yaml_model
from anonymizer.errors import ConfigError
from anonymizer.gazetteer import load_gazetteer
from anonymizer.nlp.artifacts import JaNlpArtifacts, NerSpan
from anonymizer.recognizers.ja.address import JaAddressRecognizer
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.rules import DEFAULT_RULES_DIR

RULES = DEFAULT_RULES_DIR / "recognizers" / "ja.address.v1.yaml"


@pytest.fixture(scope="module")
def rec():
    return JaAddressRecognizer(load_yaml_model(RULES, RecognizerSpec), source=str(RULES))


def spans(text, *parts):
    """Expected spans given as the substrings that must be found, in order."""
    out, pos = [], 0
    for part in parts:
        start = text.index(part, pos)
        out.append((start, start + len(part)))
        pos = start + len(part)
    return out


# text (the whole text is the address) or (text, [expected substrings])
POSITIVE = [
    "東京都国立市富士見台2-47-1 コーポ富士見203号室",
    ("申請者の住所は国立市中1丁目15番地です。", ["国立市中1丁目15番地"]),
    ("国立市中一丁目15番3号に住む", ["国立市中一丁目15番3号"]),
    "国立市中一丁目十五番三号",
    "国立市富士見台二丁目47番1号",
    ("富士見台2丁目47番1号に在住", ["富士見台2丁目47番1号"]),
    "大阪府大阪市北区梅田１－２－３ 梅田ビル５Ｆ",
    "北海道札幌市中央区北1条西2丁目1番地",
    "京都市中京区寺町通御池上る上本能寺前町488番地",
    "西多摩郡瑞穂町箱根ケ崎2335番地",
    "西多摩郡瑞穂町大字箱根ケ崎2335番地",
    ("瑞穂町箱根ヶ崎2335番地の1に住む", ["瑞穂町箱根ヶ崎2335番地の1"]),
    "富士見台2-47-1",
    "中1丁目15番地",
    # 全角/半角 digits and the dash variants between digits
    "国立市富士見台２－４７－１",
    "国立市富士見台2‐47‐1",
    "国立市富士見台2―47―1",
    "国立市富士見台2−47−1",
    "国立市富士見台2ー47ー1",
    "国立市富士見台２ー４７ー１",
    "国立市中１丁目１５番地",
    # building and room
    "国立市富士見台2-47-1-203",
    "国立市富士見台2-47-1 203号室",
    "国立市富士見台2-47-1 #203",
    "国立市富士見台2-47-1 ５階",
    ("国立市富士見台2-47-1ハイツ谷保に住む", ["国立市富士見台2-47-1ハイツ谷保"]),
    "国立市富士見台2-47-1　コーポ富士見 203",
    ("国立市富士見台2-47-1 山田方", ["国立市富士見台2-47-1"]),
    ("所在地：国立市富士見台2-47-1（コーポ富士見）", ["国立市富士見台2-47-1"]),
    ("瑞穂町箱根ケ崎2335番地先の交差点", ["瑞穂町箱根ケ崎2335番地"]),
    ("国立市富士見台2-47-1在住の男性", ["国立市富士見台2-47-1"]),
    ("富士見台2-47-1 メゾンさくら203号室に住む", ["富士見台2-47-1 メゾンさくら203号室"]),
    ("国立市富士見台2-47-1にある5階の部屋", ["国立市富士見台2-47-1"]),
    ("国立市富士見台2-47-1 コーポ内山", ["国立市富士見台2-47-1 コーポ内山"]),
    # a name with no building word, made a building's by the room number after it
    ("住所中井浜2765-10 クレスト中井浜 101に変更あり。", ["中井浜2765-10 クレスト中井浜 101"]),
    ("京町2-3-3 シティ京町 205", ["京町2-3-3 シティ京町 205"]),
    ("札幌市中央区宮の森三条2-2-28 シャルム宮の森三条 307に", ["札幌市中央区宮の森三条2-2-28 シャルム宮の森三条 307"]),
    ("富士見台2-47-1 ルミエール国立1203号室", ["富士見台2-47-1 ルミエール国立1203号室"]),
    ("国立市富士見台2-47-1 Lumiere 302、連絡先", ["国立市富士見台2-47-1 Lumiere 302"]),
    # …but not a name followed by a count or a year
    ("国立市富士見台2-47-1 ヤマダ 200人", ["国立市富士見台2-47-1"]),
    ("国立市富士見台2-47-1 スズキ 2024年", ["国立市富士見台2-47-1"]),
    ("国立市富士見台2-47-1 サンライズ 12", ["国立市富士見台2-47-1"]),
    ("国立市富士見台2-47-1 山田 203", ["国立市富士見台2-47-1"]),
    # spacing, postal code, several addresses
    "東京都 国立市 富士見台 2-47-1",
    ("〒186-0003 東京都国立市富士見台2-47-1", ["東京都国立市富士見台2-47-1"]),
    (
        "旧住所 国立市中1丁目15番地、新住所 国立市富士見台2-47-1",
        ["国立市中1丁目15番地", "国立市富士見台2-47-1"],
    ),
    ("国立市中1丁目15番地 富士見台2-47-1", ["国立市中1丁目15番地", "富士見台2-47-1"]),
    # 政令市: ward alone, city alone; municipality without or with an unlisted 町字
    "港北区日吉本町1-2-3",
    "横浜市日吉本町1-2-3",
    "中野区大和町1-2-3",  # not 大和町 (宮城県) alone
    "国立市1-2-3",
    "国立市新開地1-2",
]


NEGATIVE = [
    "国立市",
    "谷保駅",
    "国立市役所",
    "東京都国立市",
    "富士見台地区",
    "国立市富士見台の公園",
    "国立市富士見台2丁目",  # 丁目 without 番地: a 町字-level place
    "第3-2-1号議案",
    "JIS X 8341-3",
    "2024-04-01",
    "国立市役所3階第1会議室",
    "国立市役所 042-576-2111",
    "〒186-0003",
    "市道1-23号線",
    "資料2-1を参照",
    "表2-1のとおり",
    "令和6年4月1日",
    "国立市 一般会計予算 3-1-2",
    "国立市2023-2024",
    "国立市1-3月の人口",
    "",
]


@pytest.mark.parametrize(
    ("text", "expected"), [(c, [c]) if isinstance(c, str) else c for c in POSITIVE]
)
def test_spans(rec, text, expected):
    results = rec.analyze(text, ["JP_ADDRESS"])
    assert [(r.start, r.end) for r in results] == spans(text, *expected)
    assert all(r.entity_type == "JP_ADDRESS" and r.score >= 0.5 for r in results)


@pytest.mark.parametrize("text", NEGATIVE)
def test_negatives(rec, text):
    assert [r for r in rec.analyze(text, []) if r.score >= 0.5] == []


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("東京都国立市富士見台2-47-1", 0.95),  # municipality + listed 町字
        ("国立市1-2-3", 0.85),  # municipality only
        ("国立市新開地1-2", 0.85),  # municipality + unlisted name
        ("富士見台2-47-1", 0.7),  # 町字 only
        ("中1丁目15番地", 0.7),
        ("住所：富士見台2-47-1", 0.8),  # context word
    ],
)
def test_scores(rec, text, score):
    (result,) = rec.analyze(text, [])
    assert result.score == pytest.approx(score)


@pytest.mark.parametrize(
    "text",
    [
        "中3-2-1",  # a one-letter 町字 needs 丁目/番/号
        "市中1丁目15番地",  # …and a word boundary before it
        "平成30-1",  # 町字 names that are ordinary words
    ],
)
def test_town_only_guards(rec, text):
    assert rec.analyze(text, []) == []


def _artifacts(text, *ner):
    return JaNlpArtifacts(text, (), tuple(NerSpan(s, e, label) for s, e, label in ner))


def test_ner_seed_anchors_a_name_missing_from_the_gazetteer(rec):
    text = "ガリレオ村999番地に住む"
    assert rec.analyze(text, []) == []  # fast mode / plain Presidio: no NER
    (r,) = rec.analyze(text, [], _artifacts(text, (0, 5, "City")))
    assert (r.start, r.end, r.score) == (0, 10, pytest.approx(0.75 + 0.1))  # + context 住む
    assert rec.analyze(text, [], _artifacts(text, (0, 5, "Person"))) == []  # not a seed label


def test_ner_seed_extends_a_town_only_address(rec):
    text = "保谷市ひばりが丘北1-2-3に住む"  # 保谷市: merged into 西東京市 in 2001
    (plain,) = rec.analyze(text, [])
    assert (plain.start, plain.end) == (3, 14)
    # GiNZA tags 保谷 (without 市) as Province
    (seeded,) = rec.analyze(text, [], _artifacts(text, (0, 2, "Province")))
    assert (seeded.start, seeded.end) == (0, 14) and seeded.score >= plain.score


def test_ner_offsets_are_mapped_through_normalization(rec):
    text = "㈱のガリレオ村９９９番地"  # ㈱ becomes three characters when normalized
    (r,) = rec.analyze(text, [], _artifacts(text, (2, 7, "City")))
    assert text[r.start : r.end] == "ガリレオ村９９９番地"


@pytest.mark.slow
def test_real_ginza_seed():
    from anonymizer.nlp.ginza import GinzaNer

    recognizer = JaAddressRecognizer(load_yaml_model(RULES, RecognizerSpec), source=str(RULES))
    text = "ガリレオ村999番地に住む山田太郎"
    (ner,) = GinzaNer().spans([text])
    results = recognizer.analyze(text, [], JaNlpArtifacts(text, (), ner))
    assert [(r.start, r.end) for r in results] == [(0, 10)]


def test_bad_params_name_the_file(tmp_path):
    spec = load_yaml_model(RULES, RecognizerSpec)
    broken = spec.model_copy(update={"params": {**spec.params, "street": "([0-9"}})
    with pytest.raises(ConfigError) as exc:
        JaAddressRecognizer(broken, source="rules/recognizers/ja.address.v1.yaml")
    assert str(exc.value).startswith("[E002] rules/recognizers/ja.address.v1.yaml: ja.address.v1")
    assert "street" in str(exc.value)


def test_pickles_without_the_gazetteer(rec):
    rec.analyze("国立市富士見台2-47-1", [])  # gazetteer loaded
    data = pickle.dumps(rec)
    assert len(data) < 200_000
    clone = pickle.loads(data)
    assert [(r.start, r.end) for r in clone.analyze("国立市富士見台2-47-1", [])] == [(0, 13)]


def test_shares_the_process_gazetteer(rec):
    assert rec.gazetteer is load_gazetteer()


def test_registered_and_built_by_the_loader(recognizers):
    assert isinstance(recognizers["ja.address.v1"], JaAddressRecognizer)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("転居の届出。新住所泉1-36-27。", "泉1-36-27"),  # an address label before a one-letter 町字
        ("37歳　中3-9-18", "中3-9-18"),  # after a space, three numbers
        ("永井さん、東3-12-7、電話", "東3-12-7"),  # after a separator
    ],
)
def test_one_letter_town_with_three_part_street(rec, text, span):
    (result,) = rec.analyze(text, [])
    assert text[result.start : result.end] == span
