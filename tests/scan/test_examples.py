"""Masked examples: labels for findings, shapes for the rest of structured values."""

import pytest

from anonymizer.detect import Finding
from anonymizer.labels import load_labels
from anonymizer.scan.examples import MAX_CHARS, mask_example, shape

LABELS = load_labels()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("090-1234-5678", "999-9999-9999"),
        (
            "０９０－１２３４－５６７８",
            "999－9999－9999",
        ),  # 全角 digits are digits; the dash is kept
        ("〒186-0003", "〒999-9999"),
        ("山田太郎", "＊＊＊＊"),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "＊＊＊＊ ＊＊＊"),
        ("2024年4月1日", "9999年9月9日"),
        ("ＡＢ１２３", "＊＊999"),
        ("taro@example.jp", "＊＊＊＊@＊＊＊＊＊＊＊.＊＊"),
        ("４５歳", "99歳"),
        ("富士見台1-2-3 101号室", "＊＊＊＊9-9-9 999号室"),
        ("山田\u3000太郎", "＊＊ ＊＊"),  # any whitespace becomes a plain space
        ("", ""),
    ],
)
def test_shape(value, expected):
    assert shape(value) == expected


def test_shape_never_keeps_a_letter_or_digit_outside_the_keep_list():
    value = "Yamada Taro 山田太郎 ヤマダ 0123456789 ０１２３"
    out = shape(value)
    assert len(out) == len(value)
    assert set(out) <= {"＊", "9", " "}


@pytest.mark.parametrize(
    ("value", "findings", "free_text", "expected"),
    [
        ("山田太郎", [Finding("PERSON", 0, 4, 0.85, "p")], False, "＜氏名＞"),
        (
            "連絡先は090-1111-2000です",
            [Finding("JP_PHONE_NUMBER", 4, 17, 0.9, "t")],
            False,
            "＊＊＊＊＜電話番号＞＊＊",
        ),
        (
            "山田太郎さんから電話（090-1111-2000）。",
            [Finding("PERSON", 0, 4, 0.85, "p"), Finding("JP_PHONE_NUMBER", 11, 24, 0.9, "t")],
            True,
            "＜氏名＞さんから電話（＜電話番号＞）。",
        ),
        # partially overlapping findings (kept by resolve): one label covers both, nothing raw
        (
            "山田太郎 国立市です",
            [Finding("PERSON", 0, 4, 0.6, "p"), Finding("JP_ADDRESS", 2, 8, 0.8, "a")],
            True,
            "＜氏名＞です",
        ),
        (
            "山田太郎 国立市です",
            [Finding("PERSON", 0, 2, 0.6, "p"), Finding("JP_ADDRESS", 0, 8, 0.8, "a")],
            True,
            "＜氏名＞です",
        ),
        ("A-12345", [], False, "＊-99999"),
        ("特記事項なし", [], True, "特記事項なし"),
    ],
)
def test_mask_example(value, findings, free_text, expected):
    assert mask_example(value, findings, LABELS, free_text) == expected


def test_findings_in_any_order():
    value = "090-1111-2000 山田太郎"
    found = [Finding("PERSON", 14, 18, 0.85, "p"), Finding("JP_PHONE_NUMBER", 0, 13, 0.9, "t")]
    assert mask_example(value, found, LABELS, free_text=True) == "＜電話番号＞ ＜氏名＞"


def test_long_examples_are_cut():
    value = "本日窓口で相談を受けた。" * 10
    out = mask_example(value, [], LABELS, free_text=True)
    assert len(out) == MAX_CHARS
    assert out.endswith("…")
    assert mask_example("あ" * MAX_CHARS, [], LABELS, free_text=True) == "あ" * MAX_CHARS
