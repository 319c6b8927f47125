"""An input that is a directory of part files — what Spark, Hive or a split export writes
(``part-00000-….csv``, ``part-00000-….snappy.parquet``): its data files, in name order.

Hidden files and the markers such tools leave beside the data (``.part-….crc``,
``_SUCCESS``, ``_committed_…``: a name starting with ``.`` or ``_``) are not data; every
other entry must be a file of one kind — CSV (``.csv``, ``.tsv``, ``.txt``) or Parquet — so a
stray file is refused by name rather than read as rows. A file's parts are itself.
"""

from __future__ import annotations

from pathlib import Path

from anonymizer.errors import InputError
from anonymizer.i18n import _

#: the kinds of part file, by suffix
KINDS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet"}


def part_files(path: Path) -> tuple[Path, ...]:
    """``path`` itself when it is a file, else its part files in name order (InputError: no
    data file, a subdirectory, a file of another kind, or CSV and Parquet mixed)."""
    if not path.is_dir():
        return (path,)
    entries = sorted(p for p in path.iterdir() if p.name[:1] not in (".", "_"))
    odd = [p.name for p in entries if not p.is_file() or p.suffix.lower() not in KINDS]
    if odd:
        raise InputError(
            _(
                "{path}: a directory of part files holds only .csv, .tsv, .txt or .parquet "
                "files (and hidden or _-prefixed markers); not {names}"
            ).format(path=path, names=", ".join(odd[:5]) + (" …" if len(odd) > 5 else ""))
        )
    if not entries:
        raise InputError(
            _("{path}: the directory holds no part files (.csv, .tsv, .txt or .parquet)").format(
                path=path
            )
        )
    kinds = {KINDS[p.suffix.lower()] for p in entries}
    if len(kinds) > 1:
        raise InputError(
            _("{path}: the directory mixes CSV and Parquet part files").format(path=path)
        )
    return tuple(entries)


def kind_of(parts: tuple[Path, ...]) -> str | None:
    """``csv`` or ``parquet`` (by the first part's suffix), None for any other file."""
    return KINDS.get(parts[0].suffix.lower())
