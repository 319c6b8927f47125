import pandas as pd
import pytest

from anonymizer.errors import ConfigError
from tests.operators.conftest import column, make

PHONE = "＊＊＊-＊＊＊＊-5678"


@pytest.mark.parametrize(
    ("params", "value", "expected"),
    [
        ({"keep_last": 4}, "090-1234-5678", PHONE),
        # 全角 and hyphen variants: the same number masks to the same string (半角 kept part)
        ({"keep_last": 4}, "０９０－１２３４－５６７８", PHONE),
        ({"keep_last": 4}, "090‐1234‐5678", PHONE),  # U+2010
        ({"keep_last": 4}, "090−1234−5678", PHONE),  # U+2212
        ({"keep_last": 4}, "090ー1234ー5678", PHONE),  # long-vowel mark between digits
        ({"keep_last": 4}, "090ｰ1234ｰ5678", PHONE),  # 半角 long-vowel mark
        ({"keep_first": 3}, "090-1234-5678", "090-＊＊＊＊-＊＊＊＊"),
        ({"keep_first": 3, "keep_last": 4}, "090-1234-5678", "090-＊＊＊＊-5678"),
        ({"keep_last": 4}, "(03) 1234-5678", "(＊＊) ＊＊＊＊-5678"),
        ({"keep_last": 4}, "（０３）１２３４－５６７８", "(＊＊)＊＊＊＊-5678"),
        ({"keep_last": 2}, "186/0004", "＊＊＊/＊＊04"),
        ({"keep_last": 2}, "0012345", "＊＊＊＊＊45"),  # leading zeros are characters
        ({}, "090-1234-5678", "＊＊＊-＊＊＊＊-＊＊＊＊"),
        ({"keep_separators": False}, "090-1234-5678", "＊" * 13),
        ({"keep_last": 4, "keep_separators": False}, "090-1234-5678", "＊" * 9 + "5678"),
        ({"keep_first": 1}, "山田 太郎", "山＊ ＊＊"),
        ({"keep_first": 1}, "山田\u3000太郎", "山＊ ＊＊"),
        ({"keep_first": 1}, "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤ＊＊ ＊＊＊"),  # 半角カナ: ﾀﾞ is one character, ダ
        ({"keep_first": 1, "char": "*"}, "yamada@example.jp", "y" + "*" * 16),
        ({"keep_first": 1, "separators": "@."}, "yamada@ex.jp", "y＊＊＊＊＊@＊＊.＊＊"),
        # too short to keep anything without publishing all of it: masked whole
        ({"keep_last": 4}, "12", "＊＊"),
        ({"keep_last": 4}, "1234", "＊＊＊＊"),
        ({"keep_first": 2, "keep_last": 2}, "1-234", "＊-＊＊＊"),
        ({"keep_first": 2, "keep_last": 2}, "12345", "12＊45"),
        # blank cells stay
        ({"keep_last": 4}, "", ""),
        ({"keep_last": 4}, " ", " "),
        ({"keep_last": 4}, pd.NA, pd.NA),
    ],
)
def test_mask(params, value, expected):
    assert make("mask", params).apply(column(value)).tolist() == [expected]


def test_mask_column_keeps_index_and_dtype():
    s = column("090-1234-5678", pd.NA, "090-1234-5678", "", index=[10, 11, 12, 13])
    out = make("mask", {"keep_last": 4}).apply(s)
    assert out.tolist() == [PHONE, pd.NA, PHONE, ""]
    assert out.index.tolist() == [10, 11, 12, 13] and out.dtype == s.dtype


@pytest.mark.parametrize(
    ("params", "controlled"),
    [({}, True), ({"keep_separators": False}, True), ({"keep_last": 4}, False),
     ({"keep_first": 1}, False)],
)
def test_controlled_output_only_when_nothing_is_kept(params, controlled):
    assert make("mask", params).CONTROLLED_OUTPUT is controlled


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"keep_last": -1}, "keep_last"),
        ({"char": "**"}, "char"),
        ({"char": ""}, "char"),
        ({"char": "0"}, "char"),
        ({"char": "Ｘ"}, "char"),
        ({"separators": ""}, "separators"),
        ({"keep": 4}, "keep"),
    ],
)
def test_bad_params(params, where):
    with pytest.raises(ConfigError) as err:
        make("mask", params)
    assert err.value.message.startswith(f"pipeline.yaml: steps[0]: {where}")
