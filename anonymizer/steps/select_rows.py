"""``select_rows``: keep only the rows whose value in one column is one of a list (異動事由 =
転入) — a table of 転入者 out of all 異動届.

Values are compared as public keys are (:func:`anonymizer.dp.keys.match_form`: NFKC, dashes,
spacing), so ``転入`` meets ``転入`` written in another width. The report counts the rows kept and
left out; no value from the data is shown. Selecting no row at all is an input error (a wrong
value in the pipeline, or a file of another kind), never an empty release.
"""

from __future__ import annotations

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
        p = self.params
        wanted = {match_form(v) for v in p.values}
        values = frame[p.column].astype("string").fillna("")
        forms = {v: match_form(v) in wanted for v in pd.unique(values).tolist()}
        keep = values.map(forms).to_numpy(dtype=bool)
        if not keep.any():
            raise InputError(
                _("{where}: no row has one of the {n_values} listed value(s) in {column!r}").format(
                    where=self.where, n_values=len(p.values), column=p.column
                )
            )
        report = {"type": "select_rows", "column": p.column, "values": list(p.values),
                  "rows_in": len(frame), "rows_kept": int(keep.sum())}  # fmt: skip
        return StepResult(frame=frame.loc[keep], report=report)


__all__ = ["SelectRows", "SelectRowsParams"]
