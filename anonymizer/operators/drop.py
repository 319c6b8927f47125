"""``drop``: the column is removed from the release.

The pipeline removes a column whose operator has ``DROPS_COLUMN``; the class exists so a
pipeline can name the choice (and the report can list it). Should a caller apply it anyway,
every cell comes back missing — nothing of the input survives either way.
"""

from __future__ import annotations

from typing import ClassVar

import pandas as pd

from anonymizer.operators.base import Operator, register


@register("drop")
class Drop(Operator):
    DROPS_COLUMN: ClassVar[bool] = True
    CONTROLLED_OUTPUT = True

    def apply(self, values: pd.Series) -> pd.Series:
        return pd.Series(pd.NA, index=values.index, name=values.name, dtype=values.dtype)
