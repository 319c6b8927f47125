"""k-anonymity by aggregation (#21 item 3): when the pipeline's first step is ``kanonymity``
(the shape ``anonymizer init`` writes), the rows never meet on the driver for the search.

* executors: a ``groupBy`` on the operators' output — the step's QIs, its sensitive columns
  and the declared person column — counts the distinct tuples; only those counts (and each
  tuple's first row, so the driver sees them in the order the rows have them) are collected;
* driver: the same search as the pandas step (:func:`anonymizer.kanon.engine.search` with
  ``counts``: one encoder, one search), on the tuples;
* executors: the chosen labels and the record suppression, a small map keyed by the tuple,
  are joined onto the rows (broadcast when small, Spark's own threshold);
* driver: the step's result from the labelled rows, built by the step's own code
  (:meth:`KAnonymity.released`, :meth:`KAnonymity.refused`) — the same result as the pandas
  step, so the same release. The engine decides where rows are processed, not what.

The operators' output is checkpointed first: the counts and the labelled rows are the same
rows, and the operators run once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from anonymizer.errors import GateRefused

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

    from anonymizer.engine.spark.rows import RowJob
    from anonymizer.kanon.engine import Found
    from anonymizer.kanon.spec import KAnonConfig
    from anonymizer.pipeline.plan import Plan
    from anonymizer.progress import ProgressFactory
    from anonymizer.steps.base import StepResult
    from anonymizer.steps.kanonymity import KAnonymity

#: in the Spark frame: a tuple's key columns, a row's released label per QI, its suppression
KEY, LABEL, SUPPRESSED = "__k{}", "__l{}", "__supp"
#: the person's name among a tuple's keys (no column of the step's table has it)
PERSON = "\x00person"


def first_kanonymity(plan: Plan) -> KAnonymity | None:
    """The pipeline's first step when it is ``kanonymity`` (then it runs by aggregation)."""
    from anonymizer.steps.kanonymity import KAnonymity

    first = plan.steps[0] if plan.steps else None
    return first if isinstance(first, KAnonymity) else None


@dataclass(frozen=True, eq=False)
class Aggregated:
    """The search done on the tuples: what turns the collected rows into the step's result."""

    step: KAnonymity
    config: KAnonConfig
    #: the distinct tuples the search ran on (the rows, aggregated)
    tuples: int
    found: Found | None
    refusal: GateRefused | None
    #: the records of each tuple the search ran on
    counts: np.ndarray | None = None

    def result(self, out: pd.DataFrame, labelled: pd.DataFrame) -> StepResult:
        """The step's result for ``out`` (the operators' table, as the step would be given it);
        ``labelled``: the same rows as collected, with the ``__l*`` and ``__supp`` columns
        joined in Spark."""
        from anonymizer.kanon.engine import finish_labelled

        if self.refusal is not None:
            return self.step.refused(out, self.config, self.refusal)
        assert self.found is not None
        frame = self.step.cells(out)
        for d, col in enumerate(self.config.qis):
            frame[col] = labelled[LABEL.format(d)].to_numpy(dtype=object)
        suppressed = labelled[SUPPRESSED].to_numpy(dtype=bool)
        result = finish_labelled(frame, self.config, self.found, suppressed)
        return self.step.released(self.config, result)

    def counted(self, released: object) -> StepResult:
        """The step's result where the executors hold the labelled rows: ``released`` is
        that table (:class:`.released.SparkReleased`); the summary — classes, risk,
        suppressed records — comes from the tuples, as :meth:`result`'s does."""
        from anonymizer.kanon.engine import finish_counted

        assert self.found is not None and self.counts is not None and self.refusal is None
        result = finish_counted(released, self.config, self.found, self.counts)
        return self.step.released(self.config, result)


def key_columns(plan: Plan, config: KAnonConfig, job: RowJob) -> dict[str, str]:
    """{name in the step's table: column of the Spark frame} of a tuple: QIs, sensitive
    columns, then the person (:data:`PERSON`) when the pipeline declares a person column."""
    keys = {c: f"o{job.released.index(c)}" for c in [*config.qis, *config.sensitive]}
    if plan.spec.person_column is not None:
        keys[PERSON] = "__person"
    return keys


def _keys(columns: list[str]) -> list[Column]:
    """A row's tuple key (``__k0`` …); an empty cell is "", as the step reads it."""
    from pyspark.sql import functions as F

    return [F.coalesce(F.col(c), F.lit("")).alias(KEY.format(j)) for j, c in enumerate(columns)]


def keyed(mapped: DataFrame, columns: list[str], *extra: str) -> DataFrame:
    """The step's rows (not the stats rows, not the rows on_invalid suppressed) with their
    tuple's key (and the ``extra`` columns as they are)."""
    from pyspark.sql import functions as F

    return mapped.where(F.col("__stats").isNull() & F.col("__keep")).select(
        *_keys(columns), "__row", *extra
    )


def distinct_tuples(
    mapped: DataFrame, columns: list[str], person: str | None = None
) -> pd.DataFrame:
    """The distinct tuples with their record counts (and, given the ``person`` column, their
    distinct persons: ``__persons``), in the order of their first row: the only data the
    search brings to the driver."""
    from pyspark.sql import functions as F

    names = [KEY.format(j) for j in range(len(columns))]
    counts = [F.count(F.lit(1)).alias("__count"), F.min("__row").alias("__first")]
    if person is not None:
        counts.append(F.countDistinct(person).alias("__persons"))
    frame = keyed(mapped, columns, *([person] if person is not None else []))
    counted = frame.groupBy(*names).agg(*counts)
    tuples: pd.DataFrame = counted.toPandas()  # type: ignore[assignment]
    return tuples.sort_values("__first", kind="stable").reset_index(drop=True)


def aggregate(
    spark: SparkSession,
    plan: Plan,
    step: KAnonymity,
    job: RowJob,
    mapped: DataFrame,
    progress: ProgressFactory,
) -> tuple[DataFrame, Aggregated | None]:
    """(the rows to collect, labelled; the search) — or the rows and None when there are
    no rows for the step (it then runs on the driver and says so, as in pandas)."""
    from anonymizer.kanon.engine import search

    config = step.config(plan.path)
    keys = key_columns(plan, config, job)
    mapped = mapped.localCheckpoint(eager=True)
    by_weight = PERSON in keys and not config.local_recoding and _one_tuple_each(mapped, keys)
    if by_weight:  # persons add up over tuples: the tuples need not carry them
        del keys[PERSON]
    tuples = distinct_tuples(mapped, list(keys.values()), "__person" if by_weight else None)
    if tuples.empty:
        return mapped, None
    table = tuples[[KEY.format(j) for j in range(len(keys))]].astype(object)
    table.columns = list(keys)
    persons = table.pop(PERSON) if PERSON in keys else None
    try:
        found = search(
            table, config, persons=persons, progress=progress, counts=tuples["__count"],
            person_counts=tuples["__persons"] if by_weight else None,
        )  # fmt: skip
    except GateRefused as err:
        return mapped, Aggregated(step, config, len(tuples), None, err)
    labelled = _label(spark, mapped, tuples, found.rows(config), list(keys.values()))
    counts = tuples["__count"].to_numpy(dtype=np.int64)
    return labelled, Aggregated(step, config, len(tuples), found, None, counts)


def _one_tuple_each(mapped: DataFrame, keys: dict[str, str]) -> bool:
    """Are all of each person's records in one tuple (the same QI and sensitive values)?
    Then a tuple's distinct persons add up over the tuples a class merges, and the search
    runs on the distinct tuples without the person (as many as the values' combinations,
    not one per person); otherwise (a person whose records differ) on one tuple per person
    and tuple. Optimal search only: Mondrian splits tuples, and is left as it is."""
    from pyspark.sql import functions as F

    others = [KEY.format(j) for j, name in enumerate(keys) if name != PERSON]
    if not others:
        return True
    person = KEY.format(list(keys).index(PERSON))
    spread = keyed(mapped, list(keys.values())).groupBy(person).agg(
        F.countDistinct(*others).alias("n")
    )
    return spread.where(F.col("n") > 1).limit(1).count() == 0


def _label(
    spark: SparkSession,
    mapped: DataFrame,
    tuples: pd.DataFrame,
    rows: tuple[list[np.ndarray], np.ndarray],
    columns: list[str],
) -> DataFrame:
    """``mapped`` with each row's released labels and suppression, joined by its tuple."""
    from pyspark.sql.types import BooleanType, StringType, StructField, StructType

    labels, suppressed = rows
    names = [KEY.format(j) for j in range(len(columns))]
    small = tuples[names].astype(object)
    for d, lab in enumerate(labels):
        small[LABEL.format(d)] = [str(v) for v in lab]
    small[SUPPRESSED] = suppressed.astype(bool)
    fields = [StructField(n, StringType()) for n in small.columns[:-1]]
    fields.append(StructField(SUPPRESSED, BooleanType()))
    labels_df = spark.createDataFrame(small, StructType(fields))
    with_keys = mapped.select("*", *_keys(columns))
    return with_keys.join(labels_df, on=names, how="left").drop(*names)


def timed(
    spark: SparkSession, plan: Plan, job: RowJob, mapped: DataFrame, progress: ProgressFactory,
    timings: dict[str, float],
) -> tuple[DataFrame, Aggregated | None]:
    """:func:`aggregate` when the first step is ``kanonymity`` (else the rows as they are);
    ``timings`` records its seconds and — a count — the tuples the search ran on."""
    step = first_kanonymity(plan)
    if step is None:
        return mapped, None
    t = time.perf_counter()
    rows, done = aggregate(spark, plan, step, job, mapped, progress)
    if done is not None:
        timings["kanonymity"] = time.perf_counter() - t
        timings["kanonymity_tuples"] = float(done.tuples)
    return rows, done
