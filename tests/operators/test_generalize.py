import pandas as pd
import pytest

from anonymizer.errors import ConfigError, InputError
from anonymizer.operators.generalize import age_at
from tests.operators.conftest import column, make

REF = "2024-04-01"
#: the release's issued date, set by the runner on every context: never an age's reference
ISSUED = "2026-04-01"


def at_ref(params):
    """Ages and age bands at REF (stated: the issued date is no default)."""
    return {**params, "reference_date": REF} if params["to"] in ("age", "age_band") else params


def gen(params, *values, index=None):
    op = make("generalize", at_ref(params), reference_date=ISSUED, column="生年月日")
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
        (10, "54", "50～59歳"),
        (10, "54歳", "50～59歳"),
        (10, "５４歳", "50～59歳"),
        (10, "五十四歳", "50～59歳"),
        (10, "0", "0～9歳"),
        (5, "7", "5～9歳"),
        (5, "007", "5～9歳"),  # leading zeros
        (5, "105", "105～109歳"),
        (10, "99", "90～99歳"),
        (10, "100歳", "100～109歳"),
        (10, "1970/4/1", "50～59歳"),  # birth dates: age at the reference date
        (5, "昭和45年3月2日", "50～54歳"),
        (5, "19700402", "50～54歳"),
        (10, "", ""),
        (10, pd.NA, pd.NA),
    ],
)
def test_age_band(width, value, expected):
    assert gen({"to": "age_band", "width": width}, value) == [expected]


def test_age_band_labels_are_the_tables_age_codes():
    """One band format: 5-year bands are exactly the leaves of the tables' age hierarchy, so a
    generalized column is tabulated as it is (the old 05-09歳 matched no code)."""
    from anonymizer.tables.hierarchy import load_hierarchy

    labels = gen({"to": "age_band", "width": 5}, *[str(a) for a in range(0, 100)])
    h = load_hierarchy("age_5y_10y.yaml", "t")
    assert list(dict.fromkeys(labels)) == [h.codes[i] for i in h.leaves[:20]]
    assert labels[7] == "5～9歳"


def test_age_band_source_age_needs_no_reference_date():
    op = make("generalize", {"to": "age_band", "width": 10, "source": "age"}, reference_date=ISSUED)
    assert op.apply(column("54", "9")).tolist() == ["50～59歳", "0～9歳"]
    with pytest.raises(InputError):
        op.apply(column("1970/4/1"))


def test_age_band_auto_with_dates_but_no_reference_is_a_config_error():
    op = make("generalize", {"to": "age_band", "width": 10}, reference_date=ISSUED)
    assert op.apply(column("54", "54歳", "５４歳")).tolist() == ["50～59歳"] * 3
    with pytest.raises(ConfigError, match="birth date needs reference_date or reference_column"):
        op.apply(column("1970/4/1"))


def test_reference_date_param_is_the_age_date():
    op = make("generalize", {"to": "age", "reference_date": "2030-04-01"}, reference_date=ISSUED)
    assert op.apply(column("1970/4/1")).tolist() == ["60"]


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
    assert make("generalize", at_ref({"to": to})).CONTROLLED_OUTPUT is controlled


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
    assert "data row 11, data row 13, data row 14, data row 15, data row 16, …" in err.value.message


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"to": "decade"}, "to"),
        ({"to": "age_band"}, "width"),
        ({"to": "age_band", "width": 7}, "width"),
        ({"to": "year", "width": 10}, "width"),
        ({"to": "year", "reference_date": "2024-04-01"}, "reference_date"),
        ({"to": "age", "reference_date": "2024-13-01"}, "reference_date"),
        ({"to": "year", "reference_column": "受付日"}, "reference_column"),
        ({"to": "postal3", "reference_column": "受付日"}, "reference_column"),
        ({"to": "age", "reference_column": ""}, "reference_column"),
        ({"to": "age", "reference_date": "2024-04-01", "reference_column": "受付日"},
         "not both"),
        ({"to": "age_band", "width": 5, "reference_date": "2024-04-01",
          "reference_column": "受付日"}, "not both"),
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
@pytest.mark.parametrize("issued", [None, ISSUED, "令和6年4月1日"])
def test_age_needs_a_reference_even_with_an_issued_date(params, issued):
    with pytest.raises(ConfigError) as err:
        make("generalize", params, reference_date=issued)
    assert err.value.message.endswith(
        f"column 'col': generalize to {params['to']} needs reference_date or reference_column "
        "(the record's own date, e.g. 受付日)"
    )


@pytest.mark.parametrize(
    ("birth", "ref", "age"),
    [(("2000-02-29"), "2023-02-28", 22), ("2000-02-29", "2023-03-01", 23),
     ("2000-02-29", "2024-02-29", 24), ("1970-12-31", "2024-12-30", 53)],
)
def test_age_at(birth, ref, age):
    from datetime import date

    assert age_at(date.fromisoformat(birth), date.fromisoformat(ref)) == age


# -- ages at the record's own date (reference_column) ---------------------------------------
def at_row(params, births, refs, index=None):
    """Apply with the reference column as the runner passes it (raw input, same index)."""
    op = make("generalize", {**params, "reference_column": "受付日"}, reference_date=ISSUED,
              column="生年月日")
    return op.apply_with(column(*births, index=index), {"受付日": column(*refs, index=index)})


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"to": "age"}, "28"),
        ({"to": "age_band", "width": 10}, "20～29歳"),
        ({"to": "age_band", "width": 5}, "25～29歳"),
        ({"to": "age_band", "width": 10, "source": "birth_date"}, "20～29歳"),
    ],
)
def test_age_at_the_consultation_not_at_publication(params, expected):
    # born 1995-06-01, consulted 2024-05-10: 28 then, 30 at the 2026 release
    assert at_row(params, ["1995-06-01"], ["2024-05-10"]).tolist() == [expected]


def test_each_row_uses_its_own_date():
    births = ["1995-06-01", "1995-06-01", "1995-06-01", "昭和45年4月1日", "1970/4/1"]
    refs = ["2024-05-10", "2024-06-01", "2025-05-31", "2024-03-31", "2024-04-01"]
    assert at_row({"to": "age"}, births, refs).tolist() == ["28", "29", "29", "53", "54"]


@pytest.mark.parametrize(
    "ref",
    ["令和6年5月10日", "R6.5.10", "Ｒ６．５．１０", "令和六年五月十日", "2024/5/10",
     "２０２４－０５－１０", "20240510", " 2024-05-10 "],
)
def test_reference_in_any_date_spelling(ref):
    assert at_row({"to": "age"}, ["平成7年6月1日"], [ref]).tolist() == ["28"]


def test_stated_ages_and_blank_cells_need_no_reference():
    births = ["54", "５４歳", "", " ", pd.NA, "1995-06-01"]
    refs = ["", pd.NA, "", "不明", pd.NA, "2024-05-10"]
    out = at_row({"to": "age_band", "width": 10}, births, refs).tolist()
    assert out == ["50～59歳", "50～59歳", "", " ", pd.NA, "20～29歳"]


def test_keeps_index_name_and_dtype():
    out = at_row({"to": "age"}, ["1995-06-01", pd.NA], ["2024-05-10", ""], index=[7, 3])
    assert list(out.index) == [7, 3] and out.name == "col" and out.dtype == "string"
    assert out.tolist() == ["28", pd.NA]


BAD_REFS = ["2024-05", "", pd.NA, "不明", "令和6年2月30日", "2024", "R6.5"]


@pytest.mark.parametrize("params", [{"to": "age"}, {"to": "age_band", "width": 10}])
def test_bad_references_fail_closed_with_count_and_rows_never_a_value(params):
    births = ["1995-06-01", "1988-01-02"] * 5
    refs = ["2024-05-10", *BAD_REFS, "2024-05-10", "不明"]
    with pytest.raises(InputError) as err:
        at_row(params, births, refs, index=list(range(100, 110)))
    msg = err.value.message
    assert err.value.exit_code == 2
    assert msg.startswith("column '生年月日': 8 of 10 cell(s) ")
    assert "'受付日'" in msg and "data row 102, data row 103, data row 104, data row 105, data row 106, …" in msg
    for v in [*BAD_REFS, *births]:
        assert pd.isna(v) or v == "" or v not in msg


@pytest.mark.parametrize(
    ("births", "refs"),
    [
        (["2025-01-01"], ["2024-05-10"]),  # born after the consultation
        (["1995-06"], ["2024-05-10"]),  # not a full birth date
        (["不明"], ["2024-05-10"]),
        (["不明"], [""]),  # the value is at fault whatever the reference
        (["1995-06"], ["不明"]),
    ],
)
def test_bad_birth_dates_against_good_references(births, refs):
    with pytest.raises(InputError, match=r"1 of 1 cell\(s\) cannot be read as a full birth date"):
        at_row({"to": "age"}, births, refs)


def test_distinct_values_references_and_ages_are_computed_once(monkeypatch):
    op = make("generalize", {"to": "age", "reference_column": "受付日"})
    calls = {"birth": 0, "ref": 0, "label": 0}
    for name, key in [("_read_age", "birth"), ("_reference_date", "ref"), ("_age_text", "label")]:
        real = getattr(op, name)

        def counted(*a, _real=real, _key=key):
            calls[_key] += 1
            return _real(*a)

        monkeypatch.setattr(op, name, counted)
    births = ["1995-06-01", "1970-04-01"] * 500
    refs = ["2024-05-10", "2024-05-10", "2025-05-10", "2025-05-10"] * 250
    out = op.apply_with(column(*births), {"受付日": column(*refs)})
    assert out.tolist()[:4] == ["28", "54", "29", "55"]
    assert calls == {"birth": 2, "ref": 2, "label": 4}


@pytest.mark.parametrize(
    ("birth", "ref"),
    [("2000-02-29", "2023-02-28"), ("2000-02-29", "2023-03-01"), ("2000-02-29", "2024-02-29"),
     ("1970-12-31", "2024-12-30"), ("1970-12-31", "2024-12-31"), ("2024-05-10", "2024-05-10")],
)
def test_row_ages_agree_with_age_at(birth, ref):
    from datetime import date

    expected = str(age_at(date.fromisoformat(birth), date.fromisoformat(ref)))
    assert at_row({"to": "age"}, [birth], [ref]).tolist() == [expected]


def test_empty_column():
    assert at_row({"to": "age"}, [], []).tolist() == []


def test_references_name_the_column_read():
    op = make("generalize", {"to": "age", "reference_column": "受付日"})
    assert op.references() == ("受付日",)
    assert make("generalize", {"to": "age", "reference_date": REF}).references() == ()
    assert make("generalize", {"to": "year"}).references() == ()


@pytest.mark.parametrize("refs", [None, {}, {"申請日": column("2024-05-10")}])
def test_missing_reference_values_are_a_config_error(refs):
    op = make("generalize", {"to": "age", "reference_column": "受付日"})
    with pytest.raises(ConfigError, match="'受付日'"):
        op.apply_with(column("1995-06-01"), refs)


def test_reference_values_must_share_the_index():
    op = make("generalize", {"to": "age", "reference_column": "受付日"})
    with pytest.raises(ConfigError, match="index"):
        op.apply_with(column("1995-06-01", index=[1]), {"受付日": column("2024-05-10", index=[2])})


def test_apply_without_the_rows_dates_is_a_config_error_and_apply_with_ignores_unused_refs():
    op = make("generalize", {"to": "age", "reference_column": "受付日"})
    with pytest.raises(ConfigError, match="受付日"):
        op.apply(column("1995-06-01"))
    assert make("generalize", {"to": "year"}).apply_with(column("1970/3/2"), {}).tolist() == [
        "1970"
    ]
