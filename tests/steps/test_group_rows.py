"""group_rows (households out of residents) and select_rows (転入 out of 異動届)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from anonymizer.errors import InputError
from anonymizer.steps import StepContext, build_step


def _ctx() -> StepContext:
    return StepContext("t", Path("t.yaml"), "t", {})


def _residents() -> pd.DataFrame:
    hh = ["A"] * 3 + ["B"] + ["C"] * 7 + ["D"] * 2
    area = ["北一丁目"] * 3 + ["泉一丁目"] + ["泉一丁目"] * 7 + ["北一丁目"] * 2
    return pd.DataFrame({"世帯番号": hh, "町丁": area, "性別": ["男"] * 13}, dtype="string")


def test_households_carry_their_area_and_size_with_an_open_top_band():
    step = build_step("group_rows", {"by": "世帯番号", "keep": ["町丁"], "size": {"column": "世帯人員", "top": 6}}, "steps[0]")
    assert step.columns_after(["世帯番号", "町丁", "性別"]) == ["町丁", "世帯人員"]
    res = step.run(_residents(), _ctx())
    assert res.frame.to_dict("list") == {"町丁": ["北一丁目", "泉一丁目", "泉一丁目", "北一丁目"], "世帯人員": ["3人", "1人", "6人以上", "2人"]}
    assert list(res.frame.index) == [0, 3, 4, 11]  # each group keeps its first row's index
    assert res.report["groups"] == 4 and "世帯番号" not in res.frame.columns


def test_a_household_over_two_areas_is_an_input_error_without_values():
    frame = _residents()
    frame.loc[1, "町丁"] = "泉一丁目"
    step = build_step("group_rows", {"by": "世帯番号", "keep": ["町丁"]}, "steps[0]")
    with pytest.raises(InputError, match=r"steps\[0\].keep: 1 group\(s\) of '世帯番号' have more than one '町丁' \(data row 1, data row 2, data row 3\)") as e:
        step.run(frame, _ctx())
    assert "北一丁目" not in str(e.value)


def test_select_rows_keeps_the_listed_values_in_any_width_and_refuses_none():
    frame = pd.DataFrame({"異動事由": ["転入", "転出", "転入", "出生", "ﾃﾝﾆｭｳ"]}, dtype="string")
    step = build_step("select_rows", {"column": "異動事由", "values": ["転入"]}, "steps[0]")
    res = step.run(frame, _ctx())
    assert list(res.frame.index) == [0, 2] and res.report["rows_kept"] == 2
    none = build_step("select_rows", {"column": "異動事由", "values": ["死亡"]}, "steps[0]")
    with pytest.raises(InputError, match="no row has one of the 1 listed value"):
        none.run(frame, _ctx())
