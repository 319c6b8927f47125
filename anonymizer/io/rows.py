"""One row numbering for every message: the row a steward sees in the spreadsheet, with the
data row in brackets — ``row 7 (data row 5)``, ``7行目（データ5行目）``.

The data row is what the code counts (1 = the first row under the header). The spreadsheet
row is what Excel shows for the same record: a title and notes above the header, the header
itself, blank rows the reader skipped, and — for a CSV — each record as one row however
many lines its quoted cells span. The reader of a table records this mapping
(:class:`RowMap`, ``Table.rows``); a pipeline run makes its table's mapping current
(:func:`numbering`) and every message that names rows uses :func:`describe_rows`. Without a
mapping (a library caller's own frame) rows are named as data rows only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass

from anonymizer.i18n import _


@dataclass(frozen=True)
class RowMap:
    """The spreadsheet row (1-based) of each data row, in order."""

    sheet_rows: tuple[int, ...]

    @classmethod
    def below_header(cls, header_row: int, n: int) -> RowMap:
        """Data rows straight under the header (no blank rows between them)."""
        return cls(tuple(range(header_row + 1, header_row + 1 + n)))

    def sheet_row(self, data_row: int) -> int | None:
        """The spreadsheet row of ``data_row`` (1-based), if the reader saw it."""
        if 1 <= data_row <= len(self.sheet_rows):
            return self.sheet_rows[data_row - 1]
        return None


_current: ContextVar[RowMap | None] = ContextVar("anonymizer_row_map", default=None)


@contextmanager
def numbering(rows: RowMap | None) -> Iterator[None]:
    """Name rows by ``rows`` inside the block (a pipeline run over one input table)."""
    token = _current.set(rows)
    try:
        yield
    finally:
        _current.reset(token)


def begin(rows: RowMap | None) -> Token[RowMap | None]:
    """:func:`numbering` for a run that cannot be one block: undo with :func:`end`."""
    return _current.set(rows)


def end(token: Token[RowMap | None] | None) -> None:
    if token is not None:
        _current.reset(token)


def describe_row(data_row: int) -> str:
    """``row 7 (data row 5)``; ``data row 5`` when the spreadsheet row is not known."""
    rows = _current.get()
    sheet = rows.sheet_row(data_row) if rows is not None else None
    if sheet is None:
        return _("data row {data_row}").format(data_row=data_row)
    return _("row {row} (data row {data_row})").format(row=sheet, data_row=data_row)


def describe_rows(data_rows: Sequence[int], more: bool = False) -> str:
    """The rows of ``data_rows`` one by one, ``…`` when ``more`` were left out."""
    parts = [describe_row(r) for r in data_rows]
    if more:
        parts.append("…")
    return _(", ").join(parts)


def describe_first_rows(first: Sequence[int], count: int, limit: int) -> str:
    """The rows of an error where only the first marked rows' numbers (a table's index: 0 is
    data row 1) and how many were marked are known: at most ``limit``, then ``…``."""
    return describe_rows([int(r) + 1 for r in first[:limit]], count > limit)


__all__ = [
    "RowMap", "begin", "describe_first_rows", "describe_row", "describe_rows", "end", "numbering",
]  # fmt: skip
