"""PERSON anchored by structure: after a field label, before an honorific, whatever the script."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the shapes held-out texts missed
        ("本人（フジイレン）。", ["フジイレン"]),
        ("氏名 ワン・ウェイ、", ["ワン・ウェイ"]),
        ("緊急連絡先：ワン・ウェイ（長男）", ["ワン・ウェイ"]),
        ("氏名 関二胡、", ["関二胡"]),
        ("申請者は星天夢。", ["星天夢"]),
        ("相談者（榊原寛大）が来庁", ["榊原寛大"]),
        ("緊急連絡先：上野（長女）", ["上野"]),
        ("大島 緩南様より", ["大島 緩南"]),
        ("世帯主北恵子、生活保護の申請。", ["北恵子"]),
        # new ones of the same classes
        ("通報者：スミス", ["スミス"]),
        ("申請者 Maria Santos 様", ["Maria Santos"]),
        ("届出人：グエン・ヴァン・アン（妻）", ["グエン・ヴァン・アン"]),
        ("対象者　ﾀﾅｶ ｲﾁﾛｳ", ["ﾀﾅｶ ｲﾁﾛｳ"]),  # 半角 read through NFKC, 姓␣名
        ("オリビアさんから電話", ["オリビア"]),
        ("保護者は鈴木 一さん。", ["鈴木 一"]),
        # negatives: labels and role nouns, not names
        ("皆様へのお知らせ", []),
        ("お客様センターへ", []),
        ("担当課長より説明", []),
        ("生徒さんと会員様が参加", []),
        ("世帯主氏名：＜氏名＞", []),
        ("申請者数は増加", []),
        ("相談者多数のため", []),
        ("申請者本人が来庁", []),
        ("ヘルパーさんが訪問", []),
        ("氏名欄は空欄", []),
        ("住所不定", []),
        # a role label's card, booklet or record, not a name after the label
        ("受給者証番号 0123456789 を再発行", []),
        ("利用者カードを紛失", []),
        ("被保険者台帳を確認", []),
    ],
)
def test_spans(recognizers, text, expected):
    found = recognizers["ja.person_anchor.v1"].analyze(text, ["PERSON"])
    assert [text[r.start : r.end] for r in found] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ヨシムラコウメイ（吉村光明）さんより", ["ヨシムラコウメイ", "吉村光明"]),
        ("野村三蘭氏（ノムラミラン）、22歳", ["ノムラミラン"]),
        ("中本様の申請書", ["中本"]),
        ("運転手さんに伝えた。", []),  # a role noun
        ("担当者様へ", []),
    ],
)
def test_readings_in_brackets_and_kanji_names_after_a_boundary(recognizers, text, expected):
    found = recognizers["ja.person_anchor.v1"].analyze(text, ["PERSON"])
    assert sorted(text[r.start : r.end] for r in found) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("福音書はヘンリー8世の命令による。", ["ヘンリー"]),  # a name may end with ー
        ("アラゴン王フアン2世と、最初の妃。", ["フアン"]),
        ("ノンビリキング十三世の部屋。", ["ノンビリキング"]),
        ("シャッダム四世役に指名された。", ["シャッダム"]),
        ("ヘンリー８世の命令。", ["ヘンリー"]),  # 全角 digits
        ("アパート2世帯が入居。", []),  # 世帯, 世代, 世紀: not regnal
        ("デジタル3世代の通信。", []),
        ("メアリーさんが来た。", ["メアリー"]),
        ("ーさんが来た。", []),
    ],
)
def test_names_with_a_regnal_number(recognizers, text, expected):
    found = recognizers["ja.person_anchor.v1"].analyze(text, ["PERSON"])
    assert [text[r.start : r.end] for r in found] == expected


@pytest.fixture(scope="module")
def fast():
    from anonymizer.detect import Detector

    with Detector("fast") as det:
        yield det


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # after a label and は, a statement about the person (morphology reads it), not a name
        ("父は単身赴任中。", []),
        ("夫は無職、妻は就労中。", []),
        ("母は外出中", []),
        ("本人は体調不良", []),
        ("長男は小学生", []),
        # …while a name stays one, known to the dictionary or not
        ("申請者は星天夢。", ["星天夢"]),
        ("申請者は関二胡。", ["関二胡"]),
        ("相談者は上野", ["上野"]),
        ("申請者は金子", ["金子"]),
        ("緊急連絡先は佐藤", ["佐藤"]),
    ],
)
def test_a_statement_after_a_label_is_not_a_name(fast, text, expected):
    assert [text[f.start : f.end] for f in fast.detect(text) if f.type == "PERSON"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a label run straight into a verbal noun: an act on the person, not their name
        ("家族対応とした。", []),
        ("長男対応", []),
        ("妻対応。", []),
        ("家族支援の方針", []),
        ("患者対応に追われた。", []),
        ("申請者記入欄", []),
        ("入所者支援計画", []),
        ("相談者対応中", []),  # (ja.person.v1's loose label, the same test)
        ("被保険者資格の取得", []),  # a standing, as a card or a register
        # …while a name stays one: in the dictionary, or its first word no verbal noun
        ("長男一郎が来所", ["長男一郎"]),
        ("相談者佐藤", ["佐藤"]),
        ("氏名山田太郎", ["山田太郎"]),
        ("父道佐死去。", ["道佐死去"]),  # a name, then what befell him (over-masked, not lost)
        ("担当大城。", ["大城"]),  # Sudachi reads 大|城 and 中|沢 as suffixes here: no verbal noun
        ("担当中沢。", ["中沢"]),
    ],
)
def test_a_verbal_noun_run_on_from_a_label_is_not_a_name(fast, text, expected):
    assert [text[f.start : f.end] for f in fast.detect(text) if f.type == "PERSON"] == expected


def test_both_person_recognizers_read_the_same_parts_of_speech_as_a_statement():
    """ja.person.v1's loose labels and this recognizer judge a value run on from a label by
    the same parts of speech (two rule files, one list)."""
    import yaml

    from anonymizer.rules import DEFAULT_RULES_DIR

    def pieces(name: str) -> list[str]:
        spec = yaml.safe_load((DEFAULT_RULES_DIR / "recognizers" / name).read_text("utf-8"))
        return spec["params"]["state_pieces"]

    assert pieces("ja.person.v1.yaml") == pieces("ja.person_anchor.v1.yaml") != []
