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
from collections.abc import Iterable, Mapping
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


#: the shapes a column's cells may all have, in the order :func:`infer_type` tries them
_SHAPES = ("integer", "year", "number", "yearmonth", "date", "date_slash")


def _shapes(values: list[str]) -> frozenset[str]:
    """The shapes every one of ``values`` has (a date shape only with real dates)."""
    out: set[str] = set()
    if all(_INTEGER.fullmatch(v) for v in values):
        out.add("integer")
        if all(_YEAR.fullmatch(v) for v in values):
            out.add("year")
    if all(_NUMBER.fullmatch(v) for v in values):
        out.add("number")
    if all(_YEARMONTH.fullmatch(v) for v in values):
        out.add("yearmonth")
    for name, (pattern, fmt, _declared) in zip(("date", "date_slash"), _DATES, strict=True):
        if all(pattern.fullmatch(v) for v in values) and _dates_ok(values, fmt):
            out.add(name)
    return frozenset(out)


def _type_of(shapes: frozenset[str], any_value: bool, date_column: bool) -> dict[str, str]:
    if not any_value:
        return {"type": "string"}
    if "integer" in shapes:
        return {"type": "year"} if date_column and "year" in shapes else {"type": "integer"}
    if "number" in shapes:
        return {"type": "number"}
    if "yearmonth" in shapes:
        return {"type": "yearmonth"}
    for name, (_pattern, _fmt, declared) in zip(("date", "date_slash"), _DATES, strict=True):
        if name in shapes:
            return {"type": "date", "format": declared} if declared else {"type": "date"}
    return {"type": "string"}


def infer_type(values: list[str], date_column: bool = False) -> dict[str, str]:
    """``{"type": …}`` (and ``format`` when needed) for the non-missing cells of a column."""
    return _type_of(_shapes(values), bool(values), date_column)


@dataclass(frozen=True)
class FieldFacts:
    """What a column's Table Schema field is decided from, for one stretch of its rows —
    mergeable, so an engine that holds the rows in parts (Spark's partitions) gets the field
    the whole column gives: :meth:`of` per part, :meth:`merge` in the parts' order."""

    cells: int
    present: int
    #: the shapes all present cells have (:data:`_SHAPES`)
    shapes: frozenset[str]
    #: the smallest whole number among the cells, when all are whole numbers
    minimum: int | None
    #: the first ``ENUM_LIMIT + 1`` distinct present values, with the position of their first
    #: cell, in that order
    first_seen: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, cells: pd.Series, missing: Iterable[str], start: int = 0) -> FieldFacts:
        """The facts of ``cells`` (strings or NA, as written); ``start``: the position of the
        first of them in the whole column."""
        text = cells.astype("string").fillna("")
        keep = ~text.isin(list(missing))
        present = text[keep]
        values = present.tolist()
        shapes = _shapes(values)
        minimum = min((int(v) for v in values), default=None) if "integer" in shapes else None
        seen: dict[str, int] = {}
        positions = keep.to_numpy().nonzero()[0]
        for v, at in zip(values, positions, strict=True):
            if v not in seen:
                seen[v] = start + int(at)
                if len(seen) > ENUM_LIMIT:
                    break
        return cls(len(text), len(present), shapes, minimum, tuple(seen.items()))

    def merge(self, other: FieldFacts) -> FieldFacts:
        """The facts of both stretches together (either order)."""
        shapes = self.shapes & other.shapes  # no cell: every shape (``all`` of nothing)
        lows = [m for m in (self.minimum, other.minimum) if m is not None]
        minimum = min(lows) if "integer" in shapes and lows else None
        seen: dict[str, int] = {}
        for v, at in (*self.first_seen, *other.first_seen):
            seen[v] = min(seen.get(v, at), at)
        first = tuple(sorted(seen.items(), key=lambda x: x[1])[: ENUM_LIMIT + 1])
        return FieldFacts(
            self.cells + other.cells, self.present + other.present, shapes, minimum, first
        )


def field_of(name: str, facts: FieldFacts, hints: Hints) -> dict[str, Any]:
    """One Table Schema field for a released column, from its :class:`FieldFacts`."""
    spec: dict[str, Any] = {
        "name": name, **_type_of(facts.shapes, facts.present > 0, name in hints.dates)
    }
    constraints: dict[str, Any] = {}
    if facts.present == facts.cells and facts.cells:
        constraints["required"] = True
    if spec["type"] == "string" and name in hints.categories:
        distinct = [v for v, _at in facts.first_seen]  # first-seen order: a table's own order
        if 0 < len(distinct) <= ENUM_LIMIT:
            constraints["enum"] = distinct
    counted = spec["type"] == "integer" and name in hints.counts and facts.present
    if counted and facts.minimum is not None and facts.minimum >= 0:
        constraints["minimum"] = 0
    if constraints:
        spec["constraints"] = constraints
    return spec


def infer_field(name: str, cells: pd.Series, hints: Hints) -> dict[str, Any]:
    """One Table Schema field for a released column (its cells as written, strings or NA)."""
    return field_of(name, FieldFacts.of(cells, hints.missing), hints)


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


def table_facts(frame: pd.DataFrame, hints: Hints) -> dict[str, FieldFacts]:
    """Each column's :class:`FieldFacts` (by its header in the file)."""
    return {str(c): FieldFacts.of(frame[c], hints.missing) for c in frame.columns}


def build_datapackage(
    record: Record,
    frame: pd.DataFrame | None,
    hints: Hints,
    facts: Mapping[str, FieldFacts] | None = None,
) -> dict[str, Any]:
    """The package for ``frame``, the released table as written (its headers as in the file);
    or, where an engine holds the rows elsewhere, from each column's ``facts`` (by header, in
    the file's order) — then with no primary key (only an aggregate's dimensions have one,
    and an aggregate's table is always held here)."""
    lic = record.license_info
    if facts is None:
        assert frame is not None
        facts = table_facts(frame, hints)
    fields = [field_of(name, f, hints) for name, f in facts.items()]
    schema: dict[str, Any] = {"fields": fields, "missingValues": list(hints.missing)}
    keys = list(hints.keys)
    if keys and frame is not None:
        cells = frame[keys].astype("string").fillna("")
        if not cells.isin(hints.missing).any().any() and not cells.duplicated().any():
            schema["primaryKey"] = keys
    data = record.data
    # part files: one multipart resource (Frictionless reads a CSV part's header row once,
    # from the first); each part's size and hash are in manifest.json
    whole: dict[str, Any] = (
        {"path": [f.name for f in record.data_files]}
        if record.parts
        else {"path": data.name, "bytes": data.size, "hash": f"sha256:{data.sha256}"}
    )
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
            "path": whole["path"],
            "profile": "tabular-data-resource",
            "title": record.title,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": FRICTIONLESS_ENCODING[data.encoding or "utf-8"],
            **{k: v for k, v in whole.items() if k != "path"},
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
    "ENUM_LIMIT", "FieldFacts", "Hints", "build_datapackage", "column_hints", "field_of",
    "infer_field", "infer_type", "resource_name", "table_facts",
]  # fmt: skip
