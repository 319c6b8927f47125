"""The ``spark`` engine: the same operators and steps, with rows processed on Spark.

What runs where (this version — see the README's "Spark engine" for what is still local):

* driver: the pipeline's validation, the input's header (encoding, delimiter, title rows);
* executors: parsing, missing-value tokens, the person column's check and every column's
  operators, ``mask_text`` with the detector built once per executor (:mod:`.rows`);
* executors, then driver, when the first step other than ``select_rows`` is
  ``kanonymity``: the distinct tuples are counted in Spark, the search runs on the driver
  over those counts only, and the chosen labels and suppression are joined onto the rows in
  Spark (:mod:`.kanon`);
* executors, when the steps are ``select_rows`` steps, then ``holders`` (and the gate is on
  the executors): the rows classified and protected there, only counts, the first flagged
  rows and the corporations' row numbers reaching the driver (:mod:`.holders`);
* executors, with ``spark: {gate: executors}`` (the default; ``driver`` runs them on the
  table the driver then holds): the gate's re-scan, raw-value check and class sizes (:mod:`.gate`,
  handed to the run as :class:`.checks.SparkChecks`), on the executors' rows — or, after a
  step on the driver, on the driver's released table given to Spark;
* executors, then driver, when ``dp_aggregate`` is the last step after only the table
  steps below (and the gate is on the executors): contribution bounding and the distinct
  rows' counts there, the noise on the driver over those counts (:mod:`.dp`);
* executors, then driver, when the steps are ``select_rows`` and ``group_rows``, then at
  most one ``cell_suppression`` of rows, ``standard_layout`` or ``dp_aggregate`` (and the
  gate is on the executors): the rows kept and grouped there, the tables' cells counted
  there, the tables protected on the driver (:mod:`.tables`);
* executors, with the gate there and no step on the driver (none, k-anonymity by
  aggregation or ``holders`` last, ``dp_aggregate`` only, or the table steps above): the
  released table
  stays there (:mod:`.released`) — the driver holds
  the rows' numbers and counts, the executors sort and encode the data file, and the driver
  streams its parts into the release;
* driver, on the table the executors produced (otherwise): the (other) steps, the gate's
  other checks, the report and the atomic release — the same code as the pandas engine, so
  both release the same data.

Every Spark failure is an exit 2 with a clear message and nothing released
(:mod:`.remote`); a missing JDK or an unreachable master is found before Spark starts
(:mod:`.session`).
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING, Any

import pandas as pd

from anonymizer.engine.base import Transformed, invalid_report, output_kinds
from anonymizer.errors import AnonymizerError
from anonymizer.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from pyspark.sql import DataFrame

    from anonymizer.engine.spark.kanon import Aggregated
    from anonymizer.pipeline.plan import Plan, RunOptions
    from anonymizer.progress import ProgressFactory
    from anonymizer.steps.base import Step, StepContext, StepResult
    from anonymizer.steps.select_rows import SelectRows


def transform(
    plan: Plan, opts: RunOptions, progress: ProgressFactory, timings: dict[str, float]
) -> Transformed:
    from anonymizer.engine.pandas import run_steps
    from anonymizer.engine.spark import foreign
    from anonymizer.engine.spark import read as reading
    from anonymizer.engine.spark.kanon import SELECTED, timed
    from anonymizer.engine.spark.remote import local_error
    from anonymizer.engine.spark.rows import RowJob, mapper, merge_stats, schema
    from anonymizer.engine.spark.session import get_session, quiet
    from anonymizer.io import Table
    from anonymizer.io.rows import RowMap
    from anonymizer.io.rows import begin as begin_rows
    from anonymizer.operators import drops_column
    from anonymizer.pipeline.run import check_columns

    t0 = time.perf_counter()
    spec = plan.spec
    head = (spec.input.encoding, spec.input.delimiter, spec.input.header_row)
    if plan.input_uri is None:  # a local input's header is checked before Spark starts
        source = reading.inspect(plan.input_path, *head)
        check_columns(plan, list(source.columns))
    quiet()
    spark = get_session(opts.master or spec.spark.master, conf=dict(spec.spark.conf))
    if plan.input_uri is not None:  # listed and read through Spark's file system
        try:
            source = reading.inspect(plan.input_uri, *head, spark=spark)
        except AnonymizerError:
            raise
        except Exception as exc:  # noqa: BLE001 - Py4J: the file system refused
            raise local_error(exc, _("reading the input's head")) from None
        check_columns(plan, list(source.columns))
    released = tuple(
        c for c in source.columns
        if not drops_column(plan.operators[c])
    )  # fmt: skip
    job = RowJob(
        spec, plan.path, plan.input_path, plan.key, plan.key_kind, opts.seed, source.columns,
        released,
    )  # fmt: skip
    partitions = spec.spark.partitions or spark.sparkContext.defaultParallelism
    try:
        # (spread before anything else: one file is parsed by one task)
        rows = reading.read(spark, source).repartition(partitions)
        if foreign.wanted(spec, plan.operators):  # mask_text sees every row's values
            rows = foreign.with_foreign(rows.localCheckpoint(eager=True), job)
            rows = rows.repartition(partitions)
        mapped = rows.mapInPandas(mapper(job), schema(job))
        mapped, by_counts = timed(spark, plan, job, mapped, progress, timings)
        # kept on the executors for the gate's checks (the operators run once)
        mapped = mapped.localCheckpoint(eager=True)
        # to the driver: the released columns and, when the gate's checks run here, the
        # input's; with the gate on the executors and no step left for the driver, neither
        # (the released table stays there: .released)
        local_gate = spec.spark.gate != "executors"
        remote = _stays_remote(plan, by_counts)
        if remote:  # the rows' numbers and how many were kept: counted there
            stats_rows, index, kept = _row_numbers(mapped)
        else:
            wanted = [c for c in mapped.columns if local_gate or not _is_input(c)]
            table: pd.DataFrame = mapped.select(*wanted).toPandas()  # type: ignore[assignment]
    except AnonymizerError:
        raise
    except Exception as exc:  # noqa: BLE001 - Py4J, PySpark and executor failures alike
        raise local_error(exc, _("reading and transforming the input")) from None
    timings["read"] = time.perf_counter() - t0
    t = time.perf_counter()
    if remote:
        stats = merge_stats(stats_rows)
    else:
        is_stats = table["__stats"].notna()
        stats = merge_stats(table.loc[is_stats, "__stats"].tolist())
        data = table.loc[~is_stats].sort_values("__row", kind="stable")
        index = pd.Index(data["__row"].to_numpy(dtype="int64"))
        keep = data["__keep"].to_numpy(dtype=bool)
        kept = int(keep.sum())
    if len(index) == 0:
        from anonymizer.errors import InputError

        raise InputError(
            _("{path}: the file has a header row ({value_} columns) but no data rows").format(
                path=plan.input_path, value_=len(source.columns)
            )
        )
    frame = (
        pd.DataFrame(
            {c: data[f"i{i}"].to_numpy() for i, c in enumerate(source.columns)}, index=index
        ).astype("string")
        if local_gate
        else pd.DataFrame(index=index)  # the rows' numbers only: the input stays on the executors
    )
    if remote:
        out, before = _remote_tables(spark, plan, job, mapped, by_counts, kept)
    else:
        out = pd.DataFrame(
            {c: data[f"o{i}"].to_numpy()[keep] for i, c in enumerate(released)}, index=index[keep]
        ).astype("string")
        before = out
    persons = (
        pd.Series(data["__person"].to_numpy(), index=index, name=spec.person_column)
        .astype("string")
        if spec.person_column is not None and not remote
        else None  # remote: the executors' persons count the classes (.checks.SparkChecks)
    )
    for slot, counts in stats["masked"].items():
        col, j = slot.split("\x1f")
        op = plan.operators[col][int(j)]
        op.stats.update(counts)  # type: ignore[attr-defined]
    dropped = [c for c in source.columns if c not in released]
    ner_done, generated, pseudonym = output_kinds(plan, released)
    read_as = Table(
        frame, plan.input_path, source.encoding, source.delimiter, source.header_row,
        # a directory's rows are named as data rows (a part's lines are not the table's)
        rows=RowMap(()) if source.split else None,
    )  # fmt: skip
    begin_rows(read_as.row_map)  # the steps' messages name the rows a steward sees
    done = Transformed(
        read_as, frame, {c: int(n) for c, n in stats["missing"].items() if n}, persons, out,
        before, dropped, ner_done, generated, pseudonym, invalid_report(spec, stats["invalid"]),
    )  # fmt: skip
    timings["operators"] = time.perf_counter() - t
    t = time.perf_counter()
    here: list[Callable[[StepContext, Any], StepResult]] = []
    if by_counts is not None:
        here = _selects(by_counts, before if remote else None)
        if remote:
            counted = by_counts.counted(out)
            here.append(lambda ctx, _out: counted)  # the step's result, found above
        else:  # the rows the select_rows steps kept, with their labels
            chosen = keep & data[SELECTED].to_numpy(dtype=bool) if SELECTED in data else keep
            labelled = data.loc[chosen]
            here.append(lambda ctx, given: by_counts.result(given, labelled))
    elif remote:
        here = _remote_steps(plan, mapped)
    run_steps(plan, opts, done, progress, here)
    timings["steps"] = time.perf_counter() - t
    if spec.spark.gate == "executors":  # else the driver's own checks on the table it holds
        done.checks = _checks(spark, plan, job, mapped, by_counts)
    return done


def _stays_remote(plan: Plan, by_counts: Aggregated | None) -> bool:
    """Does the released table stay on the executors? With the gate there, when no step runs
    on the driver: no steps; k-anonymity by aggregation (that found a release) as the last
    step, after ``select_rows`` steps only; or ``select_rows`` and ``group_rows`` steps
    (:mod:`.tables`), then at most one ``cell_suppression`` tabulating the rows or
    ``standard_layout`` (counted there: :mod:`.tables`) or ``dp_aggregate`` (bounded and
    counted there: :mod:`.dp`)."""
    spec = plan.spec
    if spec.spark.gate != "executors":
        return False
    if not plan.steps:
        return True
    if _tabulated(plan.steps) or _holders(plan.steps):
        return True
    return _last_counted(plan, by_counts) and by_counts is not None and by_counts.refusal is None


def _holders(steps: Sequence[Step]) -> bool:
    """``select_rows`` steps, then ``holders`` (:mod:`.holders`)."""
    from anonymizer.steps.holders import Holders
    from anonymizer.steps.select_rows import SelectRows

    *head, last = steps
    return isinstance(last, Holders) and all(isinstance(s, SelectRows) for s in head)


def _last_counted(plan: Plan, by_counts: Aggregated | None) -> bool:
    """Is k-anonymity by aggregation the last step (after ``select_rows`` steps only)?"""
    return by_counts is not None and len(plan.steps) == len(by_counts.selects) + 1


def _selects(by_counts: Aggregated, before: Any) -> list[Callable[[StepContext, Any], StepResult]]:
    """The ``select_rows`` steps before k-anonymity by aggregation: on the executors' table
    (``before``: the table before the steps, which the first is given) by :func:`.tables.select`,
    else on the driver's by the step itself."""
    from anonymizer.engine.spark import tables

    def here(step: SelectRows, ctx: StepContext, given: Any) -> StepResult:
        return step.run(given, ctx)

    def there(step: SelectRows, first: bool, ctx: StepContext, given: Any) -> StepResult:
        return tables.select(step, before if first else given, ctx)

    return [
        partial(here, step) if before is None else partial(there, step, i == 0)
        for i, step in enumerate(by_counts.selects)
    ]


def _tabulated(steps: Sequence[Step]) -> bool:
    """``select_rows`` and ``group_rows`` steps, then at most one ``cell_suppression`` of
    rows, ``standard_layout`` or ``dp_aggregate``."""
    from anonymizer.steps.cell_suppression import CellSuppression
    from anonymizer.steps.dp_aggregate import DpAggregate
    from anonymizer.steps.group_rows import GroupRows
    from anonymizer.steps.select_rows import SelectRows
    from anonymizer.steps.standard_layout import StandardLayout

    *head, last = steps
    if not all(isinstance(s, (SelectRows, GroupRows)) for s in head):
        return False
    if isinstance(last, CellSuppression):
        return last.params.value_column is None
    return isinstance(last, (SelectRows, GroupRows, DpAggregate, StandardLayout))


def _remote_steps(plan: Plan, mapped: DataFrame) -> list[Callable[[StepContext, Any], StepResult]]:
    """The steps run on the executors' released table (:func:`_stays_remote`): the table
    steps, ``holders``."""
    from pyspark.sql import functions as F

    from anonymizer.engine.spark import dp, holders, tables
    from anonymizer.steps.cell_suppression import CellSuppression
    from anonymizer.steps.dp_aggregate import DpAggregate
    from anonymizer.steps.group_rows import GroupRows
    from anonymizer.steps.holders import Holders
    from anonymizer.steps.select_rows import SelectRows
    from anonymizer.steps.standard_layout import StandardLayout

    persons = (
        mapped.where(F.col("__stats").isNull()).select("__row", "__person")
        if plan.spec.person_column is not None
        else None
    )
    runs: dict[type, Callable[..., StepResult]] = {
        DpAggregate: dp.run, SelectRows: tables.select, GroupRows: tables.group,
        CellSuppression: partial(tables.tabulate, persons=persons),
        StandardLayout: partial(tables.layout, persons=persons), Holders: holders.run,
    }  # fmt: skip
    return [_bound(runs[type(step)], step) for step in plan.steps]


def _bound(run: Callable[..., StepResult], step: Step) -> Callable[[StepContext, Any], StepResult]:
    """``run(step, table before it, ctx)`` as :func:`~anonymizer.engine.pandas.run_steps`
    calls a remote step."""
    return lambda ctx, out: run(step, out, ctx)


def _row_numbers(mapped):  # type: ignore[no-untyped-def]
    """(the partitions' stats rows, the data rows' numbers, how many rows the operators kept)
    when no cell comes to the driver: counted where the rows are. The numbers are a range
    (O(1) memory: a reader numbers a file's rows 0 … n-1) unless they have gaps; then they
    are collected, 8 bytes a row."""
    from pyspark.sql import functions as F

    stats = [r[0] for r in mapped.where(F.col("__stats").isNotNull()).select("__stats").collect()]
    rows = mapped.where(F.col("__stats").isNull())
    n, low, high, kept = rows.agg(
        F.count(F.lit(1)), F.min("__row"), F.max("__row"),
        F.coalesce(F.sum(F.col("__keep").cast("long")), F.lit(0)),
    ).collect()[0]  # fmt: skip
    if n == 0 or (low == 0 and high == n - 1):
        return stats, pd.RangeIndex(n), int(kept)
    import numpy as np

    numbers = rows.select("__row").toPandas()["__row"].to_numpy(dtype="int64")
    return stats, pd.Index(np.sort(numbers)), int(kept)


def _remote_tables(spark, plan, job, mapped, by_counts, kept):  # type: ignore[no-untyped-def]
    """(the released table, the table before the steps) as the executors hold them
    (:class:`.released.SparkReleased`); ``kept``: the rows the operators kept."""
    from anonymizer.engine.spark.released import SparkReleased
    from anonymizer.engine.spark.remote import guarded

    def guard(fn):  # type: ignore[no-untyped-def]
        return guarded(fn, _("writing the release"))

    slots = tuple(range(len(job.released)))
    before = SparkReleased(_rows_of(job, mapped, None), job.released, slots, kept, guard)
    if by_counts is None:
        return before, before
    data = guard(lambda: _rows_of(job, mapped, by_counts).localCheckpoint(eager=True))
    return SparkReleased(data, job.released, slots, guard(data.count), guard), before


def _rows_of(job, mapped, by_counts):  # type: ignore[no-untyped-def]
    """The released rows of the executors' table: ``__row``, ``s0 …`` (the released columns);
    with k-anonymity by aggregation, its labels and record suppression."""
    from pyspark.sql import functions as F

    from anonymizer.engine.spark.kanon import LABEL, SELECTED, SUPPRESSED

    cols = {c: F.col(f"o{i}") for i, c in enumerate(job.released)}
    kept = F.col("__keep")
    if by_counts is not None:
        if by_counts.refusal is not None:
            kept = F.lit(False)  # the step releases no row
        else:
            for d, col in enumerate(by_counts.config.qis):
                cols[col] = F.col(LABEL.format(d))
            if SELECTED in mapped.columns:  # the select_rows steps before it
                kept = kept & F.col(SELECTED)
            if by_counts.config.suppressed == "remove":
                kept = kept & ~F.coalesce(F.col(SUPPRESSED), F.lit(False))
    data = mapped.where(F.col("__stats").isNull() & kept)
    return data.select("__row", *[v.alias(f"s{j}") for j, v in enumerate(cols.values())])


def _is_input(column: str) -> bool:
    """An input column of the executors' rows (``i0 …``)?"""
    return column[:1] == "i" and column[1:].isdigit()


def _checks(spark, plan, job, mapped, by_counts):  # type: ignore[no-untyped-def]
    """The gate's row-level checks over the executors' rows (:mod:`.checks`): the released
    table is theirs when no step ran on the driver, or k-anonymity by aggregation only."""
    from pyspark.sql import functions as F

    from anonymizer.engine.spark.checks import SparkChecks

    data = mapped.where(F.col("__stats").isNull())
    rows = data.select("__row", *[f"i{i}" for i in range(len(job.columns))])
    persons = data.select("__row", "__person") if plan.spec.person_column is not None else None
    if plan.steps and not _last_counted(plan, by_counts):
        return SparkChecks(spark, plan.spec, rows, job.columns, persons=persons)
    native = _rows_of(job, mapped, by_counts).select(F.col("__row").alias("__pos"), "*")
    return SparkChecks(spark, plan.spec, rows, job.columns, native, job.released, persons)


__all__ = ["transform"]
