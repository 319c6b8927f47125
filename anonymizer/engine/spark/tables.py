"""``select_rows``, ``group_rows``, ``cell_suppression`` and ``standard_layout`` where the
executors hold the rows (#21 item 3: table-level work by aggregation).

``select_rows`` keeps the rows in partitions by the step's own test
(:func:`anonymizer.steps.select_rows.selected`); the driver learns how many it kept.

``group_rows`` groups the rows by their stripped identifier in Spark: a group's row is its
first row's (its number, its ``keep`` values), its size band is written from a map of the
few distinct sizes (:func:`anonymizer.steps.group_rows.labels`). An empty identifier or a
group whose ``keep`` values differ is the pandas engine's error, naming the same rows.

``cell_suppression`` (a table tabulated from rows; an already aggregated input,
``value_column``, is small and tabulated on the driver) is counted in Spark: each row's leaf
by the dimensions' public hierarchies and its amount (1, or the ``sum`` column's number) are
found in partitions by the pandas engine's functions (:mod:`anonymizer.tables.table`); the
leaves' sums and counts are grouped there. With contributors — persons (the pipeline's
person column) or, for a magnitude table's dominance rule, rows — each (contributor, leaf)
pair is expanded to every cell above its leaf by a broadcast table of the hierarchies'
ancestors, and the contributors per cell and each cell's largest contributions are counted
there too. The driver receives one row per leaf, cell or (cell, rank): the table's cells,
never its rows, and protects, audits and renders the table by the step's own code
(:meth:`~anonymizer.steps.cell_suppression.CellSuppression.tabulated`). A value that is not
a leaf, or an amount that is not a number or is negative, is the pandas engine's error,
naming the same rows.

``standard_layout`` counts its persons table the same way, each person once (a person whose
rows disagree on the table's columns refused), and its households table with each household
once (an empty household identifier, or a household over two areas, refused), then lays the
tables out by the step's own code
(:meth:`~anonymizer.steps.standard_layout.StandardLayout.tabulated`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from anonymizer.engine.spark.remote import carry_errors

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from anonymizer.engine.spark.released import SparkReleased
    from anonymizer.steps.base import StepContext, StepResult
    from anonymizer.steps.cell_suppression import CellSuppression
    from anonymizer.steps.group_rows import GroupRows
    from anonymizer.steps.select_rows import SelectRows
    from anonymizer.steps.standard_layout import Layout, StandardLayout
    from anonymizer.tables.table import Dimension, LinkedTable


def select(step: SelectRows, released: SparkReleased, ctx: StepContext) -> StepResult:
    """The step's result: the rows it keeps, still on the executors."""
    from anonymizer.steps.base import StepResult

    at = dict(zip(released.names, released.slots, strict=True))
    column = f"s{at[step.params.column]}"
    data = released.data
    kept_rows = data.mapInPandas(_selecting(column, step.params.values), data.schema)

    def run() -> tuple[DataFrame, int]:
        held = kept_rows.localCheckpoint(eager=True)
        return held, held.count()

    kept, n = released.guard(run)
    step.refuse_none(n)
    return StepResult(
        frame=replace(released, data=kept, rows=n), report=step.report(len(released), n)
    )


def _selecting(column: str, values: tuple[str, ...]):  # type: ignore[no-untyped-def]
    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from anonymizer.steps.select_rows import selected

        for batch in batches:
            yield batch.loc[selected(batch[column], values)]

    return run


def group(step: GroupRows, released: SparkReleased, ctx: StepContext) -> StepResult:
    """The step's result: one row per group, on the executors."""
    return released.guard(lambda: _group(step, released))  # type: ignore[no-any-return]


def _disagreeing(
    rows: DataFrame, key: str, columns: Sequence[str], missing_is_empty: bool = True
) -> DataFrame:
    """One row per ``key`` value with a flag per column (``x0`` …): true when its rows hold
    two values of it or more — a missing value read as "" or, without ``missing_is_empty``,
    as none. One aggregation for every column: two values or more is a minimum that is not
    the maximum."""
    from pyspark.sql import functions as F

    values = [
        F.coalesce(F.col(c), F.lit("")) if missing_is_empty else F.col(c) for c in columns
    ]
    return rows.groupBy(key).agg(
        *[(F.min(v) != F.max(v)).alias(f"x{j}") for j, v in enumerate(values)]
    )


def _group(step: GroupRows, released: SparkReleased) -> StepResult:
    from itertools import chain

    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from anonymizer.operators._common import MAX_ROWS_IN_ERROR
    from anonymizer.steps._groups import empty_ids
    from anonymizer.steps.base import StepResult
    from anonymizer.steps.group_rows import labels

    p = step.params
    at = dict(zip(released.names, released.slots, strict=True))
    keep = [f"s{at[c]}" for c in p.keep]
    fields = [
        T.StructField("__row", T.LongType()), T.StructField("__id", T.StringType()),
        *[T.StructField(k, T.StringType()) for k in keep],
    ]  # fmt: skip
    rows = released.data.select("__row", F.col(f"s{at[p.by]}").alias("__id"), *keep)
    ided = rows.mapInPandas(_stripped_ids, T.StructType(fields)).localCheckpoint(eager=True)

    empty = ided.where(F.col("__id").isNull())
    if not empty.isEmpty():
        named, n = _rows_named(empty, MAX_ROWS_IN_ERROR)
        raise empty_ids(f"{step.where}.by", p.by, n, named)
    if keep:  # as the step compares them: a missing value is ""
        spread = _disagreeing(ided, "__id", keep).localCheckpoint(eager=True)
        for j, col in enumerate(p.keep):
            bad = spread.where(F.col(f"x{j}")).select("__id")
            n_groups = bad.count()
            if n_groups:
                named, _n = _rows_named(ided.join(bad, "__id"), MAX_ROWS_IN_ERROR)
                raise step.disagreeing(col, n_groups, named)
    groups = ided.groupBy("__id").agg(
        F.min("__row").alias("__row"), F.count(F.lit(1)).alias("__n"),
        *[F.min_by(k, "__row").alias(f"k{j}") for j, k in enumerate(keep)],
    )  # fmt: skip
    names = list(p.keep)
    cols = [F.col(f"k{j}").alias(f"s{j}") for j in range(len(keep))]
    sizes = 0
    if p.size is not None:
        seen = sorted(int(r["__n"]) for r in groups.select("__n").distinct().collect())
        written = dict(zip(seen, labels(np.array(seen), p.size), strict=True))
        band = F.create_map(*[F.lit(x) for x in chain.from_iterable(written.items())])
        cols.append(band[F.col("__n")].alias(f"s{len(keep)}"))
        names.append(p.size.column)
        sizes = len(set(written.values()))
    data = groups.select("__row", *cols).localCheckpoint(eager=True)
    n = data.count()
    out = replace(released, data=data, names=tuple(names), slots=tuple(range(len(names))), rows=n)
    return StepResult(frame=out, report=step.report(len(released), n, sizes))


@carry_errors
def _stripped_ids(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Each row's identifier as the steps read it (:func:`anonymizer.steps._groups.
    stripped_ids`: empty is null)."""
    from anonymizer.steps._groups import stripped_ids

    for batch in batches:
        yield batch.assign(__id=stripped_ids(batch["__id"]).astype(object))


def tabulate(
    step: CellSuppression, released: SparkReleased, ctx: StepContext, persons: DataFrame | None
) -> StepResult:
    """The step's result, its table counted on the executors. ``persons``: ``__row`` and
    ``__person`` of the input's rows (with a person column, cells count persons)."""
    from pyspark.sql import functions as F

    from anonymizer.tables.build import dimensions

    spec = step.params
    dims = dimensions(spec, step.where, ctx.pipeline_path.parent)
    top = spec.resolved().top if spec.sum is not None else 0
    at = dict(zip(released.names, released.slots, strict=True))
    cells = [F.col(f"s{at[d.column]}").alias(f"d{j}") for j, d in enumerate(dims)]
    if spec.sum is not None:
        cells.append(F.col(f"s{at[spec.sum]}").alias("__v"))

    def run() -> LinkedTable:
        rows = released.data.select("__row", *cells)
        if persons is not None:
            rows = rows.join(persons, "__row")
        who = "__person" if persons is not None else None
        return _count(rows, dims, step.where, spec.sum, top, spec.name, who)

    table = released.guard(run)
    return step.tabulated(table, ctx, by_persons=persons is not None)


def layout(
    step: StandardLayout, released: SparkReleased, ctx: StepContext, persons: DataFrame | None
) -> StepResult:
    """``standard_layout``'s result, its persons and households tables counted on the
    executors: each person once (persons whose rows disagree refused), each household once
    (an empty identifier or a household over two areas refused), as the step does."""
    lay = step.layout(ctx)
    table, homes = released.guard(lambda: _layout(step, lay, released, persons))
    return step.tabulated(lay, table, homes, ctx, by_persons=persons is not None)


def _layout(
    step: StandardLayout, lay: Layout, released: SparkReleased, persons: DataFrame | None
) -> tuple[LinkedTable, LinkedTable | None]:
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from anonymizer.operators._common import MAX_ROWS_IN_ERROR
    from anonymizer.steps._groups import empty_ids

    p, where = step.params, step.where
    at = dict(zip(released.names, released.slots, strict=True))
    columns = [d.column for d in lay.dims]
    cells = [F.col(f"s{at[c]}").alias(f"d{j}") for j, c in enumerate(columns)]
    if p.households is not None:
        cells.append(F.col(f"s{at[p.households]}").alias("__home"))
    rows = released.data.select("__row", *cells)
    if persons is not None:
        rows = rows.join(persons, "__row")
        # as the step compares a person's rows: a missing value is ""
        spread = _disagreeing(rows, "__person", [f"d{j}" for j in range(len(columns))])
        split = spread.where(" OR ".join(f"x{j}" for j in range(len(columns))))
        n_groups = split.count()
        if n_groups:
            split_rows = rows.join(split.select("__person"), "__person")
            named, _n = _rows_named(split_rows, MAX_ROWS_IN_ERROR)
            raise step.persons_disagree(n_groups, columns, named)
        firsts = rows.groupBy("__person").agg(F.min("__row").alias("__row"))
        rows = rows.join(firsts, ["__person", "__row"])
    rows = rows.localCheckpoint(eager=True)
    who = "__person" if persons is not None else None
    table = _count(rows, lay.dims, where, None, 0, "人口", who)
    if "households" not in step.profile.counts():
        return table, None
    assert p.households is not None
    fields = [
        T.StructField("__row", T.LongType()), T.StructField("__id", T.StringType()),
        T.StructField("d0", T.StringType()),
    ]  # fmt: skip
    homes = rows.select("__row", F.col("__home").alias("__id"), "d0")
    ided = homes.mapInPandas(_stripped_ids, T.StructType(fields)).localCheckpoint(eager=True)
    empty = ided.where(F.col("__id").isNull())
    if not empty.isEmpty():
        named, n = _rows_named(empty, MAX_ROWS_IN_ERROR)
        raise empty_ids(f"{where}.households", p.households, n, named)
    # as the step compares a household's areas: a missing one is none
    spread = _disagreeing(ided, "__id", ["d0"], missing_is_empty=False)
    split = spread.where(F.col("x0")).select("__id")
    n_groups = split.count()
    if n_groups:
        named, _n = _rows_named(ided.join(split, "__id"), MAX_ROWS_IN_ERROR)
        raise step.households_disagree(n_groups, lay.area, named)
    firsts = ided.groupBy("__id").agg(F.min("__row").alias("__row"))
    home_rows = ided.join(firsts, ["__id", "__row"])
    homes_table = _count(home_rows, (lay.area,), f"{where}.households", None, 0, "世帯数", "__id")
    return table, homes_table


def _rows_named(where: DataFrame, limit: int, count: int | None = None) -> tuple[str, int]:
    """(the rows of ``where`` as an error names them — the first ``limit`` by number, then
    ``…`` — and how many rows; ``count`` when already counted)."""
    from anonymizer.io.rows import describe_first_rows

    n = where.count() if count is None else count
    listed = where.select("__row").orderBy("__row").limit(limit).collect()
    return describe_first_rows([int(r["__row"]) for r in listed], n, limit), n


def _count(
    rows: DataFrame,
    dims: tuple[Dimension, ...],
    where: str,
    summed: str | None,
    top: int,
    name: str,
    who: str | None,
) -> LinkedTable:
    """:func:`anonymizer.tables.table.tabulate` over ``rows`` (``__row``, ``d0 …`` the
    dimensions' values, ``__v`` the ``summed`` column's, ``who`` the contributor's — else
    each row is one): the same table, the same errors."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from anonymizer.tables.table import LinkedTable, aggregate, ancestor_cells, counted

    fields = [
        T.StructField("__row", T.LongType()), T.StructField("__leaf", T.LongType()),
        T.StructField("__w", T.DoubleType()), T.StructField("__bad", T.IntegerType()),
    ]  # fmt: skip
    if who is not None:
        fields.append(T.StructField(who, T.StringType()))
    coded = rows.mapInPandas(_coding(dims, summed is not None, who), T.StructType(fields))
    coded = coded.localCheckpoint(eager=True)
    _refuse_bad(coded, dims, where, summed)
    leaf_shape = tuple(len(d.hierarchy.leaves) for d in dims)
    n_leaf = int(np.prod(leaf_shape))
    magnitude = summed is not None
    if who is None and not top:
        per_leaf = coded.groupBy("__leaf").agg(
            F.sum("__w").alias("w"), F.count(F.lit(1)).alias("n")
        )
        leaf_value, leaf_count = np.zeros(n_leaf), np.zeros(n_leaf, dtype=np.int64)
        for r in per_leaf.collect():
            leaf_value[r["__leaf"]], leaf_count[r["__leaf"]] = r["w"], r["n"]
        return counted(dims, leaf_value, leaf_count, magnitude, name)
    by = F.col(who) if who is not None else F.col("__row").cast("string")
    pairs = (
        coded.groupBy(by.alias("__who"), "__leaf")
        .agg(F.sum("__w").alias("__w"))
        .localCheckpoint(eager=True)
    )
    leaf_value = np.zeros(n_leaf)
    for r in pairs.groupBy("__leaf").agg(F.sum("__w").alias("w")).collect():
        leaf_value[r["__leaf"]] = r["w"]
    # every cell above a leaf (the leaf's own cell first): a public table of a few cells
    anc = ancestor_cells(dims)
    up = pd.DataFrame({"__leaf": np.repeat(np.arange(n_leaf), anc.shape[1]), "__cell": anc.ravel()})
    above = coded.sparkSession.createDataFrame(up[up["__cell"] >= 0], "__leaf long, __cell long")
    per = (
        pairs.join(F.broadcast(above), "__leaf")
        .groupBy("__cell", "__who")
        .agg(F.sum("__w").alias("__per"))
    )
    if top:  # read twice: the contributors per cell, then the largest
        per = per.localCheckpoint(eager=True)
    size = int(np.prod(tuple(len(d.hierarchy.codes) for d in dims)))
    freq = np.zeros(size, dtype=np.int64)
    for r in per.groupBy("__cell").count().collect():
        freq[r["__cell"]] = r["count"]
    tops = None
    if top:
        rank = F.row_number().over(Window.partitionBy("__cell").orderBy(F.desc("__per")))
        tops = np.zeros((size, top))
        ranked = per.withColumn("__rank", rank).where(F.col("__rank") <= top)
        for r in ranked.select("__cell", "__rank", "__per").collect():
            tops[r["__cell"], r["__rank"] - 1] = r["__per"]
    value = aggregate(leaf_value.reshape(leaf_shape), dims)
    return LinkedTable(dims, value, freq, tops, magnitude, name)


def _coding(dims: tuple[Dimension, ...], summed: bool, who: str | None):  # type: ignore[no-untyped-def]
    """Each row's leaf (flat over the dimensions' leaves), amount and what is wrong with it:
    bit ``j`` a value of dimension ``j`` that is no leaf, then the amount not a number, then
    negative; ``who`` carried."""

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from anonymizer.tables.table import amounts, leaf_cells

        for batch in batches:
            leaf, no_leaf = leaf_cells([batch[f"d{j}"] for j in range(len(dims))], dims)
            bad = np.zeros(len(batch), dtype=np.int32)
            for j, rows in enumerate(no_leaf):
                bad |= rows.astype(np.int32) << j
            if summed:
                w, nan, neg = amounts(batch["__v"])
                bad |= (nan.astype(np.int32) << len(dims)) | (
                    neg.astype(np.int32) << (len(dims) + 1)
                )
                w = np.where(nan, 0.0, w)
            else:
                w = np.ones(len(batch))
            out = pd.DataFrame(
                {"__row": batch["__row"].to_numpy(), "__leaf": leaf, "__w": w, "__bad": bad}
            )
            if who is not None:
                out[who] = batch[who].to_numpy()
            yield out

    return run


def _refuse_bad(
    coded: DataFrame, dims: tuple[Dimension, ...], where: str, summed: str | None
) -> None:
    """The pandas engine's first error, if any row has one: a dimension's value that is no
    leaf (the dimensions in order), then an amount that is not a number, then a negative
    one — each naming its count and first rows."""
    from pyspark.sql import functions as F

    from anonymizer.tables.table import ROWS_LISTED, bad_amount, not_a_leaf

    bits = len(dims) + (2 if summed is not None else 0)
    flagged = [F.col("__bad").bitwiseAND(1 << b) != 0 for b in range(bits)]
    totals = coded.agg(*[F.sum(f.cast("long")).alias(f"b{b}") for b, f in enumerate(flagged)])
    counts = totals.collect()[0]
    for b in range(bits):
        n = int(counts[f"b{b}"] or 0)
        if not n:
            continue
        named, _n = _rows_named(coded.where(flagged[b]), ROWS_LISTED, n)
        if b < len(dims):
            raise not_a_leaf(where, dims[b], n, named)
        assert summed is not None
        raise bad_amount(where, summed, b > len(dims), named)


__all__ = ["group", "layout", "select", "tabulate"]
