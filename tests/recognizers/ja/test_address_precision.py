"""Clean administrative sentences: place names, stations, facilities, 地区, meeting rooms and
document numbers are public, so no JP_ADDRESS finding may reach 0.5."""

import pytest

from anonymizer.config import load_yaml_model
from anonymizer.recognizers.ja.address import JaAddressRecognizer
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.rules import DEFAULT_RULES_DIR

RULES = DEFAULT_RULES_DIR / "recognizers" / "ja.address.v1.yaml"

CLEAN = [
    "国立市役所3階第1会議室で説明会を開催します。",
    "第3-2-1号議案について審議した。",
    "JIS X 8341-3に準拠したウェブサイトを作成する。",
    "令和6年度の改正規則は2024-04-01から施行される。",
    "谷保駅南口の駐輪場を整備します。",
    "国立市富士見台の公園で清掃活動を行いました。",
    "富士見台地区の自治会長会議を開きます。",
    "東京都国立市の人口は約7万6千人です。",
    "会場は国立市公民館2階講座室です。",
    "問い合わせ先：国立市役所 電話042-576-2111（内線123）",
    "資料2-1及び資料2-2を参照してください。",
    "表3-1に年度別の推移を示す。",
    "市道1-23号線の舗装工事を実施します。",
    "国道20号線の渋滞対策について協議した。",
    "第2期国立市地域福祉計画（令和3年度～令和8年度）を策定した。",
    "国立市立第一小学校の体育館で避難訓練を実施。",
    "一般会計補正予算（第3号）を可決した。",
    "JR中央線国立駅から徒歩5分の会場です。",
    "北海道札幌市で全国大会が開かれた。",
    "大阪府大阪市北区の梅田で説明会を開催。",
    "京都市中京区役所の窓口は8:30-17:15です。",
    "議案第12号 国立市税条例の一部を改正する条例",
    "都市計画道路3・4・10号線の整備を進める。",
    "別表第1（第3条関係）のとおり定める。",
    "国立市中1丁目周辺の交通量調査を行った。",
    "矢川駅前の再開発計画が進んでいる。",
    "西多摩郡瑞穂町と連携協定を締結した。",
    "横浜市港北区で開催された研修に参加した。",
    "会議は14:00-16:00に第2会議室で行います。",
    "国立市の高齢化率は2020年時点で23.5%です。",
    "電話番号 0120-123-456 までお問い合わせください。",
    "ISO 9001-2015の認証を取得した。",
    "国立市立図書館（中央図書館）は午前9時から開館します。",
    "第5次国立市総合基本計画の第2章2-3節を改訂する。",
    "富士見台2丁目の公園で桜が見頃です。",
    "令和6年度第1回国立市都市計画審議会を開催した。",
    "様式第1-2号（第4条関係）により届け出ること。",
    "国立市東1丁目から4丁目までの区域を対象とする。",
    "中央線の高架化事業（1-2工区）について報告した。",
    "介護保険料は所得段階1-13段階に区分される。",
    "国立市2023-2024年度の事業報告書",
    "〒186-8501 国立市富士見台2丁目の市役所",
    "国立市立国立第二中学校の2-3組が参加した。",
    "谷保天満宮の例大祭は9月25日に行われる。",
]


@pytest.fixture(scope="module")
def rec():
    return JaAddressRecognizer(load_yaml_model(RULES, RecognizerSpec), source=str(RULES))


@pytest.mark.parametrize("text", CLEAN)
def test_no_address_in_clean_text(rec, text):
    found = [(text[r.start : r.end], r.score) for r in rec.analyze(text, []) if r.score >= 0.5]
    assert found == []
