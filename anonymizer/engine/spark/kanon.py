"""k-anonymity by aggregation (#21 item 3): when the pipeline's first step is ``kanonymity``
(the shape ``anonymizer init`` writes), or comes after ``select_rows`` steps only (their own
test marks the rows it runs on: :func:`selecting`), the rows never meet on the driver for the
search.

* executors: a ``groupBy`` on the operators' output — the step's QIs and its sensitive
  columns — counts the distinct tuples; only those counts (and each tuple's first row, so the
  driver sees them in the order the rows have them) are collected. With a person column, each
  tuple's distinct persons are counted too, and only the persons whose records differ (found
  by a ``groupBy`` over the person: :func:`_differing_persons`) are named by their tuples —
  one per such person and combination — so a class's persons are the counted ones plus the
  named ones (optimal search and Mondrian alike);
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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from anonymizer.engine.spark.gate import pairs
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
    from anonymizer.steps.select_rows import SelectRows

#: in the Spark frame: a tuple's key columns, a row's released label per QI, its suppression
KEY, LABEL, SUPPRESSED = "__k{}", "__l{}", "__supp"
#: in the tuples' frame: a key column's code
CODE = "__c{}"
#: in the Spark frame: the row is one the ``select_rows`` steps before the step keep
SELECTED = "__sel"
#: the person's name among a tuple's keys (no column of the step's table has it)
PERSON = "\x00person"
#: in the Spark frame, when some persons' records differ: the person of a row whose
#: person's records differ ("" for the others), and of one whose records do not (null for
#: the others: :func:`_named`)
NAMED, ALIKE = "__named", "__alike"


def first_kanonymity(plan: Plan) -> tuple[list[SelectRows], KAnonymity] | None:
    """(the ``select_rows`` steps before it, the step) when the pipeline's first step other
    than ``select_rows`` is ``kanonymity`` (then it runs by aggregation, on the rows those
    steps select)."""
    from anonymizer.steps.kanonymity import KAnonymity
    from anonymizer.steps.select_rows import SelectRows

    selects: list[SelectRows] = []
    for step in plan.steps:
        if isinstance(step, SelectRows):
            selects.append(step)
            continue
        return (selects, step) if isinstance(step, KAnonymity) else None
    return None


def selecting(mapped: DataFrame, job: RowJob, selects: Sequence[SelectRows]) -> DataFrame:
    """``mapped`` with :data:`SELECTED`: whether the ``select_rows`` steps keep the row (each
    step's own test on the operators' output, in partitions)."""
    from pyspark.sql import functions as F

    if not selects:
        return mapped
    flag = F.lit(True)
    for step in selects:
        column = F.col(f"o{job.released.index(step.params.column)}")
        flag = flag & F.coalesce(_keeps(step.params.values)(column), F.lit(False))
    return mapped.withColumn(SELECTED, flag)


def _keeps(values: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """A pandas UDF: does ``select_rows`` keep each cell's row (its own test)?"""
    from pyspark.sql import functions as F

    from anonymizer.steps.select_rows import selected

    @F.pandas_udf("boolean")  # type: ignore[call-overload, misc]
    def keeps(cells: pd.Series) -> pd.Series:
        return pd.Series(np.asarray(selected(cells, values), dtype=bool), index=cells.index)

    return keeps


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
    #: the rows of the label maps joined onto the rows: a QI's values and the suppressed
    #: classes (full-domain), or one per tuple
    label_rows: int = 0
    #: the persons whose records differ, whom the tuples name (the others are counted)
    named: int = 0
    #: the ``select_rows`` steps before the step (the step's position in the pipeline)
    selects: tuple[SelectRows, ...] = ()

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
    """The step's rows (not the stats rows, not the rows on_invalid suppressed, nor those
    the ``select_rows`` steps before it leave out) with their tuple's key (and the
    ``extra`` columns as they are)."""
    from pyspark.sql import functions as F

    rows = F.col("__stats").isNull() & F.col("__keep")
    if SELECTED in mapped.columns:
        rows = rows & F.col(SELECTED)
    return mapped.where(rows).select(*_keys(columns), "__row", *extra)


@dataclass(frozen=True, eq=False)
class Tuples:
    """The distinct tuples as the driver holds them: each key column's distinct values
    (sorted) and, per tuple, their codes — integers, not a string per cell — with the
    tuple's records, its first row and (given a person column) its distinct persons, in the
    order of their first row."""

    values: list[np.ndarray]
    codes: np.ndarray  # (T, columns) int32
    counts: np.ndarray
    persons: np.ndarray | None

    def __len__(self) -> int:
        return len(self.counts)

    def frame(self, names: list[str]) -> pd.DataFrame:
        """The tuples as a table of categorical columns (codes and their values: the search
        reads them without a string per cell)."""
        return pd.DataFrame({
            name: pd.Categorical.from_codes(self.codes[:, j], categories=self.values[j])
            for j, name in enumerate(names)
        })  # fmt: skip

    def strings(self, j: int) -> np.ndarray:
        """Key column ``j``'s value of every tuple."""
        return self.values[j][self.codes[:, j]]


def coded_tuples(
    spark: SparkSession, mapped: DataFrame, columns: list[str], person: str | None = None
) -> Tuples:
    """The distinct tuples with their record counts (and, given the ``person`` column, their
    distinct persons), coded where the rows are: each key column's distinct values reach the
    driver once, and the tuples as integer codes — the only data the search brings there."""
    from pyspark.sql import functions as F

    names = [KEY.format(j) for j in range(len(columns))]
    counts = [F.count(F.lit(1)).alias("__count"), F.min("__row").alias("__first")]
    if person is not None:
        counts.append(F.countDistinct(person).alias("__persons"))
    frame = keyed(mapped, columns, *([person] if person is not None else []))
    counted = frame.groupBy(*names).agg(*counts).localCheckpoint(eager=True)
    # every key column's distinct values in one pass: (column, value) pairs
    every = pairs([F.col(n) for n in names]).alias("p")
    distinct = counted.select(every).select("p.j", "p.v").distinct().collect()
    seen_in: list[list[str]] = [[] for _ in names]
    for r in distinct:
        seen_in[r["j"]].append(r["v"])
    values: list[np.ndarray] = []
    for j, name in enumerate(names):
        seen = sorted(seen_in[j])
        values.append(np.array(seen, dtype=object))
        code = spark.createDataFrame(
            pd.DataFrame({name: values[j], CODE.format(j): np.arange(len(seen), dtype=np.int32)})
        )
        counted = counted.join(F.broadcast(code), on=name).drop(name)
    extra = ["__count", "__first", *(["__persons"] if person is not None else [])]
    got: pd.DataFrame = counted.select(
        *[CODE.format(j) for j in range(len(names))], *extra
    ).toPandas()  # type: ignore[assignment]
    got = got.sort_values("__first", kind="stable")
    codes = np.column_stack(
        [got[CODE.format(j)].to_numpy(dtype=np.int32) for j in range(len(names))]
    ) if len(got) else np.zeros((0, len(names)), dtype=np.int32)
    persons = got["__persons"].to_numpy(dtype=np.int64) if person is not None else None
    return Tuples(values, codes, got["__count"].to_numpy(dtype=np.int64), persons)


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
    rows, counted = mapped, None
    if PERSON in keys:  # persons whose records are all alike add up over tuples
        differing = _differing_persons(mapped, keys)
        counted = "__person" if differing is None else ALIKE
        if differing is None:  # every person's: the tuples need not carry the person
            del keys[PERSON]
        else:  # the others' tuples carry them
            rows = _named(mapped, differing)
            keys[PERSON] = NAMED
    columns = list(keys.values())
    tuples = coded_tuples(spark, rows, columns, counted)
    if not len(tuples):
        return mapped, None
    named = 0
    if PERSON in keys:  # "" (the counted persons' tuples) sorts first
        names = tuples.values[list(keys).index(PERSON)]
        named = len(names) - int(len(names) > 0 and names[0] == "")
    table = tuples.frame(list(keys))
    persons = table.pop(PERSON) if PERSON in keys else None
    try:
        found = search(
            table, config, persons=persons, progress=progress, counts=tuples.counts,
            person_counts=tuples.persons,
        )  # fmt: skip
    except GateRefused as err:
        return mapped, Aggregated(step, config, len(tuples), None, err)
    del table, persons
    by_value = None if config.local_recoding else _labels_by_value(found, config, tuples)
    if by_value is not None:
        labelled = _label_by_value(spark, mapped, columns, config, *by_value)
        maps = sum(len(m) for m in by_value[0]) + len(by_value[1])
    else:
        labelled = _label(spark, rows, tuples, found.rows(config), columns).drop(NAMED, ALIKE)
        maps = len(tuples)
    return labelled, Aggregated(step, config, len(tuples), found, None, tuples.counts, maps, named)


def _differing_persons(mapped: DataFrame, keys: dict[str, str]) -> DataFrame | None:
    """The persons whose records are in two tuples or more (QI or sensitive values that
    differ), kept on the executors — None when there are none. The others' records are
    all in one tuple: their distinct persons add up over the tuples a class merges, so the
    search counts them per tuple (as many tuples as their combinations of values, not one
    per person); only the persons returned here need a tuple per person and combination."""
    from pyspark.sql import functions as F

    others = [KEY.format(j) for j, name in enumerate(keys) if name != PERSON]
    if not others:
        return None
    person = KEY.format(list(keys).index(PERSON))
    spread = keyed(mapped, list(keys.values())).groupBy(person).agg(
        F.countDistinct(*others).alias("n")
    )
    differing = spread.where(F.col("n") > 1).select(F.col(person).alias("__person"))
    differing = differing.localCheckpoint(eager=True)
    return None if differing.isEmpty() else differing


def _named(mapped: DataFrame, differing: DataFrame) -> DataFrame:
    """``mapped`` with a row's person in :data:`NAMED` when that person's records differ
    ("" otherwise: the tuple's persons are counted) and in :data:`ALIKE` when they do not
    (null otherwise: not counted)."""
    from pyspark.sql import functions as F

    marked = differing.withColumn("__differs", F.lit(True))
    joined = mapped.join(marked, on="__person", how="left")
    differs = F.coalesce(F.col("__differs"), F.lit(False))
    return joined.select(
        *mapped.columns,
        F.when(differs, F.col("__person")).otherwise(F.lit("")).alias(NAMED),
        F.when(differs, F.lit(None)).otherwise(F.col("__person")).alias(ALIKE),
    ).localCheckpoint(eager=True)


def _labels_by_value(
    found: Found, config: KAnonConfig, tuples: Tuples
) -> tuple[list[pd.DataFrame], pd.DataFrame] | None:
    """Full-domain generalization labels each QI's value alone, and suppresses whole
    classes: (per QI, its values' labels; the suppressed classes' labels) — maps as small as
    the columns' values and the suppressed classes, not one row per tuple. None when the
    release is not of that shape, or a level's labels do not tell its values apart (then
    the labels go by tuple)."""
    enc, rel = found.enc, found.release
    if not len(rel.levels) or rel.star.any() or (rel.levels != rel.levels[0]).any():
        return None
    node = np.asarray(rel.levels[0], dtype=np.int64)
    labels = [h.labels[lv] for h, lv in zip(enc.hierarchies, node, strict=True)]
    if any(len(pd.unique(lab)) != len(lab) for lab in labels):
        return None
    cls, _n = enc.classify(node)
    bad = rel.suppressed
    if np.isin(cls[~bad], cls[bad]).any():
        return None  # a class partly suppressed: not by class
    at = enc.row_tuple
    per_value: list[pd.DataFrame] = []
    for d, lv in enumerate(node):
        code, first = np.unique(tuples.codes[:, d], return_index=True)
        label = labels[d][enc.gen[d][lv][at[first]]]
        per_value.append(pd.DataFrame({
            KEY.format(d): tuples.values[d][code], LABEL.format(d): [str(v) for v in label]
        }))  # fmt: skip
    _c, one = np.unique(cls[bad], return_index=True)
    shown = np.flatnonzero(bad)[one]  # one tuple of each suppressed class
    suppressed = pd.DataFrame({
        LABEL.format(d): [str(v) for v in labels[d][enc.gen[d][lv][shown]]]
        for d, lv in enumerate(node)
    })  # fmt: skip
    return per_value, suppressed


def _label_by_value(
    spark: SparkSession,
    mapped: DataFrame,
    columns: list[str],
    config: KAnonConfig,
    per_value: list[pd.DataFrame],
    suppressed: pd.DataFrame,
) -> DataFrame:
    """``mapped`` with each row's released labels (a join per QI on its value) and its
    suppression (a join on the labels of the suppressed classes)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    out = mapped.select("*", *_keys(columns[: len(per_value)]))
    for d, small in enumerate(per_value):
        schema = StructType([StructField(c, StringType()) for c in small.columns])
        labelled = F.broadcast(spark.createDataFrame(small, schema))
        out = out.join(labelled, on=KEY.format(d), how="left")
    out = out.drop(*[KEY.format(d) for d in range(len(per_value))])
    labels = [LABEL.format(d) for d in range(len(per_value))]
    if len(suppressed):
        schema = StructType([StructField(c, StringType()) for c in labels])
        marked = spark.createDataFrame(suppressed, schema).withColumn(SUPPRESSED, F.lit(True))
        out = out.join(F.broadcast(marked), on=labels, how="left")
        flag = F.coalesce(F.col(SUPPRESSED), F.lit(False))
    else:
        flag = F.lit(False)
    out = out.withColumn(SUPPRESSED, flag)
    if config.suppressed == "star":
        for name in labels:
            out = out.withColumn(name, F.when(flag, F.lit(config.star)).otherwise(F.col(name)))
    return out


def _label(
    spark: SparkSession,
    mapped: DataFrame,
    tuples: Tuples,
    rows: tuple[list[np.ndarray], np.ndarray],
    columns: list[str],
) -> DataFrame:
    """``mapped`` with each row's released labels and suppression, joined by its tuple."""
    from pyspark.sql.types import BooleanType, StringType, StructField, StructType

    labels, suppressed = rows
    names = [KEY.format(j) for j in range(len(columns))]
    small = pd.DataFrame({n: tuples.strings(j) for j, n in enumerate(names)})
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
    """:func:`aggregate` when the first step other than ``select_rows`` is ``kanonymity``
    (else the rows as they are; with ``select_rows`` steps before it, only when the gate's
    checks run on the executors);
    ``timings`` records its seconds and — counts — the tuples the search ran on, the rows
    of the label maps joined onto the rows and the persons the tuples name."""
    found = first_kanonymity(plan)
    if found is None:
        return mapped, None
    selects, step = found
    if selects and plan.spec.spark.gate != "executors":
        return mapped, None  # the gate's checks on the driver: the steps run there too
    t = time.perf_counter()
    rows, done = aggregate(spark, plan, step, job, selecting(mapped, job, selects), progress)
    if done is not None:
        done = replace(done, selects=tuple(selects))
        timings["kanonymity"] = time.perf_counter() - t
        timings["kanonymity_tuples"] = float(done.tuples)
        timings["kanonymity_label_rows"] = float(done.label_rows)
        timings["kanonymity_named_persons"] = float(done.named)
    return rows, done
