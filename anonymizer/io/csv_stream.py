"""A CSV file read in batches of rows, never whole: for files larger than one piece of memory
(the Spark engine's reader of a file over :data:`anonymizer.engine.spark.read.WHOLE_FILE_BYTES`;
Spark's ``binaryFile`` holds at most 2 GiB).

It reads what :func:`anonymizer.io.table.read_csv_text` reads, and refuses what it refuses,
with the same messages: the bytes decoded strictly (an undecodable byte named by its line and
byte, never shown), the records of the :mod:`csv` module over lines split at ``\\n`` (as
``io.StringIO`` splits them), the header at ``header_row``, blank records skipped, a ragged
row named by its record, a cell longer than :data:`~anonymizer.io.table.MAX_CELL_CHARS`
refused. Cells are text, an empty field ``""``.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from anonymizer.errors import InputError
from anonymizer.i18n import _
from anonymizer.io.table import MAX_CELL_CHARS, data_records, where

#: bytes decoded at a time
CHUNK_BYTES = 16 * 1024 * 1024


def read_csv_batches(
    path: Path,
    encoding: str,
    delimiter: str,
    header_row: int,
    columns: Sequence[str],
    batch_rows: int,
    chunk_bytes: int = CHUNK_BYTES,
) -> Iterator[pd.DataFrame]:
    """The data rows of ``path`` in frames of at most ``batch_rows`` rows (text columns named
    as the header; ``columns``: the header as read before, an InputError if it differs)."""
    previous = csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(_lines(path, encoding, chunk_bytes), delimiter=delimiter)
    header = True
    rows: list[list[str]] = []
    try:
        for _record, row in data_records(reader, header_row - 1, path):
            if header:
                if row != list(columns):
                    raise InputError(
                        _("{path}: the header changed while the file was read").format(path=path)
                    )
                header = False
                continue
            rows.append(row)
            if len(rows) >= batch_rows:
                yield pd.DataFrame(rows, columns=list(columns), dtype=object)
                rows = []
    finally:
        csv.field_size_limit(previous)  # process-wide state: leave it as it was
    if rows:
        yield pd.DataFrame(rows, columns=list(columns), dtype=object)


def _lines(path: Path, encoding: str, chunk_bytes: int) -> Iterator[str]:
    """The file's text, decoded strictly a chunk at a time, as lines ending in ``\\n`` (the
    last one may not); a BOM dropped."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
    except LookupError:
        raise InputError(
            _("{path}: unknown encoding {enc!r} (input.encoding)").format(path=path, enc=encoding)
        ) from None
    offset = 0  # bytes read before this chunk
    rest = ""
    started = False
    with path.open("rb") as fh:
        while True:
            raw = fh.read(chunk_bytes)
            final = not raw
            pending = len(decoder.getstate()[0])  # bytes of a character cut by the last chunk
            try:
                text = decoder.decode(raw, final=final)
            except UnicodeDecodeError as exc:
                raise InputError(
                    _(
                        "{path}: not decodable as {enc}: the first undecodable byte is at "
                        "{position}"
                    ).format(
                        path=path, enc=encoding,
                        position=_position(path, offset - pending + exc.start),
                    )
                ) from None
            offset += len(raw)
            if not started and text:
                text, started = text.removeprefix("\ufeff"), True
            pieces = (rest + text).split("\n")
            rest = pieces.pop()
            for piece in pieces:
                yield piece + "\n"
            if final:
                if rest:
                    yield rest
                return


def _position(path: Path, offset: int) -> str:
    """:func:`anonymizer.io.table.position` of ``offset``, counted by reading the file up to it."""
    line, start, done = 1, 0, 0
    with path.open("rb") as fh:
        while done < offset:
            raw = fh.read(min(CHUNK_BYTES, offset - done))
            if not raw:
                break
            line += raw.count(b"\n")
            last = raw.rfind(b"\n")
            if last >= 0:
                start = done + last + 1
            done += len(raw)
    return where(line, start, offset)
