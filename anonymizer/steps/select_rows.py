"""``select_rows``: keep only the rows whose value in one column is one of a list (異動事由 =
転入) — a table of 転入者 out of all 異動届.

Values are compared as public keys are (:func:`anonymizer.dp.keys.match_form`: NFKC, dashes,
spacing), so ``転入`` meets ``転入`` written in another width. The report counts the rows kept and
left out; no value from the data is shown. Selecting no row at all is an input error (a wrong
value in the pipeline, or a file of another kind), never an empty release.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.dp.keys import match_form
from anonymizer.errors import ConfigError, InputError
from anonymizer.i18n import _
from anonymizer.steps.base import Step, StepContext, StepResult, register


class SelectRowsParams(Frozen):
    column: str = Field(min_length=1)
    values: tuple[str, ...] = Field(min_length=1)


@register("select_rows")
class SelectRows(Step):
    Params = SelectRowsParams

    def check_columns(self, columns: list[str]) -> None:
        if self.params.column not in columns:
            raise ConfigError(
                _("{where}.column: {column!r} is not in the table at this step").format(
                    where=self.where, column=self.params.column
                )
            )

    def run(self, frame: pd.DataFrame, ctx: StepContext) -> StepResult:
        keep = selected(frame[self.params.column], self.params.values)
        kept = int(keep.sum())
        self.refuse_none(kept)
        return StepResult(frame=frame.loc[keep], report=self.report(len(frame), kept))

    def refuse_none(self, kept: int) -> None:
        """Selecting no row is an input error, never an empty release."""
        if not kept:
            p = self.params
            raise InputError(
                _("{where}: no row has one of the {n_values} listed value(s) in {column!r}").format(
                    where=self.where, n_values=len(p.values), column=p.column
                )
            )

    def report(self, rows_in: int, kept: int) -> dict[str, object]:
        p = self.params
        return {"type": "select_rows", "column": p.column, "values": list(p.values),
                "rows_in": rows_in, "rows_kept": kept}  # fmt: skip


def selected(values: pd.Series, wanted: tuple[str, ...]) -> np.ndarray:
    """Which of ``values`` is one of ``wanted``, compared as public keys are."""
    forms = {match_form(v) for v in wanted}
    text = values.astype("string").fillna("")
    chosen = {v: match_form(v) in forms for v in pd.unique(text).tolist()}
    return text.map(chosen).to_numpy(dtype=bool)  # type: ignore[no-any-return]


__all__ = ["SelectRows", "SelectRowsParams", "selected"]
