from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from anonymizer.kanon.builders import CategoriesSpec


def build(**kw):
    return CategoriesSpec(type="categories", **kw).build("c", "c", [], Path("."))


def test_explicit_groups():
    h = build(levels=[{"groups": {"未婚": ["未婚"], "既婚": ["有配偶", "死別", "離別"]}}])
    assert [list(r) for r in h.table] == [
        ["未婚", "未婚", "*"],
        ["有配偶", "既婚", "*"],
        ["死別", "既婚", "*"],
        ["離別", "既婚", "*"],
    ]


def test_ordered_runs():
    h = build(values=["1", "2", "3", "4", "5"], levels=[{"size": 2}, {"size": 2}])
    assert list(h.table[:, 1]) == ["1～2", "1～2", "3～4", "3～4", "5"]
    assert list(h.table[:, 2]) == ["1～4"] * 4 + ["5"]  # a run of runs: first to last value


def test_ordered_runs_with_an_own_template():
    h = build(values=["1", "2", "3"], levels=[{"size": 2, "label": "{first}から{last}"}])
    assert list(h.table[:, 1]) == ["1から2", "1から2", "3"]


@pytest.mark.parametrize("label", ["{first}-{last}", "{first}/{last}", "{lo}～{hi}"])
def test_run_labels_a_spreadsheet_would_convert_are_refused(label):
    with pytest.raises(ValidationError, match="spreadsheet|placeholders"):
        build(values=["1", "2"], levels=[{"size": 2, "label": label}])


def test_values_only_and_no_top():
    h = build(values=["男", "女"], top=None)
    assert h.height == 0


@pytest.mark.parametrize("raw", ["男", "男 ", "\u3000男"])
def test_lookup_is_nfkc(raw):
    h = build(values=["男", "女"])
    assert h.codes_for(pd.Series([raw]), "性別").tolist() == [0]


@pytest.mark.parametrize(
    ("kw", "fragment"),
    [
        ({"values": ["a", "b"], "levels": [{"groups": {"A": ["a"]}}]}, "1 label"),
        ({"values": ["a"], "levels": [{"groups": {"A": ["a"], "B": ["a"]}}]}, "two groups"),
        ({"values": ["a"], "levels": [{"groups": {"A": ["a", "z"]}}]}, "not labels"),
        ({"values": ["a", "a"]}, "listed twice"),
        ({"levels": [{"size": 2}]}, "values: required"),
        ({"values": ["a"], "levels": [{"size": 1}]}, "greater than or equal to 2"),
    ],
)
def test_incomplete_groupings_are_rejected(kw, fragment):
    with pytest.raises(ValidationError, match=fragment):
        CategoriesSpec(type="categories", **kw)
