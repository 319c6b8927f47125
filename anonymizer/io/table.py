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
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes

from anonymizer.errors import InputError

#: tried in this order; the first that decodes the whole file cleanly and that
#: charset-normalizer ranks as plausible wins
ENCODINGS: tuple[str, ...] = ("utf_8", "cp932", "euc_jp", "shift_jis")
_SNIFF_BYTES = 64 * 1024
#: encoding detection reads this much of the file (the whole file is decoded strictly after)
_DETECT_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Table:
    """A read table and how it was read (for the manifest and error messages)."""

    frame: pd.DataFrame
    path: Path
    encoding: str | None  # None for binary formats
    delimiter: str | None


def detect_encoding(raw: bytes, path: Path, complete: bool = True) -> str:
    """UTF-8 (with or without BOM), CP932/Shift_JIS or EUC-JP; else InputError naming them.

    ``complete=False``: ``raw`` is the head of a larger file, so a multibyte character cut at
    its end is not an error (the whole file is decoded afterwards, strictly).
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf_8_sig"
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
    raise InputError(
        f"{path}: cannot decode as any of {', '.join(ENCODINGS)} (UTF-8 with or without BOM, "
        "CP932/Shift_JIS, EUC-JP); re-export the file or declare its encoding"
    )


def sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_csv_text(text: str, path: Path, delimiter: str | None = None) -> tuple[pd.DataFrame, str]:
    delim = delimiter or sniff_delimiter(text[:_SNIFF_BYTES])
    # Ragged rows: check with the csv module first so the error names the line number.
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    width = None
    for row in reader:
        if width is None:
            width = len(row)
        elif row and len(row) != width:
            raise InputError(
                f"{path}: line {reader.line_num} has {len(row)} fields, the header has {width}"
            )
    if width is None:
        return pd.DataFrame(), delim
    frame = pd.read_csv(
        io.StringIO(text),
        sep=delim,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=True,
        engine="c",
    )
    return frame, delim


def read_table(
    path: Path | str,
    encoding: str | None = None,
    sheet: str | int | None = None,
    delimiter: str | None = None,
) -> Table:
    """Read ``path`` by its suffix (.csv/.tsv/.txt, .xlsx/.xlsm, .parquet) as text columns."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: file not found")
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(p, sheet_name=sheet if sheet is not None else 0, dtype=str)
        except ValueError as exc:  # unknown sheet
            raise InputError(f"{p}: {exc}") from None
        return Table(_text_frame(frame), p, None, None)
    if suffix == ".parquet":
        frame = pd.read_parquet(p)
        return Table(_text_frame(frame), p, None, None)
    raw = p.read_bytes()
    head = raw[:_DETECT_BYTES]
    enc = encoding if encoding and encoding != "auto" else detect_encoding(head, p, len(head) == len(raw))
    try:
        text = raw.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(f"{p}: not decodable as {enc} ({type(exc).__name__})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    frame, delim = read_csv_text(text, p, delimiter or ("\t" if suffix == ".tsv" else None))
    return Table(frame, p, enc, delim)


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Binary formats: cells become text, real nulls stay null (pandas NA)."""
    out = frame.astype("string")
    out.columns = [str(c) for c in frame.columns]
    return out
