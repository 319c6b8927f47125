"""Output profiles: the 地域・年齢別人口 layout as data, and the gate's profile check."""

from __future__ import annotations

import pandas as pd
import pytest

from anonymizer.errors import ConfigError
from anonymizer.profiles import load_profile, profile_check, profile_names

PROFILE = "population_by_area_age"


def _bands() -> list[str]:
    return [f"{lo}-{lo + 4}歳" for lo in range(0, 85, 5)] + ["85歳以上"]


def test_the_population_profile_has_the_published_wide_layout():
    p = load_profile(PROFILE, "test")
    names = [c.name for c in p.columns]
    head = ["全国地方公共団体コード", "地域コード", "地方公共団体名", "調査年月日", "地域名", "総人口", "男性", "女性"]
    bands = [f"{b}の{s}" for b in _bands() for s in ("男性", "女性")]
    assert names == head + bands + ["世帯数", "備考"]
    assert p.columns[0].aliases == ("都道府県コード又は市区町村コード",)
    cell = {c.name: c.cell for c in p.columns if c.cell}
    assert cell["0-4歳の男性"] == {"age": "0～4歳", "sex": "男"}
    assert cell["85歳以上の女性"] == {"age": "85歳以上", "sex": "女"}
    assert cell["総人口"] == {"age": "総数", "sex": "総数"}
    assert PROFILE in profile_names()


def test_an_unknown_profile_names_where_and_what_exists():
    with pytest.raises(ConfigError, match=r"pipe.yaml: output.profile: unknown output profile 'nope'.*population_by_area_age"):
        load_profile("nope", "pipe.yaml: output.profile")


def _frame(rows: int = 2) -> pd.DataFrame:
    p = load_profile(PROFILE, "test")
    data = {}
    for c in p.columns:
        data[c.name] = {
            "lg_code": "132152", "code": "0001001", "text": "青柳一丁目", "date": "2025-01-01", "count": "12",
        }[c.type]  # fmt: skip
    frame = pd.DataFrame([data] * rows).astype("string")
    frame.loc[0, "地域コード"] = ""  # the municipality's total row
    frame.loc[0, "備考"] = ""
    return frame


def test_a_table_in_the_layout_passes_and_the_newer_header_is_accepted():
    p = load_profile(PROFILE, "test")
    frame = _frame()
    frame.loc[1, "0-4歳の男性"] = "X"  # a suppressed cell
    assert profile_check(frame, p).passed
    renamed = frame.rename(columns={"全国地方公共団体コード": "都道府県コード又は市区町村コード"})
    assert profile_check(renamed, p).passed


def test_order_missing_columns_and_bad_cells_are_refused_by_name_and_row():
    p = load_profile(PROFILE, "test")
    frame = _frame()
    swapped = frame[[frame.columns[1], frame.columns[0], *frame.columns[2:]]]
    check = profile_check(swapped, p)
    assert not check.passed and "column 1 should be '全国地方公共団体コード'" in check.detail
    check = profile_check(frame.drop(columns=["備考"]), p)
    assert not check.passed and "'備考'" in check.detail and "missing" in check.detail
    bad = frame.copy()
    bad.loc[1, "総人口"] = "12.5"
    bad.loc[1, "調査年月日"] = "2025-02-30"
    bad.loc[1, "全国地方公共団体コード"] = "132151"  # wrong check digit
    check = profile_check(bad, p)
    assert not check.passed
    problems = check.data["problems"]
    assert any(s.startswith("総人口: 1 cell(s) not of type count (rows [2])") for s in problems)
    assert any(s.startswith("調査年月日: 1 cell(s)") for s in problems)
    assert any(s.startswith("全国地方公共団体コード: 1 cell(s)") for s in problems)
    assert "12.5" not in check.detail and "2025-02-30" not in check.detail
