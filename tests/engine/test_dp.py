"""``dp_aggregate`` where the executors hold the rows (:mod:`anonymizer.engine.spark.dp`):
the summary the driver gets is the distinct rows that the pandas engine's own bounding keeps,
in the order of their first row, with their counts — and an empty id is refused as there."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from anonymizer.config import validate_model
from anonymizer.dp.bounding import bound_contributions
from anonymizer.dp.spec import DpAggregateSpec
from anonymizer.engine.spark import dp
from anonymizer.errors import InputError
from tests.engine._tables import remote as _remote

KEY = "00000000deadbeef"


def _spec(**kw) -> DpAggregateSpec:
    data = {
        "epsilon": 1.0,
        "group_by": [{"column": "町", "keys": ["北", "中", "東"]}],
        "measures": [{"type": "count"}, {"type": "sum", "column": "年齢", "lower": 0, "upper": 99}],
        **kw,
    }
    return validate_model(data, DpAggregateSpec, "test")


def _frame(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, n // 6, n).astype(str).astype(object)
    ids[::17] = [f" {i}" for i in ids[::17]]  # the same id with a space: stripped, as pandas does
    return pd.DataFrame(
        {
            "住民ID": ids,
            "町": rng.choice(["北", "中", "東", "西", None], n),
            "年齢": rng.integers(0, 9, n).astype(str),
        },
        index=pd.Index(np.sort(rng.choice(10 * n, n, replace=False))),  # numbers with gaps
    ).astype("string")


def test_the_summary_is_the_distinct_rows_the_pandas_bounding_keeps(spark):
    frame = _frame(3_000, 2)
    spec = _spec(privacy_unit={"id_column": "住民ID", "max_rows_per_id": 2})
    summary, weight = dp._summary(_remote(spark, frame, partitions=5), spec, KEY)

    keep = bound_contributions(frame["住民ID"], 2, KEY, "住民ID", frame.index.to_numpy())
    kept = frame.loc[keep, ["町", "年齢"]].fillna("")
    expected = kept.groupby(["町", "年齢"], sort=False).size()
    assert summary.columns.tolist() == ["町", "年齢"]
    assert list(map(tuple, summary.to_numpy())) == list(expected.index)  # first-row order
    assert weight.tolist() == expected.tolist() and weight.sum() == keep.sum() < len(frame)
    assert len(summary) <= 5 * 9  # what reaches the driver: the distinct rows, not the rows


def test_without_a_person_bound_every_row_counts(spark):
    frame = _frame(500, 3)
    summary, weight = dp._summary(_remote(spark, frame, partitions=3), _spec(), KEY)
    assert weight.sum() == len(frame) and summary["町"].iloc[0] == frame["町"].fillna("").iloc[0]


@pytest.mark.parametrize("empty", ["", "  ", None])
def test_an_empty_id_is_refused_as_the_pandas_engine_refuses_it(spark, empty):
    frame = _frame(60, 4)
    frame.iloc[[5, 9], 0] = empty
    spec = _spec(privacy_unit={"id_column": "住民ID", "max_rows_per_id": 1})
    with pytest.raises(InputError) as remote:
        dp._summary(_remote(spark, frame, partitions=2), spec, KEY)
    with pytest.raises(InputError) as local:
        bound_contributions(frame["住民ID"], 1, KEY, "住民ID")
    assert str(remote.value) == str(local.value) and "2 empty" in str(remote.value)
