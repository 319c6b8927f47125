from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from anonymizer.kanon.builders import FlatSpec, HierarchySpec
from anonymizer.kanon.resolve import load_spec

FLAT, _ = load_spec("flat")  # the shipped rules/hierarchies/flat.yaml


def test_shipped_file_is_flat_with_the_star_top():
    assert isinstance(FLAT, FlatSpec) and FLAT.top == "*"


@pytest.mark.parametrize(
    ("values", "rows"),
    [
        (["B02", "A01", "A01"], [["A01", "*"], ["B02", "*"]]),  # distinct, sorted
        (["１２", "12"], [["12", "*"], ["１２", "*"]]),  # as it is: 全角 is another value
        (["会社員"], [["会社員", "*"]]),
        ([" x "], [[" x ", "*"]]),
    ],
)
def test_value_then_top(values, rows):
    h = FLAT.build("flat", "職業", values, Path("."))
    assert h.height == 1
    assert [[str(x) for x in r] for r in h.table] == rows


def test_the_top_label_is_data():
    h = FlatSpec(type="flat", top="不詳").build("flat", "c", ["a", "b"], Path("."))
    assert list(h.table[:, 1]) == ["不詳", "不詳"]


@pytest.mark.parametrize(
    "doc",
    [
        {"type": "flat", "levels": [1]},  # unknown key
        {"type": "flat", "top": ""},
        {"type": "flat", "top": None},
    ],
)
def test_invalid_specs(doc):
    with pytest.raises(ValidationError):
        TypeAdapter(HierarchySpec).validate_python(doc)
