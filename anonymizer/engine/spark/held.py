"""The released table where Spark's executors hold it, as the policy and the report count it
(:class:`~anonymizer.policy.measure.HeldTable`): group-bys whose results are counts — the
number of classes and records of each class size, the few smallest classes, a column's values
when it has only a few. No row reaches the driver.

An empty cell is :data:`~anonymizer.policy.measure.EMPTY` (as the pandas engine groups it);
classes are counted in distinct persons when the table has them (joined by row). Ties among
the smallest classes are ordered by their values: Spark compares strings by their UTF-8
bytes, which is code point order, as Python does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

import pandas as pd

from anonymizer.engine.spark.gate import pairs
from anonymizer.policy.measure import EMPTY, Classes

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class SparkTable:
    """``table``: ``__row`` and ``g0 …`` (the columns ``names``, in order); ``persons``:
    ``__row``, ``__person`` of every input row (None: a row is a person); ``rows``: how many
    the table has; ``guarded``: runs a Spark job, a failure an exit 2 naming no value;
    ``one_row_each``: every input row's person is named, and named once (a class's persons
    are then its rows: counted without joining them)."""

    table: DataFrame
    names: tuple[str, ...]
    persons: DataFrame | None
    rows: int
    guarded: Callable[[Callable[[], object]], object]
    one_row_each: bool = False
    _counted: dict[tuple[str, ...], Classes] = field(default_factory=dict, init=False, repr=False)

    @property
    def columns(self) -> list[str]:
        return list(self.names)

    def __len__(self) -> int:
        return self.rows

    @property
    def in_persons(self) -> bool:
        return self.persons is not None

    def _key(self, column: str) -> Column:
        from pyspark.sql import functions as F

        return F.coalesce(F.col(f"g{self.names.index(column)}"), F.lit(EMPTY))

    def _per_class(self, columns: Sequence[str]) -> DataFrame:
        """One row per class: ``k0 …`` (its values), ``rows``, ``_size`` (persons or rows)."""
        from pyspark.sql import functions as F

        keys = [self._key(c).alias(f"k{n}") for n, c in enumerate(columns)] or [F.lit(0).alias("k")]
        return self._sized(self._source, keys)

    @property
    def _by_persons(self) -> bool:
        """Are a class's persons counted (not its rows)?"""
        return self.persons is not None and not self.one_row_each

    @property
    def _source(self) -> DataFrame:
        """The table, with each row's person when they are counted."""
        return self._with_persons if self._by_persons else self.table

    def _sized(self, source: DataFrame, keys: Sequence[Column]) -> DataFrame:
        """One row per class of ``keys`` over ``source`` (the table, with ``__person`` when it
        has persons): the keys, ``rows``, ``_size`` (persons or rows). Persons are counted as
        the classes' (class, person) pairs: two group-bys, not a distinct count."""
        from pyspark.sql import functions as F

        if not self._by_persons:
            return source.groupBy(*keys).agg(
                F.count(F.lit(1)).alias("rows"), F.count(F.lit(1)).alias("_size")
            )
        pairs = source.groupBy(*keys, "__person").agg(F.count(F.lit(1)).alias("n"))
        names = [c for c in pairs.columns if c not in ("__person", "n")]
        return pairs.groupBy(*names).agg(  # (a missing person counts no one, as before)
            F.sum("n").alias("rows"), F.count("__person").alias("_size")
        )

    @cached_property
    def _with_persons(self) -> DataFrame:
        """The table with each row's person, joined once for every count."""
        assert self.persons is not None
        return self.table.join(self.persons, "__row").localCheckpoint(eager=True)

    def _run(self, fn: Callable[[], T]) -> T:
        return self.guarded(fn)  # type: ignore[return-value]

    def classes(self, columns: Sequence[str]) -> Classes:
        """Counted once per set of columns: the policy and the report ask for the same."""
        key = tuple(columns)
        if key not in self._counted:
            self._counted[key] = self._classes(key)
        return self._counted[key]

    def classes_of(self, sets: Sequence[Sequence[str]]) -> list[Classes]:
        """The sets not counted yet in one job: each row once per set (its set's values as
        an array), grouped by set and values."""
        keys = [tuple(s) for s in sets]
        todo = list(dict.fromkeys(k for k in keys if k not in self._counted))
        if len(todo) == 1:
            self._counted[todo[0]] = self._classes(todo[0])
        elif todo:
            self._counted.update(self._run(lambda: self._many(todo)))
        return [self._counted[k] for k in keys]

    def _many(self, sets: list[tuple[str, ...]]) -> dict[tuple[str, ...], Classes]:
        from pyspark.sql import functions as F

        each = F.explode(F.array(*[
            F.struct(F.lit(i).alias("s"),
                     F.array(*([self._key(c) for c in cols] or [F.lit("")])).alias("k"))
            for i, cols in enumerate(sets)
        ])).alias("x")  # fmt: skip
        source = self._source.select(each, *(["__person"] if self._by_persons else []))
        per = self._sized(source, [F.col("x.s").alias("s"), F.col("x.k").alias("k")])
        counted = (
            per.groupBy("s", "_size")
            .agg(F.count(F.lit(1)).alias("classes"), F.sum("rows").alias("rows"))
            .collect()
        )
        out = {}
        for i, cols in enumerate(sets):
            mine = [r for r in counted if r["s"] == i]
            out[cols] = Classes.of_counts(
                [r["_size"] for r in mine], [r["classes"] for r in mine],
                [r["rows"] for r in mine],
            )  # fmt: skip
        return out

    def _classes(self, columns: Sequence[str]) -> Classes:
        from pyspark.sql import functions as F

        def run() -> Classes:
            counted = (
                self._per_class(columns)
                .groupBy("_size")
                .agg(F.count(F.lit(1)).alias("classes"), F.sum("rows").alias("rows"))
                .collect()
            )
            return Classes.of_counts(
                [r["_size"] for r in counted], [r["classes"] for r in counted],
                [r["rows"] for r in counted],
            )  # fmt: skip

        return self._run(run)

    def smallest(self, columns: Sequence[str], n: int) -> pd.DataFrame:
        cols = list(columns)
        keys = [f"k{j}" for j in range(len(cols))]

        def run() -> pd.DataFrame:
            found = self._per_class(cols).orderBy("_size", *keys).limit(n).collect()
            return pd.DataFrame(
                [[*(r[k] for k in keys), int(r["_size"])] for r in found],
                columns=[*cols, "_size"],
            )

        return self._run(run)

    def value_counts(self, columns: Sequence[str], limit: int) -> dict[str, dict[str, int] | None]:
        """One group-by over (column, value) pairs, at most ``limit + 1`` values of each
        column reaching the driver."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        cols = list(columns)
        if not cols:
            return {}

        def run() -> dict[str, dict[str, int] | None]:
            counted = (
                self.table.select(pairs([self._key(c) for c in cols]).alias("p"))
                .groupBy(F.col("p.j").alias("j"), F.col("p.v").alias("v"))
                .count()
            )
            nth = F.row_number().over(Window.partitionBy("j").orderBy(F.desc("count"), "v"))
            found = counted.withColumn("n", nth).where(F.col("n") <= limit + 1).collect()
            per: list[dict[str, int]] = [{} for _ in cols]
            for r in sorted(found, key=lambda r: (r["j"], r["n"])):
                per[r["j"]][str(r["v"])] = int(r["count"])
            return {c: (None if len(per[j]) > limit else per[j]) for j, c in enumerate(cols)}

        return self._run(run)
