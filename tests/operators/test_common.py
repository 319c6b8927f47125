import numpy as np
import pandas as pd
import pytest

from anonymizer.errors import InputError
from anonymizer.operators._common import blank_mask, map_distinct, reject_cells, row_numbers
from tests.operators.conftest import column


def test_blank_mask_counts_na_empty_and_whitespace():
    s = column("a", pd.NA, "", " ", "\u3000", " b ")
    assert blank_mask(s).tolist() == [False, True, True, True, True, False]


def test_map_distinct_calls_once_per_distinct_value_and_keeps_blanks():
    calls: list[str] = []

    def upper(v: str) -> str:
        calls.append(v)
        return v.upper()

    s = column("a", "b", "a", pd.NA, "", " ", "a", index=[5, 6, 7, 8, 9, 10, 11])
    out, bad = map_distinct(s, upper)
    assert out.tolist() == ["A", "B", "A", pd.NA, "", " ", "A"]
    assert sorted(calls) == ["a", "b"]
    assert out.index.tolist() == s.index.tolist() and out.name == "col" and out.dtype == s.dtype
    assert not bad.any()


def test_map_distinct_marks_cells_the_function_cannot_handle():
    out, bad = map_distinct(column("ok", "x", pd.NA, "x"), lambda v: None if v == "x" else v)
    assert bad.tolist() == [False, True, False, True]


def test_row_numbers_follow_the_index_of_a_chunk():
    bad = np.array([False, True, True, False, True])
    assert row_numbers(pd.RangeIndex(100, 105), bad) == [102, 103, 105]
    assert row_numbers(pd.Index(["a", "b", "c", "d", "e"]), bad) == [2, 3, 5]


def test_reject_cells_names_column_count_and_first_five_rows_never_values():
    values = column(*[f"secret{i}" for i in range(8)])
    with pytest.raises(InputError) as err:
        reject_cells("氏名", values.index, np.ones(8, dtype=bool), "are bad")
    msg = str(err.value)
    assert "'氏名'" in msg and "8 of 8" in msg and "(data row 1, data row 2, data row 3, data row 4, data row 5, …)" in msg
    assert "secret" not in msg
    assert err.value.exit_code == 2


def test_reject_cells_is_silent_without_bad_cells():
    reject_cells("c", pd.RangeIndex(3), np.zeros(3, dtype=bool), "are bad")
