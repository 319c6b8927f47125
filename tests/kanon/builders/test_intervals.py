from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from anonymizer.errors import InputError
from anonymizer.kanon.builders import IntervalsSpec

AGE = IntervalsSpec(type="intervals", lower=0, upper=100, widths=(5, 10, 20), above=True)


def row(h, value):
    return [str(x) for x in h.table[list(h.table[:, 0]).index(value)]]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", ["0", "0～4", "0～9", "0～19", "*"]),
        ("37", ["37", "35～39", "30～39", "20～39", "*"]),
        ("３７", ["３７", "35～39", "30～39", "20～39", "*"]),  # 全角
        (" 99 ", [" 99 ", "95～99", "90～99", "80～99", "*"]),
        ("100", ["100", "100以上", "100以上", "100以上", "*"]),
        ("104", ["104", "100以上", "100以上", "100以上", "*"]),
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


def test_floats_get_half_open_bands_and_open_ends_by_default():
    spec = IntervalsSpec(type="intervals", lower=0, upper=10, widths=(2.5,), integer=False,
                         below=True, above=True, unit="kg")
    h = spec.build("x", "x", ["1.2", "2.5", "-1", "12"], Path("."))
    assert row(h, "1.2")[1] == "0kg以上2.5kg未満"
    assert row(h, "2.5")[1] == "2.5kg以上5kg未満"
    assert row(h, "-1")[1] == "0kg未満"
    assert row(h, "12")[1] == "10kg以上"


def test_below_true_on_whole_numbers_is_at_most():
    spec = IntervalsSpec(type="intervals", lower=20, upper=40, widths=(10,), below=True, unit="歳")
    h = spec.build("x", "x", ["15", "25"], Path("."))
    assert row(h, "15")[1] == "19歳以下" and row(h, "25")[1] == "20～29歳"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("label", "{lo}-{hi}"),  # 10-19: a date to Excel
        ("label", "{lo}/{hi}"),
        ("label", "{lo}～{oben}"),  # an unknown placeholder
        ("above", "100+"),  # the number 100 to a spreadsheet
        ("below", "-1"),
        ("above", "１００＋"),  # 全角 is read too
    ],
)
def test_labels_a_spreadsheet_would_convert_are_refused(field, value):
    with pytest.raises(ValidationError, match="spreadsheet|placeholders"):
        IntervalsSpec(type="intervals", lower=0, upper=100, widths=(10,), **{field: value})


@pytest.mark.parametrize(
    "widths", [(10, 15), (10, 5), (0,), (-5,)],
)
def test_widths_must_nest(widths):
    with pytest.raises(ValidationError):
        IntervalsSpec(type="intervals", lower=0, upper=100, widths=widths)


# -- a unit after the number ("54歳") ---------------------------------------------------------
AGE_Y = AGE.model_copy(update={"unit": "歳"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("54歳", ["54歳", "50～54歳", "50～59歳", "40～59歳", "*"]),  # labels carry the unit
        ("５４歳", ["５４歳", "50～54歳", "50～59歳", "40～59歳", "*"]),  # 全角
        (" 54 歳 ", [" 54 歳 ", "50～54歳", "50～59歳", "40～59歳", "*"]),
        ("54", ["54", "50～54歳", "50～59歳", "40～59歳", "*"]),  # the unit may be left out
        ("0歳", ["0歳", "0～4歳", "0～9歳", "0～19歳", "*"]),
        ("１０２歳", ["１０２歳", "100歳以上", "100歳以上", "100歳以上", "*"]),
    ],
)
def test_unit_is_stripped_before_parsing(value, expected):
    h = AGE_Y.build("age", "年齢", [value, "1"], Path("."))
    assert row(h, value) == expected


def test_shipped_age_5y_reads_ages_with_the_unit():
    from anonymizer.kanon.resolve import load_spec

    spec, _ = load_spec("age_5y")
    h = spec.build("age_5y", "年齢", ["54歳", "５４歳", "54", "100歳"], Path("."))
    for v in ("54歳", "５４歳", "54"):
        assert row(h, v)[1:] == ["50～54歳", "50～59歳", "40～59歳", "*"]
    assert row(h, "100歳")[1] == "100歳以上"


@pytest.mark.parametrize(
    ("spec", "bad"),
    [
        (AGE_Y, "歳"),
        (AGE_Y, "54才"),  # another unit
        (AGE_Y, "歳54"),  # the unit comes after the number
        (AGE_Y, "54歳歳"),
        (AGE_Y, "54歳5ヶ月"),
        (AGE_Y, "五十四歳"),  # kanji numerals: generalize to age_band reads those
        (AGE_Y, "-1歳"),
        (AGE, "54歳"),  # no unit declared: not a number
    ],
)
def test_values_with_a_unit_that_cannot_be_placed(spec, bad):
    with pytest.raises(InputError) as err:
        spec.build("age", "年齢", ["30歳" if spec.unit else "30", bad], Path("."))
    msg = str(err.value)
    assert "'年齢'" in msg and "1 distinct value(s)" in msg
    assert bad not in msg or len(bad) == 1  # masked: only the first character is shown


def test_the_unit_cannot_be_empty():
    with pytest.raises(ValidationError):
        IntervalsSpec(type="intervals", lower=0, upper=100, widths=(5,), unit="")
