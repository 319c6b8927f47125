"""ORGANIZATION: companies with their 法人格, schools, the value after 勤務先は and the name
before に勤務 / で働いている — delimited by real Sudachi morphemes; GiNZA's organisation
spans only support the last rule (accurate mode). A person's name inside a company name is no
person (the resolver keeps the longer, at-least-as-confident organisation)."""

from __future__ import annotations

import pytest

from anonymizer.detect import Detector
from anonymizer.detect.resolve import to_findings

NAME = "ja.organization.v1"


def found(recognizers, text: str) -> list[str]:
    results = recognizers[NAME].analyze(text, [])
    return [text[f.start : f.end] for f in to_findings(results, 0.5, None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 1. a legal form with the name after or before it
        ("株式会社多摩物流に勤めている", ["株式会社多摩物流"]),
        ("山田商事株式会社の社員", ["山田商事株式会社"]),
        ("（株）多摩物流", ["（株）多摩物流"]),
        ("㈱多摩物流", ["㈱多摩物流"]),
        ("(株)多摩物流", ["(株)多摩物流"]),  # 半角 brackets
        ("有限会社丸山工務店に勤めている", ["有限会社丸山工務店"]),
        ("株式会社多摩物流立川支店", ["株式会社多摩物流立川支店"]),
        ("社会福祉法人国立市社会福祉協議会", ["社会福祉法人国立市社会福祉協議会"]),
        ("ＮＰＯ法人くにたち子ども食堂", ["ＮＰＯ法人くにたち子ども食堂"]),
        ("株式会社大槻食品（法人番号8246901057682）", ["株式会社大槻食品"]),
        # 2. schools: a name before the kind of school
        ("長男は第三小学校に通う", ["第三小学校"]),
        ("第一小学校に転校", ["第一小学校"]),  # 第一 is an adverb to Sudachi
        ("娘は国立第一中学校に在籍", ["国立第一中学校"]),
        ("一橋大学の学生", ["一橋大学"]),  # one morpheme: its head is the name
        ("さくら保育園に入園", ["さくら保育園"]),
        ("桐朋学園に通う", ["桐朋学園"]),
        ("娘は国立二小に通う", ["国立二小"]),  # a numbered school written short
        ("三中の3年生", ["三中"]),
        # a name does not begin with a time word, a plural, a number or a stop
        ("そのまま日本体育大学に進学", ["日本体育大学"]),
        ("臼井亮人ら慶應義塾大学の先輩", ["慶應義塾大学"]),
        ("2012年株式会社PLUSを設立", ["株式会社PLUS"]),
        ("株式会社大塚造園設計事務所設立", ["株式会社大塚造園設計事務所"]),
        # 3. the value after a label, nouns joined by の
        ("勤務先は立川市の株式会社多摩物流", ["立川市の株式会社多摩物流"]),
        ("勤務先：国立市役所", ["国立市役所"]),
        # 4. before a work predicate, with evidence that it names one workplace
        ("国立中央病院に勤務している", ["国立中央病院"]),
        ("ヤマト運輸で働いている", ["ヤマト運輸"]),
        ("夫は佐藤商事の社員", ["佐藤商事"]),
        ("ファミリーマートでアルバイト", ["ファミリーマート"]),
        ("立川工場で働いている", ["立川工場"]),
        ("かもめ運送で働いている", ["かもめ運送"]),
    ],
)
def test_organizations(recognizers, text, expected):
    assert found(recognizers, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a legal form as a word
        "学校法人会計基準に準拠する",
        "学校法人の設立認可",
        "法人の種類：学校法人",
        "株式会社化を検討",
        "市内の株式会社に勤務",
        # a kind of school, not one
        "小学校に通う",
        "市立小学校",
        "市内の小学校",
        "地元の中学校",
        "同じ小学校",
        "大学生の長男",
        "高校生",
        "学校給食費について報告があった。",
        "学童クラブの待機について",
        "3人中2人が参加",
        "年中行事",
        "三中全会",
        "全国高等学校野球選手権大会",  # only generic words before 高等学校
        # a label or a predicate with nothing that names a workplace
        "勤務先は不明",
        "勤務先は市内のスーパー",
        "東京で働いている",
        "コンビニで働いている",
        "介護施設で働いている",
        "運送会社で働いている",
        "市内の病院に勤務",
        "家族の介護で働けない",
        "担当の佐藤に勤務状況を確認",  # a surname before に勤務状況: no workplace
        # placeholders stay as they are (a masked text is re-scanned)
        "勤務先は＜勤務先・学校＞",
        "＜氏名＞さんは＜勤務先・学校＞に勤務",
    ],
)
def test_negatives(recognizers, text):
    assert found(recognizers, text) == []


@pytest.fixture(scope="module")
def fast() -> Detector:
    with Detector("fast") as det:
        yield det


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the 山田 of a company's name is no person; the 山田 after it is
        (
            "株式会社山田の山田太郎さんが来所",
            [("株式会社山田", "ORGANIZATION"), ("山田太郎", "PERSON")],
        ),
        ("株式会社山田商店の山田さん", [("株式会社山田商店", "ORGANIZATION"), ("山田", "PERSON")]),
        (
            "ヤマト運輸で働いている佐藤花子さん",
            [("ヤマト運輸", "ORGANIZATION"), ("佐藤花子", "PERSON")],
        ),
        ("ひかり交通で働く", [("ひかり交通", "ORGANIZATION")]),
    ],
)
def test_a_name_inside_an_organization_is_no_person(fast, text, expected):
    assert [(text[f.start : f.end], f.type) for f in fast.detect(text)] == expected


@pytest.mark.slow
def test_ginza_organization_spans_support_the_work_predicate():
    """日立 is a common noun to Sudachi: only GiNZA's Company span says it is a workplace."""
    text = "日立に勤務"
    with Detector("fast") as fast_det:
        assert fast_det.detect(text) == []
    with Detector("accurate") as accurate:
        found = [(text[f.start : f.end], f.type) for f in accurate.detect(text)]
    assert found == [("日立", "ORGANIZATION")]
