"""``redact``: every non-empty cell becomes ``fill`` (default ""); blank cells stay as they are.

Keeping blank cells tells a reader "there was a value here" versus "there never was one",
which is the column's own structure, not a person's data.
"""

from __future__ import annotations

import pandas as pd

from anonymizer.config import Frozen
from anonymizer.operators._common import blank_mask
from anonymizer.operators.base import Operator, register


class RedactParams(Frozen):
    fill: str = ""


@register("redact")
class Redact(Operator):
    Params = RedactParams
    CONTROLLED_OUTPUT = True

    def apply(self, values: pd.Series) -> pd.Series:
        keep = pd.Series(blank_mask(values), index=values.index)
        return values.where(keep, self.params.fill)
