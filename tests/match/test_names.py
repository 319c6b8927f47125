"""A name held in two columns: which columns pair, the joined names, and how the record
matcher treats a part alone (only in its own row) against the joined name (anywhere)."""

from __future__ import annotations

import pandas as pd
import pytest

from anonymizer.match import RecordMatcher
from anonymizer.match.names import joined_names, pair_name_parts
from anonymizer.scan.headers import name_part


@pytest.mark.parametrize(
    ("header", "part"),
    [
        ("姓", "family"), ("名", "given"), ("申請者姓", "family"), ("申請者名", "given"),
        ("児童 氏", "family"), ("姓（カナ）", "family"), ("フリガナ（名）", "given"),
        ("カナ姓", "family"), ("セイ", "family"), ("ﾒｲ", "given"), ("Last Name", "family"),
        ("First Name", "given"), ("Surname", "family"), ("Given Name", "given"),
        ("氏名", None), ("名前", None), ("姓名", None), ("申請者氏名", None), ("フリガナ", None),
        ("Name", None), ("Full Name", None),
    ],
)
def test_a_header_names_one_part_of_a_name(header, part):
    assert name_part(header) == part


def test_parts_pair_by_stem_then_by_position():
    parts = [("申請者姓", "family"), ("申請者名", "given"), ("児童姓", "family"),
             ("児童名", "given"), ("カナ姓", "family"), ("カナ名", "given")]
    assert pair_name_parts(parts) == [
        ("申請者姓", "申請者名"), ("児童姓", "児童名"), ("カナ姓", "カナ名")
    ]
    # stems that say nothing: the nearest given part after the family part
    assert pair_name_parts([("姓", "family"), ("名", "given"), ("セイ", "family"),
                            ("メイ", "given")]) == [("姓", "名"), ("セイ", "メイ")]
    # given before family (an English layout)
    assert pair_name_parts([("First Name", "given"), ("Last Name", "family")]) == [
        ("Last Name", "First Name")
    ]
    # a family part alone pairs with nothing
    assert pair_name_parts([("申請者姓", "family")]) == []


def test_joined_names_in_the_order_they_are_written():
    columns = {
        "姓": pd.Series(["山田", "ジョンソン", None, "北"]),
        "名": pd.Series(["太郎", "マイケル", "花子", "恵子"]),
    }
    joined = joined_names(columns, [("姓", "名")])["姓+名"]
    assert sorted(joined.tolist()) == sorted(["山田太郎", "ジョンソンマイケル", "マイケルジョンソン", "北恵子"])
    assert sorted(joined.index.tolist()) == [0, 1, 1, 3]


def _matcher() -> RecordMatcher:
    columns = {"姓": pd.Series(["上杉", "佐々木"]), "名": pd.Series(["翔太", "花子"])}
    joined = joined_names(columns, [("姓", "名")])
    return RecordMatcher(
        {**columns, **joined}, dict.fromkeys([*columns, *joined], "PERSON"),
        [*columns, *joined], part_columns=["姓", "名"],
    )


def test_a_part_alone_is_matched_in_its_own_row_only():
    m = _matcher()
    assert [t[2] for t in m.keys_in("市立上杉山中学校", None)] == []  # no row: not a name
    assert [t[2] for t in m.keys_in("市立上杉山中学校", 1)] == []  # another row's part
    found = m.find("上杉さんより電話", 0)
    assert [("上杉さんより電話"[f.start:f.end]) for f in found] == ["上杉"]


def test_the_joined_name_is_matched_anywhere():
    m = _matcher()
    assert [(s, e) for s, e, _c, _e in m.keys_in("世帯主上杉翔太", None)] == [(3, 7)]
    assert [c for _s, _e, c, _e in m.keys_in("佐々木花子", 0)] == ["姓+名"]
