"""Public cells: what a step declares public (a corporation's name) is counted, not refused, by
the re-scan, and is not hunted by the raw-value check — every other cell is judged as before."""

from __future__ import annotations

import pandas as pd

from anonymizer.match import DenyEntry
from anonymizer.pipeline import gate
from anonymizer.pipeline.spec import GateSpec
from anonymizer.steps import PublicCells, StepResult

REASON = "法人の商号又は名称（国税庁法人番号公表サイトで公表）"


def _frame(**columns: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.array(v, dtype="string") for k, v in columns.items()})


def _infos(frame: pd.DataFrame) -> dict[str, gate.OutputColumnInfo]:
    return {c: gate.OutputColumnInfo(c, c, "direct_identifier", False) for c in frame.columns}


def _public(*rows: bool) -> dict[str, PublicCells]:
    return {"営業者氏名又は名称": PublicCells(pd.Series(rows), REASON)}


# trade names as a register may list them (a 法人格 would make them ORGANIZATION, which
# already outranks the surname inside): the surname is still found as PERSON
NAMES = ["鈴木屋", "佐藤フーズ", "鈴木 一郎", "個人"]


def test_findings_in_public_cells_are_counted_with_the_reason_not_refused(fast):
    frame = _frame(営業者氏名又は名称=NAMES)
    refused = gate.rescan(frame, _infos(frame), GateSpec(), fast, fast)
    assert refused.data["findings"]["営業者氏名又は名称"]["PERSON"]["rows"] == [1, 2, 3]
    assert "public" not in refused.data  # nothing declared: the data are as they were

    check = gate.rescan(
        frame, _infos(frame), GateSpec(), fast, fast, public=_public(True, True, False, False)
    )
    assert not check.passed  # the individual in row 3 is still found
    assert check.data["findings"] == {"営業者氏名又は名称": {"PERSON": {"cells": 1, "rows": [3]}}}
    assert check.data["public"] == {
        "営業者氏名又は名称": {"cells": 2, "entities": {"PERSON": 2}, "reason": REASON}
    }
    assert check.detail.endswith(
        f"not refused in cells a step declared public: 営業者氏名又は名称 (PERSON×2: {REASON})"
    )

    rows3 = _frame(営業者氏名又は名称=[NAMES[0], NAMES[1], NAMES[3]])
    passed = gate.rescan(
        rows3, _infos(rows3), GateSpec(), fast, fast, public=_public(True, True, False)
    )
    assert passed.passed and passed.detail.startswith("no personal information found")


def test_a_value_public_in_one_row_is_still_refused_in_another(fast):
    frame = _frame(営業者氏名又は名称=["鈴木屋", "鈴木屋"])
    check = gate.rescan(frame, _infos(frame), GateSpec(), fast, fast, public=_public(True, False))
    assert check.data["findings"]["営業者氏名又は名称"]["PERSON"] == {"cells": 1, "rows": [2]}


def test_public_cells_are_per_column_and_matched_by_source(fast):
    frame = _frame(営業者=["鈴木屋"], 施設の名称=["すし処 鈴木"])
    infos = {
        "営業者": gate.OutputColumnInfo("営業者", "営業者氏名又は名称", "direct_identifier", False),
        "施設の名称": gate.OutputColumnInfo("施設の名称", "施設の名称", "other", False),
    }
    check = gate.rescan(frame, infos, GateSpec(), fast, fast, public=_public(True))
    assert list(check.data["findings"]) == [
        "施設の名称"
    ]  # released under another name: still public
    assert list(check.data["public"]) == ["営業者"]


def test_a_stewards_deny_list_refuses_in_public_cells_too(fast):
    frame = _frame(営業者氏名又は名称=["有限会社 鈴木屋"])
    deny = {"営業者氏名又は名称": [DenyEntry("営業者氏名又は名称", "PERSON", ("鈴木屋",), ())]}
    check = gate.rescan(frame, _infos(frame), GateSpec(), fast, fast, deny, public=_public(True))
    assert not check.passed
    assert check.data["findings"]["営業者氏名又は名称"]["PERSON"] == {"cells": 1, "rows": [1]}


def test_raw_values_hunt_only_the_values_of_rows_that_are_not_public():
    names = pd.Series(["株式会社山田太郎商店", "山田 花子", "佐藤 一郎"], dtype="string")
    cells = PublicCells(pd.Series([True, False, False]), REASON)
    assert gate.private_values(names, cells) == ["山田 花子", "佐藤 一郎"]
    assert gate.private_values(names, None) == names.tolist()
    # a row the declaration does not cover (another index) is not public
    assert (
        gate.private_values(names, PublicCells(pd.Series([True], index=[7]), REASON))
        == names.tolist()
    )
    released = _frame(
        営業者氏名又は名称=["株式会社山田太郎商店", "個人", "個人"],
        施設の名称=["山田商店", "花子の店", "佐藤一郎商店"],
    )
    check = gate.raw_values(released, {"営業者氏名又は名称": gate.private_values(names, cells)})
    assert check.data["problems"] == {
        "施設の名称": {"cells": 1, "rows": [3], "from_columns": ["営業者氏名又は名称"]}
    }


def test_public_cells_last_only_while_later_steps_leave_them():
    before = _frame(名称=["株式会社A", "山田 花子", "株式会社B"], 区分=["x", "y", "z"])
    declared = {"名称": PublicCells(pd.Series([True, False, True]), REASON)}
    # a later step that drops a row and changes one public cell
    after = before.drop(index=[0]).copy()
    after.loc[2, "名称"] = "＜伏せ字＞"
    assert gate.carry_public(declared, before, StepResult(frame=after)) == {}
    kept = gate.carry_public(declared, before, StepResult(frame=before.drop(index=[1])))
    assert kept["名称"].rows.tolist() == [True, True] and kept["名称"].reason == REASON
    # an aggregate publishes none of the earlier cells; a step's own declaration is added
    assert gate.carry_public(declared, before, StepResult(frame=before, aggregate=True)) == {}
    own = {"区分": PublicCells(pd.Series([True, True, True]), "公表区分")}
    assert set(gate.carry_public(declared, before, StepResult(frame=before, public=own))) == {
        "名称",
        "区分",
    }
