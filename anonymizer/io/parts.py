"""An input that is a directory of part files — what Spark, Hive or a split export writes
(``part-00000-….csv``, ``part-00000-….snappy.parquet``): its data files, in name order.

Hidden files and the markers such tools leave beside the data (``.part-….crc``,
``_SUCCESS``, ``_committed_…``: a name starting with ``.`` or ``_``) are not data; every
other entry must be a file of one kind — CSV (``.csv``, ``.tsv``, ``.txt``) or Parquet — so a
stray file is refused by name rather than read as rows. A file's parts are itself.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath

from anonymizer.errors import InputError
from anonymizer.i18n import _

#: a URI with a scheme and an authority part (``hdfs://namenode/…``, ``file:///…``)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")

#: the kinds of part file, by suffix
KINDS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet"}


def is_uri(text: str) -> bool:
    """Does ``text`` name its file system (``scheme://…``: read by the Spark engine's
    Hadoop file system), rather than a local path?"""
    return bool(_URI.match(text))


def file_name(location: Path | str) -> str:
    """A file's name: a path's last part, or a URI's (``hdfs://nn/data/part-0.csv`` →
    ``part-0.csv``; a trailing ``/`` ignored)."""
    if isinstance(location, Path):
        return location.name
    return location.rstrip("/").rsplit("/", 1)[-1]


def suffix_of(location: Path | str) -> str:
    """A file's suffix, lower-cased (``.csv``; "" when its name has none)."""
    return PurePath(file_name(location)).suffix.lower()


def listing_sha256(hashes: Iterable[tuple[str, str]]) -> str:
    """The SHA-256 of a directory's parts, given each part's (name, SHA-256) in name order:
    that of one ``<sha256>  <name>`` line per part (what ``sha256sum *`` prints there), so a
    reviewer can recompute it."""
    lines = "".join(f"{sha}  {name}\n" for name, sha in hashes)
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def part_files(path: Path) -> tuple[Path, ...]:
    """``path`` itself when it is a file, else its part files in name order (InputError: no
    data file, a subdirectory, a file of another kind, or CSV and Parquet mixed)."""
    if not path.is_dir():
        return (path,)
    entries = [(p.name, p.is_file()) for p in path.iterdir()]
    return tuple(path / name for name in choose(str(path), entries))


def choose(where: str, entries: Sequence[tuple[str, bool]]) -> list[str]:
    """The names of the part files among a directory's entries (name, is a file), in name
    order; ``where`` names the directory in the errors."""
    named = sorted((n, f) for n, f in entries if n[:1] not in (".", "_"))
    odd = [n for n, is_file in named if not is_file or suffix_of(n) not in KINDS]
    if odd:
        raise InputError(
            _(
                "{path}: a directory of part files holds only .csv, .tsv, .txt or .parquet "
                "files (and hidden or _-prefixed markers); not {names}"
            ).format(path=where, names=", ".join(odd[:5]) + (" …" if len(odd) > 5 else ""))
        )
    if not named:
        raise InputError(
            _("{path}: the directory holds no part files (.csv, .tsv, .txt or .parquet)").format(
                path=where
            )
        )
    kinds = {KINDS[suffix_of(n)] for n, _f in named}
    if len(kinds) > 1:
        raise InputError(
            _("{path}: the directory mixes CSV and Parquet part files").format(path=where)
        )
    return [n for n, _f in named]


def kind_of(location: Path | str) -> str | None:
    """``csv`` or ``parquet`` by a file's suffix, None for any other file."""
    return KINDS.get(suffix_of(location))
