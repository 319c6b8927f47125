"""``replace``: every non-empty cell becomes a placeholder naming what was there: ＜氏名＞.

The text comes from ``rules/entities.yaml`` (one wording for operators and reports): the
``entity`` param, else the column's declared entity, else the generic ＜非公開＞; or an
explicit ``label``. Blank cells stay blank: a placeholder there would invent a value.
"""

from __future__ import annotations

import pandas as pd
from pydantic import Field, model_validator

from anonymizer.config import Frozen
from anonymizer.entities import ENTITIES, EntityName
from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.labels import load_labels
from anonymizer.operators._common import blank_mask
from anonymizer.operators.base import Operator, OperatorContext, register


class ReplaceParams(Frozen):
    entity: EntityName | None = None
    label: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_source(self) -> ReplaceParams:
        if self.entity is not None and self.label is not None:
            raise ValueError("give entity or label, not both")
        return self


@register("replace")
class Replace(Operator):
    Params = ReplaceParams
    CONTROLLED_OUTPUT = True

    def __init__(self, params: ReplaceParams, context: OperatorContext) -> None:
        super().__init__(params, context)
        self.text = self._placeholder(params, context)

    @staticmethod
    def _placeholder(params: ReplaceParams, context: OperatorContext) -> str:
        if params.label is not None:
            return params.label
        labels = load_labels()
        entity = params.entity or context.entity
        if entity is None:
            return labels.generic_placeholder()
        if entity not in labels.labels:
            valid = ", ".join(ENTITIES)
            raise ConfigError(
                _("column {column!r}: unknown entity {entity!r}; valid: {valid}").format(
                    column=context.column, entity=entity, valid=valid
                )
            )
        return labels.placeholder(entity)

    def apply(self, values: pd.Series) -> pd.Series:
        keep = pd.Series(blank_mask(values), index=values.index)
        return values.where(keep, self.text)
