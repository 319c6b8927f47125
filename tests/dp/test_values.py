import numpy as np
import pandas as pd
import pytest

from anonymizer.dp.values import parse_numeric
from anonymizer.errors import InputError


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1", "2.5", "-3"], [1.0, 2.5, -3.0]),
        (["１２", "３．５", "－４"], [12.0, 3.5, -4.0]),  # 全角 digits, point and minus
        (["1,234", "１，０００", " 7 "], [1234.0, 1000.0, 7.0]),  # separators, spaces
        (["", None, "5"], [np.nan, np.nan, 5.0]),
    ],
)
def test_parses_text_cells(cells, expected):
    out = parse_numeric(pd.Series(cells, dtype="object"), "x", "drop")
    np.testing.assert_array_equal(out, np.array(expected))


@pytest.mark.parametrize(
    ("cells", "missing", "message"),
    [
        (["1", "山田太郎", "090-1234-5678"], "drop", "2 of 3 cell(s) are not numbers"),
        (["1", "nan", "2"], "drop", "1 of 3 cell(s) are not numbers"),
        (["1", "", None], "error", "2 empty cell(s)"),
    ],
)
def test_errors_count_cells_and_never_show_values(cells, missing, message):
    with pytest.raises(InputError) as err:
        parse_numeric(pd.Series(cells, dtype="object"), "年齢", missing)
    text = str(err.value)
    assert message in text and "'年齢'" in text
    assert "山田" not in text and "090" not in text


def test_numeric_dtype_input():
    assert parse_numeric(pd.Series([1, 2, 3]), "x", "error").tolist() == [1.0, 2.0, 3.0]
