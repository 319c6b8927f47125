"""Headers are data: checked on the way in (is there a header row at all?) and on the way out.

On the way in, a header row that looks like data — a file without one, or the wrong Excel
sheet — would otherwise become the column names, and the "no declared role" error would
print a person's name, number and address. :func:`undeclared_error` reports it as "no header
row?" with counts only, and names an undeclared column by its header only when that header
does not look like data (else by its position).

On the way out, :func:`headers_check` is a gate check: every released column name is
re-scanned like a cell (a header holding a name, a phone number, an address or a raw
identifier value refuses the release), and :func:`hide` keeps such headers out of the
refusal files and messages. Formula-looking headers are neutralised with the cells
(:func:`anonymizer.pipeline.release.neutralize_headers`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.steps.base import GateCheck

#: what a header never is: an e-mail address, a URL, a date or a long number
_DATA_LIKE = re.compile(
    r"@|https?://|www\.|\d{4}[-/.年]\d{1,2}|\d{1,2}[-/.月]\d{1,2}|(?:\d[-\s]?){4}"
)
#: entities whose finding in a header marks it as data (NER and patterns)
_DATA_ENTITIES = frozenset({
    "PERSON", "JP_ADDRESS", "JP_POSTAL_CODE", "JP_PHONE_NUMBER", "EMAIL_ADDRESS",
    "DATE_OF_BIRTH", "DATE", "JP_MY_NUMBER", "JP_CORPORATE_NUMBER", "JP_RESIDENT_CODE",
    "JP_PASSPORT", "JP_DRIVERS_LICENSE", "JP_BASIC_PENSION_NUMBER", "JP_HEALTH_INSURANCE_NUMBER",
    "JP_BANK_ACCOUNT", "CREDIT_CARD", "URL", "IP_ADDRESS", "AGE", "JP_RESIDENCE_CARD",
    "ONLINE_ACCOUNT", "JP_VEHICLE_NUMBER",
})  # fmt: skip


#: what a column name is made of besides its subject: a finding that is only one of these is
#: the detector reading a header as a record (代理人ID: "ID" after 代理人 is not a name)
_HEADER_WORDS = frozenset({
    "id", "no", "番号", "番", "号", "名", "名前", "氏名", "コード", "区分", "種別", "カナ", "かな",
    "フリガナ", "ふりがな", "漢字", "ローマ字", "姓", "年月日", "日付", "日", "年", "月",
})  # fmt: skip


def _words() -> frozenset[str]:
    from anonymizer.scan.headers import load_header_rules, normalize_header

    rules = load_header_rules().rules
    names = {normalize_header(n) for r in rules for n in (*r.names, *r.contains)}
    return _HEADER_WORDS | frozenset(names)


def _known(header: str) -> bool:
    """An exact header synonym of ``rules/headers.yaml`` (氏名カナ, 相談者番号…) is a header."""
    from anonymizer.scan.headers import load_header_rules, normalize_header

    key = normalize_header(header)
    return any(normalize_header(n) == key for r in load_header_rules().rules for n in r.names)


def _findings(detector: Any, headers: Sequence[str]) -> list[list[Any]]:
    """Findings per header, without those that are only header vocabulary."""
    from anonymizer.scan.headers import normalize_header

    words = _words()
    return [
        [f for f in found if normalize_header(h[f.start:f.end]) not in words]
        for h, found in zip(headers, detector.detect_cells(list(headers)), strict=True)
    ]


def data_like(headers: Sequence[str], detector: Any | None = None) -> list[bool]:
    """For each header: does it look like a value (digits, a date, an address, a name…)?"""
    out = []
    for h in headers:
        text = unicodedata.normalize("NFKC", str(h))
        digits = sum(ch.isdigit() for ch in text)
        out.append(bool(_DATA_LIKE.search(text)) or (digits >= 1 and digits * 2 >= len(text)))
    if detector is not None:
        todo = [i for i, flag in enumerate(out) if not flag and not _known(headers[i])]
        texts = [str(headers[i]) for i in todo]
        for i, found in zip(todo, _findings(detector, texts), strict=True):
            out[i] = any(f.type in _DATA_ENTITIES for f in found)
    return out


def undeclared_error(
    pipeline: Path, source: Path, columns: Sequence[str], declared: Iterable[str],
    detector: Any | None = None,
) -> ConfigError:  # fmt: skip
    """The error for input columns the pipeline does not declare — never quoting a header
    that looks like data; "no header row?" when the first row is data rather than names."""
    declared = set(declared)
    looks = data_like(columns, detector)
    found = sum(c in declared for c in columns)
    if sum(looks) and (found == 0 or sum(looks) * 2 >= len(columns)):
        return ConfigError(
            _(
                "{source}: no header row? its first row does not name the columns {pipeline} "
                "declares ({found} of {n_declared} found), and {sum} of its {n_columns} cells look "
                "like data (digits, dates, names, addresses); add a header row, or pick the right "
                "sheet (values are not shown)"
            ).format(
                source=source,
                pipeline=pipeline,
                found=found,
                n_declared=len(declared),
                sum=sum(looks),
                n_columns=len(columns),
            )
        )
    named = []
    missing = [d for d in declared if d not in set(columns)]
    for i, (c, bad) in enumerate(zip(columns, looks, strict=True), start=1):
        if c in declared:
            continue
        if bad:
            named.append(_("column {i} (its header looks like data: not shown)").format(i=i))
        else:
            named.append(repr(c) + near_match(c, missing))
    return ConfigError(
        _(
            "{pipeline}: columns: input column(s) {named} have no declared role (every input "
            "column must be declared; use actions: [keep] to release one as it is)"
        ).format(pipeline=pipeline, named=', '.join(named))
    )


def _folded(name: str) -> str:
    """A header as a reader sees it: 全角/半角 (NFKC), spaces anywhere and case do not count."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def near_match(header: str, declared: Sequence[str]) -> str:
    """A hint naming the declared column an input header was probably meant to be: one that
    differs only in spaces, width or case (氏名␣, ｼﾒｲ), else the closest by
    :func:`difflib.get_close_matches`; "" when none is close."""
    same = [d for d in declared if _folded(d) == _folded(header)]
    if same:
        return _(
            " (declared as {declared!r}: the names differ only in spaces, 全角/半角 or case)"
        ).format(declared=same[0])
    close = difflib.get_close_matches(header, list(declared), n=1, cutoff=0.75)
    return _(" (did you mean {declared!r}?)").format(declared=close[0]) if close else ""


@dataclass(frozen=True)
class HeaderCheck(GateCheck):
    """The gate's header check; ``hidden`` (never serialized) are the headers to keep out of
    refusal files and messages."""

    hidden: tuple[str, ...] = field(default=(), repr=False, compare=False)


def headers_check(
    frame: pd.DataFrame,
    fail_on: Iterable[str],
    min_score: float | None,
    detector: Any,
    identifiers: Mapping[str, Iterable[str]],
    numbered_only: Iterable[str] = (),
    raw: Callable[[pd.DataFrame], GateCheck] | None = None,
) -> HeaderCheck:
    """Re-scan the released column names as cells; any personal finding refuses. ``raw``: the
    raw-value check of a table (by default :func:`~anonymizer.pipeline.gate.raw_values` over
    ``identifiers``; an engine gives its own)."""
    from anonymizer.entities import FREE_TEXT_ONLY
    from anonymizer.pipeline.gate import raw_values

    names = [str(c) for c in frame.columns]
    fail = frozenset(fail_on) - FREE_TEXT_ONLY  # a header 障害者手帳の等級 names a column
    problems: dict[int, list[str]] = {}
    todo = [i for i, n in enumerate(names) if not _known(n)]
    texts = [names[i] for i in todo]
    for i, found in zip(todo, _findings(detector, texts), strict=True):
        types = sorted({
            f.type for f in found
            if f.type in fail and (min_score is None or f.score >= min_score)
        })
        if types:
            problems[i] = types
    # one column per header (named by position): the problems name positions, never text
    by_position = {str(i + 1): pd.array([n], dtype="string") for i, n in enumerate(names)}
    if raw is None:
        found = raw_values(pd.DataFrame(by_position), identifiers, numbered_only=numbered_only)
    else:
        found = raw(pd.DataFrame(by_position))
    for key in found.data.get("problems", {}):
        problems.setdefault(int(key) - 1, []).append(_("a raw identifier value"))
    hidden = tuple(names[i] for i in problems)
    if problems:
        parts = [
            _("column {i} ({types})").format(i=i + 1, types=", ".join(t))
            for i, t in sorted(problems.items())
        ]
        detail = _(
            "personal information in released column headers: {parts} — rename them with "
            "output.columns (the headers are not shown)"
        ).format(parts="; ".join(parts))
    else:
        detail = _(
            "none of {count} released column headers holds personal information"
        ).format(count=len(names))
    data = {"columns": {str(i + 1): t for i, t in sorted(problems.items())}, "headers": len(names)}
    return HeaderCheck("headers", not problems, detail, data, hidden=hidden)


def hide(obj: Any, checks: Iterable[GateCheck]) -> Any:
    """``obj`` (a report, a list of reasons) with every hidden header replaced by its label."""
    secrets = [h for c in checks if isinstance(c, HeaderCheck) for h in c.hidden]
    if not secrets:
        return obj
    secrets.sort(key=len, reverse=True)

    def text(s: str) -> str:
        for h in secrets:
            if h and h in s:
                s = s.replace(h, "＜見出し非表示＞")
        return s

    def walk(o: Any) -> Any:
        if isinstance(o, str):
            return text(o)
        if isinstance(o, dict):
            return {walk(k) if isinstance(k, str) else k: walk(v) for k, v in o.items()}
        if isinstance(o, list | tuple):
            return type(o)(walk(v) for v in o)
        return o

    return walk(obj)


__all__ = ["HeaderCheck", "data_like", "headers_check", "hide", "undeclared_error"]
