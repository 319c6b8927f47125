import numpy as np
import pandas as pd
import pytest

from anonymizer.dp.keys import KeySet, cell_index, key_frame, load_key_file
from anonymizer.errors import ConfigError


@pytest.mark.parametrize(
    ("keys", "values", "expected"),
    [
        (["1丁目", "2丁目"], ["1丁目", "１丁目", "2丁目", "3丁目"], [0, 0, 1, -1]),  # 全角/半角
        (
            ["2024-04", "2024-05"],
            ["2024‐04", "２０２４－０５", "2024ー05", "2024/04"],  # hyphen variants
            [0, 1, 1, -1],
        ),
        (["ｱｵﾔｷﾞ"], ["アオヤギ", " アオヤギ ", "アオヤギ町"], [0, 0, -1]),  # 半角カナ, trimming
        (  # band labels: the old form (1-2人) and other tildes meet the released 1～2人
            ["1～2人", "3～4人"],
            ["1-2人", "1〜2人", "３～４人", "1~2人", "1～2", "1人～2人"],
            [0, 0, 1, 0, -1, -1],
        ),
        (["A", "B"], ["a", "", None, "A"], [-1, -1, -1, 0]),  # case kept; empty/None never keys
    ],
)
def test_codes_match_normalized_values(keys, values, expected):
    ks = KeySet("c", tuple(keys), "inline")
    assert ks.codes(pd.Series(values, dtype="object")).tolist() == expected


def test_duplicate_keys_after_normalization_are_config_errors():
    with pytest.raises(ConfigError, match="same after NFKC"):
        KeySet("町", ("1丁目", "１丁目"), "inline")
    with pytest.raises(ConfigError, match="same after NFKC"):
        KeySet("年齢", ("10～19歳", "10-19歳"), "inline")
    with pytest.raises(ConfigError, match="empty"):
        KeySet("町", ("a", " "), "inline")


def test_key_file_under_rules_keys():
    ks = load_key_file("町", "kunitachi_cho.txt")
    assert len(ks.keys) == 10 and "富士見台" in ks.keys
    assert ks.source["keys"] == 10 and len(ks.source["sha256"]) == 64


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no keys"),
        (b"\n  \n", "no keys"),
        ("青柳\n".encode("cp932"), "not UTF-8"),
        ("1丁目\n１丁目\n".encode(), "same after NFKC"),
    ],
)
def test_bad_key_files(tmp_path, content, message):
    path = tmp_path / "keys.txt"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=message) as err:
        load_key_file("町", str(path))
    assert str(path) in str(err.value)


def test_key_file_bom_and_blank_lines(tmp_path):
    path = tmp_path / "k.txt"
    path.write_bytes("\ufeff青柳\r\n\r\n 石田 \r\n".encode())
    assert load_key_file("町", str(path)).keys == ("青柳", "石田")


def test_missing_key_file(tmp_path):
    with pytest.raises(ConfigError, match="key file not found"):
        load_key_file("町", "no_such_keys.txt", rules_directory=tmp_path)


def test_cell_index_and_key_frame_agree():
    a = KeySet("a", ("x", "y", "z"), "inline")
    b = KeySet("b", ("1", "2"), "inline")
    codes = [np.array([0, 2, -1, 1]), np.array([1, 0, 0, -1])]
    flat, keep = cell_index(codes, [3, 2], 4)
    assert keep.tolist() == [True, True, False, False]
    frame = key_frame([a, b])
    assert len(frame) == 6
    assert [tuple(frame.iloc[i]) for i in flat] == [("x", "2"), ("z", "1")]


def test_no_group_by_is_one_cell():
    flat, keep = cell_index([], [], 3)
    assert flat.tolist() == [0, 0, 0] and keep.all()
    assert len(key_frame([])) == 1
