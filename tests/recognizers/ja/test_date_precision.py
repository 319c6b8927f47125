"""Clean administrative text: no DATE_OF_BIRTH and no AGE at or above 0.5.

Meeting minutes, budgets, ordinances, notices and the age requirements of programs are full of
dates and ages that belong to nobody. DATE findings are allowed (a date is not personal).
"""

import pytest

from anonymizer.config import load_yaml_model
from anonymizer.recognizers.ja.age import JaAgeRecognizer
from anonymizer.recognizers.ja.date import JaDateRecognizer
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.rules import rules_dir

CLEAN = [
    # 議事録
    "令和6年第1回定例会は令和6年3月1日に開会し、3月22日に閉会した。",
    "本日の会議は、午前10時に開議します。令和6年6月10日（月曜日）",
    "委員長は、令和5年度一般会計決算の審査結果を報告した。",
    "会議録は、平成30年4月1日以降の分をホームページで公開しています。",
    "市制施行70周年記念式典を令和6年11月3日に開催します。",
    # 予算
    "令和6年度予算案の総額は、一般会計で512億3千万円である。",
    "歳入歳出予算の総額は歳入歳出それぞれ48,765,000千円と定める。",
    "令和６年度の市税収入は、前年度比2.3％増の見込みである。",
    "2024年度の事業計画は、第5次総合計画に基づき策定した。",
    # 例規
    "この条例は、令和6年4月1日から施行する。",
    "この規則は、公布の日から施行し、平成31年4月1日から適用する。",
    "平成十二年三月三十一日条例第十五号の一部を次のように改正する。",
    "第3条中「満65歳に達した日」を「満70歳に達した日」に改める。",
    "附則　この要綱は、令和5年10月1日から施行する。",
    "厚生労働省の通知（令和6年3月29日付け）により取扱いを変更します。",
    # お知らせ
    "創立100周年を迎える市立図書館で記念講演会を開催します。",
    "生涯学習センターの講座は2024年4月1日から受付を開始します。",
    "生活保護の申請は、令和6年4月1日から新しい窓口で受け付けます。",
    "学生ボランティアの説明会を2024年5月18日に開催します。",
    "食品衛生責任者講習会は令和６年７月１２日に開催します。",
    "新型コロナウイルス感染症の発生状況（令和4年8月1日現在）",
    "先生方の研修会を2024年8月20日に実施しました。",
    "本件に関するお問い合わせは、令和6年12月27日までにお願いします。",
    "投票日は2024年10月27日です。期日前投票は10月16日から行えます。",
    "令和6年4月1日、新たな子育て支援制度が生まれました。",
    "いきいき百歳体操の参加者を募集しています。",
    # 統計
    "令和5年の出生数は1,234人で、前年より56人減少した。",
    "本市の平均年齢は46.8歳で、県内で3番目に高い。",
    "65歳以上人口の割合（高齢化率）は28.4％となった。",
    "年齢3区分別人口の推移を図2に示す。",
    "市民の健康寿命は男性79.2歳、女性83.1歳である。",
    "20代から30代の子育て世代の転入が増加しています。",
    # 制度の年齢要件
    "介護保険の第1号被保険者は、市内に住所を有する65歳以上の方です。",
    "第2号被保険者は、40歳以上65歳未満の医療保険加入者です。",
    "後期高齢者医療制度の対象は、75歳以上の方と65歳以上で一定の障害がある方です。",
    "児童手当は、中学校修了前（15歳到達後最初の3月31日まで）の児童を養育している方に支給されます。",
    "1歳6か月児健診と3歳児健診を保健センターで実施します。",
    "乳幼児医療費助成は、0歳から小学校就学前までのお子さんが対象です。",
    "こども医療費は、18歳に達する日以後の最初の3月31日までの方が対象です。",
    "特定健康診査は、40歳から74歳までの国民健康保険加入者を対象に実施します。",
    "節目年齢（40歳、45歳、50歳、55歳、60歳、65歳、70歳）の方に歯周病検診の受診券を送付します。",
    "敬老祝金は、満88歳、満99歳、満100歳を迎える方に贈呈します。",
    "高齢者肺炎球菌ワクチンは、65歳になる方が定期接種の対象です。",
    "20歳未満の方の飲酒は法律で禁止されています。",
    "選挙権は満18歳以上の日本国民が有します。",
    "国民年金の保険料は、20歳から60歳になるまで納めます。",
    "老齢基礎年金は、原則として65歳から受け取ることができます。",
    "18歳以下の子どもを対象に、インフルエンザ予防接種費用の一部を助成します。",
    "対象年齢は満6歳から満12歳までです。",
    "特別障害者手当は、20歳以上で在宅の方が対象です。",
    "75歳に到達する方には、誕生月の前月に新しい保険証を送付します。",
    "40歳到達月から介護保険料が医療保険料と一緒に徴収されます。",
    "幼児教育・保育の無償化の対象は、3歳から5歳までの子どもです。",
    "0歳児クラスの入所申込みは、生後57日から受け付けます。",
    "満70歳以上の方は、窓口負担が2割となります。",
    "6歳未満の幼児を同伴の方は、受付にお申し出ください。",
    "高校生世代（16歳から18歳）の医療費も助成対象とします。",
    "30歳代から40歳代の女性の就業率が上昇しています。",
    "60歳定年制を65歳に引き上げる条例を可決した。",
    "がん検診の対象は、40歳以上の市民（子宮がん検診は20歳以上の女性）です。",
    "二十歳のつどいを令和7年1月12日に開催します。",
    # birth dates that bound a rule's range are nobody's
    "20歳を祝うつどいの対象は、平成16年4月2日から平成17年4月1日までに生まれた方です。",
    "昭和20年以前に生まれた方には、記念誌を贈呈します。",
    "本市は2005年に2町と合併し、新しい市として誕生した。",
    "2024年7月1日現在の住民基本台帳人口は、男性60,123人、女性62,456人である。",
]

#: The same recognizers do report the personal counterparts (the test above is not vacuous).
PERSONAL = [
    ("申請者は昭和45年3月2日生まれの男性です。", "DATE_OF_BIRTH"),
    ("生年月日：Ｓ４５．３．２", "DATE_OF_BIRTH"),
    ("昭和20年3月、A県B町で出生。", "DATE_OF_BIRTH"),
    ("相談者（45歳、女性）から電話があった。", "AGE"),
    ("本人は満80歳で、一人暮らしである。", "AGE"),
    ("年齢：４５", "AGE"),
]


@pytest.fixture(scope="module")
def recs() -> list[JaDateRecognizer | JaAgeRecognizer]:
    base = rules_dir() / "recognizers"
    return [
        cls(load_yaml_model(base / f"{name}.yaml", RecognizerSpec), source=name)
        for cls, name in ((JaDateRecognizer, "ja.date.v1"), (JaAgeRecognizer, "ja.age.v1"))
    ]


def test_enough_sentences():
    assert len(CLEAN) >= 40


@pytest.mark.parametrize("text", CLEAN)
def test_no_personal_date_or_age(recs, text):
    findings = [
        (r.entity_type, text[r.start : r.end], r.score)
        for rec in recs
        for r in rec.analyze(text, ["DATE_OF_BIRTH", "AGE"])
        if r.score >= 0.5
    ]
    assert findings == []


@pytest.mark.parametrize(("text", "entity"), PERSONAL)
def test_personal_counterparts_are_found(recs, text, entity):
    entities = {r.entity_type for rec in recs for r in rec.analyze(text, []) if r.score >= 0.5}
    assert entity in entities
