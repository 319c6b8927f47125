import pandas as pd
import pytest

from anonymizer.errors import ConfigError, InputError
from anonymizer.operators.generalize import age_at
from tests.operators.conftest import column, make

REF = "2024-04-01"


def gen(params, *values, reference_date=REF, index=None):
    op = make("generalize", params, reference_date=reference_date, column="生年月日")
    return op.apply(column(*values, index=index)).tolist()


@pytest.mark.parametrize(
    ("to", "value", "expected"),
    [
        # 和暦, 西暦, 全角, hyphen variants, ligature eras, kanji numerals, compact
        ("year", "昭和45年3月2日", "1970"),
        ("year", "S45.3.2", "1970"),
        ("year", "Ｓ４５．３．２", "1970"),
        ("year", "H元.1.8", "1989"),
        ("year", "㍻元年1月8日", "1989"),
        ("year", "令和6年4月1日", "2024"),
        ("year", "昭和四十五年三月二日", "1970"),
        ("year", "1970/3/2", "1970"),
        ("year", "1970-03-02", "1970"),
        ("year", "１９７０－０３－０２", "1970"),
        ("year", "1970‐03‐02", "1970"),
        ("year", "1970年3月2日", "1970"),
        ("year", "19700302", "1970"),
        ("year", " 1970/3/2 ", "1970"),
        ("year", "昭和45年", "1970"),  # a year is enough for a year
        ("year", "1970年", "1970"),
        ("year_month", "昭和45年3月2日", "1970-03"),
        ("year_month", "S45.3.2", "1970-03"),
        ("year_month", "昭和45年3月", "1970-03"),
        ("year_month", "19701231", "1970-12"),
        # 年度: April–March
        ("fiscal_year", "令和6年4月1日", "2024年度"),
        ("fiscal_year", "2024/3/31", "2023年度"),
        ("fiscal_year", "R6.3.31", "2023年度"),
        ("fiscal_year", "2025-01-15", "2024年度"),
        ("fiscal_year", "平成31年3月", "2018年度"),
        # 満年齢 at 2024-04-01
        ("age", "1970/4/1", "54"),  # birthday today
        ("age", "1970/4/2", "53"),  # birthday tomorrow
        ("age", "昭和45年3月2日", "54"),
        ("age", "H元.1.8", "35"),
        ("age", "2024-04-01", "0"),
        ("age", "2000/2/29", "24"),
        ("age", "明治45年7月29日", "111"),
        # blank cells stay
        ("year", "", ""),
        ("age", " ", " "),
        ("fiscal_year", pd.NA, pd.NA),
    ],
)
def test_dates(to, value, expected):
    assert gen({"to": to}, value) == [expected]


@pytest.mark.parametrize(
    ("width", "value", "expected"),
    [
        (10, "54", "50-59歳"),
        (10, "54歳", "50-59歳"),
        (10, "５４歳", "50-59歳"),
        (10, "五十四歳", "50-59歳"),
        (10, "0", "00-09歳"),
        (5, "7", "05-09歳"),
        (5, "007", "05-09歳"),  # leading zeros
        (5, "105", "105-109歳"),
        (10, "99", "90-99歳"),
        (10, "100歳", "100-109歳"),
        (10, "1970/4/1", "50-59歳"),  # birth dates: age at the reference date
        (5, "昭和45年3月2日", "50-54歳"),
        (5, "19700402", "50-54歳"),
        (10, "", ""),
        (10, pd.NA, pd.NA),
    ],
)
def test_age_band(width, value, expected):
    assert gen({"to": "age_band", "width": width}, value) == [expected]


def test_age_band_labels_sort_as_text_below_100():
    ages = [str(a) for a in range(0, 100)]
    labels = gen({"to": "age_band", "width": 5}, *ages)
    assert sorted(set(labels)) == list(dict.fromkeys(labels))


def test_age_band_source_age_needs_no_reference_date():
    op = make("generalize", {"to": "age_band", "width": 10, "source": "age"})
    assert op.apply(column("54", "9")).tolist() == ["50-59歳", "00-09歳"]
    with pytest.raises(InputError):
        op.apply(column("1970/4/1"))


def test_age_band_auto_with_dates_but_no_reference_date_is_a_config_error():
    op = make("generalize", {"to": "age_band", "width": 10})
    assert op.apply(column("54")).tolist() == ["50-59歳"]
    with pytest.raises(ConfigError, match="reference date"):
        op.apply(column("1970/4/1"))


def test_params_reference_date_overrides_the_release_date():
    params = {"to": "age", "reference_date": "2030-04-01"}
    assert gen(params, "1970/4/1") == ["60"]


@pytest.mark.parametrize(
    ("to", "value", "expected"),
    [
        ("postal3", "186-0004", "186"),
        ("postal3", "1860004", "186"),
        ("postal3", "〒186-0004", "186"),
        ("postal3", "１８６－０００４", "186"),
        ("postal3", "186ー0004", "186"),
        ("postal3", "001-0010", "001"),  # leading zeros
        ("postal3", "", ""),
        ("postal3", pd.NA, pd.NA),
    ],
)
def test_postal3(to, value, expected):
    assert gen({"to": to}, value) == [expected]


@pytest.mark.parametrize(
    ("to", "value", "expected"),
    [
        ("address_town", "東京都国立市富士見台1-2-3", "東京都国立市富士見台"),
        ("address_town", "東京都国立市富士見台１－２－３", "東京都国立市富士見台"),
        ("address_city", "東京都国立市富士見台1-2-3", "東京都国立市"),
        ("address_city", "国立市中1丁目", "東京都国立市"),
        ("address_prefecture", "東京都国立市富士見台1-2-3", "東京都"),
        ("address_prefecture", "国立市中1丁目", "東京都"),
        ("address_city", "", ""),
        ("address_city", pd.NA, pd.NA),
    ],
)
def test_addresses(to, value, expected):
    assert gen({"to": to}, value) == [expected]


@pytest.mark.parametrize(
    ("to", "controlled"),
    [("year", True), ("age", True), ("postal3", True), ("address_city", True),
     ("address_prefecture", True), ("address_town", False)],
)
def test_controlled_output(to, controlled):
    assert make("generalize", {"to": to}, reference_date=REF).CONTROLLED_OUTPUT is controlled


@pytest.mark.parametrize(
    ("params", "values"),
    [
        ({"to": "year"}, ["1970/3/2", "平成32年4月1日", "S45.3.2", "2023/2/29", "不明", "1970"]),
        ({"to": "year_month"}, ["1970年", "1970/3/2"]),
        ({"to": "fiscal_year"}, ["昭和45年"]),
        ({"to": "age"}, ["昭和45年3月", "2025/1/1"]),  # partial; after the reference date
        ({"to": "age_band", "width": 10}, ["abc", "1970年"]),
        ({"to": "postal3"}, ["186-004", "18600041", "186-0004-1", "一八六"]),
        ({"to": "address_city"}, ["どこか遠く"]),
    ],
)
def test_unreadable_values_fail_closed_without_echoing_them(params, values):
    index = list(range(200, 200 + len(values)))
    with pytest.raises(InputError) as err:
        gen(params, *values, index=index)
    msg = err.value.message
    assert msg.startswith("column '生年月日': ")
    assert err.value.exit_code == 2
    for v in values:
        assert v not in msg or v.isdigit() and len(v) <= 3  # never a value (row numbers may)


def test_error_lists_count_and_first_five_rows():
    values = ["x1", "1970/3/2", "x2", "x3", "x4", "x5", "x6"]
    with pytest.raises(InputError) as err:
        gen({"to": "year"}, *values, index=list(range(10, 17)))
    assert "6 of 7 cell(s)" in err.value.message
    assert "rows 11, 13, 14, 15, 16, …" in err.value.message


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"to": "decade"}, "to"),
        ({"to": "age_band"}, "width"),
        ({"to": "age_band", "width": 7}, "width"),
        ({"to": "year", "width": 10}, "width"),
        ({"to": "year", "reference_date": "2024-04-01"}, "reference_date"),
        ({"to": "age", "reference_date": "2024-13-01"}, "reference_date"),
        ({"to": "year", "source": "age"}, "source"),
    ],
)
def test_bad_params(params, where):
    with pytest.raises(ConfigError) as err:
        make("generalize", params)
    assert err.value.message.startswith("pipeline.yaml: steps[0]")
    assert where in err.value.message


@pytest.mark.parametrize(
    "params", [{"to": "age"}, {"to": "age_band", "width": 5, "source": "birth_date"}]
)
def test_age_needs_a_reference_date(params):
    with pytest.raises(ConfigError, match="column 'col'.*reference date"):
        make("generalize", params)


def test_bad_release_reference_date():
    with pytest.raises(ConfigError, match="ISO date"):
        make("generalize", {"to": "age"}, reference_date="令和6年4月1日")


@pytest.mark.parametrize(
    ("birth", "ref", "age"),
    [(("2000-02-29"), "2023-02-28", 22), ("2000-02-29", "2023-03-01", 23),
     ("2000-02-29", "2024-02-29", 24), ("1970-12-31", "2024-12-30", 53)],
)
def test_age_at(birth, ref, age):
    from datetime import date

    assert age_at(date.fromisoformat(birth), date.fromisoformat(ref)) == age
