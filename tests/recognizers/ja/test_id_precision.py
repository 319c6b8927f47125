"""Clean administrative text (議事録, 予算, 例規, お知らせ) must not trip any ID recognizer.

Every sentence is realistic for a city's publications and contains numbers that share a
shape with an ID (budget figures, document numbers, phone numbers, dates, statute numbers,
public insurer numbers, product codes, e-government reference numbers). No finding may
reach the detector's threshold.
"""

import pytest

from anonymizer.entities import PERSONAL

THRESHOLD = 0.5
ID_RECOGNIZERS = (
    "ja.corporate_number.v1",
    "ja.resident_code.v1",
    "ja.passport.v1",
    "ja.drivers_license.v1",
    "ja.basic_pension_number.v1",
    "ja.health_insurance_number.v1",
    "ja.bank_account.v1",
    "ja.credit_card.v1",
)

CLEAN = [
    # 予算・決算
    "令和6年度一般会計予算の総額は1,234,567千円であり、前年度比2.3%の増となった。",
    "普通交付税の交付額は12,345,678千円、臨時財政対策債は1234567千円を見込む。",
    "歳入合計 123456789012円（うち市税 45,678,901,234円）を計上した。",
    "普通会計決算における経常収支比率は91.2%で、普通建設事業費は2,345,678千円であった。",
    "令和6年度の普通財産の貸付収入は1234567円である。",
    "国民健康保険の被保険者数は1234567人、一人当たり医療費は412,345円である。",
    "年金生活者支援給付金の支給額は年額1234567円を上限とする。",
    "市税の口座振替率は令和5年度に56.7%、振替件数は1234567件であった。",
    # 例規・告示
    "本件は令和6年第12号議案として提出され、原案のとおり可決された。",
    "国立市告示第2024-123号により、下記のとおり公示する。",
    "個人情報の保護に関する法律（平成15年法律第57号）第27条の規定に基づき公表する。",
    "補助金の交付決定通知書番号は第2024-123456号である。",
    "道路交通法（昭和35年法律第105号）第104条の4の規定により運転免許を取り消した件数は12件。",
    "ウェブアクセシビリティはJIS X 8341-3:2016の適合レベルAAに準拠しています。",
    # 議事録
    "議事録：委員長（山田）から、資料1-2について説明があった。",
    "第3回審議会の議事録を公開します（資料番号 2024-045678）。",
    "会議は2024-04-01（月）午後2時から第1会議室で開催した。",
    "会議録の作成に当たり、発言者の記号番号は記載しない。",
    "委員から、旅券事務の移譲に伴い令和6年度は申請件数1,234件を見込むとの説明があった。",
    # お知らせ
    "お問い合わせは市民課（電話042-576-2111、FAX 042-576-0264）までお願いします。",
    "フリーダイヤル 0120-123-456 は平日9時から17時まで受け付けています。",
    "年金事務所の電話番号は0312345678です。",
    "住民票の写しの申請者は、電話 09012345678 へご連絡ください。",
    "申請期限は20240430とし、期限後の申請は受け付けない。",
    "住民票の写しの交付手数料は1通300円で、令和5年度の交付件数は123456件であった。",
    "住民基本台帳人口は令和6年4月1日現在で75,123人、世帯数は38,456世帯である。",
    "パスポート（旅券）の申請窓口は市役所2階の旅券コーナーです。",
    "運転免許証の自主返納者数は令和5年に1234人であり、前年から12%増加した。",
    "国民年金の被保険者数は123456人で、保険料納付率は78.9%であった。",
    "介護保険事業計画（第9期）では、介護保険料基準額を月額6,500円とした。",
    "後期高齢者医療の保険料率は所得割9.12%、均等割47,300円である。",
    "保険証の新規発行は令和6年12月2日に終了し、資格確認書が交付されます。",
    "被保険者証の有効期限は20250731です。",
    "保険者番号は国民健康保険が131234、後期高齢者医療が39131234です。",
    "口座振替の申込みは、市内の金融機関の窓口で受け付けています。",
    "指定金融機関は○○銀行国立支店（支店番号123）です。",
    "クレジットカードによる納付は、令和6年4月から利用できます。",
    "電子申請の到達番号は4111111111111111で、受付番号は20240401123456789です。",
    "ISBN9784123456786の刊行物を図書館で所蔵しています。",
    "商品コード4901234567894の備品を調達した。",
    "製品の型番はTK1234567で、保守期間は5年間である。",
    "郵便番号186-8501、国立市富士見台2-47-1。",
    "統計表の地域コード 132152 は国立市を表す。",
    "令和６年度　歳出予算額　１２３，４５６，７８９円（前年度　９８，７６５，４３２円）",
]


@pytest.mark.parametrize("sentence", CLEAN)
def test_no_id_finding_in_clean_text(recognizers, sentence):
    found = [
        (name, r.entity_type, r.score)
        for name in ID_RECOGNIZERS
        for r in recognizers[name].analyze(sentence, [])
        if r.score >= THRESHOLD
    ]
    assert found == []


def test_clean_corpus_is_large_enough():
    assert len(CLEAN) >= 40


def test_a_published_corporate_number_is_not_personal(recognizers):
    """法人番号 in a 入札結果 notice is found, but only as the public entity."""
    sentence = "落札者：株式会社○○（法人番号 7010705000725）、落札金額 1,234,567円"
    found = [
        r
        for name in (*ID_RECOGNIZERS, "ja.my_number.v1")
        for r in recognizers[name].analyze(sentence, [])
        if r.score >= THRESHOLD
    ]
    assert [(f.entity_type, sentence[f.start : f.end]) for f in found] == [
        ("JP_CORPORATE_NUMBER", "7010705000725")
    ]
    assert all(f.entity_type not in PERSONAL for f in found)
