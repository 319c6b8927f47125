"""Read CSV (encoding detected, delimiter sniffed), Excel and Parquet as all-text DataFrames.

Every cell is read as ``str`` so leading zeros (郵便番号 0010000, 個人番号) survive; empty
cells stay empty strings (not NaN) unless the source really holds a null (Parquet/Excel).
Encoding detection is charset-normalizer's, limited to the encodings Japanese municipal
exports actually use; delimiter sniffing is :class:`csv.Sniffer`'s.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from charset_normalizer import from_bytes
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900

from anonymizer.errors import InputError
from anonymizer.fsutil import os_errors
from anonymizer.i18n import _
from anonymizer.io.rows import RowMap
from anonymizer.io.serials import read_serials

#: tried in this order; the first that decodes the whole file cleanly and that
#: charset-normalizer ranks as plausible wins
ENCODINGS: tuple[str, ...] = ("utf_8", "cp932", "euc_jp", "shift_jis")
_SNIFF_BYTES = 64 * 1024
#: encoding detection reads this much of the file (the whole file is decoded strictly after)
_DETECT_BYTES = 4 * 1024 * 1024
#: the largest cell read (a 50 MB cell is valid CSV and is read; beyond this, refused)
MAX_CELL_CHARS = 256 * 1024 * 1024
#: the largest CSV file read in one piece (it is decoded in memory)
MAX_FILE_BYTES = 8 * 1024 * 1024 * 1024


#: rows searched for the header when the first row is a title
HEADER_SEARCH_ROWS = 30
_NUMBERISH = re.compile(r"[0-9０-９.,:/\-\s]+")


@dataclass(frozen=True)
class Table:
    """A read table and how it was read (for the manifest and error messages)."""

    frame: pd.DataFrame
    path: Path
    encoding: str | None  # None for binary formats
    delimiter: str | None
    #: the spreadsheet row (1-based) the header was read from; rows above it were skipped
    header_row: int = 1
    #: workbook columns whose bare numbers were read as Excel date serials (io.serials)
    serial_dates: tuple[str, ...] = ()
    #: the spreadsheet row of each data row, for messages (:mod:`anonymizer.io.rows`)
    rows: RowMap | None = None
    #: a workbook of several sheets: the position (0 = the first) of the sheet read, and
    #: how many there are
    sheet: int | None = None
    sheets: int = 1

    @property
    def row_map(self) -> RowMap:
        """:attr:`rows`, else the data rows straight under the header."""
        return self.rows or RowMap.below_header(self.header_row, len(self.frame))


def find_header_row(rows: list[list[str]]) -> int:
    """The index of the header among the first rows of a sheet or CSV file.

    The first row is the header unless it is a title: fewer than half as many filled cells as
    the widest of the first :data:`HEADER_SEARCH_ROWS` rows (国立市 相談記録一覧, 作成日 …).
    Then the header is the first row that fills at least half of that width with distinct
    names that are not numbers or dates; if none does, the first row (and the reader's
    "no header row?" error speaks)."""
    head = rows[:HEADER_SEARCH_ROWS]
    if not head:
        return 0

    def filled(row: list[str]) -> list[str]:
        return [c.strip() for c in row if c is not None and str(c).strip()]

    width = max(len(filled(r)) for r in head)
    if len(filled(head[0])) * 2 >= width:
        return 0
    for i, row in enumerate(head):
        names = filled(row)
        if (
            len(names) * 2 >= width
            and len(set(names)) == len(names)
            and not any(_NUMBERISH.fullmatch(n) for n in names)
        ):
            return i
    return 0


def detect_encoding(raw: bytes, path: Path | str, complete: bool = True) -> str:
    """UTF-8 (with or without BOM), CP932/Shift_JIS, EUC-JP, or UTF-16 with its BOM (Excel's
    "Unicode text", tab-delimited); else InputError naming them.

    ``complete=False``: ``raw`` is the head of a larger file, so a multibyte character cut at
    its end is not an error (the whole file is decoded afterwards, strictly).
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf_8_sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf_16"  # the BOM says which byte order; the codec reads it
    if not raw:
        return "utf_8"
    best = from_bytes(raw, cp_isolation=list(ENCODINGS)).best()
    candidates = ([best.encoding] if best is not None else []) + list(ENCODINGS)
    for enc in dict.fromkeys(candidates):
        try:
            codecs.getincrementaldecoder(enc)().decode(raw, final=complete)
        except (UnicodeDecodeError, LookupError):
            continue
        return enc
    where = "; ".join(
        f"{label}: {position(raw, first_bad(raw, enc, complete))}"
        for enc, label in (("utf_8", "UTF-8"), ("cp932", "CP932"), ("euc_jp", "EUC-JP"))
    )
    raise InputError(
        _(
            "{path}: cannot decode as any of {encodings} (UTF-8 with or without BOM, "
            "CP932/Shift_JIS, EUC-JP): the first undecodable byte is at {where}; re-export the "
            "file or declare its encoding"
        ).format(path=path, encodings=', '.join(ENCODINGS), where=where)
    )


def first_bad(raw: bytes, encoding: str, complete: bool = True) -> int:
    """Byte offset of the first byte ``encoding`` cannot decode (-1: none)."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(raw, final=complete)
    except UnicodeDecodeError as exc:
        return exc.start
    return -1


def position(raw: bytes, offset: int) -> str:
    """``line L, byte B of that line (offset O in the file)`` — never the bytes themselves."""
    if offset < 0:
        return "no error"
    return where(raw.count(b"\n", 0, offset) + 1, raw.rfind(b"\n", 0, offset) + 1, offset)


def where(line: int, start: int, offset: int) -> str:
    """:func:`position`'s words for byte ``offset`` of ``line``, which starts at ``start``."""
    return f"line {line}, byte {offset - start + 1} of that line (offset {offset} in the file)"


def sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_csv_text(
    text: str, path: Path | str, delimiter: str | None = None, header_row: int | None = None
) -> tuple[pd.DataFrame, str, int, RowMap | None]:
    """(frame, delimiter, the 1-based line of the header, the spreadsheet row of each data
    row). ``header_row``: that line, else found by :func:`find_header_row`."""
    delim = delimiter or sniff_delimiter(text[:_SNIFF_BYTES])
    # Ragged rows: check with the csv module first so the error names the line number.
    # A cell may be as large as the file (a 50 MB cell is valid CSV): the csv module's field
    # limit (128 KiB by default) is raised to the text's length, up to MAX_CELL_CHARS.
    previous = csv.field_size_limit(min(len(text) + 1, MAX_CELL_CHARS))
    if header_row is None:
        try:
            first = list(itertools.islice(csv.reader(io.StringIO(text), delimiter=delim), HEADER_SEARCH_ROWS))
        except csv.Error:
            first = []  # the full pass below names the line
        skip = find_header_row(first)
    else:
        skip = header_row - 1
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    width = None
    # the spreadsheet row of each data row: a record is one row in Excel however many lines
    # its quoted cells span; blank lines are rows there, and pandas skips them
    sheet_rows: list[int] = []
    try:
        for record, row in data_records(reader, skip, path):
            if width is None:
                width = len(row)  # the header
            else:
                sheet_rows.append(record)
    finally:
        csv.field_size_limit(previous)  # process-wide state: leave it as it was
    if width is None:
        return pd.DataFrame(), delim, skip + 1, RowMap(())
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            skiprows=skip,
            sep=delim,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            engine="c",
        )
    except (ValueError, pd.errors.ParserError) as exc:  # its message may quote a cell
        line = re.search(r"(?:line|row) (\d+)", str(exc))
        at = f"near line {line.group(1)}" if line else "somewhere"
        raise InputError(
            _("{path}: not valid CSV {at} ({error_type})").format(
                path=path, at=at, error_type=type(exc).__name__
            )
        ) from None
    rows = RowMap(tuple(sheet_rows)) if len(sheet_rows) == len(frame) else None
    return frame, delim, skip + 1, rows


def data_records(reader: Any, skip: int, path: Path | str) -> Iterator[tuple[int, list[str]]]:
    """The header row, then each data row that is not blank, with its 1-based record number,
    from a :func:`csv.reader` (``reader``) whose first ``skip`` lines are title rows. A row
    whose fields are not the header's, or a record the csv module refuses, is an InputError
    naming the row (never a cell)."""
    width = None
    record = 0
    try:
        for row in reader:
            record += 1
            if reader.line_num <= skip:
                continue
            if width is None:
                width = len(row)
            elif not row:
                continue
            elif len(row) != width:
                raise InputError(
                    _("{path}: row {row} has {n_row} fields, the header has {width}").format(
                        path=path, row=record, n_row=len(row), width=width
                    )
                )
            yield record, row
    except csv.Error as exc:
        raise csv_error(exc, path, record + 1, reader.line_num) from None


def csv_error(exc: csv.Error, path: Path | str, row: int, line_num: int) -> InputError:
    """The InputError for the :mod:`csv` module's ``exc`` at record ``row`` (1-based), which
    ends at line ``line_num``: a cell over :data:`MAX_CELL_CHARS`, or not valid CSV."""
    if "field larger than field limit" in str(exc):
        return InputError(
            _(
                "{path}: row {row} (line {line_num}): a cell is longer than "
                "{max_cell_chars:,} characters, the largest this tool reads; split the cell "
                "or the file"
            ).format(path=path, row=row, line_num=line_num, max_cell_chars=MAX_CELL_CHARS)
        )
    return InputError(
        _("{path}: row {row} (line {line_num}): not valid CSV ({exc})").format(
            path=path, row=row, line_num=line_num, exc=exc
        )
    )


def read_table(
    path: Path | str,
    encoding: str | None = None,
    sheet: str | int | None = None,
    delimiter: str | None = None,
    require_data: bool = False,
    header_row: int | None = None,
    choose_sheet: bool = False,
) -> Table:
    """Read ``path`` by its suffix (.csv/.tsv/.txt, .xlsx/.xlsm, .xls, .parquet) as text columns.

    ``header_row``: the 1-based row holding the column names (``input.header_row``); else a
    title and notes above the header are recognised and skipped (:func:`find_header_row`), and
    ``Table.header_row`` says which row was used.

    ``require_data``: an empty file, or one with a header row and no data rows, is an
    InputError naming the file (a run has nothing to release; a scan may profile headers).

    A workbook of several sheets needs ``sheet`` (a run never guesses which one holds the
    records: a cover or notes sheet often comes first); ``choose_sheet`` (scan, init) reads
    the sheet with the most filled cells instead, and ``Table.sheet`` says which."""
    p = Path(path)
    if not p.is_file():
        raise InputError(_("{path}: file not found").format(path=p))
    with os_errors(_("cannot read the input"), p):
        table = _read(p, encoding, sheet, delimiter, header_row, choose_sheet)
    return _not_empty(table) if require_data else table


def _read(
    p: Path,
    encoding: str | None,
    sheet: str | int | None,
    delimiter: str | None,
    header_row: int | None = None,
    choose_sheet: bool = False,
) -> Table:
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        from python_calamine import CalamineError  # pandas' reader of a legacy .xls

        try:
            frame, row, serials, rows, (at, count) = _read_excel(
                p, sheet, header_row, choose_sheet
            )
        except CalamineError as exc:  # a damaged .xls: found at any cell it reads
            raise InputError(
                _("{path}: not a readable Excel workbook ({error_type})").format(
                    path=p, error_type=type(exc).__name__
                )
            ) from None
        return Table(
            _text_frame(frame), p, None, None, row, serials, rows,
            at if count > 1 else None, count,
        )  # fmt: skip
    if suffix == ".parquet":
        try:
            frame = pd.read_parquet(p)
        except OSError:
            raise
        except Exception as exc:  # pyarrow's errors: a damaged or foreign file
            raise InputError(
                _("{path}: not a readable Parquet file ({error_type})").format(
                    path=p, error_type=type(exc).__name__
                )
            ) from None
        return Table(_text_frame(frame), p, None, None)
    if p.stat().st_size > MAX_FILE_BYTES:
        raise InputError(
            _(
                "{path}: {st_size:,} bytes is more than this tool reads in one file "
                "({max_file_bytes:,}); split it"
            ).format(path=p, st_size=p.stat().st_size, max_file_bytes=MAX_FILE_BYTES)
        )
    raw = p.read_bytes()
    head = raw[:_DETECT_BYTES]
    enc = encoding if encoding and encoding != "auto" else detect_encoding(head, p, len(head) == len(raw))
    text = decode_text(raw, p, enc)
    frame, delim, row, row_map = read_csv_text(
        text, p, delimiter or ("\t" if suffix == ".tsv" else None), header_row
    )
    return Table(frame, p, enc, delim, row, rows=row_map)


def decode_text(data: bytes, path: Path | str, encoding: str, final: bool = True) -> str:
    """``data`` decoded strictly as ``encoding``, a BOM dropped (``final`` False: the head of a
    longer file, which may end inside a character). An unknown encoding or an undecodable
    byte is an InputError naming the file and the byte's position, never the bytes."""
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(data, final=final)
    except LookupError:
        raise InputError(
            _("{path}: unknown encoding {enc!r} (input.encoding)").format(path=path, enc=encoding)
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            _("{path}: not decodable as {enc}: the first undecodable byte is at {position}").format(
                path=path, enc=encoding, position=position(data, exc.start)
            )
        ) from None
    return text.removeprefix("\ufeff")


def _read_excel(
    p: Path, sheet: str | int | None, header_row: int | None = None, choose: bool = False
) -> tuple[pd.DataFrame, int, tuple[str, ...], RowMap, tuple[int, int]]:
    """One sheet as text, the 1-based row its header was read from, the columns whose
    bare numbers were read as date serials (:mod:`anonymizer.io.serials`), each data row's
    sheet row, and (the sheet's position, the workbook's number of sheets); a missing sheet is
    named as the pipeline gave it (the workbook's own sheet names are not listed: a sheet may
    be named after a person)."""
    import zipfile

    try:
        book = pd.ExcelFile(p)
    except OSError:
        raise
    except (ValueError, zipfile.BadZipFile, KeyError) as exc:
        raise InputError(
            _("{path}: not a readable Excel workbook ({error_type})").format(
                path=p, error_type=type(exc).__name__
            )
        ) from None
    with book:
        names = book.sheet_names
        chosen: str | int = sheet if sheet is not None else 0
        if sheet is None and len(names) > 1:
            if not choose:
                raise InputError(
                    _(
                        "{path}: the workbook has {n_names} sheets: name the one that holds "
                        "the records in input.sheet (its name, or its position: 0 is the first)"
                    ).format(path=p, n_names=len(names))
                )
            chosen = _largest_sheet(book, len(names))
        if isinstance(chosen, int) and not 0 <= chosen < len(names):
            raise InputError(
                _("{path}: input.sheet {chosen}: the workbook has {n_names} sheet(s)").format(
                    path=p, chosen=chosen, n_names=len(names)
                )
            )
        if isinstance(chosen, str) and chosen not in names:
            raise InputError(
                _(
                    "{path}: input.sheet {chosen!r} not found (the workbook has {n_names} sheet(s))"
                ).format(path=p, chosen=chosen, n_names=len(names))
            )
        if header_row is not None:
            skip = header_row - 1
        else:
            top = pd.read_excel(
                book, sheet_name=chosen, dtype=str, header=None, nrows=HEADER_SEARCH_ROWS
            )
            rows = [["" if pd.isna(c) else str(c) for c in r] for r in top.itertuples(index=False)]
            skip = find_header_row(rows)
        frame = pd.read_excel(book, sheet_name=chosen, dtype=str, skiprows=skip)
        first_data = skip + 2  # the sheet row of the first data row (blank rows are kept)
        if any(str(c).startswith("Unnamed:") for c in frame.columns):
            merged = _merged_header(p, chosen, skip + 1)
            if merged is not None:
                headers, header_rows = merged
                frame = pd.read_excel(
                    book, sheet_name=chosen, dtype=str, header=None, skiprows=skip + header_rows
                )
                frame = frame.iloc[:, : len(headers)]
                frame.columns = headers[: frame.shape[1]]
                first_data = skip + header_rows + 1
        # columns empty from the header down (a title's merged width) carry nothing
        blank = [
            c for c in frame.columns
            if str(c).startswith("Unnamed:") and frame[c].isna().all()
        ]  # fmt: skip
        rows_map = RowMap(tuple(range(first_data, first_data + len(frame))))
        frame, serials = read_serials(_excel_dates(frame.drop(columns=blank)), _epoch(book))
        at = chosen if isinstance(chosen, int) else names.index(chosen)
        return frame, skip + 1, serials, rows_map, (at, len(names))


def _largest_sheet(book: pd.ExcelFile, count: int) -> int:
    """The position of the sheet with the most filled cells (the first of equals)."""
    filled = [
        int(pd.read_excel(book, sheet_name=i, dtype=str, header=None).notna().to_numpy().sum())
        for i in range(count)
    ]
    return filled.index(max(filled))


def _epoch(book: pd.ExcelFile) -> datetime:
    """The workbook's date system (1900, or 1904 for old Mac workbooks)."""
    epoch = getattr(book.book, "epoch", CALENDAR_WINDOWS_1900)
    return epoch if isinstance(epoch, datetime) else CALENDAR_WINDOWS_1900


def _merged_header(p: Path, sheet: str | int, row: int) -> tuple[list[str], int] | None:
    """A header over two rows (row is 1-based): ``住所`` over two columns with ``都道府県`` and
    ``市区町村`` in the row below becomes 住所・都道府県 and 住所・市区町村; a cell merged down
    over both rows keeps its one name. The group is a merged cell, or (unmerged, as many
    systems export it) a name followed by empty header cells with a sub-header under each
    column. A merged cell with nothing below it names its columns 住所, 住所_2 … . Returns
    (names, header rows) or None (neither shape). A legacy .xls is read by its cells only:
    a merged group there has the shape of an unmerged one."""
    if p.suffix.lower() == ".xls":
        grid = pd.read_excel(p, sheet_name=sheet, dtype=str, header=None, nrows=row + 1)

        def cell(r: int, c: int) -> str:
            if r - 1 >= grid.shape[0] or c - 1 >= grid.shape[1]:
                return ""
            value = grid.iat[r - 1, c - 1]
            return "" if pd.isna(value) else str(value)

        return _header_names(cell, grid.shape[1], [], row)
    from openpyxl import load_workbook

    book = load_workbook(p, data_only=True)  # merged ranges need the full (not read-only) mode
    try:
        ws = book.worksheets[sheet] if isinstance(sheet, int) else book[sheet]

        def value(r: int, c: int) -> str:
            v = ws.cell(row=r, column=c).value
            return "" if v is None else str(v)

        ranges = [
            (r.min_row, r.max_row, r.min_col, r.max_col)
            for r in ws.merged_cells.ranges
            if r.min_row <= row <= r.max_row
        ]
        return _header_names(value, ws.max_column, ranges, row)
    finally:
        book.close()


def _header_names(
    cell: Callable[[int, int], str],
    width: int,
    ranges: list[tuple[int, int, int, int]],
    row: int,
) -> tuple[list[str], int] | None:
    """:func:`_merged_header` over a sheet's cells (``cell(row, column)``, 1-based, as
    written) and its merged ranges over ``row`` (min_row, max_row, min_col, max_col)."""

    def text(r: int, c: int) -> str:
        return cell(r, c).strip()

    owner: dict[int, tuple[str, bool]] = {}  # column → (group name, merged down)
    for min_row, max_row, min_col, max_col in ranges:
        name = text(min_row, min_col)
        for c in range(min_col, max_col + 1):
            owner[c] = (name, max_row > row)
    if not ranges:
        owner = _unmerged_groups(text, row, width)
        if not owner:
            return None
    groups = [c for c, (_, down) in owner.items() if not down]
    # a row of sub-headers: text under every group, and elsewhere nothing (the other
    # headers are merged down over it, or stand alone above an empty cell) or a header a
    # rule knows under a header of one column (連絡先 over 電話番号) — a data row's values
    # are no header names
    alone = [c for c in range(1, width + 1) if c not in owner and text(row + 1, c)]
    two_rows = (
        bool(groups)
        and all(text(row + 1, c) for c in groups)
        and all(text(row, c) and _is_header(text(row + 1, c)) for c in alone)
    )
    if two_rows:
        owner |= {c: (text(row, c), False) for c in alone}
    if not ranges and not two_rows:
        return None
    names: list[str] = []
    seen: dict[str, int] = {}
    for c in range(1, width + 1):
        if c in owner:
            name, down = owner[c]
            if two_rows and not down:
                name = f"{name}・{text(row + 1, c)}"
        else:  # as pandas names a one-row header's column: the cell as it is
            name = cell(row, c)
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    while names and not names[-1]:
        names.pop()
    return names, (2 if two_rows else 1)


def _is_header(cell: str) -> bool:
    """A header name the rules know (rules/headers.yaml), as a sub-header is."""
    from anonymizer.scan.headers import match_header, name_part

    return match_header(cell) is not None or name_part(cell) is not None


def _unmerged_groups(
    text: Callable[[int, int], str], row: int, width: int
) -> dict[int, tuple[str, bool]]:
    """Groups of an unmerged two-row header: a named header cell whose right neighbours are
    empty in the header row, with a sub-header under the name and under each of them."""
    owner: dict[int, tuple[str, bool]] = {}
    c = 1
    while c <= width:
        name = text(row, c)
        end = c
        while end + 1 <= width and not text(row, end + 1) and text(row + 1, end + 1):
            end += 1
        if name and end > c and text(row + 1, c):
            for col in range(c, end + 1):
                owner[col] = (name, False)
        c = end + 1
    return owner


#: a date cell of a workbook as pandas writes it as text: the date and a midnight time
_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"


def _excel_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Date cells (Excel's own dates) come back as ``1985-04-01 00:00:00``: the date alone, as
    every date operator reads it (a real time of day is kept)."""
    out = frame.copy()
    for col in out.columns:
        values = out[col].astype("string")
        out[col] = values.str.replace(_MIDNIGHT, r"\1", regex=True)
    return out


def _not_empty(table: Table) -> Table:
    """An empty file, or one with a header row and no data, is an error naming the file."""
    frame, p = table.frame, table.path
    if frame.shape[1] == 0:
        raise InputError(_("{path}: the file is empty (no header row and no data)").format(path=p))
    if len(frame) == 0:
        raise InputError(
            _("{path}: the file has a header row ({value_} columns) but no data rows").format(
                path=p, value_=frame.shape[1]
            )
        )
    return table


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Binary formats: cells become text, real nulls stay null (pandas NA)."""
    out = frame.astype("string")
    out.columns = [str(c) for c in frame.columns]
    return out
