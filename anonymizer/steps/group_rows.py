"""``group_rows``: change the unit from rows to groups — one row per household (世帯番号) out
of a resident register — before a table counts them.

Parameters: ``by`` (the group column), ``keep`` (columns constant within a group, carried to
the group's row: 町丁), ``size`` (a new column with the number of rows in the group, written
``1人`` … and ``6人以上`` from ``top`` on, as every band of the project is written:
rules/bands.yaml). A group whose ``keep`` values differ (one household over two 町丁) is an
input error naming the column, the number of groups and rows — never a value. The group
column itself is not carried (it is an identifier); each group's row keeps the index of its
first input row, so a later step counting persons counts each group once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.errors import ConfigError, InputError
from anonymizer.i18n import _
from anonymizer.steps._groups import disagreeing, group_ids, rows_text
from anonymizer.steps.base import Step, StepContext, StepResult, register
from anonymizer.text.bands import load_bands


class SizeSpec(Frozen):
    column: str = Field(min_length=1)
    #: sizes from ``top`` up are one open band (6人以上)
    top: int | None = Field(default=None, ge=2)
    unit: str = "人"


class GroupRowsParams(Frozen):
    by: str = Field(min_length=1)
    keep: tuple[str, ...] = ()
    size: SizeSpec | None = None


@register("group_rows")
class GroupRows(Step):
    Params = GroupRowsParams

    def check_columns(self, columns: list[str]) -> None:
        p = self.params
        missing = [c for c in (p.by, *p.keep) if c not in columns]
        if missing:
            raise ConfigError(
                _("{where}: column(s) {map} not in the table at this step").format(
                    where=self.where, map=', '.join(map(repr, missing))
                )
            )
        if p.size is not None and p.size.column in (p.by, *p.keep):
            raise ConfigError(
                _("{where}.size.column: {column!r} is already a column here").format(
                    where=self.where, column=p.size.column
                )
            )

    def columns_after(self, columns: list[str]) -> list[str]:
        p = self.params
        return [*p.keep, *([p.size.column] if p.size is not None else [])]

    def run(self, frame: pd.DataFrame, ctx: StepContext) -> StepResult:
        p = self.params
        ids = group_ids(frame, p.by, f"{self.where}.by")
        for col in p.keep:
            groups = disagreeing(frame[[col]].astype("string").fillna(""), ids)
            if len(groups):
                rows = rows_text(frame.index, ids.isin(groups).to_numpy(dtype=bool))
                raise self.disagreeing(col, len(groups), rows)
        first = ~ids.duplicated().to_numpy(dtype=bool)
        out = frame.loc[first, list(p.keep)].copy()
        sizes = 0
        if p.size is not None:
            n = ids.value_counts().reindex(ids[first]).to_numpy()
            out[p.size.column] = pd.array(labels(n, p.size), dtype="string")
            sizes = out[p.size.column].nunique()
        return StepResult(frame=out, report=self.report(len(frame), int(first.sum()), sizes))

    def disagreeing(self, column: str, n_groups: int, rows: str) -> InputError:
        """``n_groups`` groups hold more than one value of a ``keep`` column."""
        return InputError(
            _(
                "{where}.keep: {n_groups} group(s) of {by!r} have more than one {column!r} "
                "({rows}); a group is carried with one value"
            ).format(
                where=self.where, n_groups=n_groups, by=self.params.by, column=column, rows=rows
            )
        )

    def report(self, rows_in: int, groups: int, sizes: int) -> dict[str, object]:
        """``sizes``: how many size bands the groups fall in (none without ``size``)."""
        report: dict[str, object] = {
            "type": "group_rows", "by": self.params.by, "rows_in": rows_in, "groups": groups
        }  # fmt: skip
        if sizes:
            report["sizes"] = sizes
        return report


def labels(n: np.ndarray, size: SizeSpec) -> list[str]:
    """Each group's size as written in the release (``3人``, ``6人以上``)."""
    bands = load_bands()
    top = size.top
    return [
        bands.fill_at_least(top, size.unit) if top is not None and k >= top else f"{k}{size.unit}"
        for k in n.tolist()
    ]


__all__ = ["GroupRows", "GroupRowsParams", "labels"]
