import pandas as pd
import pytest

from anonymizer.errors import ConfigError, InputError
from tests.operators.conftest import column, make

AGES = {"top": 90, "bottom": 5}


def code(params, *values, index=None):
    op = make("top_bottom_code", params, column="年齢")
    return op.apply(column(*values, index=index)).tolist()


@pytest.mark.parametrize(
    ("params", "value", "expected"),
    [
        (AGES, "92", "90歳以上"),
        (AGES, "90", "90歳以上"),  # inclusive
        (AGES, "89", "89"),  # unchanged, exactly as written
        (AGES, "92歳", "90歳以上"),
        (AGES, "９２歳", "90歳以上"),
        (AGES, "九十二歳", "90歳以上"),
        (AGES, "116", "90歳以上"),
        (AGES, "092", "90歳以上"),  # leading zeros
        (AGES, "89.5", "89.5"),
        (AGES, "90.0", "90歳以上"),
        (AGES, "5", "5歳以下"),
        (AGES, "3歳", "5歳以下"),
        (AGES, "6", "6"),
        (AGES, "４５歳", "４５歳"),
        # bands from generalize: ≥ top when the lower bound is
        (AGES, "90～99歳", "90歳以上"),
        (AGES, "100～109歳", "90歳以上"),
        (AGES, "80～89歳", "80～89歳"),
        (AGES, "0～4歳", "5歳以下"),
        (AGES, "10～14歳", "10～14歳"),
        ({"bottom": 4}, "5～9歳", "5～9歳"),
        # … and in the old forms, written before (kept as they are when not coded)
        (AGES, "90-99歳", "90歳以上"),
        (AGES, "90－99歳", "90歳以上"),
        (AGES, "90〜99歳", "90歳以上"),
        (AGES, "90 ~ 99", "90歳以上"),
        (AGES, "80-89歳", "80-89歳"),
        (AGES, "00-04歳", "5歳以下"),
        ({"bottom": 4}, "05-09歳", "05-09歳"),
        # labels already applied stay (coding twice is harmless)
        (AGES, "90歳以上", "90歳以上"),
        (AGES, "5歳以下", "5歳以下"),
        # custom labels and units
        ({"top": 90, "top_label": "{top}〜"}, "95", "90歳〜"),
        ({"top": 1e7, "unit": "円", "top_label": "{top}～"}, "12,000,000円", "10000000円～"),
        ({"top": 1e7, "unit": ""}, "１２，０００，０００", "10000000以上"),
        ({"bottom": 0, "unit": ""}, "-5", "0以下"),
        # blank cells stay
        (AGES, "", ""),
        (AGES, " ", " "),
        (AGES, pd.NA, pd.NA),
    ],
)
def test_top_bottom_code(params, value, expected):
    assert code(params, value) == [expected]


@pytest.mark.parametrize(
    "values",
    [["92", "不明"], ["92", "92才"], ["85～94歳"], ["90～99歳"], ["5～9歳"], ["99～90歳"],
     ["85-94歳"], ["90-99歳"], ["05-09歳"], ["99-90歳"], ["1970/3/2"]],
)
def test_unreadable_or_straddling_cells_fail_closed(values):
    index = list(range(50, 50 + len(values)))
    with pytest.raises(InputError) as err:
        code({"top": 92, "bottom": 5}, *values, index=index)
    msg = err.value.message
    assert msg.startswith("column '年齢': ") and "(data row " in msg
    assert not any(v in msg for v in values if not v.isdigit())
    assert err.value.exit_code == 2


def test_controlled_and_keeps_index():
    op = make("top_bottom_code", AGES)
    out = op.apply(column("92", pd.NA, "45", index=[7, 8, 9]))
    assert op.CONTROLLED_OUTPUT is True
    assert out.index.tolist() == [7, 8, 9] and out.tolist() == ["90歳以上", pd.NA, "45"]


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({}, "give top, bottom or both"),
        ({"top": 5, "bottom": 90}, "bottom must be below top"),
        ({"top": 90, "top_label": "{oben}以上"}, "placeholder {top}"),
        ({"bottom": 5, "bottom_label": "{0}"}, "placeholder {bottom}"),
        ({"top": 90, "unit": "", "top_label": "{top}+"}, "spreadsheet"),  # 90+ reads as 90
        ({"bottom": 5, "unit": "", "bottom_label": "-{bottom}"}, "spreadsheet"),
        ({"top": "ninety"}, "top"),
    ],
)
def test_bad_params(params, where):
    with pytest.raises(ConfigError) as err:
        make("top_bottom_code", params)
    assert err.value.message.startswith("pipeline.yaml: steps[0]")
    assert where in err.value.message
