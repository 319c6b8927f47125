"""``generalize``: replace a value by a coarser one — a birth date by a year or an age band, an
address by its municipality, a postal code by its first three digits.

Targets (param ``to``) and what they write:

- ``year`` 1970 · ``year_month`` 1970-03 · ``fiscal_year`` 1969年度 (年度 runs April–March:
  1970-03-02 is in 1969年度) — from 和暦 or 西暦 dates read by
  :func:`anonymizer.text.dates.parse_date_parts`; a year-only date suffices for ``year``.
- ``age`` 54 — whole years (満年齢) at the record's own date (``reference_column``: the raw
  input value of that column in the same row, e.g. 受付日) or at a stated ``reference_date``.
  One of them is required: the publication date is never a default, because an age at
  publication drifts from the age at the event the record describes (born 1995-06-01 and
  consulted 2024-05-10 is 28, whenever the data is released). The year turns on the birthday
  itself; 年齢計算ニ関スル法律 turns it a day earlier, which only matters on that one day and is
  coarsened by any band anyway.
- ``age_band`` 50～59歳 (``width`` 5 or 10, bands anchored at 0) from an age (54, 54歳,
  五十四歳; no reference needed) or a birth date (at the reference, as for ``age``). Labels are
  the project's band labels (``rules/bands.yaml``: 5～9歳, the same codes as the tables' and
  the k-anonymity hierarchies' age bands); ``top_bottom_code`` reads them back for the ages
  above 90 or so, which are rare by definition.
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
from anonymizer.i18n import N_, _
from anonymizer.operators._common import map_distinct, reject_cells
from anonymizer.operators.base import Operator, OperatorContext, register
from anonymizer.rules import load_rules
from anonymizer.text.bands import load_bands
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

#: what is wrong with a cell generalize cannot read (translated where the message is made)
_PROBLEMS: dict[str, str] = {
    "year": N_("cannot be read as a date (和暦 or 西暦)"),
    "year_month": N_("cannot be read as a date with at least a month"),
    "fiscal_year": N_("cannot be read as a date with at least a month"),
    "age": N_("cannot be read as a full birth date on or before the reference date"),
    "age_band": N_("are neither an age nor a full birth date on or before the reference date"),
    "postal3": N_("are not 7-digit postal codes"),
}


class GeneralizeParams(Frozen):
    to: Target
    #: age_band only: years per band
    width: Literal[5, 10] | None = None
    #: age / age_band: the date ages are taken at, for every row
    reference_date: date | None = None
    #: age / age_band: the column whose date in the same row ages are taken at (受付日); the
    #: operator then reads that column (:meth:`Generalize.references`)
    reference_column: str | None = Field(default=None, min_length=1)
    #: age_band only: what the column holds; auto reads 1–3 digit numbers as ages
    source: Literal["auto", "age", "birth_date"] = "auto"
    #: age / age_band: the unit written after an age (read, and written in the band: 50～59歳)
    unit: str = "歳"

    @model_validator(mode="after")
    def _applicable(self) -> GeneralizeParams:
        if self.to == "age_band" and self.width is None:
            raise ValueError(_("width (5 or 10) is required for to: age_band"))
        if self.to != "age_band" and (self.width is not None or self.source != "auto"):
            raise ValueError(_("width and source apply to to: age_band only"))
        if self.reference_date is not None and self.to not in ("age", "age_band"):
            raise ValueError(_("reference_date applies to to: age and age_band only"))
        if self.reference_column is not None and self.to not in ("age", "age_band"):
            raise ValueError(_("reference_column applies to to: age and age_band only"))
        if self.reference_column is not None and self.reference_date is not None:
            raise ValueError(_("give reference_date or reference_column, not both"))
        return self


def _year_month(parsed: PartialDate) -> tuple[int, int] | None:
    if isinstance(parsed, date):
        return parsed.year, parsed.month
    return (parsed[0], parsed[1]) if len(parsed) == 2 else None


def age_at(birth: date, reference: date) -> int:
    """Completed years (満年齢) on ``reference``."""
    before_birthday = (reference.month, reference.day) < (birth.month, birth.day)
    return reference.year - birth.year - before_birthday


def _no_reference(column: str, what: str) -> ConfigError:
    return ConfigError(
        _(
            "column {column!r}: {what} needs reference_date or reference_column (the record's own "
            "date, e.g. 受付日)"
        ).format(column=column, what=what)
    )


@register("generalize")
class Generalize(Operator):
    Params = GeneralizeParams

    def __init__(self, params: GeneralizeParams, context: OperatorContext) -> None:
        super().__init__(params, context)
        self.CONTROLLED_OUTPUT = params.to != "address_town"  # type: ignore[misc]
        #: the one date every row's age is taken at; never the publication date (an age at
        #: publication drifts from the age at the event the record describes)
        self.reference = params.reference_date
        needs_reference = params.to == "age" or (
            params.to == "age_band" and params.source == "birth_date"
        )
        if needs_reference and self.reference is None and params.reference_column is None:
            raise _no_reference(context.column, f"generalize to {params.to}")
        self._grammar = load_date_grammar() if params.to in _DATE_TARGETS else None
        self._bands = load_bands() if params.to == "age_band" else None
        unit = f"(?:{re.escape(normalize(params.unit).text)})?" if params.unit else ""
        kanji = re.escape(KANJI_NUMERAL_CHARS)
        self._age = re.compile(rf"(?:(\d{{1,3}})|([{kanji}]+))\s*{unit}")
        self._func = self._function()

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
            "age": self._age_at_reference,
            "age_band": self._age_at_reference,
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

    def _stated_age(self, normalized: str) -> int | None:
        m = self._age.fullmatch(normalized)
        if m is None:
            return None
        return int(m.group(1)) if m.group(1) is not None else parse_number(m.group(2))

    def _read_age(self, value: str) -> int | PartialDate | None:
        """What an age cell holds: a stated age (age_band unless ``source: birth_date``), else
        the date it denotes (a birth date when full), else None."""
        assert self._grammar is not None
        norm = normalize(value).text.strip()  # once: read as an age, then as a date
        if self.params.to == "age_band" and self.params.source != "birth_date":
            age = self._stated_age(norm)
            if age is not None or self.params.source == "age":
                return age
        return self._grammar.parse_normalized(norm)

    def _age_label(self, read: int | PartialDate | None, reference: date | None) -> str | None:
        """``54`` or ``50～59歳`` for a read cell (None: no age: not a full birth date, or born
        after the reference). A stated age needs no reference."""
        if isinstance(read, int):
            return self._age_text(read)
        if not isinstance(read, date) or reference is None:
            return None
        age = age_at(read, reference)
        return self._age_text(age) if age >= 0 else None

    def _age_text(self, age: int) -> str:
        """``54`` (to: age) or its band ``50～59歳`` (to: age_band)."""
        if self.params.to == "age":
            return str(age)
        width = self.params.width
        assert width is not None and self._bands is not None
        low = age // width * width
        return self._bands.fill_closed(low, low + width - 1, self.params.unit)

    def _age_at_reference(self, value: str) -> str | None:
        """Age (band) at ``reference_date``; without one only stated ages can be banded."""
        read = self._read_age(value)
        if self.reference is None and read is not None and not isinstance(read, int):
            raise _no_reference(self.context.column, "a birth date")
        return self._age_label(read, self.reference)

    def _reference_date(self, text: str) -> date | None:
        """The full date a reference cell holds (None: empty, partial or unreadable)."""
        assert self._grammar is not None
        parsed = self._grammar.parse(text) if text.strip() else None
        return parsed if isinstance(parsed, date) else None

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
        if self.params.reference_column is not None:
            return self._apply_at_row_dates(values, self.params.reference_column, refs)
        return self.apply(values)

    def apply(self, values: pd.Series) -> pd.Series:
        if self.params.reference_column is not None:  # the row's dates were not given
            return self._apply_at_row_dates(values, self.params.reference_column, None)
        result, bad = map_distinct(values, self._func)
        to = self.params.to
        problem = _(_PROBLEMS[to]) if to in _PROBLEMS else (
            _("cannot be placed in the gazetteer at the {level} level").format(
                level=_ADDRESS_LEVELS[to]
            )
        )
        reject_cells(self.context.column, values.index, bad, problem)
        return result

    def _apply_at_row_dates(
        self, values: pd.Series, ref_column: str, refs: Mapping[str, pd.Series] | None
    ) -> pd.Series:
        """Ages at each row's own date in ``ref_column``.

        Birth dates (and stated ages) are read once per distinct value, reference dates once
        per distinct reference, labels written once per distinct age; the age arithmetic in
        between is vectorized over rows, since (birth, reference) pairs are mostly distinct.
        Each bad cell is blamed on what is at fault: a full birth date on its reference (empty
        or not a full date), anything else that is not an age on the value itself.
        """
        column = self.context.column
        if refs is None or ref_column not in refs:
            raise ConfigError(
                _(
                    "column {column!r}: the values of reference column {ref_column!r} were not "
                    "passed to generalize"
                ).format(column=column, ref_column=ref_column)
            )
        reference = refs[ref_column]
        if not reference.index.equals(values.index):
            raise ConfigError(
                _(
                    "column {column!r}: reference column {ref_column!r} has rows of its own (its "
                    "index differs from the column's)"
                ).format(column=column, ref_column=ref_column)
            )
        vcode, vuniq = pd.factorize(values, use_na_sentinel=True)
        rcode, runiq = pd.factorize(reference, use_na_sentinel=True)
        # per distinct value; the extra last slot is what code -1 (a missing cell) indexes
        texts = [str(t) for t in vuniq]
        blank_u = np.zeros(len(texts) + 1, dtype=bool)
        stated_u = np.full(len(texts) + 1, -1, dtype=np.int64)
        born_u = np.full((len(texts) + 1, 2), -1, dtype=np.int64)  # year, month*100+day
        for i, text in enumerate(texts):
            if not text.strip():
                blank_u[i] = True
                continue
            read = self._read_age(text)
            if isinstance(read, int):
                stated_u[i] = read
            elif isinstance(read, date):
                born_u[i] = (read.year, read.month * 100 + read.day)
        when_u = np.full((len(runiq) + 1, 2), -1, dtype=np.int64)
        for i, text in enumerate(runiq):
            when = self._reference_date(str(text))
            if when is not None:
                when_u[i] = (when.year, when.month * 100 + when.day)
        # per row
        missing, blank, stated = vcode < 0, blank_u[vcode], stated_u[vcode] >= 0
        born, when = born_u[vcode], when_u[rcode]
        to_read = ~missing & ~blank & ~stated
        birth = to_read & (born[:, 0] >= 0)
        ref_bad = birth & (when[:, 0] < 0)
        dated = birth & ~ref_bad
        age = when[:, 0] - born[:, 0] - (when[:, 1] < born[:, 1])
        bad = (to_read & ~birth) | (dated & (age < 0))
        reject_cells(
            column,
            values.index,
            ref_bad,
            _(
                "have a reference date in {ref_column!r} that is empty or not a full date "
                "(和暦 or 西暦)"
            ).format(ref_column=ref_column),
        )
        reject_cells(column, values.index, bad, _(_PROBLEMS[self.params.to]))
        aged = stated | dated  # neither blank nor missing, and now neither bad
        ages = np.where(stated, stated_u[vcode], age)[aged]
        distinct, inverse = np.unique(ages, return_inverse=True)
        out = np.full(len(values), None, dtype=object)
        out[blank] = np.asarray(texts + [""], dtype=object)[vcode[blank]]
        out[aged] = np.array([self._age_text(int(a)) for a in distinct], dtype=object)[inverse]
        return pd.Series(pd.array(out, dtype=values.dtype), index=values.index, name=values.name)
