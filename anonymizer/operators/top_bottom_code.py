"""``top_bottom_code``: extreme values become a range (特異な記述の削除): 103歳 → 90歳以上.

個人情報保護法施行規則 第34条第4号 requires removing 特異な記述等; 個人情報保護委員会's
guidelines (匿名加工情報編, 3-2-4 特異な記述等の削除,
https://www.ppc.go.jp/personalinfo/legal/guidelines_anonymous/) give replacing an extreme age
by a range ("…歳以上") as the example. This is that replacement, as data: thresholds and labels.

Cells are numbers (92, 92.5, 1,200,000, ９２, 九十二) with an optional ``unit`` (92歳), or
bands made by ``generalize`` (90～99歳, inclusive; the old 90-99歳 too). A value ≥ ``top`` — a
band whose lower bound is ≥ ``top`` — becomes the top label; a value ≤ ``bottom`` the bottom
label. Labels are the project's open bands (``rules/bands.yaml``: 90歳以上, 5歳以下) unless
``top_label`` / ``bottom_label`` give a template, where ``{top}`` / ``{bottom}`` stand for the
threshold with its unit (90歳). Other cells are returned unchanged, and so are cells already
equal to a label (coding twice is harmless).

Fails closed (InputError: column, count, rows): a cell that is not a number, and a band that
straddles a threshold (90～99歳 with top 95 would publish 90～99歳 beside 95歳以上).
"""

from __future__ import annotations

import re

import pandas as pd
from pydantic import Field, model_validator

from anonymizer.config import Frozen
from anonymizer.i18n import _
from anonymizer.operators._common import map_distinct, reject_cells
from anonymizer.operators.base import Operator, OperatorContext, register
from anonymizer.text.bands import NUMBER, load_bands, number, spreadsheet_safe
from anonymizer.text.normalize import normalize
from anonymizer.text.numerals import KANJI_NUMERAL_CHARS, parse_number


def _label_ok(label: str | None, field: str) -> None:
    if label is None:
        return
    try:
        label.format(**{field: "x"})
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(
            _("only the placeholder {{{field}}} may be used ({exc!s})").format(field=field, exc=exc)
        ) from None
    spreadsheet_safe(label.format(**{field: "90"}), f"{field}_label")


class TopBottomParams(Frozen):
    top: float | None = None
    #: own template with ``{top}`` (the threshold and unit) instead of the project's (90歳以上)
    top_label: str | None = Field(default=None, min_length=1)
    bottom: float | None = None
    #: own template with ``{bottom}`` instead of the project's (5歳以下)
    bottom_label: str | None = Field(default=None, min_length=1)
    unit: str = "歳"

    @model_validator(mode="after")
    def _consistent(self) -> TopBottomParams:
        if self.top is None and self.bottom is None:
            raise ValueError(_("give top, bottom or both"))
        if self.top is not None and self.bottom is not None and self.bottom >= self.top:
            raise ValueError(_("bottom must be below top"))
        _label_ok(self.top_label, "top")
        _label_ok(self.bottom_label, "bottom")
        return self


@register("top_bottom_code")
class TopBottomCode(Operator):
    Params = TopBottomParams
    CONTROLLED_OUTPUT = True

    def __init__(self, params: TopBottomParams, context: OperatorContext) -> None:
        super().__init__(params, context)
        p = params
        self._bands = bands = load_bands()
        self.top_text: str | None = None
        self.bottom_text: str | None = None
        if p.top is not None:
            self.top_text = (
                p.top_label.format(top=number(p.top) + p.unit)
                if p.top_label is not None
                else bands.fill_at_least(p.top, p.unit)
            )
        if p.bottom is not None:
            self.bottom_text = (
                p.bottom_label.format(bottom=number(p.bottom) + p.unit)
                if p.bottom_label is not None
                else bands.fill_at_most(p.bottom, p.unit)
            )
        unit = f"(?:{re.escape(normalize(p.unit).text)})?" if p.unit else ""
        kanji = re.escape(KANJI_NUMERAL_CHARS)
        self._number = re.compile(rf"(?:({NUMBER})|([{kanji}]+))\s*{unit}")

    def _bounds(self, value: str) -> tuple[float, float] | None:
        """The (low, high) a cell stands for; a single number is (n, n); None: unreadable."""
        text = normalize(value).text.strip()
        if (band := self._bands.read(text, self.params.unit)) is not None:
            return band
        if (m := self._number.fullmatch(text)) is not None:
            if m.group(1) is not None:
                n = float(m.group(1).replace(",", ""))
            else:
                parsed = parse_number(m.group(2))
                if parsed is None:
                    return None
                n = float(parsed)
            return n, n
        return None

    def code(self, value: str) -> str | None:
        """The coded cell, or None when it is unreadable or a band crosses a threshold."""
        if value in (self.top_text, self.bottom_text):
            return value
        bounds = self._bounds(value)
        if bounds is None:
            return None
        low, high = bounds
        top, bottom = self.params.top, self.params.bottom
        if top is not None and self.top_text is not None and high >= top:
            return self.top_text if low >= top else None
        if bottom is not None and self.bottom_text is not None and low <= bottom:
            return self.bottom_text if high <= bottom else None
        return value

    def apply(self, values: pd.Series) -> pd.Series:
        result, bad = map_distinct(values, self.code)
        reject_cells(
            self.context.column,
            values.index,
            bad,
            _("are not numbers, or are bands that straddle the top/bottom threshold"),
        )
        return result
