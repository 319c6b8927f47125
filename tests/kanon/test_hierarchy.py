from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from anonymizer.errors import ConfigError, InputError
from anonymizer.kanon.hierarchy import from_rows, mask_value, read_arx_csv, write_arx_csv

AGE_ARX = "1;0-4;0-9;*\n2;0-4;0-9;*\n7;5-9;0-9;*\n12;10-14;10-19;*\n"


def test_arx_csv_import(tmp_path):
    path = tmp_path / "age.csv"
    path.write_text(AGE_ARX, encoding="utf-8")
    h = read_arx_csv(path)
    assert h.name == "age" and h.height == 3 and h.size == 4
    assert list(h.table[:, 0]) == ["1", "2", "7", "12"]
    assert list(h.labels[1]) == ["0-4", "5-9", "10-14"]
    assert h.maps[2].tolist() == [0, 0, 0, 1]
    # share: rows of the hierarchy whose level-L cell equals the value's, over |H|
    assert h.shares(1).tolist() == [0.5, 0.5, 0.25, 0.25]
    assert h.shares(3).tolist() == [1.0] * 4


def test_arx_csv_roundtrip_and_bom(tmp_path):
    src = tmp_path / "sex.csv"
    src.write_bytes("\ufeff男;*\n女;*\n".encode())
    h = read_arx_csv(src)
    assert list(h.table[:, 0]) == ["男", "女"]
    write_arx_csv(h, tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "男;*\n女;*\n"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1;0-4;*\n2;0-4\n", "row 2 has 2 levels"),
        ("1;0-4;*\n1;0-4;*\n", "more than once"),
        ("1;a;x\n2;a;y\n", "not a tree"),
        ("", "empty"),
    ],
)
def test_bad_arx_files(tmp_path, text, fragment):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=fragment) as err:
        read_arx_csv(path)
    assert str(path) in str(err.value)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        read_arx_csv(tmp_path / "nope.csv")


def test_codes_for_reports_count_and_masked_values_only():
    h = from_rows("sex", [["男", "*"], ["女", "*"]])
    assert h.codes_for(pd.Series(["女", "男", "女"]), "性別").tolist() == [1, 0, 1]
    with pytest.raises(InputError) as err:
        h.codes_for(pd.Series(["男", "山田太郎", "山田太郎", "不明"]), "性別")
    msg = str(err.value)
    assert "'性別'" in msg and "2 distinct value(s) in 3 row(s)" in msg
    assert "山田太郎" not in msg and "山***" in msg


def test_empty_cells_are_missing():
    h = from_rows("sex", [["男", "*"], ["女", "*"]])
    with pytest.raises(InputError, match="including empty cells"):
        h.codes_for(pd.Series(["男", None], dtype=object), "sex")


@pytest.mark.parametrize(("value", "masked"), [("186-0004", "1*******"), ("男", "男"), ("", "''")])
def test_mask_value(value, masked):
    assert mask_value(value) == masked


@pytest.mark.parametrize("raw", ["男", "男 ", "ｵﾄｺ"])
def test_nfkc_lookup(raw):
    h = from_rows("sex", [["男", "*"], ["オトコ", "*"]], lookup="nfkc")
    code = h.codes_for(pd.Series([raw]), "sex")[0]
    assert h.table[code, 0] == ("オトコ" if raw == "ｵﾄｺ" else "男")


def test_dfs_rank_keeps_subtrees_contiguous():
    h = from_rows("x", [["a", "A", "*"], ["c", "C", "*"], ["b", "A", "*"], ["d", "C", "*"]])
    order = np.argsort(h.dfs_rank())
    assert [h.table[i, 0] for i in order] == ["a", "b", "c", "d"]


def test_a_missing_value_is_a_value_of_its_own_up_to_the_top():
    """An empty cell (不明 read as missing) stays empty at every level but the top, where it
    joins * — so unknown birth dates form a class like any other, and a column removed by
    the search removes them too."""
    h = from_rows("sex", [["男", "*"], ["女", "*"]]).with_missing()
    assert h.table[-1].tolist() == ["", "*"] and h.with_missing() is h
    codes = h.codes_for(pd.Series(["男", None, "", "女"], dtype=object), "sex")
    assert codes[1] == codes[2] != codes[0]
    assert [h.labels[1][h.maps[1][c]] for c in codes] == ["*"] * 4


def test_resolving_a_hierarchy_over_values_with_an_empty_one():
    from anonymizer.kanon.resolve import resolve_hierarchy

    h = resolve_hierarchy("year_month", "生年月日", ["2016-11", "1993-10", ""])
    assert h.table[-1].tolist() == ["", "", "", "*"]
    assert resolve_hierarchy("year_month", "生年月日", ["2016-11"]).size == 1
