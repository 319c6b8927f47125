"""要配慮個人情報 (JP_SENSITIVE_*): one entity per category of 個人情報保護法第2条第3項 and
施行令第2条; words where they stand as nouns, phrases unless a technical word precedes them,
illnesses by morphology, and nothing where the compound names a service (real Sudachi)."""

from __future__ import annotations

import copy

import pytest
import yaml

from anonymizer.detect.resolve import to_findings
from anonymizer.entities import SENSITIVE
from anonymizer.errors import ConfigError
from anonymizer.recognizers.ja.sensitive import JaSensitiveRecognizer
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.rules import rules_dir

NAME = "ja.sensitive.v1"


def found(recognizers, text: str) -> list[tuple[str, str]]:
    """(span, category) after the detector's overlap resolution, category without prefix."""
    results = recognizers[NAME].analyze(text, [])
    return [
        (text[f.start : f.end], f.type.removeprefix("JP_SENSITIVE_"))
        for f in to_findings(results, 0.5, None)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 病歴・心身の障害 (法第2条第3項, 施行令第2条第1号)
        (
            "障害者手帳2級を持っており、聴覚障害あり筆談対応",
            [("障害者手帳2級", "MEDICAL"), ("聴覚障害あり", "MEDICAL")],
        ),
        ("身体障害者手帳1種2級の交付を受けている", [("身体障害者手帳1種2級", "MEDICAL")]),
        ("療育手帳Ｂ１を所持", [("療育手帳Ｂ１", "MEDICAL")]),  # 全角, matched after NFKC
        ("愛の手帳3度", [("愛の手帳3度", "MEDICAL")]),
        ("精神障害者保健福祉手帳を申請", [("精神障害者保健福祉手帳", "MEDICAL")]),
        ("本人40歳、聴覚に障害あり。筆談で対応。", [("聴覚に障害あり", "MEDICAL")]),
        ("視覚障害のため代読", [("視覚障害", "MEDICAL")]),
        ("母は認知症で要介護3", [("認知症", "MEDICAL")]),
        ("統合失調症と診断された", [("統合失調症", "MEDICAL")]),
        ("うつ病で休職中", [("うつ病", "MEDICAL")]),
        ("うつと診断された", [("うつ", "MEDICAL")]),
        ("胃がんの手術を受けた", [("胃がん", "MEDICAL"), ("手術", "HEALTH_CARE")]),
        ("HIV陽性と告げられた", [("HIV陽性", "MEDICAL")]),  # one compound: one span
        ("慢性腎不全で週3回の透析", [("慢性腎不全", "MEDICAL"), ("透析", "MEDICAL")]),
        ("2型糖尿病の治療中", [("型糖尿病", "MEDICAL"), ("治療中", "HEALTH_CARE")]),
        ("脊柱管狭窄症で長距離歩行困難", [("脊柱管狭窄症", "MEDICAL")]),  # morphology: …|症
        ("パーキンソン病。歩行時のすくみ足あり。", [("パーキンソン病", "MEDICAL")]),
        ("指定難病の医療費助成を受給", [("指定難病", "MEDICAL")]),
        ("障害基礎年金の請求について相談", [("障害基礎年金", "MEDICAL")]),
        ("心の病を抱えている", [("心の病", "MEDICAL")]),
        # 犯罪の経歴 (法第2条第3項)
        ("前科がある", [("前科", "CRIMINAL_RECORD")]),
        ("前科者として", [("前科者", "CRIMINAL_RECORD")]),
        ("刑務所を出所した後、就労を希望", [("刑務所を出所", "CRIMINAL_RECORD")]),
        ("執行猶予中である", [("執行猶予中", "CRIMINAL_RECORD")]),
        # 犯罪被害 (法第2条第3項)
        ("夫からのDVで避難中", [("DV", "CRIME_VICTIM")]),
        ("ＤＶ被害の相談", [("ＤＶ被害", "CRIME_VICTIM")]),
        ("家庭内暴力を受けている", [("家庭内暴力を受け", "CRIME_VICTIM")]),
        ("父親から虐待を受けていた", [("虐待", "CRIME_VICTIM")]),
        ("元交際相手のストーカー被害", [("ストーカー被害", "CRIME_VICTIM")]),
        ("性被害について警察に相談", [("性被害", "CRIME_VICTIM")]),
        ("特殊詐欺の被害に遭った", [("特殊詐欺の被害", "CRIME_VICTIM")]),
        ("夫に殴られ、被害届を提出", [("殴られ", "CRIME_VICTIM"), ("被害届", "CRIME_VICTIM")]),
        # 人種, 信条, 社会的身分 (法第2条第3項)
        ("アイヌ民族の出身", [("アイヌ民族", "RACE")]),
        ("在日韓国人である", [("在日韓国人", "RACE")]),
        ("エホバの証人の信者で輸血を拒否", [("エホバの証人", "CREED"), ("信者", "CREED")]),
        ("宗教上の理由で給食を辞退", [("宗教上の理由", "CREED")]),
        ("被差別部落の出身であることを", [("被差別部落の出身", "SOCIAL_STATUS")]),
        ("非嫡出子として出生", [("非嫡出子", "SOCIAL_STATUS")]),
        # 健康診断等の結果, 保健指導・診療・調剤 (施行令第2条第2号, 第3号)
        (
            "健診結果で要精密検査となった",
            [("健診結果", "HEALTH_CHECK"), ("要精密検査", "HEALTH_CHECK")],
        ),
        (
            "人間ドックの結果、血糖値が高い",
            [("人間ドックの結果", "HEALTH_CHECK"), ("血糖値", "HEALTH_CHECK")],
        ),
        ("精神科に通院中", [("精神科", "HEALTH_CARE"), ("通院中", "HEALTH_CARE")]),
        ("病院に通っている", [("病院", "HEALTH_CARE")]),
        ("国立中央病院に通っている", [("国立中央病院", "HEALTH_CARE")]),  # the whole compound
        (
            "くにたち訪問診療所に月1回通院中",
            [("くにたち訪問診療所", "HEALTH_CARE"), ("通院中", "HEALTH_CARE")],
        ),
        ("昨年手術を受けた", [("手術", "HEALTH_CARE")]),  # not back over a time word
        ("特定保健指導の対象となった", [("特定保健指導", "HEALTH_CARE")]),
        # 刑事事件・少年の保護事件の手続 (施行令第2条第4号, 第5号)
        (
            "昨年逮捕され、起訴された",
            [("逮捕", "CRIMINAL_PROCEDURE"), ("起訴", "CRIMINAL_PROCEDURE")],
        ),
        ("逮捕歴あり", [("逮捕歴あり", "CRIMINAL_PROCEDURE")]),
        ("長男が少年院を出院", [("少年院", "JUVENILE_PROCEDURE")]),
        (
            "家裁送致となり保護処分",
            [("家裁送致", "JUVENILE_PROCEDURE"), ("保護処分", "JUVENILE_PROCEDURE")],
        ),
    ],
)
def test_categories(recognizers, text, expected):
    assert found(recognizers, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # 障害 that is a fault, an obstacle or an office
        "電波障害",
        "通信障害が発生した",
        "システムに障害あり、復旧を待つ",
        "回線の障害がある",
        "障害物競走に参加",
        "障害福祉課へ引継ぎ",
        "しょうがいしゃ支援課の大谷が対応",
        "障害者総合支援法に基づく",
        # がん, うつ that are no illness
        "頑張ってがんばる",
        "がんばります",
        "ボールをうつ",
        "メール送信者への回答",  # 送信|者 holds 信者 across two words
        "がんもどきの煮物",
        # a service, programme or statistic about no one
        "がん検診を受けた",  # having had a check is not 要配慮 (only its result)
        "認知症カフェを開催",
        "DV相談窓口を案内",
        "児童虐待防止法",
        "陽性者数は12人",
        "補導活動を実施",
        # what notices warn everyone about, and words ending in 病/症 that are no illness
        "感染症対策のため、利用は6名までとします。",
        "65歳以上の方の肺炎球菌ワクチン接種費用を一部助成します。",
        "熱中症に注意してください",
        "臆病な犬",
        "母の看病",
        "特定健康診査は40歳から74歳までの国民健康保険加入者が対象です。",
        "国立市保健センターは設備点検のため休館します。",
        "後期高齢者医療被保険者証を発送します。",
        # Latin words that only contain a term
        "DVDを貸し出す",
        "出所不明の資金",
        "学童クラブの待機",
    ],
)
def test_negatives(recognizers, text):
    assert found(recognizers, text) == []


def test_every_category_is_supported_and_masked_generically():
    from anonymizer.labels import load_labels

    labels = load_labels()
    assert {labels.placeholder(e) for e in SENSITIVE} == {"＜要配慮＞"}
    # the report tells them apart
    assert len({labels.labels[e] for e in SENSITIVE}) == len(SENSITIVE)


def _spec() -> dict:
    path = rules_dir() / "recognizers" / f"{NAME}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda p: p["categories"].pop(), "missing ['JP_SENSITIVE_JUVENILE_PROCEDURE']"),
        (
            lambda p: p["categories"].append(copy.deepcopy(p["categories"][0])),
            "listed twice ['JP_SENSITIVE_RACE']",
        ),
        (lambda p: p["categories"][0].update(entity="PERSON"), "not a category ['PERSON']"),
        (lambda p: p["categories"][0]["terms"].append("前科"), "term '前科' is listed under"),
        (lambda p: p["categories"][0].update(words=["x"]), "words"),  # unknown key
    ],
)
def test_broken_rules_name_the_file(change, says):
    data = _spec()
    change(data["params"])
    spec = RecognizerSpec.model_validate(data)
    with pytest.raises(ConfigError) as err:
        JaSensitiveRecognizer(spec, source="rules/recognizers/ja.sensitive.v1.yaml")
    assert "ja.sensitive.v1.yaml" in str(err.value) and says in str(err.value)
