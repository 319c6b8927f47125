"""``mask``: hide all but the first/last characters: 090-1234-5678 → ＊＊＊-＊＊＊＊-5678.

Works on the normalized value (whole-string NFKC, then every hyphen variant → "-" as in
:mod:`anonymizer.text.normalize`), so separators are recognized whatever their width and the same
number written in 全角 or 半角 masks to the same string; kept characters come out 半角.
With ``keep_separators`` the separators stay and are not counted: ``keep_last: 4`` keeps the
last four *characters of the value* (5678), not "-678".

A value no longer than ``keep_first + keep_last`` (counted characters) is masked whole:
keeping "the first 3 and the last 4" of a 5-character value would publish all of it.
"""

from __future__ import annotations

import unicodedata

import pandas as pd
from pydantic import Field, field_validator

from anonymizer.config import Frozen
from anonymizer.i18n import _
from anonymizer.operators._common import canonical, map_distinct
from anonymizer.operators.base import Operator, OperatorContext, register


class MaskParams(Frozen):
    keep_first: int = Field(default=0, ge=0)
    keep_last: int = Field(default=0, ge=0)
    char: str = Field(default="＊", min_length=1, max_length=1)
    keep_separators: bool = True
    #: characters kept in place with keep_separators (compared after normalization)
    separators: str = Field(default="- /()", min_length=1)

    @field_validator("char")
    @classmethod
    def _not_data(cls, v: str) -> str:
        if unicodedata.normalize("NFKC", v).isalnum():
            raise ValueError(_("must not be a letter or digit (it would read as data)"))
        return v

    @field_validator("separators")
    @classmethod
    def _normalized(cls, v: str) -> str:
        return canonical(v)


@register("mask")
class Mask(Operator):
    Params = MaskParams

    def __init__(self, params: MaskParams, context: OperatorContext) -> None:
        super().__init__(params, context)
        # nothing of the value is kept when no character is: the output is then controlled
        self.CONTROLLED_OUTPUT = params.keep_first == 0 and params.keep_last == 0  # type: ignore[misc]
        self._separators = frozenset(params.separators) if params.keep_separators else frozenset()

    def mask(self, value: str) -> str:
        """The masked form of one value."""
        chars = list(canonical(value))
        counted = [i for i, ch in enumerate(chars) if ch not in self._separators]
        first, last = self.params.keep_first, self.params.keep_last
        n = len(counted)
        hidden = counted if n <= first + last else counted[first : n - last]
        for i in hidden:
            chars[i] = self.params.char
        return "".join(chars)

    def apply(self, values: pd.Series) -> pd.Series:
        result, _ = map_distinct(values, self.mask)
        return result
