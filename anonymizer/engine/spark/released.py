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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from anonymizer.engine.spark.remote import carry_errors

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from anonymizer.portal.datapackage import FieldFacts
    from anonymizer.release.writer import ReleaseWriter

T = TypeVar("T")

#: a row's place in the file: its partition's number, shifted past any partition's rows
_PARTITION_SHIFT = 40


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


@dataclass(frozen=True)
class _Encode:
    """What the executors encoding the file are given."""

    headers: tuple[str, ...]
    encoding: str
    missing: tuple[str, ...]


def _encoder(job: _Encode):  # type: ignore[no-untyped-def]
    """The ``mapInPandas`` function: each batch's CSV bytes (no header), how many of its
    cells were neutralised, and its columns' facts (pickled)."""

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from pyspark import TaskContext

        from anonymizer.pipeline.release import csv_bytes, neutralize_formulas
        from anonymizer.portal.datapackage import FieldFacts

        context = TaskContext.get()
        at = (context.partitionId() if context is not None else 0) << _PARTITION_SHIFT
        # a BOM starts the file, not each part
        encoding = "utf-8" if job.encoding == "utf-8-sig" else job.encoding
        for seq, batch in enumerate(batches):
            frame = batch.drop(columns=["__row"]).astype("string")
            frame.columns = list(job.headers)  # already neutralised: none renamed again
            safe, changed = neutralize_formulas(frame)
            data = csv_bytes(safe, encoding, header=False)
            facts = {c: FieldFacts.of(safe[c], job.missing, start=at) for c in safe.columns}
            at += len(safe)
            yield pd.DataFrame(
                {"seq": [seq], "data": [data], "changed": [changed], "facts": [pickle.dumps(facts)]}
            )

    return run


def write_csv(
    released: SparkReleased,
    writer: ReleaseWriter,
    file: str,
    encoding: str,
    headers: Sequence[str],
    missing: Sequence[str],
) -> tuple[str, int, int, dict[str, FieldFacts]]:
    """The data file, written by the executors in parts and streamed here into ``file`` of
    the release in order: (its SHA-256, its size, cells neutralised, each column's facts by
    its header in the file). ``headers``: the file's headers (already neutralised)."""
    from pyspark.sql import functions as F

    from anonymizer.pipeline.release import csv_bytes

    cols = [F.col(f"s{s}") for s in released.slots]
    table = released.data.select("__row", *[c.alias(f"c{j}") for j, c in enumerate(cols)])
    if released.order == "released":  # an empty cell first; ties in the input's order
        keys = [F.coalesce(F.col(f"c{j}"), F.lit("")) for j in range(len(cols))]
        ordered = table.orderBy(*keys, "__row")
    else:
        ordered = table.orderBy("__row")
    job = _Encode(tuple(headers), encoding, tuple(missing))
    parts = ordered.mapInPandas(
        _encoder(job), "seq long, data binary, changed long, facts binary"
    )
    merged: dict[str, FieldFacts] = {}
    changed = [0]

    def chunks() -> Iterator[bytes]:
        yield csv_bytes(pd.DataFrame(columns=list(headers)), encoding)
        for part in parts.toLocalIterator(prefetchPartitions=False):
            changed[0] += int(part["changed"])
            facts: dict[str, FieldFacts] = pickle.loads(part["facts"])  # noqa: S301 - our own
            for name, f in facts.items():
                merged[name] = merged[name].merge(f) if name in merged else f
            yield bytes(part["data"])

    sha, size = released.guard(lambda: writer.add_stream(file, chunks()))
    if not merged:  # no row: every column's facts are of no cell
        from anonymizer.portal.datapackage import FieldFacts

        empty = pd.Series([], dtype="string")
        merged = {h: FieldFacts.of(empty, missing) for h in headers}
    return sha, size, changed[0], {h: merged[h] for h in headers}


__all__ = ["SparkReleased", "write_csv"]
