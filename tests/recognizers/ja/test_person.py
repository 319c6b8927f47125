"""PERSON (ja.person.v1) through the Detector in fast mode: Sudachi morphology + rules.

The rules are those documented in anonymizer/recognizers/ja/person.py and
rules/recognizers/ja.person.v1.yaml. Spans are located in the ORIGINAL text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from anonymizer.detect import Detector
from anonymizer.errors import ConfigError
from anonymizer.recognizers import build_recognizers
from anonymizer.rules import DEFAULT_RULES_DIR

NAME = "ja.person.v1"


@pytest.fixture(scope="module")
def det() -> Detector:
    with Detector(mode="fast", calibrated=False) as d:
        yield d


@pytest.fixture(scope="module")
def every() -> Detector:
    """Everything the recognizer emits, whatever its score."""
    with Detector(mode="fast", min_score=0.0, entities="PERSON", calibrated=False) as d:
        yield d


def persons(det: Detector, text: str) -> list[tuple[int, int]]:
    return [(f.start, f.end) for f in det.detect(text) if f.type == "PERSON"]


def spans(text: str, *subs: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for s in subs:
        i = text.index(s, pos)
        out.append((i, i + len(s)))
        pos = i + len(s)
    return out


POSITIVES = [
    # 1. 人名 morpheme runs: full names, with or without a space (半角/全角)
    ("山田太郎さんが来庁した。", ["山田太郎"]),
    ("佐藤花子様よりお問い合わせ", ["佐藤花子"]),
    ("申請は八田竹男によるもの。", ["八田竹男"]),
    ("山田 太郎", ["山田 太郎"]),
    ("山田\u3000太郎", ["山田\u3000太郎"]),
    ("ヤマダ\u3000タロウ", ["ヤマダ\u3000タロウ"]),
    ("ﾔﾏﾀﾞ ﾀﾛｳ", ["ﾔﾏﾀﾞ ﾀﾛｳ"]),  # 半角 katakana
    ("妻の春香と話した。", ["春香"]),  # a single name part
    # spaced 姓 名 as in resident records
    ("黒川\u3000百咲", ["黒川\u3000百咲"]),
    ("荒川\u3000漣", ["荒川\u3000漣"]),
    # 2. katakana chains joined by ・ or ＝ (foreign names)
    ("マイケル・ジョンソン", ["マイケル・ジョンソン"]),
    ("ヴァヒド・ハリルホジッチ氏が来日した。", ["ヴァヒド・ハリルホジッチ"]),
    ("マリア＝テレジア", ["マリア＝テレジア"]),
    ("ジャン＝ポール・サルトル", ["ジャン＝ポール・サルトル"]),
    ("レオナルド・ダ・ヴィンチ", ["レオナルド・ダ・ヴィンチ"]),
    ("グエン・ヴァン・アン", ["グエン・ヴァン・アン"]),
    ("同行者としてキム・ミンジュンが来庁した。", ["キム・ミンジュン"]),
    ("本日、ジョアンナ・ベルトランが窓口に来た。", ["ジョアンナ・ベルトラン"]),
    ("ｼﾞｮﾝ・ｽﾐｽ氏", ["ｼﾞｮﾝ・ｽﾐｽ"]),
    ("John Smith様", ["John Smith"]),
    # 3. a katakana word unknown to the dictionary (score 0.5: kept at the default threshold)
    ("ゼルテンから連絡", ["ゼルテン"]),
    # 4. honorifics after a proper noun or unknown word
    ("西尾さんから連絡", ["西尾"]),
    ("星様宛て", ["星"]),
    ("佐伯清麗さん", ["佐伯清麗"]),
    ("ゼルテンさんから連絡", ["ゼルテン"]),
    ("ヤンセンさんが来所した", ["ヤンセン"]),
    ("ムハンマドさんの件", ["ムハンマド"]),
    ("高橋さまから電話", ["高橋"]),
    ("田中君が来た", ["田中"]),
    ("佐藤くんの件", ["佐藤"]),
    ("山本殿", ["山本"]),
    ("鈴木ちゃん", ["鈴木"]),
    ("伊藤氏が説明した", ["伊藤"]),
    ("渡辺議員の質問", ["渡辺"]),
    ("小林弁護士に依頼", ["小林"]),
    # titles written after a name (医師, 先生, 看護師…) and job titles that end a name
    ("越智医師の診察", ["越智"]),
    ("森医師", ["森"]),
    ("林先生", ["林"]),
    ("山田先生に相談", ["山田"]),
    ("中村看護師が訪問", ["中村"]),
    ("加藤保健師が訪問", ["加藤"]),
    ("吉田相談員が対応", ["吉田"]),
    ("山口支援員が同行", ["山口"]),
    ("松本ケアマネジャーと協議", ["松本"]),
    ("井上ヘルパーが訪問", ["井上"]),
    ("山田課長に報告", ["山田"]),
    # a staff surname after the office and の, even one morphology reads as a place here
    ("納税課の小笠原が対応した。", ["小笠原"]),
    ("地域包括支援センターの松本から連絡あり。", ["松本"]),
    ("担当は市民課の羽田です。", ["羽田"]),
    ("納税課の上野主査と面談", ["上野"]),
    # … or before a staff title without one (小笠原|主査)
    ("小笠原主査が説明した。", ["小笠原"]),
    ("上野係長に確認", ["上野"]),
    # names joined by ・ before 組: a pair (doubles), not a company (海江田組)
    ("藤井瑞希・垣岩令佳組が銀メダルを獲得した。", ["藤井瑞希・垣岩令佳"]),
    ("ペアの小林・中島組が2回戦に進んだ。", ["小林・中島"]),
    # a local councillor's abbreviated title (市議, 県議, 都議 …)
    ("鈴木市議が質問した。", ["鈴木"]),
    ("横浜市議会の山本区議と面会した。", ["山本"]),
    ("小池都議によると、", ["小池"]),
    # a quoted kanji name, or a quoted name with an honorific, stays a name
    ("「山田太郎」は当時の筆名である。", ["山田太郎"]),
    ("「ジョンさん」と呼んでいた。", ["ジョン"]),
    # a surname before a title, even one that ends like a municipality (大村知事)
    ("大村知事が会見した。", ["大村"]),
    # 担当 prefixes: a staff member's name after them
    ("担当小森", ["小森"]),
    ("担当の高島が対応した。", ["高島"]),
    ("担当の森が対応した。", ["森"]),
    ("担当者：高島", ["高島"]),
    ("担当者 斎藤", ["斎藤"]),
    ("担当医：清水", ["清水"]),
    ("主治医 森田", ["森田"]),
    ("主治医は石川", ["石川"]),
    ("受付者：池田", ["池田"]),
    ("前回担当の阿部", ["阿部"]),
    # labels (氏名：…): the value is a name whatever it looks like
    ("氏名：山田太郎", ["山田太郎"]),
    ("氏名:山田太郎", ["山田太郎"]),
    ("氏名 ： 田中一郎", ["田中一郎"]),
    ("氏名：田中 一郎", ["田中 一郎"]),
    ("氏名：ヤマダ\u3000タロウ", ["ヤマダ\u3000タロウ"]),
    ("氏名：John Smith", ["John Smith"]),
    ("名前：田中一郎", ["田中一郎"]),
    ("名前: 佐藤花子", ["佐藤花子"]),
    ("姓名：田中一郎", ["田中一郎"]),
    ("フリガナ：タナカ\u3000イチロウ", ["タナカ\u3000イチロウ"]),
    ("ふりがな：たなか\u3000いちろう", ["たなか\u3000いちろう"]),
    ("カナ氏名：ﾀﾅｶ ｲﾁﾛｳ", ["ﾀﾅｶ ｲﾁﾛｳ"]),
    ("世帯主氏名：田中一郎", ["田中一郎"]),
    ("利用者氏名：田中一郎", ["田中一郎"]),
    ("対象者氏名：田中一郎", ["田中一郎"]),
    ("保護者氏名：田中一郎", ["田中一郎"]),
    ("氏名：たなか", ["たなか"]),
    # 名義 and other loose labels (no colon needed)
    ("口座名義 ヤマダタロウ", ["ヤマダタロウ"]),
    ("名義：タナカイチロウ", ["タナカイチロウ"]),
    ("口座名義：ﾀﾅｶ ｲﾁﾛｳ", ["ﾀﾅｶ ｲﾁﾛｳ"]),
    ("口座名義 ﾀﾞｲｺｸ ｼﾞﾛｳ", ["ﾀﾞｲｺｸ ｼﾞﾛｳ"]),
    ("名義ﾀﾞｲｺｸｼﾞﾛｳ", ["ﾀﾞｲｺｸｼﾞﾛｳ"]),
    ("名義人 ダイコク ジロウ", ["ダイコク ジロウ"]),
    ("来庁者：田中一郎", ["田中一郎"]),
    ("申請者 田中一郎", ["田中一郎"]),
    ("相談者：田中一郎", ["田中一郎"]),
    ("代理人 田中一郎", ["田中一郎"]),
    # furigana in parentheses: the reading after a name is the name too
    ("荒川\u3000漣（アラカワレン）", ["荒川\u3000漣", "アラカワレン"]),
    ("田中一郎（タナカイチロウ）", ["田中一郎", "タナカイチロウ"]),
    ("山田太郎(ヤマダタロウ)", ["山田太郎", "ヤマダタロウ"]),
    ("田中一郎(ﾀﾅｶ ｲﾁﾛｳ)", ["田中一郎", "ﾀﾅｶ ｲﾁﾛｳ"]),
    ("田中 一郎 （タナカ イチロウ）", ["田中 一郎", "タナカ イチロウ"]),
    ("田中一郎（たなかいちろう）", ["田中一郎", "たなかいちろう"]),
    # several names in one text, other entities around them
    (
        "相談者：山田太郎（45歳）、同席：佐藤花子さん、担当の高島が対応。",
        ["山田太郎", "佐藤花子", "高島"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_names(det, text, expected):
    assert persons(det, text) == spans(text, *expected)


NEGATIVES = [
    # a company and a 組 joined by ・: a joint venture, not a pair of names
    "建築を前田建設工業・桑原組特定建設工事共同企業体が請け負った。",
    # a councillor's title alone, or after a determiner
    "市議が質問した。",
    "同市議は述べた。",
    # common nouns before an honorific
    "ヘルパーさんが来た。",
    "ケアマネさん",
    "運転手さんに伝えた。",
    "大家さんから苦情",
    "お客様",
    "皆様",
    "息子さんが同席して説明を聞いた。",
    "娘さんから電話で問い合わせがあった。",
    "市民課の職員さん",
    "地域包括支援センターの職員さんが訪問した。",
    # an office and の before a common noun or a place that is no surname; a unit before a title
    "納税課の窓口が対応した。",
    "税務課の前で待つ。",
    "保健センターの中で待った。",
    "福祉課の係長が対応。",
    "市役所の大宮に行く。",
    "社会福祉課長が説明した。",
    "納税主査が説明した。",
    # two known common nouns, two places, an organisation
    "テレビ ラジオ",
    "テレビ ラジオの受信料について質問があった。",
    "東京都\u3000国立市",
    "信用金庫 泉支店",
    "ケア・マネジャーが訪問した。",
    # a name-like token that is part of a place, title or document number
    "国立市長",
    "谷保在住",
    "国市納第902号",
    "歯科医師",
    "医師の診断書が必要である旨を伝えた。",
    "先生に相談したいとのこと。",
    # labels without a value
    "氏名欄の記入漏れがあった。",
    "名前の読み方を確認した。",
    "フリガナ欄が未記入だった。",
    # placeholders left by masking must never be read as names
    "＜氏名＞さん",
    "氏名：＜氏名＞さん",
    "氏名：＜氏名＞",
    "氏名:<氏名>",
    "<氏名>さん",
    "＜氏名＞様から電話",
    "＜氏名＞さん（＜年齢＞）から電話があった。",
    "相談者：＜氏名＞",
    "名義 ＜氏名＞",
    "担当 ＜氏名＞",
    "来庁者：＜氏名＞、＜生年月日＞",
    "＜氏名＞（＜氏名＞）",
    "＜氏名＞\u3000＜氏名＞",
    "フリガナ：＜氏名＞",
    "＜非公開＞さん",
    "＜住所＞在住の＜氏名＞さん",
    "",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_names(det, text):
    assert persons(det, text) == []


CLEAN = [
    "本日、窓口にて転入届を受理した。",
    "国民健康保険の資格取得手続きを行った。",
    "児童手当の認定請求書を受け付けた。",
    "介護保険の要介護認定の申請があった。",
    "住民票の写しを交付した。",
    "印鑑登録証明書の発行について問い合わせがあった。",
    "市民税の納付方法について説明した。",
    "粗大ごみの収集日を伝えた。",
    "保育園の入園申込書類を受け付けた。",
    "生活保護の申請について説明した。",
    "後期高齢者医療制度の保険料について回答した。",
    "マイナンバーカードの交付通知書を確認した。",
    "戸籍謄本の請求があったため、郵送で対応した。",
    "道路の陥没について通報があり、道路管理課へ引き継いだ。",
    "防災無線が聞こえにくいとの意見があった。",
    "高齢者の見守りについて地域包括支援センターと連携した。",
    "障害者手帳の更新手続きを案内した。",
    "特定健診の受診券を再発行した。",
    "空き家の管理について相談があった。",
    "固定資産税の課税明細について説明した。",
    "後日、書類を郵送することとした。",
    "対応済み。",
    "特記事項なし。",
    "引き続き経過を観察する。",
    "本人より電話で状況確認の連絡があった。",
    "ケアマネジャーと今後の支援方針について協議した。",
    "民生委員より情報提供があった。",
    "ヘルパーの派遣回数を週2回に増やした。",
    "家族と同居しており、日常生活に大きな支障はない。",
    "ご近所の方から心配の声が寄せられた。",
    "担当者不在のため折り返すこととした。",
    "口座名義の変更について説明した。",
    "氏名の変更に伴い、通知書を再発行した。",
    "相談者の意向を確認した。",
    "代理人による申請のため、委任状を確認した。",
    "届出人の本人確認書類を確認した。",
    "前回担当からの引き継ぎ事項を確認した。",
    "主治医に相談するよう伝えた。",
    "世帯主の同意を得た。",
    "保護者の方と面談した。",
    "成年後見制度の利用を検討する。",
    "令和6年4月1日から制度が変更される旨を説明した。",
    "国立駅南口の駐輪場について意見があった。",
    "富士見台地区の自治会から要望があった。",
    "谷保天満宮の祭礼について問い合わせがあった。",
    "一橋大学の学生ボランティアが参加した。",
    "シルバー人材センターを紹介した。",
    "コミュニティバスの時刻表を渡した。",
    "保健師が家庭訪問を実施した。",
    "お客様から感謝の言葉をいただいた。",
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_administrative_sentences_have_no_person(det, text):
    assert [(f.start, f.end, f.score) for f in det.detect(text) if f.type == "PERSON"] == []


def test_clean_sentences_as_one_record(det):
    assert persons(det, "".join(CLEAN)) == []


# Words after a label or staff prefix that are not names (not_names_after_label in the rules).
@pytest.mark.parametrize(
    "text",
    [
        "担当課へ引き継いだ。",
        "担当部署に確認する。",
        "担当者間で情報を共有した。",
        "担当医の意見を聞くよう助言した。",
        "記入者欄に押印がなかった。",
        "受付者印を押した。",
        "名義変更の手続きを案内した。",
        "申請者本人が来庁した。",
        "来庁者数が増加している。",
        "申請者氏名：＜氏名＞",
    ],
)
def test_no_false_names_after_labels(det, text):
    assert persons(det, text) == []


# Known gaps: strict, so a fix shows up as XPASS.
@pytest.mark.xfail(strict=True, reason="label word included in the PERSON span (over-masking)")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("対応者 山崎", "山崎"),
        ("記入者 橋本", "橋本"),
        ("届出人 田中一郎", "田中一郎"),
        ("本人氏名 田中一郎", "田中一郎"),
        ("木村民生委員から連絡", "木村"),
    ],
)
def test_known_overlong_spans(det, text, expected):
    assert persons(det, text) == spans(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (were known misses) kanji before a 姓␣名 reading: person_context.spaced_readings
        ("荒川漣（アラカワ\u3000レン）", ["荒川漣", "アラカワ\u3000レン"]),
        ("荒川漣（あらかわ\u3000れん）", ["荒川漣", "あらかわ\u3000れん"]),
    ],
)
def test_a_name_glossed_with_its_spaced_reading(det, text, expected):
    assert persons(det, text) == spans(text, *expected)


def test_a_spaced_katakana_name_sudachi_has_no_entry_for_is_found(det):
    """(Was a known miss: トラノスケ is no dictionary word, and Sudachi does not flag it.)"""
    text = "クリタ\u3000トラノスケ"
    assert persons(det, text) == spans(text, "クリタ\u3000トラノスケ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ゆうとくんの母親", "ゆうと"),  # hiragana given names before くん/ちゃん
        ("はるとくんが来た", "はると"),
        ("はるかちゃん（3歳）", "はるか"),
    ],
)
def test_hiragana_child_names(det, text, expected):
    assert persons(det, text) == spans(text, expected)


@pytest.mark.parametrize("text", ["おばあちゃんと来所した。", "赤ちゃんの健診", "おにいちゃんが迎えに来た。"])
def test_kinship_words_before_chan_are_not_names(det, text):
    assert persons(det, text) == []


# -- scores (rules/recognizers/ja.person.v1.yaml) ---------------------------------------------
@pytest.mark.parametrize(
    ("text", "name", "score"),
    [
        ("山田太郎", "山田太郎", 0.85),  # full_name_score
        ("山田太郎さん", "山田太郎", 1.0),  # + honorific_boost, capped at 1
        ("妻の春香と話した。", "春香", 0.6),  # single_name_score
        ("長男の蓮が来た。", "蓮", 0.3),  # short_given_name_score: below the default threshold
        ("マイケル・ジョンソン", "マイケル・ジョンソン", 0.6),  # katakana_chain_score
        ("ゼルテンから連絡", "ゼルテン", 0.5),  # unknown_katakana_score
        ("ゼルテンさんから連絡", "ゼルテン", 1.0),  # before さん Sudachi tags it 人名: + boost
        ("越智医師の診察", "越智", 0.65),  # honorific_score (a title, no boost)
        ("黒川\u3000百咲", "黒川\u3000百咲", 0.85),
        ("氏名：山田太郎", "山田太郎", 0.85),  # label_score
    ],
)
def test_scores(every, text, name, score):
    found = {text[f.start : f.end]: f.score for f in every.detect(text)}
    assert found.get(name) == score
    assert all(f.recognizer == NAME for f in every.detect(text))


def test_short_given_name_is_below_the_default_threshold(det, every):
    text = "長男の蓮が来た。"
    assert persons(every, text) == spans(text, "蓮")
    assert persons(det, text) == []


# -- Presidio entry point and rules validation ----------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "山田太郎さんが来庁した。",
        "担当の高島が対応した。",
        "口座名義 ヤマダタロウ",
        "ヘルパーさんが来た。",
    ],
)
def test_presidio_analyze_computes_morphology_itself(recognizers, det, text):
    """Without our artifacts (plain Presidio use) the recognizer finds the same spans."""
    rec = recognizers[NAME]
    got = [(r.start, r.end) for r in rec.analyze(text, ["PERSON"]) if r.score >= 0.5]
    assert sorted(set(got)) == persons(det, text)


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("full_name_score: 0.85", "full_name_score: 1.85", "params: full_name_score"),
        ("spaced_part_max_chars: 4", "spaced_part_max_chars: 0", "params: spaced_part_max_chars"),
        (
            "  label_score: 0.85\n",
            "  label_score: 0.85\n  nickname_score: 0.5\n",
            "params: nickname_score",
        ),
        ("  honorifics: [", "  honorifix: [", "params: honorifi"),
    ],
)
def test_bad_person_rules_stop_with_the_yaml_path(tmp_path, old, new, where):
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    path = rules / "recognizers" / "ja.person.v1.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        build_recognizers(rules)
    msg = str(err.value)
    assert msg.startswith(f"[E002] {path}: ja.person.v1.params")
    assert where in msg


def test_rules_file_is_the_documented_one():
    assert (Path(DEFAULT_RULES_DIR) / "recognizers" / f"{NAME}.yaml").is_file()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one katakana word that is a dictionary 姓 + a dictionary name, no label, no honorific
        ("本日、ナカイユキから電話があった。", ["ナカイユキ"]),
        ("（フジイレン）。", ["フジイレン"]),
        ("昨日スズキイチロウが来所", ["スズキイチロウ"]),
        # loanwords and shop names that are no such pair
        ("サービスセンターから電話", []),
        ("ヤマダデンキで購入", []),
        ("メルカリから通知", []),
        ("ハンバーガーを食べた", []),
    ],
)
def test_a_katakana_full_name_written_as_one_word(det, text, expected):
    assert persons(det, text) == spans(text, *expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 姓-like + space + a given name the dictionary reads one kanji at a time
        ("番号 1633-423894（町田　望帆）の免除申請を受付。", ["町田　望帆"]),
        ("宛名番号0170550673（渋谷 飛夕）の税額を再計算。", ["渋谷 飛夕"]),
        ("カード：67940923996　吉原 仙夏", ["吉原 仙夏"]),
        ("（月曜 午後）に来庁", []),
        ("信用 金庫 本店", []),
    ],
)
def test_a_spaced_name_whose_given_name_is_read_kanji_by_kanji(det, text, expected):
    assert persons(det, text) == spans(text, *expected)
