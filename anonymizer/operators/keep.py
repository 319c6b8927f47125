"""``keep``: release the column as it is — an explicit, reviewable decision, never a default."""

from __future__ import annotations

import pandas as pd

from anonymizer.operators.base import Operator, register


@register("keep")
class Keep(Operator):
    def apply(self, values: pd.Series) -> pd.Series:
        return values
