"""``dp_aggregate`` where the executors hold the rows (#21 item 3): per-person contribution
bounding and the aggregation in Spark, the noise on the driver by the same code as the
pandas engine (:func:`anonymizer.dp.engine.run_dp_aggregate`), against the same ledger.

The executors bound each person's rows (the same keyed ranks as
:func:`anonymizer.dp.bounding.bound_contributions`: a person's first ``max_rows_per_id`` rows
by the hash of their numbers, so both engines keep the same rows) and count the distinct
rows of the columns the step reads — its group-by and measure columns — with the number of
their first row. The driver receives those distinct rows in the order of their first row,
each with its count, and the step runs on that summary (``weight``): the exact aggregates,
the discovered keys, the noise drawn and the parse errors' counts are those of the rows.
How much reaches the driver is the number of distinct (group-by, measure value) rows: the
public cells times the distinct measure values in them, not the table's rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from anonymizer.engine.spark.remote import carry_errors

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from anonymizer.engine.spark.released import SparkReleased
    from anonymizer.steps.base import StepContext, StepResult
    from anonymizer.steps.dp_aggregate import DpAggregate


def run(step: DpAggregate, released: SparkReleased, ctx: StepContext) -> StepResult:
    """The step's result over the executors' released rows."""
    spec = step.spec()  # its columns were checked against the released ones (pipeline.run)
    rng = step.randomness(ctx)
    step.preflight(ctx.pipeline_path)  # refused before the executors count anything
    summary, weight = released.guard(lambda: _summary(released, spec, rng.bounding_key))
    return step.run(summary, ctx, weight=weight, rng=rng)


def _summary(released: SparkReleased, spec, key: str) -> tuple[pd.DataFrame, np.ndarray]:  # type: ignore[no-untyped-def]
    """(the distinct rows of the step's columns, in the order of their first row; their
    counts) over the rows each person's bound keeps."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType, StructField, StructType

    from anonymizer.dp.bounding import refuse_empty_ids
    from anonymizer.dp.engine import data_columns

    wanted = data_columns(spec)
    at = dict(zip(released.names, released.slots, strict=True))
    # a missing cell is "" as the step's frame has it (``where(notna, "")``)
    cells = [F.coalesce(F.col(f"s{at[c]}"), F.lit("")).alias(f"c{j}") for j, c in enumerate(wanted)]
    unit = spec.privacy_unit
    data: DataFrame
    if unit.id_column:
        ids = released.data.select(
            "__row", F.coalesce(F.col(f"s{at[unit.id_column]}"), F.lit("")).alias("__id"), *cells
        )
        schema = StructType([*ids.schema.fields, StructField("__h", LongType())])
        ranked = ids.mapInPandas(_ranks(key), schema).localCheckpoint(eager=True)
        refuse_empty_ids(ranked.where(F.col("__id") == "").count(), unit.id_column)
        order = Window.partitionBy("__id").orderBy("__h", "__row")
        data = ranked.withColumn("__rank", F.row_number().over(order)).where(
            F.col("__rank") <= unit.rows_per_unit
        )
    else:
        data = released.data.select("__row", *cells)
    names = [f"c{j}" for j in range(len(wanted))]
    counted: pd.DataFrame = (
        data.groupBy(*names)
        .agg(F.count(F.lit(1)).alias("__n"), F.min("__row").alias("__first"))
        .orderBy("__first")
        .toPandas()
    )  # type: ignore[assignment]
    summary = pd.DataFrame(
        {c: counted[f"c{j}"].to_numpy(dtype=object) for j, c in enumerate(wanted)},
        index=pd.RangeIndex(len(counted)),
    )
    return summary, counted["__n"].to_numpy(dtype=np.int64)


def _ranks(key: str):  # type: ignore[no-untyped-def]
    """Each row's id as the pandas bounding compares it (stripped text) and its keyed rank."""

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from anonymizer.dp.bounding import id_text, row_keys

        for batch in batches:
            ids = id_text(batch["__id"]).fillna("").astype(object)
            yield batch.assign(__id=ids, __h=row_keys(batch["__row"].to_numpy(), key))

    return run


__all__ = ["run"]
