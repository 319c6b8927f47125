import numpy as np
import pandas as pd
import pytest

from anonymizer.dp.bounding import bound_contributions
from anonymizer.errors import InputError


@pytest.mark.parametrize("max_rows", [1, 2, 5])
def test_at_most_max_rows_per_id(max_rows):
    ids = pd.Series(["a"] * 10 + ["b"] * 3 + ["c"] + ["Ａ"] * 2)  # 全角 Ａ is another id
    keep = bound_contributions(ids, max_rows, np.random.default_rng(0))
    kept = ids[keep].value_counts().to_dict()
    assert kept == {k: min(n, max_rows) for k, n in ids.value_counts().items()}


def test_dropped_rows_are_random():
    ids = pd.Series(["p"] * 100)
    picks = {
        tuple(np.flatnonzero(bound_contributions(ids, 3, np.random.default_rng(s))))
        for s in range(20)
    }
    assert len(picks) > 15


def test_many_ids():
    rng = np.random.default_rng(1)
    ids = pd.Series(rng.integers(0, 20_000, 100_000).astype(str))
    keep = bound_contributions(ids, 2, rng)
    assert ids[keep].value_counts().max() == 2


@pytest.mark.parametrize("empty", ["", "  ", None])
def test_empty_ids_fail_without_values(empty):
    ids = pd.Series(["山田太郎", empty, "佐藤花子"], dtype="object")
    with pytest.raises(InputError) as err:
        bound_contributions(ids, 1, np.random.default_rng(0), column="住民ID")
    msg = str(err.value)
    assert "住民ID" in msg and "1 empty" in msg
    assert "山田" not in msg and "佐藤" not in msg
