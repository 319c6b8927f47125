"""Excel date serials (31138 → 1985-04-01) in a workbook's date columns.

A date cell whose number format was lost comes back from the workbook as a bare number of days.
A column is read as dates when its other cells are real Excel dates or its header says it holds
dates (``rules/spreadsheet.yaml``), and only when *every* filled cell (not counting the tokens
that mean "no value", ``rules/missing.yaml``) is a date or a serial in the plausible range —
so an ID, a count or a code is never turned into a date. The workbook's own date system (1900
or 1904, :attr:`openpyxl.Workbook.epoch`) is used, through openpyxl's ``from_excel``. Which
columns were read so is returned for ``scan`` to say.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Literal

import pandas as pd
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

from anonymizer.config import Frozen
from anonymizer.rules import load_rules

#: a date cell as the reader leaves it (after the midnight time was dropped)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?$")
#: a serial as pandas writes a number cell as text (an integer, or days and a time fraction)
_SERIAL = re.compile(r"^\d{1,6}(?:\.\d+)?$")


class SpreadsheetRules(Frozen):
    version: Literal[1]
    date_header_suffixes: tuple[str, ...]
    earliest: date
    latest: date


def load_spreadsheet_rules() -> SpreadsheetRules:
    return load_rules("spreadsheet.yaml", SpreadsheetRules)


def _as_date(serial: str, epoch: datetime, rules: SpreadsheetRules) -> str | None:
    value = from_excel(float(serial), epoch=epoch)
    if not isinstance(value, datetime) or not rules.earliest <= value.date() <= rules.latest:
        return None
    if value.time() == datetime.min.time():
        return value.date().isoformat()
    return value.isoformat(sep=" ", timespec="seconds")


def _date_header(name: str, rules: SpreadsheetRules) -> bool:
    folded = unicodedata.normalize("NFKC", str(name)).strip()
    return folded.endswith(tuple(rules.date_header_suffixes))


def read_serials(
    frame: pd.DataFrame, epoch: datetime = CALENDAR_WINDOWS_1900
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """``frame`` (text cells, dates already ISO) with the serials of its date columns read as
    ISO dates, and the names of the columns where that happened."""
    rules = load_spreadsheet_rules()
    # the tokens that mean "no value" (不明, 未記入 …) are not cells of another kind
    from anonymizer.pipeline.missing import default_tokens  # rules only: no cycle at import

    missing = default_tokens()
    out = frame
    converted: list[str] = []
    for col in frame.columns:
        values = frame[col].astype("string")
        filled = values.dropna().str.strip()
        filled = filled[(filled != "") & ~filled.str.normalize("NFKC").str.casefold().isin(missing)]
        if filled.empty:
            continue
        is_date = filled.str.match(_ISO_DATE)
        is_serial = filled.str.match(_SERIAL)
        if not bool((is_date | is_serial).all()) or not bool(is_serial.any()):
            continue
        if not (bool(is_date.any()) or _date_header(col, rules)):
            continue
        mapping = {s: _as_date(s, epoch, rules) for s in pd.unique(filled[is_serial])}
        if any(v is None for v in mapping.values()):
            continue  # a number outside the plausible dates: not a date column after all
        if out is frame:
            out = frame.copy()
        stripped = values.str.strip()
        out[col] = values.mask(stripped.isin(list(mapping)), stripped.map(mapping))
        converted.append(str(col))
    return out, tuple(converted)
