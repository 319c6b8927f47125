"""和暦・西暦 dates as values: the era table, the calendar check and :func:`parse_date`.

The forms, the 元号 table and the accepted Gregorian years are the date recognizer's rules
(``rules/recognizers/ja.date.v1.yaml``: ``patterns`` and ``params.eras`` /
``params.western_years``), so a cell and a sentence are read by the same grammar and a new
era is added in one place. The recognizer *searches* text with it; :func:`parse_date` reads a
whole cell: 昭和45年3月2日, S45.3.2, H元.1.8, 令和6年4月1日, 昭和四十五年三月二日, 1970/3/2,
1970-03-02, 1970年3月2日, 19700302 — on the NFKC text (:mod:`anonymizer.text.normalize`), so
全角 digits, ㍻-style ligatures and every hyphen variant read the same.

A value is a date only if it exists: the era year lies within its era, the Gregorian year
within ``western_years`` and the day on the calendar (``datetime.date``). Anything else is
None, never a guess. Only the year number of an era is checked, not its changeover day
(平成31年5月1日 is printed by systems that had not switched to 令和 yet).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator

from anonymizer.config import Frozen, read_yaml, validate_model
from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.rules import rules_dir
from anonymizer.text.normalize import normalize
from anonymizer.text.numerals import parse_number

#: replaced in pattern regexes by an alternation of every era name and initial
ERA_PLACEHOLDER = "{era}"
#: the rules file whose patterns and era table define the date grammar
DATE_RULES = Path("recognizers") / "ja.date.v1.yaml"

#: what a written date denotes: a full date, or (year,) / (year, month) when partial
PartialDate = date | tuple[int] | tuple[int, int]


class Era(Frozen):
    """One 元号: 昭和 (S) began in 1926 (昭和元年) and ended in its 64th year."""

    name: str = Field(min_length=1)
    initial: str = Field(pattern=r"^[A-Z]$")
    first_year: int = Field(ge=1)
    last_year: int | None = Field(ge=1)  # None: the current era, bounded by western_years


class YearRange(Frozen):
    min: int
    max: int

    @model_validator(mode="after")
    def _ordered(self) -> YearRange:
        if self.min > self.max:
            raise ValueError(_("min must not exceed max"))
        return self


class Calendar(Frozen):
    """The era table and the Gregorian years accepted at all (the recognizer's params
    extend this model with its birth-context settings)."""

    eras: tuple[Era, ...] = Field(min_length=1)
    western_years: YearRange
    #: what may follow a date that is a whole cell (a weekday, a time of day: 2024/4/1(月)
    #: 10:30): regexes over the NFKC text, read past by :meth:`DateGrammar.parse`
    cell_trailers: tuple[str, ...] = ()
    #: forms read only as a whole cell, after the patterns (2024-05, R6.5, 202405: a year and
    #: month in a date column; in free text they are codes and numbers as often as dates)
    cell_patterns: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _unique_eras(self) -> Calendar:
        tokens = [e.name for e in self.eras] + [e.initial for e in self.eras]
        if len(tokens) != len(set(tokens)):
            raise ValueError(_("era names and initials must be unique"))
        return self

    def era(self, token: str) -> Era | None:
        """The era written as ``token`` (its name or initial)."""
        return next((e for e in self.eras if token in (e.name, e.initial)), None)

    def era_alternation(self) -> str:
        """Regex alternation of every era name and initial, longest first."""
        tokens = {e.name for e in self.eras} | {e.initial for e in self.eras}
        return "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))

    def resolve(self, groups: Mapping[str, str | None]) -> PartialDate | None:
        """The date named by a match's ``era``/``year``/``month``/``day`` groups, or None."""
        era_token, raw_year = groups.get("era"), groups.get("year")
        if raw_year is None:
            return None
        year = parse_number(raw_year, allow_gan=era_token is not None)
        if year is None:
            return None
        if era_token is not None:
            era = self.era(era_token.strip())
            if era is None or year < 1 or (era.last_year is not None and year > era.last_year):
                return None
            year = era.first_year + year - 1
        if not self.western_years.min <= year <= self.western_years.max:
            return None
        raw_month, raw_day = groups.get("month"), groups.get("day")
        if raw_month is None:
            return (year,)
        month = parse_number(raw_month)
        if month is None or not 1 <= month <= 12:
            return None
        if raw_day is None:
            return (year, month)
        day = parse_number(raw_day)
        if day is None:
            return None
        try:
            return date(year, month, day)
        except ValueError:  # 2月30日, 平成31年2月29日: not on the calendar
            return None


def compile_patterns(
    regexes: Sequence[str], calendar: Calendar, source: str
) -> list[re.Pattern[str]]:
    """Compile date regexes with ``{era}`` expanded; each must capture a ``year`` group."""
    alternation = f"(?:{calendar.era_alternation()})"
    out = []
    for i, regex in enumerate(regexes):
        try:
            compiled = re.compile(regex.replace(ERA_PLACEHOLDER, alternation))
        except re.error as exc:
            raise ConfigError(
                _("{source}: patterns[{i}].regex: does not compile: {exc}").format(
                    source=source, i=i, exc=exc
                )
            ) from None
        if "year" not in compiled.groupindex:
            raise ConfigError(
                _("{source}: patterns[{i}].regex: needs named group 'year'").format(
                    source=source, i=i
                )
            )
        out.append(compiled)
    return out


class DateGrammar:
    """Whole-value date parsing with the recognizer's patterns (first full match wins)."""

    def __init__(self, regexes: Sequence[str], calendar: Calendar, source: str) -> None:
        self.calendar = calendar
        self._patterns = [
            *compile_patterns(regexes, calendar, source),
            *compile_patterns(calendar.cell_patterns, calendar, f"{source}: params.cell_patterns"),
        ]
        try:
            self._trailer = (
                re.compile(rf"(?:\s*(?:{'|'.join(calendar.cell_trailers)}))+$")
                if calendar.cell_trailers
                else None
            )
        except re.error as exc:
            raise ConfigError(
                _("{source}: params.cell_trailers: does not compile: {exc}").format(
                    source=source, exc=exc
                )
            ) from None

    def parse(self, text: str) -> PartialDate | None:
        """What ``text`` (the whole of it, spaces around ignored) denotes, or None."""
        return self.parse_normalized(normalize(text).text.strip())

    def parse_normalized(self, norm: str) -> PartialDate | None:
        """:meth:`parse` for text already normalized and stripped."""
        parsed = self._whole(norm)
        if parsed is None and self._trailer is not None:
            head = self._trailer.sub("", norm)
            if head and head != norm:  # 2024/4/1 10:30, 令和6年4月1日(月): the date before it
                parsed = self._whole(head)
        return parsed

    def _whole(self, norm: str) -> PartialDate | None:
        for regex in self._patterns:
            m = regex.fullmatch(norm)
            if m is not None:
                parsed = self.calendar.resolve(m.groupdict())
                if parsed is not None:
                    return parsed
        return None


class _GrammarPattern(Frozen):
    name: str
    regex: str
    score: float


class _GrammarRules(Frozen):
    """The part of the date recognizer's rules file the grammar reads (the recognizer
    validates the whole file; this avoids importing Presidio to parse a cell)."""

    patterns: tuple[_GrammarPattern, ...] = Field(min_length=1)
    params: Calendar


@lru_cache(maxsize=8)
def _load_grammar(path: Path) -> DateGrammar:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("params"), dict):
        raise ConfigError(_("{path}: params: a mapping is required").format(path=path))
    params = data["params"]
    view = {
        "patterns": data.get("patterns"),
        "params": {
            k: params[k]
            for k in ("eras", "western_years", "cell_trailers", "cell_patterns")
            if k in params
        },
    }
    rules = validate_model(view, _GrammarRules, str(path))
    return DateGrammar([p.regex for p in rules.patterns], rules.params, str(path))


def load_date_grammar(directory: Path | str | None = None) -> DateGrammar:
    """The grammar of the rules directory (cached per resolved file)."""
    return _load_grammar((rules_dir(directory) / DATE_RULES).resolve())


def parse_date_parts(text: str, directory: Path | str | None = None) -> PartialDate | None:
    """``"昭和45年3月"`` → ``(1970, 3)``; a full date → ``datetime.date``; else None."""
    return load_date_grammar(directory).parse(text)


def parse_date(text: str, directory: Path | str | None = None) -> date | None:
    """``"H元.1.8"`` → ``date(1989, 1, 8)``; partial (year or month only) or invalid → None."""
    parsed = parse_date_parts(text, directory)
    return parsed if isinstance(parsed, date) else None


__all__ = [
    "Calendar",
    "DateGrammar",
    "Era",
    "PartialDate",
    "YearRange",
    "compile_patterns",
    "load_date_grammar",
    "parse_date",
    "parse_date_parts",
]
