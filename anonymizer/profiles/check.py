"""The gate's ``profile`` check: a released table follows its declared profile column for
column — the headers (or their accepted older forms) in order, and every cell of its type.
The check re-derives everything from the released frame; it names columns, counts and row
numbers, never a value."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from anonymizer.i18n import _
from anonymizer.pipeline.municipalities import is_known
from anonymizer.profiles.spec import Profile, ProfileColumn
from anonymizer.steps.base import GateCheck

#: bad cells' rows listed per column
LISTED = 5
_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]*")
_COUNT = re.compile(r"0|[1-9][0-9]*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _valid_date(text: str) -> bool:
    if not _DATE.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _cell_ok(column: ProfileColumn, text: str, mark: str) -> bool:
    if column.type == "count":
        return bool(_COUNT.fullmatch(text)) or text == mark
    if column.type == "lg_code":
        return len(text) == 6 and text.isascii() and is_known(text)
    if column.type == "code":
        return bool(_CODE.fullmatch(text))
    if column.type == "date":
        return _valid_date(text)
    return bool(text.strip())


def header_problems(headers: list[str], profile: Profile) -> list[str]:
    """What is wrong with the headers, by name (profile headers are public)."""
    problems: list[str] = []
    expected = [c.name for c in profile.columns]
    for i, column in enumerate(profile.columns):
        got = headers[i] if i < len(headers) else None
        if got not in column.headers:
            problems.append(
                _("column {i} should be {name!r}").format(i=i + 1, name=column.name)
                + (
                    _(" (or {aliases})").format(aliases=", ".join(map(repr, column.aliases)))
                    if column.aliases
                    else ""
                )
                + (_(" but is missing") if got is None else "")
            )
    extra = len(headers) - len(expected)
    if extra > 0:
        problems.append(
            _("{extra} column(s) after {last!r} that the profile does not have").format(
                extra=extra, last=expected[-1]
            )
        )
    return problems


def bad_mask(column: ProfileColumn, cells: pd.Series, mark: str) -> np.ndarray:
    """Which of ``cells`` (strings or NA) are not of the column's type (an empty cell of a
    column that may be empty is fine)."""
    values = cells.astype("string").fillna("")
    empty = (values.str.strip() == "").to_numpy(dtype=bool)
    ok = np.fromiter((_cell_ok(column, v, mark) for v in values.tolist()), bool, len(values))
    return ~ok & ~(empty & (not column.required))


def bad_cells(frame: pd.DataFrame, profile: Profile, mark: str) -> dict[str, dict[str, Any]]:
    """{header: type, cells not of it, the first rows (1-based positions)} of the columns
    with such cells; ``frame``'s headers are the profile's."""
    cells: dict[str, dict[str, Any]] = {}
    for column, header in zip(profile.columns, [str(c) for c in frame.columns], strict=True):
        bad = bad_mask(column, frame[header], mark)
        if bad.any():
            rows = [int(i) + 1 for i in np.flatnonzero(bad)[:LISTED]]
            cells[header] = {"type": column.type, "cells": int(bad.sum()), "rows": rows}
    return cells


def profile_check(
    frame: pd.DataFrame,
    profile: Profile,
    mark: str = "X",
    cells_of: Callable[[Profile, str], dict[str, dict[str, Any]]] | None = None,
) -> GateCheck:
    """The check; ``cells_of``: where an engine holds the rows elsewhere, its own
    :func:`bad_cells` (``frame`` then gives the headers only)."""
    headers = [str(c) for c in frame.columns]
    problems = header_problems(headers, profile)
    cells: dict[str, dict[str, Any]] = {}
    if not problems:
        cells = cells_of(profile, mark) if cells_of is not None else bad_cells(frame, profile, mark)
    for header, d in cells.items():
        problems.append(
            _("{header}: {cells} cell(s) not of type {type} (rows {rows})").format(
                header=header, cells=d["cells"], type=d["type"], rows=d["rows"]
            )
        )
    detail = (
        _("the {n} columns follow {title} ({id}) in order, every cell of its type").format(
            n=len(profile.columns), title=profile.title, id=profile.id
        )
        if not problems
        else _("not in the layout of {title} ({id}): {problems}").format(
            title=profile.title, id=profile.id, problems="; ".join(problems)
        )
    )
    return GateCheck(
        "profile",
        not problems,
        detail,
        {"profile": profile.id, "standard": profile.standard, "problems": problems[:50]},
    )


__all__ = ["LISTED", "bad_cells", "bad_mask", "header_problems", "profile_check"]
