import numpy as np
import pandas as pd
import pytest

from anonymizer.dp.bounding import bound_contributions, row_keys
from anonymizer.errors import InputError

KEY = "0123456789abcdef"


@pytest.mark.parametrize("max_rows", [1, 2, 5])
def test_at_most_max_rows_per_id(max_rows):
    ids = pd.Series(["a"] * 10 + ["b"] * 3 + ["c"] + ["Ａ"] * 2)  # 全角 Ａ is another id
    keep = bound_contributions(ids, max_rows, KEY)
    kept = ids[keep].value_counts().to_dict()
    assert kept == {k: min(n, max_rows) for k, n in ids.value_counts().items()}


def test_dropped_rows_are_random():
    ids = pd.Series(["p"] * 100)
    picks = {
        tuple(np.flatnonzero(bound_contributions(ids, 3, f"{s:016x}"))) for s in range(20)
    }
    assert len(picks) > 15


def test_which_rows_are_kept_depends_on_the_rows_numbers_not_their_order():
    """A person's rows in any order (as the Spark engine's partitions hold them) keep the same
    rows: the rank is a keyed hash of the row's number."""
    rng = np.random.default_rng(3)
    ids = pd.Series(rng.integers(0, 50, 1_000).astype(str))
    rows = np.arange(1_000, 2_000)
    keep = bound_contributions(ids, 2, KEY, rows=rows)
    shuffled = rng.permutation(1_000)
    again = bound_contributions(ids.iloc[shuffled].reset_index(drop=True), 2, KEY,
                                rows=rows[shuffled])  # fmt: skip
    assert set(rows[keep]) == set(rows[shuffled][again])
    # the ranks: 63-bit, spread, another key gives others
    ranks = row_keys(rows, KEY)
    assert ranks.dtype == np.int64 and (ranks >= 0).all() and len(set(ranks)) == len(rows)
    assert not np.array_equal(ranks, row_keys(rows, "fedcba9876543210"))


def test_many_ids():
    rng = np.random.default_rng(1)
    ids = pd.Series(rng.integers(0, 20_000, 100_000).astype(str))
    keep = bound_contributions(ids, 2, KEY)
    assert ids[keep].value_counts().max() == 2


@pytest.mark.parametrize("empty", ["", "  ", None])
def test_empty_ids_fail_without_values(empty):
    ids = pd.Series(["山田太郎", empty, "佐藤花子"], dtype="object")
    with pytest.raises(InputError) as err:
        bound_contributions(ids, 1, KEY, column="住民ID")
    msg = str(err.value)
    assert "住民ID" in msg and "1 empty" in msg
    assert "山田" not in msg and "佐藤" not in msg
