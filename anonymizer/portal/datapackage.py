"""datapackage.json: a Frictionless Tabular Data Package that ``frictionless validate`` passes.

Each released column gets the type its released cells have, inferred from the file's own
text (what a reader parses), never from the input:

- ``integer``: whole numbers written without leading zeros (``0012`` is a code: string);
- ``number``: decimals (``12.5``);
- ``date`` (``2024-04-01``, or ``2024/04/01`` with its format), ``yearmonth`` (``2024-04``),
  ``year`` (``2024``, only in a column that holds a date's year — elsewhere it is an integer);
- ``string`` otherwise.

Constraints where the release knows them: ``required`` when no cell is empty; ``enum`` for
a column of released categories (a quasi-identifier, sensitive or other column kept or
generalized, a table's dimension) with at most :data:`ENUM_LIMIT` distinct values — never
for free text or pseudonyms; ``minimum: 0`` for counts (a table's counts and DP counts).
Cells a table step suppressed (its legend's mark, ``X``) are ``missingValues``, so its
counts stay integers. ``created`` is ``issued`` at midnight JST (:attr:`Record.created`):
the file stays byte-identical for the same input.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from anonymizer.portal.record import Record

#: at most this many distinct values make a category column an ``enum``
ENUM_LIMIT = 50
#: Frictionless reads with Python's codecs (the BOM of utf-8-sig is skipped under utf-8)
FRICTIONLESS_ENCODING = {"utf-8-sig": "utf-8", "utf-8": "utf-8", "cp932": "cp932"}
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_YEAR = re.compile(r"[12][0-9]{3}")
_YEARMONTH = re.compile(r"[12][0-9]{3}-(?:0[1-9]|1[0-2])")
_DATES = (
    (re.compile(r"[12][0-9]{3}-[0-9]{2}-[0-9]{2}"), "%Y-%m-%d", None),
    (re.compile(r"[12][0-9]{3}/[0-9]{2}/[0-9]{2}"), "%Y/%m/%d", "%Y/%m/%d"),
)
#: operators whose output is text or a per-person value, never a category
_NOT_CATEGORY = frozenset({"pseudonymize", "mask", "mask_text", "redact"})
#: generalize targets that leave a date's parts
_DATE_TARGETS = frozenset({"year", "year_month", "fiscal_year"})


@dataclass(frozen=True)
class Hints:
    """What the pipeline says about released columns (by released header)."""

    categories: frozenset[str] = frozenset()
    counts: frozenset[str] = frozenset()
    #: columns whose values come from a date (a 4-digit value there is a year)
    dates: frozenset[str] = frozenset()
    #: cells that mean "no value": empty, and a table step's suppression mark
    missing: tuple[str, ...] = ("",)
    #: a table's dimension columns (its primary key)
    keys: tuple[str, ...] = field(default_factory=tuple)


def _dates_ok(values: Iterable[str], fmt: str) -> bool:
    try:
        for v in values:
            dt.datetime.strptime(v, fmt)
    except ValueError:
        return False
    return True


def infer_type(values: list[str], date_column: bool = False) -> dict[str, str]:
    """``{"type": …}`` (and ``format`` when needed) for the non-missing cells of a column."""
    if not values:
        return {"type": "string"}
    if all(_INTEGER.fullmatch(v) for v in values):
        if date_column and all(_YEAR.fullmatch(v) for v in values):
            return {"type": "year"}
        return {"type": "integer"}
    if all(_NUMBER.fullmatch(v) for v in values):
        return {"type": "number"}
    if all(_YEARMONTH.fullmatch(v) for v in values):
        return {"type": "yearmonth"}
    for pattern, fmt, declared in _DATES:
        if all(pattern.fullmatch(v) for v in values) and _dates_ok(values, fmt):
            return {"type": "date", "format": declared} if declared else {"type": "date"}
    return {"type": "string"}


def infer_field(name: str, cells: pd.Series, hints: Hints) -> dict[str, Any]:
    """One Table Schema field for a released column (its cells as written, strings or NA)."""
    text = cells.astype("string").fillna("")
    present = text[~text.isin(hints.missing)]
    values = present.tolist()
    spec: dict[str, Any] = {"name": name, **infer_type(values, name in hints.dates)}
    constraints: dict[str, Any] = {}
    if len(present) == len(text) and len(text):
        constraints["required"] = True
    if spec["type"] == "string" and name in hints.categories:
        distinct = list(dict.fromkeys(values))  # first-seen order: a table's own order
        if 0 < len(distinct) <= ENUM_LIMIT:
            constraints["enum"] = distinct
    counted = spec["type"] == "integer" and name in hints.counts and values
    if counted and min(int(v) for v in values) >= 0:
        constraints["minimum"] = 0
    if constraints:
        spec["constraints"] = constraints
    return spec


def _step_params(spec: Any, kind: str) -> list[dict[str, Any]]:
    return [s.params() for s in spec.steps if s.type == kind]


def column_hints(spec: Any, report: dict[str, Any], headers: dict[str, str]) -> Hints:
    """Hints for the released columns; ``headers`` maps each released name to its header in
    the file (the same, unless a formula-looking header was neutralised)."""
    released = list(headers)
    categories: set[str] = set()
    counts: set[str] = set()
    dates: set[str] = set()
    keys: list[str] = []
    missing = ["", *sorted({m for s in report["steps"] for m in (s.get("legend") or {})})]
    if report["output"].get("aggregate"):
        for params in _step_params(spec, "cell_suppression"):
            dims = [d.get("label") or d["column"] for d in params.get("dimensions", [])]
            keys += [d for d in dims if d in headers]
            if params.get("sum") is None:  # a table of counts (or of given counts)
                counts.update(c for c in released if c not in dims)
        for params in _step_params(spec, "dp_aggregate"):
            keys += [g["column"] for g in params.get("group_by", []) if g["column"] in headers]
            counts.update(m["name"] for m in params.get("measures", []) if m.get("type") == "count")
        categories.update(c for c in released if c not in counts)
    for column in report["input"]["columns"]:
        name = column.get("released_as")
        if not column.get("released") or name not in headers:
            continue
        actions = column["actions"]
        ops = {a["operator"] for a in actions}
        targets = {a["params"].get("to") for a in actions if a["operator"] == "generalize"}
        role = column["role"]
        if (
            role != "free_text"
            and not ops & _NOT_CATEGORY
            and (role != "direct_identifier" or "generalize" in ops)
        ):
            categories.add(name)
        if column.get("entity") == "DATE_OF_BIRTH" or targets & _DATE_TARGETS:
            dates.add(name)
    return Hints(
        categories=frozenset(headers[c] for c in categories if c in headers),
        counts=frozenset(headers[c] for c in counts if c in headers),
        dates=frozenset(headers[c] for c in dates if c in headers),
        missing=tuple(missing),
        keys=tuple(headers[c] for c in dict.fromkeys(keys)),
    )


def resource_name(file: str, fallback: str) -> str:
    """A resource name Frictionless accepts (``^[-a-z0-9._/]+$``)."""
    stem = re.sub(r"[^a-z0-9.-]+", "-", file.rsplit(".", 1)[0].lower()).strip("-._")
    return stem or fallback


def build_datapackage(record: Record, frame: pd.DataFrame, hints: Hints) -> dict[str, Any]:
    """The package for ``frame``, the released table as written (its headers as in the file)."""
    lic = record.license_info
    fields = [infer_field(str(c), frame[c], hints) for c in frame.columns]
    schema: dict[str, Any] = {"fields": fields, "missingValues": list(hints.missing)}
    keys = list(hints.keys)
    cells = frame[keys].astype("string").fillna("")
    if keys and not cells.isin(hints.missing).any().any() and not cells.duplicated().any():
        schema["primaryKey"] = keys
    data = record.data
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": record.name,
        "title": record.title,
        "description": record.description,
        "keywords": list(record.keywords),
        "licenses": [lic],
        "contributors": [{"title": record.publisher, "role": "publisher"}],
        "created": record.created,
        "resources": [{
            "name": resource_name(data.name, record.name),
            "path": data.name,
            "profile": "tabular-data-resource",
            "title": record.title,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": FRICTIONLESS_ENCODING[data.encoding or "utf-8"],
            "bytes": data.size,
            "hash": f"sha256:{data.sha256}",
            "licenses": [lic],
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
            "schema": schema,
        }],
    }  # fmt: skip
    if not record.description:
        del package["description"]
    if not record.keywords:
        del package["keywords"]
    return package


__all__ = [
    "ENUM_LIMIT", "Hints", "build_datapackage", "column_hints", "infer_field", "infer_type",
    "resource_name",
]  # fmt: skip
