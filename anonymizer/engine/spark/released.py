"""A released table the executors hold (#21 item 4): what the run asks of it — its columns,
its number of rows, its checks' Spark table and its data file — without its cells reaching
the driver.

The Spark engine hands the run a :class:`SparkReleased` in place of the released frame when
the gate runs on the executors and no step runs on the driver (no steps, or k-anonymity by
aggregation as the only one): then the driver holds the rows' numbers and counts, never a
released cell. The gate's checks read :meth:`SparkReleased.checks_table`, the policy and
the report count its classes through :class:`.held.SparkTable`, and the data file is written
by :func:`write_csv`: the executors sort and encode the rows (the same formula
neutralisation and CSV as :mod:`anonymizer.pipeline.release`), the driver streams the parts
into the release file in order, hashing as it writes, and merges the columns'
:class:`~anonymizer.portal.datapackage.FieldFacts` for the catalogue's field types.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from anonymizer.engine.spark.remote import carry_errors

if TYPE_CHECKING:
    import numpy as np
    from pyspark.sql import DataFrame

    from anonymizer.portal.datapackage import FieldFacts
    from anonymizer.profiles.spec import Profile
    from anonymizer.release.writer import ReleaseWriter

#: a row's place in the file: its partition's number, shifted past any partition's rows
_PARTITION_SHIFT = 40
#: rows of the data file per range the driver streams (≈ 30 MB of CSV for a register's rows)
WRITE_ROWS = 200_000


@dataclass(frozen=True, eq=False)
class SparkReleased:
    """The released table where the executors hold it."""

    #: ``__row`` (the input row a released row comes from) and ``s0 …``: the released rows
    data: DataFrame
    #: the released columns' names, and the ``s*`` column each is in
    names: tuple[str, ...]
    slots: tuple[int, ...]
    #: how many rows it has (counted once, on the executors)
    rows: int
    #: runs a Spark job; a failure is the engine's exit 2 naming no value
    guard: Callable[[Callable[[], Any]], Any]
    #: the file's row order: ``input`` (the input's) or ``released`` (by the released values)
    order: str = "input"

    @property
    def columns(self) -> pd.Index:
        return pd.Index(list(self.names), dtype=object)

    def __len__(self) -> int:
        return self.rows

    def chosen(self, pairs: Sequence[tuple[str, str]]) -> SparkReleased:
        """Only the ``(source, name)`` columns, renamed (``output.columns``)."""
        at = dict(zip(self.names, self.slots, strict=True))
        return replace(
            self, names=tuple(n for _s, n in pairs), slots=tuple(at[s] for s, _n in pairs)
        )

    def in_released_order(self) -> SparkReleased:
        """Written sorted by the released values (:func:`anonymizer.pipeline.release.
        in_released_order`), the sort done by the executors."""
        return replace(self, order="released")

    def checks_table(self) -> DataFrame:
        """``__pos``, ``__row``, ``g0 …``: the table the gate's checks read."""
        from pyspark.sql import functions as F

        return self.data.select(
            F.col("__row").alias("__pos"), "__row",
            *[F.col(f"s{s}").alias(f"g{j}") for j, s in enumerate(self.slots)],
        )  # fmt: skip

    def bad_cells(self, profile: Profile, mark: str) -> dict[str, dict[str, Any]]:
        """:func:`anonymizer.profiles.check.bad_cells` where the rows are: each cell judged
        in partitions by the same test; only counts and the first bad rows' numbers reach
        the driver, and those rows are named by their position in the table, as there."""
        return self.guard(lambda: _bad_cells(self, profile, mark))  # type: ignore[no-any-return]


def _bad_cells(released: SparkReleased, profile: Profile, mark: str) -> dict[str, dict[str, Any]]:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from anonymizer.profiles.check import LISTED

    judged = released.data.select(
        "__row", *[F.col(f"s{s}").alias(f"c{j}") for j, s in enumerate(released.slots)]
    ).mapInPandas(_judge_cells(profile, mark), "c int, __row long")
    judged = judged.localCheckpoint(eager=True)
    counts = {int(r["c"]): int(r["n"]) for r in judged.groupBy("c").count()
              .withColumnRenamed("count", "n").collect()}  # fmt: skip
    if not counts:
        return {}
    first = judged.select(
        "c", "__row", F.row_number().over(Window.partitionBy("c").orderBy("__row")).alias("k")
    ).where(F.col("k") <= LISTED).collect()
    listed = sorted({int(r["__row"]) for r in first})
    # a row's position: the released rows before it (the table is in the input's order)
    before = released.data.agg(
        *[F.sum((F.col("__row") < r).cast("long")).alias(f"p{i}") for i, r in enumerate(listed)]
    ).collect()[0]
    position = {r: int(before[f"p{i}"] or 0) + 1 for i, r in enumerate(listed)}
    rows: dict[int, list[int]] = {}
    for r in first:
        rows.setdefault(int(r["c"]), []).append(int(r["__row"]))
    out: dict[str, dict[str, Any]] = {}
    for j, column in enumerate(profile.columns):
        if j in counts:
            out[released.names[j]] = {
                "type": column.type, "cells": counts[j],
                "rows": [position[r] for r in sorted(rows[j])],
            }  # fmt: skip
    return out


def _judge_cells(profile: Profile, mark: str):  # type: ignore[no-untyped-def]
    """The ``mapInPandas`` function: (column position, row) of each cell not of its type."""

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from anonymizer.profiles.check import bad_mask

        for batch in batches:
            rows = batch["__row"].to_numpy(dtype="int64")
            found = []
            for j, column in enumerate(profile.columns):
                bad = bad_mask(column, batch[f"c{j}"], mark)
                found.append(pd.DataFrame({"c": j, "__row": rows[bad]}))
            yield pd.concat(found) if found else pd.DataFrame({"c": [], "__row": []})

    return run


@dataclass(frozen=True)
class _Encode:
    """What the executors encoding the file are given."""

    headers: tuple[str, ...]
    encoding: str
    missing: tuple[str, ...]
    #: the data is split into part files: each batch says where its rows end
    split: bool = False


def _encoder(job: _Encode):  # type: ignore[no-untyped-def]
    """The ``mapInPandas`` function: each batch's CSV bytes (no header), the byte offset where
    each of its rows ends (only when the data is split into part files: where a file may be
    cut), how many of its cells were neutralised, and its columns' facts (pickled) — in the
    file's order within the partition, as the driver reads them."""

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import numpy as np
        from pyspark import TaskContext

        from anonymizer.pipeline.release import csv_bytes, neutralize_formulas, row_ends
        from anonymizer.portal.datapackage import FieldFacts

        context = TaskContext.get()
        at = (context.partitionId() if context is not None else 0) << _PARTITION_SHIFT
        # a BOM starts the file, not each part
        encoding = "utf-8" if job.encoding == "utf-8-sig" else job.encoding
        for batch in batches:
            frame = batch.drop(columns=["__row"]).astype("string")
            frame.columns = list(job.headers)  # already neutralised: none renamed again
            safe, changed = neutralize_formulas(frame)
            if job.split:
                data, ends = row_ends(safe, encoding)
            else:
                data, ends = csv_bytes(safe, encoding, header=False), []
            facts = {c: FieldFacts.of(safe[c], job.missing, start=at) for c in safe.columns}
            at += len(safe)
            yield pd.DataFrame({
                "data": [data], "ends": [np.asarray(ends, dtype=np.int64).tobytes()],
                "rows": [len(safe)], "changed": [changed], "facts": [pickle.dumps(facts)],
            })  # fmt: skip

    return run


def _fetched(batches: Iterable[Any]) -> list[tuple[bytes, bytes, int, int, bytes]]:
    """A range's encoded batches, as the driver takes them."""
    return [
        (bytes(b["data"]), bytes(b["ends"]), int(b["rows"]), int(b["changed"]), bytes(b["facts"]))
        for b in batches
    ]


def write_csv(
    released: SparkReleased,
    writer: ReleaseWriter,
    files: Sequence[str],
    limit: int,
    encoding: str,
    headers: Sequence[str],
    missing: Sequence[str],
) -> tuple[list[tuple[str, int, int]], int, dict[str, FieldFacts]]:
    """The data, written by the executors in parts and streamed here into the release in
    order: one file, or ``files`` of at most ``limit`` rows each, every one with the header
    row (:func:`anonymizer.pipeline.release.data_files`). Returns each file's (SHA-256, size,
    rows), the cells neutralised, and each column's facts by its header in the file.
    ``headers``: the file's headers (already neutralised)."""
    import numpy as np
    from pyspark.sql import functions as F

    from anonymizer.pipeline.release import csv_bytes

    cols = [F.col(f"s{s}") for s in released.slots]
    table = released.data.select("__row", *[c.alias(f"c{j}") for j, c in enumerate(cols)])
    if released.order == "released":  # an empty cell first; ties in the input's order
        keys = [F.coalesce(F.col(f"c{j}"), F.lit("")) for j in range(len(cols))]
        keys.append(F.col("__row"))
    else:
        keys = [F.col("__row")]
    # ranges of at most WRITE_ROWS rows, in order: each reaches the driver as one task's
    # result, so a range must be small (a sort's own partitions, coalesced, held ≈ 1 GB at
    # 10M rows)
    ranges = max(1, -(-released.rows // WRITE_ROWS))
    ordered = table.repartitionByRange(ranges, *keys).sortWithinPartitions(*keys)
    job = _Encode(tuple(headers), encoding, tuple(missing), len(files) > 1)
    parts = ordered.mapInPandas(
        _encoder(job), "data binary, ends binary, rows long, changed long, facts binary"
    )
    merged: dict[str, FieldFacts] = {}
    changed = [0]
    header = csv_bytes(pd.DataFrame(columns=list(headers)), encoding)

    # one job per range, its rows returned by that job (`SparkContext.runJob`): through
    # `toLocalIterator` instead, the JVM's heap kept ≈ 3 GB more by the end of a 10M-row file
    # (it ran out of an 8 GB heap at 8.5M rows, the cache of the released rows beside it)
    rdd = parts.rdd
    sc = rdd.context

    def pieces() -> Iterator[tuple[bytes, np.ndarray, int]]:
        for i in range(rdd.getNumPartitions()):
            for data, ends_, rows, changed_, facts_ in sc.runJob(rdd, _fetched, [i]):
                changed[0] += changed_
                facts: dict[str, FieldFacts] = pickle.loads(facts_)  # noqa: S301 - our own
                for name, f in facts.items():
                    merged[name] = merged[name].merge(f) if name in merged else f
                yield data, np.frombuffer(ends_, dtype=np.int64), rows

    cutter = _Cutter(pieces(), header, limit if len(files) > 1 else None)
    written: list[tuple[str, int, int]] = []
    for name in files:
        stream = cutter.file()

        def add(n: str = name, st: Iterator[bytes] = stream) -> tuple[str, int]:
            return writer.add_stream(n, st)

        sha, size = released.guard(add)
        written.append((sha, size, cutter.rows))
    if not merged:  # no row: every column's facts are of no cell
        from anonymizer.portal.datapackage import FieldFacts

        empty = pd.Series([], dtype="string")
        merged = {h: FieldFacts.of(empty, missing) for h in headers}
    return written, changed[0], {h: merged[h] for h in headers}


class _Cutter:
    """The encoded batches (bytes, where each row ends, rows) cut into files of at most
    ``limit`` rows (``None``: one file) — between two rows, even inside a batch."""

    def __init__(
        self, source: Iterator[tuple[bytes, np.ndarray, int]], header: bytes, limit: int | None
    ) -> None:
        self.source, self.header, self.limit = source, header, limit
        #: the rest of a batch a file's end cut
        self.pending: tuple[bytes, np.ndarray, int] | None = None
        #: rows in the file being written
        self.rows = 0

    def file(self) -> Iterator[bytes]:
        """The next file's bytes: the header, then its rows."""
        self.rows = 0
        return self._bytes()

    def _bytes(self) -> Iterator[bytes]:
        yield self.header
        while self.limit is None or self.rows < self.limit:
            piece, self.pending = self.pending or next(self.source, None), None
            if piece is None:
                return
            data, ends, rows = piece
            if self.limit is None or rows <= self.limit - self.rows:
                self.rows += rows
                yield data
                continue
            room = self.limit - self.rows
            cut = int(ends[room - 1])
            self.rows += room
            yield data[:cut]
            self.pending = (data[cut:], ends[room:] - cut, rows - room)


__all__ = ["SparkReleased", "write_csv"]
