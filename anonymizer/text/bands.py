"""Band labels — 10～19歳, 1～2人, 1940～1949年, 90歳以上 — written and read in one place.

Every operator and hierarchy that publishes a range of numbers fills the templates of
``rules/bands.yaml`` through :func:`load_bands` instead of formatting its own: Excel reads
``10-19``, ``1-2`` or ``3/4`` in a CSV as a date and ``100+`` as a number, so a label must
carry a character no spreadsheet parses (the full-width ～, a unit, 以上). Loading refuses a
template whose label would be digits and ``- / . : + ,`` (and the like) only.

Reading a band back (:meth:`BandRules.read`: ``top_bottom_code``, the tables' band dimensions)
accepts the configured form and the old one — ``10-19``, ``10〜19``, ``10 ~ 19歳``, 全角 —
because input written before this format, or by hand, still uses it. :func:`fold_ranges` is the
comparison form public keys and table codes are matched in (``1-2人`` meets ``1～2人``).
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

from pydantic import Field, model_validator

from anonymizer.config import Frozen
from anonymizer.i18n import _
from anonymizer.rules import load_rules
from anonymizer.text.normalize import normalize

#: a number as a band end: 10, 2.5, 1,200,000, -5
NUMBER = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
#: what separates the two ends in old and hand-written bands, after normalization (～ → ~)
SEPARATORS = "-~〜"
_BETWEEN_DIGITS = re.compile(rf"(?<=[0-9])[{re.escape(SEPARATORS[1:])}](?=[0-9])")
#: a label made of these only (after NFKC: Excel reads 全角 digits too) is a number, a date, a
#: time, a percentage or an amount to a spreadsheet
_SPREADSHEET_READS = re.compile(r"[0-9\s\-/.:+,%()eE$¥]*")
_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "closed": ("lo", "hi"),
    "at_least": ("lo",),
    "at_most": ("hi",),
    "half_open": ("lo", "hi"),
    "less_than": ("hi",),
}


def number(x: float | str) -> str:
    """A band end as written: 10 (not 10.0), 2.5, 10000000 (never 1e+07); text as it is (an
    ordered category such as 1人)."""
    if isinstance(x, str):
        return x
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def fold_ranges(text: str) -> str:
    """A range separator between digits (~ 〜, what ～ becomes under NFKC) as ``-``: the form
    old and new band labels are compared in. ``text`` is already NFKC-normalized."""
    return _BETWEEN_DIGITS.sub("-", text)


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in Formatter().parse(template) if f is not None}


def spreadsheet_safe(label: str, where: str = "label") -> str:
    """``label`` itself, or ValueError when it is digits and ``- / . : + ,`` only: a number, a
    date or a time to a spreadsheet opening the CSV (Excel reads 10-19 as 10月19日)."""
    if _SPREADSHEET_READS.fullmatch(normalize(label).text):
        raise ValueError(
            _(
                "{where}: {label!r} is a number, date or time to a spreadsheet (Excel reads 10-19 "
                "as 10月19日, 100+ as 100); add a character such as ～, a unit or 以上"
            ).format(where=where, label=label)
        )
    return label


def check_template(template: str, fields: tuple[str, ...], where: str = "label") -> str:
    """A label template: only ``fields`` (and ``unit``), and its label is text to a spreadsheet."""
    try:
        used = _fields(template)
    except ValueError as exc:
        raise ValueError(_("{where}: {exc}").format(where=where, exc=exc)) from None
    if used - {*fields, "unit"}:
        raise ValueError(
            _("{where}: only the placeholders {sorted} may be used").format(
                where=where, sorted=sorted({*fields, 'unit'})
            )
        )
    sample = template.format(**{f: str(10 + 9 * i) for i, f in enumerate(fields)}, unit="")
    spreadsheet_safe(sample, where)
    return template


class BandRules(Frozen):
    """The label templates (``rules/bands.yaml``); each method fills one."""

    version: int = Field(ge=1, le=1)
    closed: str = Field(min_length=1)
    at_least: str = Field(min_length=1)
    at_most: str = Field(min_length=1)
    half_open: str = Field(min_length=1)
    less_than: str = Field(min_length=1)

    @model_validator(mode="after")
    def _text_to_a_spreadsheet(self) -> BandRules:
        for name, needed in _PLACEHOLDERS.items():
            template = check_template(getattr(self, name), needed, name)
            if missing := set(needed) - _fields(template):
                raise ValueError(
                    _("{name}: needs {missing}").format(name=name, missing=sorted(missing))
                )
        if self.read(self.fill_closed(10, 19, "歳"), "歳") != (10.0, 19.0):
            raise ValueError(
                _("closed: {closed!r} cannot be read back (text must part the ends)").format(
                    closed=self.closed
                )
            )
        return self

    # -- writing --------------------------------------------------------------------------
    def fill_closed(self, lo: float | str, hi: float | str, unit: str = "") -> str:
        """Both ends included: 10～19歳."""
        return self.closed.format(lo=number(lo), hi=number(hi), unit=unit)

    def fill_at_least(self, lo: float | str, unit: str = "") -> str:
        """90歳以上."""
        return self.at_least.format(lo=number(lo), unit=unit)

    def fill_at_most(self, hi: float | str, unit: str = "") -> str:
        """5歳以下."""
        return self.at_most.format(hi=number(hi), unit=unit)

    def fill_half_open(self, lo: float | str, hi: float | str, unit: str = "") -> str:
        """A continuous band, ``hi`` excluded: 10以上20未満."""
        return self.half_open.format(lo=number(lo), hi=number(hi), unit=unit)

    def fill_less_than(self, hi: float | str, unit: str = "") -> str:
        """Below a continuous band: 10未満."""
        return self.less_than.format(hi=number(hi), unit=unit)

    # -- reading --------------------------------------------------------------------------
    def _closed_pattern(self, unit: str) -> str:
        """The configured closed template as a regex: ends as NUMBER groups, the unit optional,
        blanks allowed around every part."""
        out = []
        for literal, field, _spec, _conv in Formatter().parse(normalize(self.closed).text):
            out.append(r"\s*".join(re.escape(c) for c in literal if not c.isspace()))
            if field in ("lo", "hi"):
                out.append(rf"\s*(?P<{field}>{NUMBER})\s*")
            elif field == "unit" and unit:
                out.append(unit)
        return "".join(out)

    def read(self, text: str, unit: str = "") -> tuple[float, float] | None:
        """(lo, hi) of a closed band in the configured or the old form (10-19歳, １０〜１９),
        ``unit`` optional after either end; None when ``text`` is not such a band or lo > hi."""
        norm = normalize(text).text.strip()
        u = rf"(?:{re.escape(normalize(unit).text)})?" if unit else ""
        seps = re.escape(SEPARATORS)
        old = rf"(?P<lo>{NUMBER})\s*{u}\s*[{seps}]\s*(?P<hi>{NUMBER})\s*{u}"
        for pattern in (self._closed_pattern(u), old):
            m = re.fullmatch(pattern, norm)
            if m is not None:
                lo, hi = (float(m.group(g).replace(",", "")) for g in ("lo", "hi"))
                return (lo, hi) if lo <= hi else None
        return None


def load_bands(directory: Path | str | None = None) -> BandRules:
    """``rules/bands.yaml`` (cached per path)."""
    return load_rules("bands.yaml", BandRules, directory)


__all__ = [
    "NUMBER",
    "SEPARATORS",
    "BandRules",
    "check_template",
    "fold_ranges",
    "load_bands",
    "number",
    "spreadsheet_safe",
]
