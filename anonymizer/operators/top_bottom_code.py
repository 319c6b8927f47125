"""``top_bottom_code``: extreme values become a range (特異な記述の削除): 103歳 → 90歳以上.

個人情報保護法施行規則 第34条第4号 requires removing 特異な記述等; 個人情報保護委員会's
guidelines (匿名加工情報編, 3-2-4 特異な記述等の削除,
https://www.ppc.go.jp/personalinfo/legal/guidelines_anonymous/) give replacing an extreme age
by a range ("…歳以上") as the example. This is that replacement, as data: thresholds and labels.

Cells are numbers (92, 92.5, 1,200,000, ９２, 九十二) with an optional ``unit`` (92歳), or
bands made by ``generalize`` (90-99歳, inclusive). A value ≥ ``top`` — a band whose lower
bound is ≥ ``top`` — becomes ``top_label``; a value ≤ ``bottom`` becomes ``bottom_label``.
``{top}`` / ``{bottom}`` in a label stand for the threshold with its unit (90歳). Other cells
are returned unchanged, and so are cells already equal to a label (coding twice is harmless).

Fails closed (InputError: column, count, rows): a cell that is not a number, and a band that
straddles a threshold (90-99歳 with top 95 would publish 90-99歳 beside 95歳以上).
"""

from __future__ import annotations

import re

import pandas as pd
from pydantic import model_validator

from anonymizer.config import Frozen
from anonymizer.operators._common import map_distinct, reject_cells
from anonymizer.operators.base import Operator, OperatorContext, register
from anonymizer.text.normalize import normalize
from anonymizer.text.numerals import KANJI_NUMERAL_CHARS, parse_number

_NUMBER = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_BAND_DASHES = "-~〜"


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _label_ok(label: str, field: str) -> str:
    try:
        label.format(**{field: "x"})
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"only the placeholder {{{field}}} may be used ({exc!s})") from None
    return label


class TopBottomParams(Frozen):
    top: float | None = None
    top_label: str = "{top}以上"
    bottom: float | None = None
    bottom_label: str = "{bottom}以下"
    unit: str = "歳"

    @model_validator(mode="after")
    def _consistent(self) -> TopBottomParams:
        if self.top is None and self.bottom is None:
            raise ValueError("give top, bottom or both")
        if self.top is not None and self.bottom is not None and self.bottom >= self.top:
            raise ValueError("bottom must be below top")
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
        self.top_text = p.top_label.format(top=_fmt(p.top) + p.unit) if p.top is not None else None
        self.bottom_text = (
            p.bottom_label.format(bottom=_fmt(p.bottom) + p.unit) if p.bottom is not None else None
        )
        unit = f"(?:{re.escape(normalize(p.unit).text)})?" if p.unit else ""
        dashes = re.escape(_BAND_DASHES)
        self._band = re.compile(rf"({_NUMBER})\s*[{dashes}]\s*({_NUMBER})\s*{unit}")
        kanji = re.escape(KANJI_NUMERAL_CHARS)
        self._number = re.compile(rf"(?:({_NUMBER})|([{kanji}]+))\s*{unit}")

    def _bounds(self, value: str) -> tuple[float, float] | None:
        """The (low, high) a cell stands for; a single number is (n, n); None: unreadable."""
        text = normalize(value).text.strip()
        if (m := self._band.fullmatch(text)) is not None:
            low, high = (float(g.replace(",", "")) for g in m.groups())
            return (low, high) if low <= high else None
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
            "are not numbers, or are bands that straddle the top/bottom threshold",
        )
        return result
