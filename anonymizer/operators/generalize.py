"""``generalize``: replace a value by a coarser one — a birth date by a year or an age band, an
address by its municipality, a postal code by its first three digits.

Targets (param ``to``) and what they write:

- ``year`` 1970 · ``year_month`` 1970-03 · ``fiscal_year`` 1969年度 (年度 runs April–March:
  1970-03-02 is in 1969年度) — from 和暦 or 西暦 dates read by
  :func:`anonymizer.text.dates.parse_date_parts`; a year-only date suffices for ``year``.
- ``age`` 54 — whole years (満年齢) at the record's own date (``params.reference_column``: the
  raw value of that column in the same row, e.g. 受付日) or at a stated ``reference_date``. The
  publication date is never a default: born 1995, 29 at the consultation, is 29. The year turns
  on the birthday itself; 年齢計算ニ関スル法律 turns it a
  day earlier, which only matters on that one day and is coarsened by any band anyway.
- ``age_band`` 50-59歳 (``width`` 5 or 10, bands anchored at 0) from an age (54, 54歳, 五十四歳)
  or a birth date. Bounds are written with at least two digits (05-09歳), so sorting the
  labels as text sorts them by age below 100 — ages above that are rare by definition and
  belong to ``top_bottom_code`` (which reads these labels back).
- ``address_town`` / ``address_city`` / ``address_prefecture`` — via the gazetteer
  (:meth:`anonymizer.gazetteer.Gazetteer.generalize`): 東京都国立市富士見台, 東京都国立市, 東京都.
- ``postal3`` 186 — the first three digits of a 7-digit postal code (186-0004, 〒1860004).

Values that cannot be read fail closed: InputError naming the column, the number of such
cells and up to five rows, never a value. Only ``address_town`` keeps a detail (the 町字) that
the release gate must still judge, so it alone is not ``CONTROLLED_OUTPUT``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from anonymizer.config import Frozen
from anonymizer.errors import ConfigError
from anonymizer.operators._common import map_distinct, reject_cells
from anonymizer.operators.base import Operator, OperatorContext, register
from anonymizer.rules import load_rules
from anonymizer.text.dates import PartialDate, load_date_grammar
from anonymizer.text.normalize import normalize
from anonymizer.text.numerals import KANJI_NUMERAL_CHARS, parse_number

Target = Literal[
    "year",
    "year_month",
    "fiscal_year",
    "age",
    "age_band",
    "address_town",
    "address_city",
    "address_prefecture",
    "postal3",
]
_DATE_TARGETS = ("year", "year_month", "fiscal_year", "age", "age_band")
_ADDRESS_LEVELS = {
    "address_town": "town",
    "address_city": "city",
    "address_prefecture": "prefecture",
}
#: 年度 starts in April
FISCAL_YEAR_START_MONTH = 4

_PROBLEMS: dict[str, str] = {
    "year": "cannot be read as a date (和暦 or 西暦)",
    "year_month": "cannot be read as a date with at least a month",
    "fiscal_year": "cannot be read as a date with at least a month",
    "age": "cannot be read as a full birth date on or before the reference date",
    "age_band": "are neither an age nor a full birth date on or before the reference date",
    "postal3": "are not 7-digit postal codes",
}


class GeneralizeParams(Frozen):
    to: Target
    #: age_band only: years per band
    width: Literal[5, 10] | None = None
    #: age / age_band: the date ages are taken at, for every row
    reference_date: date | None = None
    #: age / age_band: the column whose date (in the same row) ages are taken at — 受付日
    reference_column: str | None = Field(default=None, min_length=1)
    #: age_band only: what the column holds; auto reads 1–3 digit numbers as ages
    source: Literal["auto", "age", "birth_date"] = "auto"
    #: age / age_band: the unit written after an age (read and written)
    unit: str = "歳"

    @model_validator(mode="after")
    def _applicable(self) -> GeneralizeParams:
        if self.to == "age_band" and self.width is None:
            raise ValueError("width (5 or 10) is required for to: age_band")
        if self.to != "age_band" and (self.width is not None or self.source != "auto"):
            raise ValueError("width and source apply to to: age_band only")
        if self.reference_date is not None and self.to not in ("age", "age_band"):
            raise ValueError("reference_date applies to to: age and age_band only")
        if self.reference_column is not None and self.to not in ("age", "age_band"):
            raise ValueError("reference_column applies to to: age and age_band only")
        if self.reference_column is not None and self.reference_date is not None:
            raise ValueError("give reference_date or reference_column, not both")
        return self


def _year_month(parsed: PartialDate) -> tuple[int, int] | None:
    if isinstance(parsed, date):
        return parsed.year, parsed.month
    return (parsed[0], parsed[1]) if len(parsed) == 2 else None


def age_at(birth: date, reference: date) -> int:
    """Completed years (満年齢) on ``reference``."""
    before_birthday = (reference.month, reference.day) < (birth.month, birth.day)
    return reference.year - birth.year - before_birthday


@register("generalize")
class Generalize(Operator):
    Params = GeneralizeParams

    def __init__(self, params: GeneralizeParams, context: OperatorContext) -> None:
        super().__init__(params, context)
        self.CONTROLLED_OUTPUT = params.to != "address_town"  # type: ignore[misc]
        self.reference = params.reference_date or self._context_date(context)
        needs_reference = params.to == "age" or (
            params.to == "age_band" and params.source == "birth_date"
        )
        if needs_reference and self.reference is None and params.reference_column is None:
            raise ConfigError(
                f"column {context.column!r}: generalize to {params.to} needs a reference date: "
                "reference_column (the record's own date, e.g. 受付日) or reference_date"
            )
        self._grammar = load_date_grammar() if params.to in _DATE_TARGETS else None
        unit = f"(?:{re.escape(normalize(params.unit).text)})?" if params.unit else ""
        kanji = re.escape(KANJI_NUMERAL_CHARS)
        self._age = re.compile(rf"(?:(\d{{1,3}})|([{kanji}]+))\s*{unit}")
        self._func = self._function()

    @staticmethod
    def _context_date(context: OperatorContext) -> date | None:
        if context.reference_date is None:
            return None
        try:
            return date.fromisoformat(context.reference_date)
        except ValueError:
            raise ConfigError(
                f"column {context.column!r}: the release's reference date is not an ISO date"
            ) from None

    def _function(self) -> Callable[[str], str | None]:
        to = self.params.to
        if to in _ADDRESS_LEVELS:
            from anonymizer.gazetteer import load_gazetteer  # builds indexes: only when used

            gazetteer, level = load_gazetteer(), _ADDRESS_LEVELS[to]
            return lambda v: gazetteer.generalize(v, level)
        if to == "postal3":
            from anonymizer.gazetteer import GazetteerRules

            postal = re.compile(load_rules("gazetteer.yaml", GazetteerRules).postal_code_prefix)
            return lambda v: self._postal3(postal, v)
        return {
            "year": self._year,
            "year_month": self._year_month,
            "fiscal_year": self._fiscal_year,
            "age": self._age_of,
            "age_band": self._age_band,
        }[to]

    # -- per distinct value ---------------------------------------------------------------
    def _date(self, value: str) -> PartialDate | None:
        assert self._grammar is not None
        return self._grammar.parse(value)

    def _year(self, value: str) -> str | None:
        parsed = self._date(value)
        if parsed is None:
            return None
        return f"{parsed.year if isinstance(parsed, date) else parsed[0]:04d}"

    def _year_month(self, value: str) -> str | None:
        parsed = self._date(value)
        ym = _year_month(parsed) if parsed is not None else None
        return f"{ym[0]:04d}-{ym[1]:02d}" if ym is not None else None

    def _fiscal_year(self, value: str) -> str | None:
        parsed = self._date(value)
        ym = _year_month(parsed) if parsed is not None else None
        if ym is None:
            return None
        year, month = ym
        return f"{year if month >= FISCAL_YEAR_START_MONTH else year - 1}年度"

    def _age_years(
        self, value: str, normalized: str | None = None, reference: date | None = None
    ) -> int | None:
        """Age from a birth date (None: not a full date, or born after the reference)."""
        assert self._grammar is not None
        if normalized is None:
            parsed = self._grammar.parse(value)
        else:
            parsed = self._grammar.parse_normalized(normalized)
        if not isinstance(parsed, date) or reference is None:
            return None
        age = age_at(parsed, reference)
        return age if age >= 0 else None

    def _age_of(self, value: str, reference: date | None = None) -> str | None:
        age = self._age_years(value, reference=reference or self.reference)
        return str(age) if age is not None else None

    def _stated_age(self, normalized: str) -> int | None:
        m = self._age.fullmatch(normalized)
        if m is None:
            return None
        return int(m.group(1)) if m.group(1) is not None else parse_number(m.group(2))

    def _age_band(self, value: str, reference: date | None = None) -> str | None:
        reference = reference or self.reference
        source = self.params.source
        norm = normalize(value).text.strip()  # once: read as an age, then as a date
        age = self._stated_age(norm) if source in ("auto", "age") else None
        if age is None and source != "age":
            if reference is None and self._date(value) is not None:
                raise ConfigError(
                    f"column {self.context.column!r}: birth dates need a reference date: "
                    "reference_column (the record's own date, e.g. 受付日) or reference_date"
                )
            age = self._age_years(value, norm, reference)
        if age is None:
            return None
        width = self.params.width
        assert width is not None
        low = age // width * width
        return f"{low:02d}-{low + width - 1:02d}{self.params.unit}"

    @staticmethod
    def _postal3(postal: re.Pattern[str], value: str) -> str | None:
        text = normalize(value).text.strip()
        if postal.fullmatch(text) is None:
            return None
        digits = re.sub(r"\D", "", text)
        return digits[:3] if len(digits) == 7 else None

    # -- column ---------------------------------------------------------------------------
    def references(self) -> tuple[str, ...]:
        col = self.params.reference_column
        return (col,) if col is not None else ()

    def apply_with(self, values: pd.Series, refs: Mapping[str, pd.Series]) -> pd.Series:
        col = self.params.reference_column
        if col is None:
            return self.apply(values)
        if col not in refs:
            raise ConfigError(f"column {self.context.column!r}: reference column {col!r} not given")
        assert self._grammar is not None
        grammar = self._grammar
        reference = refs[col].reindex(values.index).astype("string").fillna("")
        dates: dict[str, date | None] = {}
        age_func = self._age_of if self.params.to == "age" else self._age_band

        def at(r: str) -> date | None:
            if r not in dates:
                parsed = grammar.parse(r) if r.strip() else None
                dates[r] = parsed if isinstance(parsed, date) else None
            return dates[r]

        def func(value: str, r: str) -> tuple[str | None, bool]:
            """(result, the reference was at fault)"""
            if not value.strip():
                return value, False
            stated_ok = self.params.to == "age_band" and self.params.source != "birth_date"
            if stated_ok and self._stated_age(normalize(value).text.strip()) is not None:
                return age_func(value), False  # a stated age needs no date
            when = at(r)
            if when is None:
                return None, True
            return age_func(value, when), False

        # one computation per distinct (value, reference) pair, mapped back by code
        vc, vu = pd.factorize(values, use_na_sentinel=True)
        rc, ru = pd.factorize(reference)
        pair, first = np.unique(vc.astype(np.int64) * max(len(ru), 1) + rc, return_index=True)
        index = np.searchsorted(pair, vc.astype(np.int64) * max(len(ru), 1) + rc)
        out = np.empty(len(pair) + 1, dtype=object)
        bad_u = np.zeros(len(pair) + 1, dtype=bool)
        ref_u = np.zeros(len(pair) + 1, dtype=bool)
        for j, row in enumerate(first.tolist()):
            if vc[row] < 0:  # a missing cell stays missing
                out[j] = None
                continue
            out[j], ref_u[j] = func(str(vu[vc[row]]), str(ru[rc[row]]))
            bad_u[j] = out[j] is None
        result = pd.Series(pd.array(out[index], dtype=values.dtype), index=values.index, name=values.name)
        reject_cells(
            self.context.column,
            values.index,
            ref_u[index],
            f"have a reference {col!r} that is not a full date (和暦 or 西暦)",
        )
        reject_cells(self.context.column, values.index, bad_u[index], _PROBLEMS[self.params.to])
        return result

    def apply(self, values: pd.Series) -> pd.Series:
        result, bad = map_distinct(values, self._func)
        to = self.params.to
        problem = _PROBLEMS.get(to) or (
            f"cannot be placed in the gazetteer at the {_ADDRESS_LEVELS[to]} level"
        )
        reject_cells(self.context.column, values.index, bad, problem)
        return result
