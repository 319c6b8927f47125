"""Clean administrative text must stay untouched by the contact-detail recognizers.

Every sentence below is the kind of text a city publishes (議事録, 予算書, 例規, お知らせ,
計画書) and holds figures that look like phone numbers, postal codes, addresses or versions
but are none of them. No finding may reach the detector's default threshold (0.5).
"""

import pytest

CONTACT = (
    "ja.phone_number.v1",
    "ja.postal_code.v1",
    "ja.email.v1",
    "ja.url.v1",
    "ja.ip_address.v1",
)
THRESHOLD = 0.5

CLEAN = [
    # 議事録
    "令和6年度第2回国立市都市計画審議会を2024-04-01 14:00から市役所3階第1会議室で開催した。",
    "会議日 2024-04-01、出席委員12名、欠席委員2名。",
    "午前10時00分開会、午後0時05分閉会（休憩 11:30-11:45）。",
    "委員長から議案第24号から第31号までを一括して議題とする旨の発言があった。",
    "前回会議録（2023-12-15開催分）を承認した。",
    "資料1-2、資料3-1-4及び参考資料No.5に基づき事務局が説明した。",
    # 予算・決算
    "一般会計予算の総額は 1,234,567千円で、前年度比 3.2% の増となる。",
    "歳入 38,765,432千円、歳出 37,654,321千円、差引 1,111,111千円。",
    "補正予算額 12,345千円（国庫支出金 6,172千円、一般財源 6,173千円）。",
    "款10 項01 目02 節13 委託料 2,500,000円。",
    "事業番号 0312-001 の執行率は 98.7% であった。",
    "予算書 0120頁から0128頁までを参照のこと。",
    "令和5年度決算額 05-123-4567 円ではなく、5,123,4567 と誤記されていた箇所を訂正した。",
    # 例規
    "例規 第2024-123号 国立市個人情報保護法施行条例の一部を改正する条例",
    "国立市告示第186号（令和6年4月1日）",
    "第3条第2項第1号中「100分の5」を「100分の8」に改める。",
    "規則第12号別表第2（第4条関係）を次のように改める。",
    "文書番号 国企第03-1234-5678号により通知する。",
    "令和6年3月29日 国総発第0329001号",
    "この条例は、公布の日から起算して6月を経過した日から施行する。",
    # 規格・計画・技術
    "ウェブアクセシビリティは JIS X 8341-3:2016 の適合レベルAAに準拠する。",
    "JIS Q 15001:2017 及び ISO/IEC 27001:2022 に基づき管理する。",
    "計画書 1.2.3.4 対象範囲 を次のとおり改める。",
    "第5章 5.1.2.3 データ連携の方針について説明した。",
    "3.12.1.4 個人情報の取扱い（別紙 2.1.10.3 参照）",
    "システムをバージョン 10.2.3.4 に更新した。",
    "基幹系システム ver 4.12.0.3 を適用済み。",
    "標準仕様書 第2.1版（2022年8月31日改定）に対応する。",
    "オープンデータは CSV 形式（文字コード UTF-8）で公開する。",
    "サーバ室の温度は 18.5 度から 27.0 度の範囲で管理する。",
    "ファイル名は report_2024.xlsx 及び setup.py とする。",
    # お知らせ
    "【お知らせ】令和6年4月1日から窓口の受付時間を8時30分から17時15分までに変更します。",
    "住民税の納期限は 6月30日、8月31日、10月31日、1月31日です。",
    "受付番号 0312345678 の方は2番窓口へお越しください。",
    "申請件数は 1,860,004件、処理件数は 1,860,001件でした。",
    "人口 75,867人、世帯数 38,012世帯（2024年4月1日現在）。",
    "粗大ごみ処理券は 1枚 300円、2枚 600円です。",
    "指定ごみ袋 10L・20L・40L を市内の取扱店で販売しています。",
    "健康診査の対象は 40歳から74歳までの方で、自己負担額は 500円です。",
    "整理番号 186-0004 から 186-0100 までの方が対象です。",
    "図書館の蔵書数は 123-4567 冊（前年度 120-3456 冊）です。",
    "防災行政無線のチャイムは毎日 17:00 に鳴ります。",
    "比率は 3:2:1 とし、配点は 1:1 とする。",
]


def test_enough_sentences():
    assert len(CLEAN) >= 40


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_has_no_confident_finding(recognizers, text):
    confident = [
        (name, r.start, r.end, round(r.score, 2))
        for name in CONTACT
        for r in recognizers[name].analyze(text, [])
        if r.score >= THRESHOLD
    ]
    assert confident == []


def test_positive_control_city_footer(recognizers):
    """The same recognizers do fire on contact details: a city web-page footer."""
    text = (
        "〒186-8501 東京都国立市富士見台2-47-1 TEL:042-576-2111 FAX:042-576-0264 "
        "Email: sec_kouhou@city.kunitachi.tokyo.jp"
    )
    confident = sorted(
        (text[r.start : r.end], r.entity_type)
        for name in CONTACT
        for r in recognizers[name].analyze(text, [])
        if r.score >= THRESHOLD
    )
    assert confident == [
        ("042-576-0264", "JP_PHONE_NUMBER"),
        ("042-576-2111", "JP_PHONE_NUMBER"),
        ("186-8501", "JP_POSTAL_CODE"),
        ("sec_kouhou@city.kunitachi.tokyo.jp", "EMAIL_ADDRESS"),
    ]
