"""Japanese display labels per entity (``rules/entities.yaml``): ＜氏名＞, ＜電話番号＞…"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from anonymizer.config import Frozen
from anonymizer.entities import ENTITIES
from anonymizer.i18n import _
from anonymizer.rules import load_rules


class EntityLabels(Frozen):
    version: int = Field(ge=1, le=1)
    labels: dict[str, str]
    #: for a value withheld without a known entity (``replace`` with no entity): ＜非公開＞
    generic: str = Field(min_length=1)
    #: the word masked text shows instead of the label (every 要配慮 category: ＜要配慮＞, so
    #: the placeholder does not itself disclose the category)
    placeholders: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _complete(self) -> EntityLabels:
        missing = [e for e in ENTITIES if e not in self.labels]
        unknown = [e for e in self.labels if e not in ENTITIES]
        if missing or unknown:
            raise ValueError(
                _("labels: missing {missing}, unknown {unknown}").format(
                    missing=missing, unknown=unknown
                )
            )
        unknown = [e for e in self.placeholders if e not in ENTITIES]
        if unknown:
            raise ValueError(_("placeholders: unknown {unknown}").format(unknown=unknown))
        return self

    def placeholder(self, entity: str) -> str:
        return f"＜{self.placeholders.get(entity) or self.labels[entity]}＞"

    def generic_placeholder(self) -> str:
        return f"＜{self.generic}＞"


def load_labels(directory: Path | str | None = None) -> EntityLabels:
    return load_rules("entities.yaml", EntityLabels, directory)
