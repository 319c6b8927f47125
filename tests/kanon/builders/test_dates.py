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
        ("1985-04-12", ["1985-04", "1985", "1980～1989年", "*"]),
        ("1985/4/12", ["1985-04", "1985", "1980～1989年", "*"]),
        ("１９８５－０４－１２", ["1985-04", "1985", "1980～1989年", "*"]),  # 全角 + dash
        ("19850412", ["1985-04", "1985", "1980～1989年", "*"]),
        ("1985年4月12日", ["1985-04", "1985", "1980～1989年", "*"]),
        ("昭和60年4月12日", ["1985-04", "1985", "1980～1989年", "*"]),
        ("S60.4.12", ["1985-04", "1985", "1980～1989年", "*"]),
        ("平成元年1月8日", ["1989-01", "1989", "1980～1989年", "*"]),
        ("令和6年2月29日", ["2024-02", "2024", "2020～2029年", "*"]),
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


# -- 年度 (fiscal_year) ---------------------------------------------------------------------
FY = type(BIRTH)(type="dates", formats=("%Y-%m-%d", "%Y-%m"), levels=("month", "quarter",
                                                                     "fiscal_year"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-04-01", ["2024-04", "2024-Q2", "2024年度", "*"]),  # 年度 starts in April
        ("2024-12-31", ["2024-12", "2024-Q4", "2024年度", "*"]),
        ("2025-01-15", ["2025-01", "2025-Q1", "2024年度", "*"]),  # Jan–Mar: the year before
        ("2025-03-31", ["2025-03", "2025-Q1", "2024年度", "*"]),
        ("2025-03", ["2025-03", "2025-Q1", "2024年度", "*"]),
        ("２０２５－０２", ["2025-02", "2025-Q1", "2024年度", "*"]),  # 全角
        ("2000-01-01", ["2000-01", "2000-Q1", "1999年度", "*"]),
    ],
)
def test_fiscal_year_levels(value, expected):
    h = FY.build("fy", "受付日", [value], Path("."))
    assert [str(x) for x in h.table[0, 1:]] == expected


def test_quarters_nest_in_fiscal_years_over_every_month():
    months = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)]
    h = FY.build("fy", "受付日", months, Path("."))  # Hierarchy checks the tree
    assert list(dict.fromkeys(h.table[:, 3])) == ["2022年度", "2023年度", "2024年度", "2025年度"]


@pytest.mark.parametrize(
    "levels",
    [
        ("fiscal_year",),
        ("month", "fiscal_year"),
        ("quarter", "fiscal_year"),
        ("month", "quarter", "fiscal_year"),
        ("month", "quarter", "year", "decade"),
        ("year", "decade"),
    ],
)
def test_valid_level_orders(levels):
    assert type(BIRTH)(type="dates", levels=levels).levels == levels


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        (("year", "fiscal_year"), "year and fiscal_year exclude each other"),
        (("fiscal_year", "year"), "year and fiscal_year exclude each other"),
        (("month", "fiscal_year", "year", "decade"), "year and fiscal_year exclude each other"),
        (("fiscal_year", "decade"), "decade cannot follow fiscal_year"),
        (("month", "quarter", "fiscal_year", "decade"), "decade cannot follow fiscal_year"),
        (("fiscal_year", "quarter"), "finer to coarser"),
        (("fiscal_year", "month"), "finer to coarser"),
        (("fiscal_year", "fiscal_year"), "finer to coarser"),
        (("quarter", "month"), "finer to coarser"),
        (("month", "month"), "finer to coarser"),
        (("decade", "year"), "finer to coarser"),
        ((), "at least 1"),
        (("week",), "month"),
    ],
)
def test_invalid_level_orders(levels, message):
    with pytest.raises(ValidationError, match=message):
        type(BIRTH)(type="dates", levels=levels)


# -- the shipped year-month files -------------------------------------------------------------
YEAR_MONTH, _ = load_spec("year_month")
EVENT_MONTH, _ = load_spec("event_month")


@pytest.mark.parametrize(
    ("spec", "value", "expected"),
    [
        (YEAR_MONTH, "1985-04", ["1985-04", "1985", "1980～1989年", "*"]),
        (YEAR_MONTH, "１９８５－０４", ["１９８５－０４", "1985", "1980～1989年", "*"]),
        (YEAR_MONTH, "1989-12", ["1989-12", "1989", "1980～1989年", "*"]),
        (YEAR_MONTH, "1990-01", ["1990-01", "1990", "1990～1999年", "*"]),
        (EVENT_MONTH, "2024-04", ["2024-04", "2024年度", "*"]),
        (EVENT_MONTH, "2025-02", ["2025-02", "2024年度", "*"]),
        (EVENT_MONTH, "2025-03", ["2025-03", "2024年度", "*"]),
        (EVENT_MONTH, "２０２５－０４", ["２０２５－０４", "2025年度", "*"]),
    ],
)
def test_shipped_year_month_hierarchies(spec, value, expected):
    h = spec.build("h", "col", [value], Path("."))
    assert [str(x) for x in h.table[0]] == expected


@pytest.mark.parametrize("spec", [YEAR_MONTH, EVENT_MONTH])
@pytest.mark.parametrize(
    ("bad", "count"),
    [
        (["2024-13"], 1),
        (["令和6年5月"], 1),  # 和暦 is cut to 西暦 year-month by generalize first
        (["2024-05-10"], 1),  # a full date: cut it first (generalize to year_month)
        (["2024"], 1),
        ([""], 1),
        (["2024-13", "abcd", "1985/04"], 3),
    ],
)
def test_values_the_year_month_files_cannot_place(spec, bad, count):
    with pytest.raises(InputError) as err:
        spec.build("h", "受付日", ["2024-05", *bad], Path("."))
    msg = str(err.value)
    assert f"column '受付日': {count} distinct value(s) cannot be placed" in msg
    for v in bad:
        assert v == "" or v not in msg
