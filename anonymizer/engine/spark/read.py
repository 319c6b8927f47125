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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from anonymizer.engine.spark.remote import carry_errors
from anonymizer.errors import ConfigError, InputError
from anonymizer.i18n import _
from anonymizer.io.parts import file_name, kind_of, suffix_of
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

    #: a local path, or a URI (:mod:`.hadoop`)
    path: Path | str
    columns: tuple[str, ...]
    encoding: str | None
    delimiter: str | None
    header_row: int
    #: the data files: ``path`` itself, or a directory's part files in name order (paths,
    #: or URIs for an input at a URI)
    parts: tuple[Path | str, ...] = ()
    #: each Parquet part's rows, when there are several
    part_rows: tuple[int, ...] = ()
    #: a directory of part files?
    split: bool = False

    @property
    def remote(self) -> bool:
        """An input at a URI, read through Spark's Hadoop file system?"""
        return isinstance(self.path, str)

    @property
    def names(self) -> tuple[str, ...]:
        """The parts' file names (as Spark's ``_metadata.file_name`` gives them)."""
        return tuple(file_name(p) for p in self.parts)


def inspect(
    path: Path | str,
    encoding: str,
    delimiter: str | None,
    header_row: int | None,
    spark: SparkSession | None = None,
) -> Source:
    """Columns, encoding, delimiter and header row from the head of the file — or of each
    part of a directory (driver). A URI is listed and read through ``spark``'s file system."""
    from dataclasses import replace

    from anonymizer.io.parts import part_files

    parts: tuple[Path | str, ...]
    if isinstance(path, str):
        from anonymizer.engine.spark import hadoop

        assert spark is not None
        files = hadoop.listed(spark, path)
        parts, split = files.parts, files.directory
    else:
        parts, split = part_files(path), path.is_dir()
    kind = kind_of(parts[0])
    if kind == "parquet":
        columns, rows = _parquet_parts(parts, spark)
        return Source(path, columns, None, None, 1, parts, rows if split else (), split)
    if kind != "csv":
        raise ConfigError(
            _(
                "{path}: not supported on the Spark engine yet: {suffix} input (CSV or Parquet)"
            ).format(path=path, suffix=suffix_of(parts[0]))
        )
    first = _inspect_csv(parts[0], encoding, delimiter, header_row, spark)
    for part in parts[1:]:  # each part read as the first: its header row, encoding, delimiter
        enc = first.encoding or "auto"
        other = _inspect_csv(part, enc, first.delimiter, first.header_row, spark)
        if other.columns != first.columns:
            raise InputError(_differs(part, parts[0]))
    return replace(first, path=path, parts=parts, split=split)


def _differs(part: Path | str, first: Path | str) -> str:
    return _("{path}: its columns differ from those of the first part ({first})").format(
        path=part, first=file_name(first)
    )


def _parquet_parts(
    parts: tuple[Path | str, ...], spark: SparkSession | None
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The parts' columns (every part's the same) and rows: from each local part's footer;
    at a URI, from Spark (the schema of every part, merged, must be the first part's, and
    the rows counted per part)."""
    if all(isinstance(p, Path) for p in parts):
        schemas = [_parquet_schema(p) for p in parts if isinstance(p, Path)]
        for part, (names, _rows) in zip(parts[1:], schemas[1:], strict=True):
            if names != schemas[0][0]:
                raise InputError(_differs(part, parts[0]))
        return schemas[0][0], tuple(n for _names, n in schemas)
    from pyspark.sql import functions as F

    assert spark is not None
    uris = [str(p) for p in parts]
    try:
        first = tuple(spark.read.parquet(uris[0]).columns)
        merged = tuple(spark.read.option("mergeSchema", "true").parquet(*uris).columns)
    except Exception as exc:  # noqa: BLE001 - Spark's analysis errors: not Parquet
        raise InputError(
            _("{path}: not a readable Parquet file ({error_type})").format(
                path=file_name(parts[0]), error_type=type(exc).__name__
            )
        ) from None
    if merged != first:
        raise InputError(
            _("{path}: the parts' columns differ (the first part has {columns})").format(
                path=file_name(parts[0]), columns=len(first)
            )
        )
    counted = (
        spark.read.parquet(*uris).select(F.col("_metadata.file_name").alias("f"))
        .groupBy("f").count().collect()
    )  # fmt: skip
    rows = {str(r["f"]): int(r["count"]) for r in counted}
    return first, tuple(rows.get(file_name(p), 0) for p in parts)


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
    path: Path | str,
    encoding: str,
    delimiter: str | None,
    header_row: int | None,
    spark: SparkSession | None = None,
) -> Source:
    """One CSV file's columns, encoding, delimiter and header row, from its head."""
    suffix = suffix_of(path)
    if isinstance(path, Path):
        with path.open("rb") as fh:
            head = fh.read(_DETECT_BYTES)
            complete = not fh.read(1)
    else:
        from anonymizer.engine.spark import hadoop

        assert spark is not None
        head, complete = hadoop.head(spark, path, _DETECT_BYTES)
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
        placed = frame.select(
            *cells,
            F.col("_metadata.file_name").alias("__part"),
            F.col("_metadata.row_index").alias("__at"),
        )  # a part by its file name, its rows counted by the footers
        return _numbered_on(spark, placed, names, source.names, "string", source.part_rows)
    schema = StructType(
        [StructField(n, StringType()) for n in names] + [StructField("__row", LongType(), False)]
    )
    if source.split or source.remote:
        return _read_parts(spark, source, names, schema)
    assert isinstance(source.path, Path)
    if source.path.stat().st_size > WHOLE_FILE_BYTES:  # read in batches by one task
        one = spark.range(1, numPartitions=1)
        return one.mapInPandas(_csv_stream(source, names), schema)
    files = spark.read.format("binaryFile").load(str(source.path))
    return files.select("content").mapInPandas(_csv_reader(source, names), schema)


def _read_parts(
    spark: SparkSession, source: Source, names: list[str], schema: StructType
) -> DataFrame:
    """A directory's CSV parts, each read by a task of its own (the rows kept on the
    executors, then numbered on from the parts before: their rows counted there). A local
    part is streamed; a part at a URI comes whole from Spark's ``binaryFile`` (at most
    2 GiB a part: Spark's limit)."""
    from pyspark.sql.types import IntegerType, LongType, StructField, StructType

    local = StructType(
        [*schema.fields[:-1], StructField("__part", IntegerType(), False),
         StructField("__at", LongType(), False)]
    )  # fmt: skip
    n = len(source.parts)
    if source.remote:
        files = spark.read.format("binaryFile").load([str(p) for p in source.parts])
        parsed = files.select("path", "content").mapInPandas(_csv_whole_parts(source, names), local)
    else:
        tasks = spark.range(n, numPartitions=n)
        parsed = tasks.mapInPandas(_csv_parts(source, names), local)
    rows = parsed.localCheckpoint(eager=True)
    counted = {r["__part"]: int(r["count"]) for r in rows.groupBy("__part").count().collect()}
    sizes = [counted.get(i, 0) for i in range(n)]
    return _numbered_on(spark, rows, names, list(range(n)), "int", sizes)


def _numbered_on(
    spark: SparkSession,
    rows: DataFrame,
    names: list[str],
    parts: Sequence[object],
    kind: str,
    sizes: Sequence[int],
) -> DataFrame:
    """``rows`` (``__part``: its part, one of ``parts``, of Spark type ``kind``; ``__at``: its
    number within it) with ``__row``, running on from the parts before it (``sizes``: each
    part's rows, in the parts' order)."""
    from pyspark.sql import functions as F

    starts = itertools.accumulate(sizes[:-1], initial=0)
    offsets = spark.createDataFrame(
        [(part, int(n)) for part, n in zip(parts, starts, strict=True)],
        f"__part {kind}, __start long",
    )
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
                part = Path(parts[int(i)])
                frames = read_csv_batches(part, enc, delim, header, columns, BATCH_ROWS)
                for frame in _numbered(frames, names):
                    yield frame.rename(columns={"__row": "__at"}).assign(__part=int(i))

    return run


def _csv_whole_parts(source: Source, names: list[str]):  # type: ignore[no-untyped-def]
    """Each part at a URI, its bytes as ``binaryFile`` gives them, parsed as a whole file
    is (:func:`_parse`), its rows numbered from 0 (``__at``) and tagged (``__part``)."""
    enc, delim, header = source.encoding, source.delimiter, source.header_row
    columns, index = list(source.columns), {n: i for i, n in enumerate(source.names)}

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            for uri, raw in zip(batch["path"], batch["content"], strict=True):
                at = index[file_name(str(uri))]
                part = source.parts[at]
                for frame in _parse(bytes(raw), part, enc, delim, header, columns, names):
                    yield frame.rename(columns={"__row": "__at"}).assign(__part=at)

    return run


def _csv_stream(source: Source, names: list[str]):  # type: ignore[no-untyped-def]
    """The file streamed by :func:`anonymizer.io.csv_stream.read_csv_batches` (what
    :func:`anonymizer.io.table.read_csv_text` reads, never the whole file at once)."""
    from anonymizer.io.csv_stream import read_csv_batches

    path, enc, delim, header_row = source.path, source.encoding, source.delimiter, source.header_row
    columns = list(source.columns)
    assert enc is not None and delim is not None and isinstance(path, Path)

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
    raw: bytes, path: Path | str, enc: str | None, delim: str | None, header_row: int,
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
