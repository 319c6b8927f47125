"""The Spark engine's :class:`~anonymizer.engine.base.RowChecks`: the gate's re-scan and
raw-value check over the rows the executors hold (:mod:`.gate`, :mod:`.raw`), handed to the
run with the transformed tables.

The released table is the executors' own when the driver's steps did not change it (no steps,
or k-anonymity by aggregation as the only step: its labels and suppression were joined in
Spark); otherwise — a step ran on the driver — the driver's table is given to Spark for the
checks. The identifier values hunted are always the executors' (the input as read there).
Any Spark failure is an exit 2 with nothing released (:func:`.remote.local_error`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from anonymizer.i18n import _

T = TypeVar("T")

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from anonymizer.detect import Detector
    from anonymizer.engine.spark.raw import Patterns
    from anonymizer.match import DenyEntry
    from anonymizer.pipeline.gate import OutputColumnInfo, PublicCells
    from anonymizer.pipeline.spec import GateSpec, PipelineSpec
    from anonymizer.policy.measure import HeldTable
    from anonymizer.scan.profile import ColumnFacts
    from anonymizer.steps.base import GateCheck


@dataclass(frozen=True, eq=False)
class SparkChecks:
    """:class:`~anonymizer.engine.base.RowChecks` on Spark: the same checks, the rows where
    the executors hold them."""

    spark: SparkSession
    spec: PipelineSpec
    #: the input's data rows as the executors read them: ``i0 …`` (input columns), ``__row``
    rows: DataFrame
    #: the input's columns, in order (``i*``)
    columns: tuple[str, ...]
    #: the released table when Spark holds it as the driver does: ``__pos``, ``__row``,
    #: ``s0 …`` (``native_columns``) — or None
    native: DataFrame | None = None
    native_columns: tuple[str, ...] = ()
    #: the person of every input row (``__row``, ``__person``), or None: a row is a person
    persons: DataFrame | None = None
    #: the Spark table of each released table the checks were given (by identity)
    _tables: dict[int, tuple[pd.DataFrame, DataFrame]] = field(default_factory=dict)
    #: the identifier values hunted (with the addresses they were built with, and the public
    #: cells), by (numbered-only columns, public cells' id)
    _hunted: dict[tuple[Any, ...], tuple[tuple[str, ...], Patterns, Any]] = field(
        default_factory=dict
    )

    def _guarded(self, fn: Callable[[], T]) -> T:
        """``fn()``; a Spark failure is the gate's exit 2 naming no value."""
        from anonymizer.engine.spark.remote import guarded

        return guarded(fn, _("the release gate's checks"))

    def _table(self, out: pd.DataFrame, sources: Mapping[str, str] | None) -> DataFrame:
        """``out`` in Spark (``__pos``, ``__row``, ``g0 …``): the executors' rows when they are
        the released ones, else the driver's table given to Spark (the re-scan's, with the
        columns' sources, is the one the raw-value check then reads)."""
        from anonymizer.engine.spark.released import SparkReleased

        if isinstance(out, SparkReleased):  # never on the driver
            return out.checks_table()
        held = self._tables.get(id(out))
        if held is not None and held[0] is out:
            return held[1]
        self._tables.clear()
        table = self._build(out, sources)
        self._tables[id(out)] = (out, table)  # the frame is held: its id is not reused
        return table

    def _build(self, out: pd.DataFrame, sources: Mapping[str, str] | None) -> DataFrame:
        from pyspark.sql import functions as F

        from anonymizer.engine.spark.gate import upload

        if self.native is not None and sources is not None:
            names = [sources.get(c) for c in out.columns]
            if all(n in self.native_columns for n in names) and self.native.count() == len(out):
                return self.native.select(
                    "__pos", "__row",
                    *[F.col(f"s{self.native_columns.index(n)}").alias(f"g{j}")  # type: ignore[arg-type]
                      for j, n in enumerate(names)],
                )  # fmt: skip
        return upload(self.spark, out)

    def rescan(
        self,
        out: pd.DataFrame,
        infos: Mapping[str, OutputColumnInfo],
        spec: GateSpec,
        full: Detector,
        light: Detector,
        deny: Mapping[str, Sequence[DenyEntry]],
        public: Mapping[str, PublicCells],
        place: Callable[[str], bool] | None,
    ) -> GateCheck:
        """The re-scan in partitions; the detectors, deny-lists and place names are the
        pipeline's own, built on the executors (``full``, ``light``, ``deny`` and ``place`` are
        the driver's copies of them)."""
        from anonymizer.engine.spark import gate
        from anonymizer.pipeline.gate import public_rows

        pub: dict[str, list[int]] = {}
        for name in out.columns:
            cells = public.get(infos[name].source)
            if cells is None:
                continue
            # a table the executors hold has no index here: its public rows are by number
            rows = (
                public_rows(cells, out.index)
                if isinstance(out, pd.DataFrame)
                else cells.rows.fillna(False).astype(bool)
            )
            if rows is not None:
                pub[name] = [int(i) for i in rows[rows].index]

        def run() -> GateCheck:
            table = self._table(out, {c: i.source for c, i in infos.items()})
            return gate.rescan(self.spark, table, list(out.columns), infos, self.spec, public, pub)

        return self._guarded(run)

    def raw_values(
        self,
        out: pd.DataFrame,
        spec: PipelineSpec,
        public: Mapping[str, PublicCells],
        across: Sequence[str] = (),
        addresses: Sequence[str] = (),
        numbered_only: Sequence[str] = (),
        headers: bool = False,
    ) -> GateCheck:
        from anonymizer.engine.spark import raw
        from anonymizer.engine.spark.gate import upload

        def run() -> GateCheck:
            table = upload(self.spark, out) if headers else self._table(out, None)
            hunted, gaps = self._hunted_values(spec, public, addresses, numbered_only)
            return raw.raw_values(table, list(out.columns), hunted, across, gaps)

        return self._guarded(run)

    def _hunted_values(
        self,
        spec: PipelineSpec,
        public: Mapping[str, PublicCells],
        addresses: Sequence[str],
        numbered_only: Sequence[str],
    ) -> tuple[Patterns, bool]:
        """(the identifier values to hunt, whether their digit groupings count), built once
        for the run's raw-value checks: a call without ``addresses`` (the headers') reuses
        the data's values and ignores their groupings."""
        from anonymizer.engine.spark import raw

        key = (tuple(numbered_only), id(public))
        held = self._hunted.get(key)
        if held is not None and held[0] == tuple(addresses):
            return held[1], True
        if held is not None and not addresses:
            return held[1], False  # (no grouping counts: the values' keys are the same)
        labels, values = self._values(spec, public)
        hunted = raw.patterns(values, labels, addresses, numbered_only)
        # (the mapping is held with its id: the id is not reused while the entry lives)
        self._hunted[key] = (tuple(addresses), hunted, public)
        return hunted, True

    def facts(self, sample: int) -> list[ColumnFacts]:
        """The input columns' facts counted on the executors (:mod:`.facts`)."""
        from anonymizer.engine.spark.facts import column_facts

        at = [f"i{i}" for i in range(len(self.columns))]
        return self._guarded(lambda: column_facts(self.rows, at, self.columns, sample))

    def held_input(self, persons: pd.Series | None) -> HeldTable:
        """The input as the executors read it (:class:`.held.SparkTable`); its persons are
        the executors' (``persons``, the driver's, are not needed: a table whose released
        rows stay on the executors has none on the driver)."""
        from pyspark.sql import functions as F

        from anonymizer.engine.spark.held import SparkTable

        table = self.rows.select(
            "__row", *[F.col(f"i{j}").alias(f"g{j}") for j in range(len(self.columns))]
        )
        rows = self._guarded(table.count)
        return SparkTable(
            table, tuple(self.columns), self.persons, rows, self._guarded, self._one_row_each
        )

    @cached_property
    def _one_row_each(self) -> bool:
        """Is every input row a person of its own (each named once, none missing)? Then a
        class's persons are its rows, counted without joining the persons (a register of
        residents); found by one count."""
        from pyspark.sql import functions as F

        persons = self.persons
        if persons is None:
            return False
        found = self._guarded(
            lambda: persons.agg(
                F.count(F.lit(1)).alias("rows"),
                F.count("__person").alias("named"),
                F.count_distinct("__person").alias("persons"),
            ).first()
        )
        assert found is not None
        return int(found["rows"]) == int(found["named"]) == int(found["persons"])

    def held(self, out: pd.DataFrame, persons: pd.Series | None) -> HeldTable:
        """``out`` where the executors hold it (:class:`.held.SparkTable`): the policy and the
        report count its classes by group-bys, and only counts reach the driver. Persons are
        the executors' (as in :meth:`held_input`)."""
        from anonymizer.engine.spark.held import SparkTable

        table = self._guarded(lambda: self._table(out, None))
        return SparkTable(
            table.select("__row", *[f"g{j}" for j in range(len(out.columns))]),
            tuple(map(str, out.columns)), self.persons, len(out), self._guarded,
            self._one_row_each,
        )  # fmt: skip

    def _values(
        self, spec: PipelineSpec, public: Mapping[str, PublicCells]
    ) -> tuple[list[str], DataFrame]:
        """The identifier values to hunt, as :func:`anonymizer.pipeline.run.hunted_values`
        takes them: (their labels — the hunted columns, then each name held in two columns —
        and the values ``h`` (the label's position), ``v``), without those of public rows."""
        from pyspark.sql import functions as F

        from anonymizer.match.names import joined_label

        pairs = spec.name_pairs()
        hunted = spec.whole_value_columns()
        labels = [*hunted, *(joined_label(f, g) for f, g in pairs)]
        owner = [*hunted, *(f for f, _g in pairs)]  # whose public rows a label's values skip
        at = {c: f"i{self.columns.index(c)}" for c in self.columns}
        parts_of: list[DataFrame] = []
        cols = [
            F.struct(F.lit(h).alias("h"), F.col(at[c]).alias("v")) for h, c in enumerate(hunted)
        ]
        if cols:
            parts_of.append(
                self.rows.select("__row", F.explode(F.array(*cols)).alias("x"))
                .select(F.col("x.h").alias("h"), "__row", F.col("x.v").alias("v"))
            )
        if pairs:
            parts_of.append(self._joined(pairs, len(hunted), at))
        if not parts_of:
            return labels, self.spark.createDataFrame([], "h int, v string")
        values = parts_of[0]
        for more in parts_of[1:]:
            values = values.unionByName(more)
        values = values.where(F.col("v").isNotNull())
        pub: list[tuple[Any, ...]] = []
        for h, c in enumerate(owner):
            cells = public.get(c)
            if cells is not None:
                flags = cells.rows.fillna(False).astype(bool)
                pub += [(h, int(i)) for i in flags[flags].index]
        if pub:
            hidden = self.spark.createDataFrame(pub, "h int, __row long")
            values = values.join(F.broadcast(hidden), ["h", "__row"], "left_anti")
        return labels, values.select("h", "v").distinct()

    def _joined(
        self, pairs: Sequence[tuple[str, str]], first: int, at: Mapping[str, str]
    ) -> DataFrame:
        """The joined names of each row (:func:`anonymizer.match.names.joined_names`, per
        batch: it reads one row at a time): ``h`` (``first`` + the pair's position), ``__row``,
        ``v``."""
        from anonymizer.engine.spark.remote import carry_errors

        needed = sorted({c for pair in pairs for c in pair})
        names = list(pairs)

        @carry_errors
        def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
            from anonymizer.match.names import joined_names

            for batch in batches:
                index = pd.Index(batch["__row"].to_numpy(dtype="int64"))
                columns = {c: pd.Series(batch[at[c]].to_numpy(), index=index) for c in needed}
                frames = [
                    pd.DataFrame({"h": first + p, "__row": values.index, "v": values.to_numpy()})
                    for p, values in enumerate(joined_names(columns, names).values())
                ]
                empty = pd.DataFrame({"h": pd.Series([], dtype="int32"),
                                      "__row": pd.Series([], dtype="int64"),
                                      "v": pd.Series([], dtype=object)})  # fmt: skip
                yield pd.concat(frames) if frames else empty

        source = self.rows.select("__row", *[at[c] for c in needed])
        return source.mapInPandas(run, "h int, __row long, v string")
