from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from anonymizer.errors import InputError
from anonymizer.kanon.builders import IntervalsSpec

AGE = IntervalsSpec(type="intervals", lower=0, upper=100, widths=(5, 10, 20), above="100+")


def row(h, value):
    return [str(x) for x in h.table[list(h.table[:, 0]).index(value)]]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", ["0", "0-4", "0-9", "0-19", "*"]),
        ("37", ["37", "35-39", "30-39", "20-39", "*"]),
        ("３７", ["３７", "35-39", "30-39", "20-39", "*"]),  # 全角
        (" 99 ", [" 99 ", "95-99", "90-99", "80-99", "*"]),
        ("100", ["100", "100+", "100+", "100+", "*"]),
        ("104", ["104", "100+", "100+", "100+", "*"]),
    ],
)
def test_labels(value, expected):
    h = AGE.build("age", "年齢", [value, "1"], Path("."))
    assert row(h, value) == expected


def test_rows_are_in_numeric_order():
    h = AGE.build("age", "age", ["10", "9", "100", "2"], Path("."))
    assert list(h.table[:, 0]) == ["2", "9", "10", "100"]


@pytest.mark.parametrize("bad", ["abc", "", "3.5", "-1"])
def test_unplaceable_values_are_counted_not_echoed(bad):
    with pytest.raises(InputError) as err:
        AGE.build("age", "年齢", ["30", bad], Path("."))
    assert "'年齢'" in str(err.value) and "1 distinct value(s)" in str(err.value)


def test_floats_with_exclusive_bounds():
    spec = IntervalsSpec(type="intervals", lower=0, upper=10, widths=(2.5,), integer=False,
                         label="[{lo},{hi})")
    h = spec.build("x", "x", ["1.2", "2.5"], Path("."))
    assert list(h.table[:, 1]) == ["[0,2.5)", "[2.5,5)"]


@pytest.mark.parametrize(
    "widths", [(10, 15), (10, 5), (0,), (-5,)],
)
def test_widths_must_nest(widths):
    with pytest.raises(ValidationError):
        IntervalsSpec(type="intervals", lower=0, upper=100, widths=widths)
