"""The input as a Spark DataFrame of text columns ``c0 … cN`` and its data-row number ``__row``
(0-based, as the pandas engine's index), read with the project's own readers.

CSV: the driver reads only the head of the file — encoding detected (UTF-8 ± BOM, CP932,
EUC-JP), delimiter sniffed, title rows skipped — exactly as :mod:`anonymizer.io` does; an
executor then decodes the whole file strictly and parses it with the same
:func:`anonymizer.io.table.read_csv_text`, so both engines read the same cells (and refuse
the same broken files, naming the same line). Spark's own CSV reader is not used: it replaces
undecodable bytes silently and knows no title rows. One file is parsed by one task, then spread
over the partitions: whole up to :data:`WHOLE_FILE_BYTES`, a larger one streamed in batches
by :mod:`anonymizer.io.csv_stream` (the same cells and errors, never the whole file in memory).

Parquet is read by Spark itself (split by row groups); the row number is Spark's
``_metadata.row_index``. Cells are cast to text; nulls stay null.

A directory of part files (:mod:`anonymizer.io.parts`: what Spark or a split export writes)
is one table, its parts in name order: the driver reads each part's head (CSV: the first
part's encoding, delimiter and header row, every part's header the same; Parquet: every
part's schema and row count from its footer), each CSV part is streamed by a task of its own
— so a table split into parts is parsed in parallel — and a row's number runs on from the
parts before it (CSV: counted where the rows are). Messages then name data rows (a part's
lines are not the table's), and a CSV part's own errors name the part and its line.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from anonymizer.engine.spark.remote import carry_errors
from anonymizer.errors import ConfigError, InputError
from anonymizer.i18n import _
from anonymizer.io.table import (
    _DETECT_BYTES,
    _SNIFF_BYTES,
    HEADER_SEARCH_ROWS,
    decode_text,
    detect_encoding,
    find_header_row,
    read_csv_text,
    sniff_delimiter,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType

#: rows per Arrow batch an executor's CSV reader yields
BATCH_ROWS = 10_000
#: a CSV file up to this size is parsed whole by one task (the pandas engine's own reader);
#: a larger one is streamed in batches (Spark's binaryFile holds at most 2 GiB, and a whole
#: file's bytes, text and rows at once take several times its size)
WHOLE_FILE_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """How the input is read (the manifest's encoding and delimiter, the header row)."""

    path: Path
    columns: tuple[str, ...]
    encoding: str | None
    delimiter: str | None
    header_row: int
    #: the data files: ``path`` itself, or a directory's part files in name order
    parts: tuple[Path, ...] = ()
    #: each Parquet part's rows (from its footer), when there are several
    part_rows: tuple[int, ...] = ()

    @property
    def split(self) -> bool:
        """A directory of part files?"""
        return self.path.is_dir()


def inspect(path: Path, encoding: str, delimiter: str | None, header_row: int | None) -> Source:
    """Columns, encoding, delimiter and header row from the head of the file — or of each
    part of a directory (driver)."""
    from dataclasses import replace

    from anonymizer.io.parts import kind_of, part_files

    parts = part_files(path)
    kind = kind_of(parts)
    if kind == "parquet":
        schemas = [_parquet_schema(p) for p in parts]
        for part, (names, _rows) in zip(parts[1:], schemas[1:], strict=True):
            if names != schemas[0][0]:
                raise InputError(_differs(part, parts[0]))
        rows = tuple(n for _names, n in schemas) if path.is_dir() else ()
        return Source(path, schemas[0][0], None, None, 1, parts, rows)
    if kind != "csv":
        raise ConfigError(
            _(
                "{path}: not supported on the Spark engine yet: {suffix} input (CSV or Parquet)"
            ).format(path=path, suffix=path.suffix.lower())
        )
    first = _inspect_csv(parts[0], encoding, delimiter, header_row)
    for part in parts[1:]:  # each part read as the first: its header row, encoding, delimiter
        other = _inspect_csv(part, first.encoding or "auto", first.delimiter, first.header_row)
        if other.columns != first.columns:
            raise InputError(_differs(part, parts[0]))
    return replace(first, path=path, parts=parts)


def _differs(part: Path, first: Path) -> str:
    return _("{path}: its columns differ from those of the first part ({first})").format(
        path=part, first=first.name
    )


def _parquet_schema(path: Path) -> tuple[tuple[str, ...], int]:
    """A Parquet file's column names and rows, from its footer."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
        names = meta.schema.to_arrow_schema().names
    except OSError:
        raise
    except Exception as exc:
        raise InputError(
            _("{path}: not a readable Parquet file ({error_type})").format(
                path=path, error_type=type(exc).__name__
            )
        ) from None
    return tuple(str(n) for n in names), int(meta.num_rows)


def _inspect_csv(
    path: Path, encoding: str, delimiter: str | None, header_row: int | None
) -> Source:
    """One CSV file's columns, encoding, delimiter and header row, from its head."""
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        head = fh.read(_DETECT_BYTES)
        complete = not fh.read(1)
    enc = encoding if encoding and encoding != "auto" else detect_encoding(head, path, complete)
    text = decode_text(head, path, enc, final=complete)
    delim = delimiter or ("\t" if suffix == ".tsv" else sniff_delimiter(text[:_SNIFF_BYTES]))
    try:
        first = list(
            itertools.islice(csv.reader(io.StringIO(text), delimiter=delim), HEADER_SEARCH_ROWS)
        )
    except csv.Error:
        first = []
    skip = header_row - 1 if header_row is not None else find_header_row(first)
    if not first or skip >= len(first):
        raise InputError(
            _("{path}: the file is empty (no header row and no data)").format(path=path)
        )
    return Source(path, tuple(first[skip]), enc, delim, skip + 1, (path,))


def read(spark: SparkSession, source: Source) -> DataFrame:
    """The input rows: ``c0 … cN`` (text) and ``__row``."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    names = [f"c{i}" for i in range(len(source.columns))]
    if source.encoding is None:  # Parquet
        frame = spark.read.parquet(*[str(p) for p in source.parts])
        cells = [
            F.col(f"`{c}`").cast("string").alias(n)
            for c, n in zip(source.columns, names, strict=True)
        ]
        if not source.part_rows:
            return frame.select(*cells, F.col("_metadata.row_index").alias("__row"))
        # a part's rows run on from the parts before it (their rows from the footers)
        starts = itertools.accumulate(source.part_rows[:-1], initial=0)
        offsets = spark.createDataFrame(
            [(p.name, int(n)) for p, n in zip(source.parts, starts, strict=True)],
            "__part string, __start long",
        )
        placed = frame.select(
            *cells,
            F.col("_metadata.file_name").alias("__part"),
            F.col("_metadata.row_index").alias("__at"),
        ).join(F.broadcast(offsets), on="__part")
        return placed.select(*names, (F.col("__start") + F.col("__at")).alias("__row"))
    schema = StructType(
        [StructField(n, StringType()) for n in names] + [StructField("__row", LongType(), False)]
    )
    if source.split:
        return _read_parts(spark, source, names, schema)
    if source.path.stat().st_size > WHOLE_FILE_BYTES:  # read in batches by one task
        one = spark.range(1, numPartitions=1)
        return one.mapInPandas(_csv_stream(source, names), schema)
    files = spark.read.format("binaryFile").load(str(source.path))
    return files.select("content").mapInPandas(_csv_reader(source, names), schema)


def _read_parts(
    spark: SparkSession, source: Source, names: list[str], schema: StructType
) -> DataFrame:
    """A directory's CSV parts, each streamed by a task of its own (the rows kept on the
    executors, then numbered on from the parts before: their rows counted there)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import IntegerType, LongType, StructField, StructType

    local = StructType(
        [*schema.fields[:-1], StructField("__part", IntegerType(), False),
         StructField("__at", LongType(), False)]
    )  # fmt: skip
    n = len(source.parts)
    tasks = spark.range(n, numPartitions=n)
    rows = tasks.mapInPandas(_csv_parts(source, names), local).localCheckpoint(eager=True)
    counted = {r["__part"]: int(r["count"]) for r in rows.groupBy("__part").count().collect()}
    sizes = [counted.get(i, 0) for i in range(n)]
    starts = list(itertools.accumulate(sizes[:-1], initial=0))
    offsets = spark.createDataFrame(list(enumerate(starts)), "__part int, __start long")
    placed = rows.join(F.broadcast(offsets), on="__part")
    return placed.select(*names, (F.col("__start") + F.col("__at")).alias("__row"))


def _csv_parts(source: Source, names: list[str]):  # type: ignore[no-untyped-def]
    """Each part (by its index, one per task) streamed as :func:`_csv_stream` streams a
    file, its rows numbered from 0 within it (``__at``) and tagged with it (``__part``)."""
    from anonymizer.io.csv_stream import read_csv_batches

    parts, enc, delim, header = source.parts, source.encoding, source.delimiter, source.header_row
    columns = list(source.columns)
    assert enc is not None and delim is not None

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            for i in batch["id"]:
                frames = read_csv_batches(parts[int(i)], enc, delim, header, columns, BATCH_ROWS)
                for frame in _numbered(frames, names):
                    yield frame.rename(columns={"__row": "__at"}).assign(__part=int(i))

    return run


def _csv_stream(source: Source, names: list[str]):  # type: ignore[no-untyped-def]
    """The file streamed by :func:`anonymizer.io.csv_stream.read_csv_batches` (what
    :func:`anonymizer.io.table.read_csv_text` reads, never the whole file at once)."""
    from anonymizer.io.csv_stream import read_csv_batches

    path, enc, delim, header_row = source.path, source.encoding, source.delimiter, source.header_row
    columns = list(source.columns)
    assert enc is not None and delim is not None

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            for _one in range(len(batch)):  # the one row of spark.range(1)
                frames = read_csv_batches(path, enc, delim, header_row, columns, BATCH_ROWS)
                yield from _numbered(frames, names)

    return run


def _csv_reader(source: Source, names: list[str]):  # type: ignore[no-untyped-def]
    path, enc, delim, header_row = source.path, source.encoding, source.delimiter, source.header_row
    columns = list(source.columns)

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            for raw in batch["content"]:
                yield from _parse(bytes(raw), path, enc, delim, header_row, columns, names)

    return run


def _parse(
    raw: bytes, path: Path, enc: str | None, delim: str | None, header_row: int,
    columns: list[str], names: list[str],
) -> Iterator[pd.DataFrame]:  # fmt: skip
    assert enc is not None
    frame = read_csv_text(decode_text(raw, path, enc), path, delim, header_row)[0]
    if list(frame.columns) != columns:
        raise InputError(_("{path}: the header changed while the file was read").format(path=path))
    frame = frame.astype(object)  # pandas' Arrow-backed strings slice into chunked arrays
    parts = (frame.iloc[at : at + BATCH_ROWS] for at in range(0, len(frame), BATCH_ROWS))
    yield from _numbered(parts, names)


def _numbered(frames: Iterable[pd.DataFrame], names: list[str]) -> Iterator[pd.DataFrame]:
    """``frames`` (the file's rows, in order) with the columns ``names`` and ``__row``, the
    data rows' numbers from 0."""
    start = 0
    for frame in frames:
        out = frame.set_axis(names, axis=1)
        out["__row"] = range(start, start + len(out))
        start += len(out)
        yield out
