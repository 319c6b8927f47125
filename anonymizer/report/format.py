"""How a figure of report.json is written on the page, and where it came from.

The template never computes a number: it prints ``fig("risk", "after", "marketer")``, which
looks the value up in report.json by its path, formats it with :func:`format_value` and tags
the element with ``data-field`` (the path as a JSON array: column names may contain dots).
The browser test re-reads every tagged element and compares it with the JSON, so "every
figure in the HTML is in report.json, same numbers" is checked, not hoped.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

#: significant digits for non-integer figures (risks, ε, noise scales, loss)
DIGITS = 4


class MissingField(KeyError):
    """A path that report.json does not have (the schema should have caught it)."""


def lookup(report: Any, path: Sequence[str | int]) -> Any:
    """``("steps", 0, "spent", "epsilon")`` → the value at that path."""
    node = report
    for part in path:
        if isinstance(node, Mapping) and part in node:
            node = node[part]
            continue
        is_list = isinstance(node, Sequence) and not isinstance(node, str)
        if not (is_list and isinstance(part, int) and 0 <= part < len(node)):
            raise MissingField(".".join(map(str, path)))
        node = node[part]
    return node


def format_value(value: Any, style: str = "") -> str:
    """Integers with thousands separators, floats to 4 significant digits, ``pct`` as a
    percentage of a share (0.25 → 25%), booleans in Japanese, None as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if style == "pct" and isinstance(value, int | float):
        return f"{_float(value * 100)}%"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, Mapping):
        return "、".join(f"{k}={format_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(format_value(v) for v in value)
    return str(value)


def _float(value: float) -> str:
    if math.isnan(value):
        return "—"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    text = f"{value:.{DIGITS}g}"
    if "e" in text:  # 1e-06 → 1×10⁻⁶ reads better, but keep it plain and exact to the digits
        mantissa, exp = text.split("e")
        return f"{mantissa}×10^{int(exp)}"
    return text


def figure(report: Any, *path: str | int, style: str = "") -> Markup:
    """The formatted value at ``path`` wrapped in a tagged span (see the module docstring)."""
    value = lookup(report, path)
    return Markup('<span class="fig" data-field="{}" data-style="{}">{}</span>').format(
        json.dumps(list(path), ensure_ascii=False), style, escape(format_value(value, style))
    )
