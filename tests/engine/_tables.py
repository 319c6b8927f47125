"""A released table as the executors hold it, made from a pandas frame (for the tests of
:mod:`anonymizer.engine.spark.released` and :mod:`anonymizer.engine.spark.dp`)."""

from __future__ import annotations

import pandas as pd

from anonymizer.engine.spark.released import SparkReleased


def remote(spark, frame: pd.DataFrame, partitions: int) -> SparkReleased:  # type: ignore[no-untyped-def]
    """``frame``'s rows in ``partitions`` Spark partitions: ``__row`` its index, ``s0 …`` its
    columns (missing cells null)."""
    data = pd.DataFrame({"__row": frame.index.to_numpy(dtype="int64")})
    for j, c in enumerate(frame.columns):
        data[f"s{j}"] = frame[c].astype(object).where(frame[c].notna(), None).to_numpy()
    schema = "__row long, " + ", ".join(f"s{j} string" for j in range(frame.shape[1]))
    table = spark.createDataFrame(data, schema).repartition(partitions)
    names = tuple(map(str, frame.columns))
    return SparkReleased(table, names, tuple(range(len(names))), len(frame), lambda fn: fn())
