"""Write generated files all or nothing: into a temporary directory inside the target first,
then moved into place one by one (``os.replace``), so a crash leaves the old files or the new
ones, never a half-written file."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd


def write_files(target: Path, files: Mapping[str, bytes], prefix: str) -> list[Path]:
    """Write ``{relative path: bytes}`` under ``target``; return the paths written."""
    target.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=target))
    try:
        for rel, data in files.items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_bytes(data)
        written = []
        for rel in files:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / rel, target / rel)
            written.append(target / rel)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return written


def write_legacy_xls(frame: pd.DataFrame, path: Path, title: str | None = None) -> Path:
    """``frame`` as an older system exports it: a legacy Excel 97–2003 workbook (.xls), an
    optional title row and a blank row above the header, and every cell that reads as a
    yyyy/mm/dd date written as an Excel date (a serial number with a date format)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    as_date = xlwt.easyxf(num_format_str="yyyy/mm/dd")
    top = 0
    if title is not None:
        sheet.write(0, 0, title)
        top = 2
    for j, col in enumerate(frame.columns):
        sheet.write(top, j, str(col))
    for i, row in enumerate(frame.itertuples(index=False), start=top + 1):
        for j, value in enumerate(row):
            text = "" if pd.isna(value) else str(value)
            day = pd.to_datetime(text, format="%Y/%m/%d", errors="coerce")
            if len(text) == 10 and not pd.isna(day):
                sheet.write(i, j, day.date(), as_date)
            elif text:
                sheet.write(i, j, text)
    book.save(str(path))
    return path
