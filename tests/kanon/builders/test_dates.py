from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from anonymizer.errors import InputError
from anonymizer.kanon.resolve import load_spec

BIRTH, _ = load_spec("birth_date")  # the shipped rules/hierarchies/birth_date.yaml


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1985-04-12", ["1985-04", "1985", "1980-1989", "*"]),
        ("1985/4/12", ["1985-04", "1985", "1980-1989", "*"]),
        ("１９８５－０４－１２", ["1985-04", "1985", "1980-1989", "*"]),  # 全角 + dash
        ("19850412", ["1985-04", "1985", "1980-1989", "*"]),
        ("1985年4月12日", ["1985-04", "1985", "1980-1989", "*"]),
        ("昭和60年4月12日", ["1985-04", "1985", "1980-1989", "*"]),
        ("S60.4.12", ["1985-04", "1985", "1980-1989", "*"]),
        ("平成元年1月8日", ["1989-01", "1989", "1980-1989", "*"]),
        ("令和6年2月29日", ["2024-02", "2024", "2020-2029", "*"]),
    ],
)
def test_levels(value, expected):
    h = BIRTH.build("birth_date", "生年月日", [value], Path("."))
    assert [str(x) for x in h.table[0, 1:]] == expected


@pytest.mark.parametrize("bad", ["1985-02-30", "令和6年2月30日", "昨日", "", "2024-13-01"])
def test_unparseable_dates_are_errors(bad):
    with pytest.raises(InputError, match="1 distinct value"):
        BIRTH.build("birth_date", "生年月日", ["1985-04-12", bad], Path("."))


def test_rows_are_in_date_order():
    h = BIRTH.build("b", "b", ["2001-01-01", "昭和60年4月12日", "1990-05-05"], Path("."))
    assert list(h.table[:, 1]) == ["1985-04", "1990-05", "2001-01"]


def test_levels_must_get_coarser():
    with pytest.raises(ValidationError, match="finer to coarser"):
        type(BIRTH)(type="dates", levels=("year", "month"))
