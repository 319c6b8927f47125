"""``rules/ner_labels.yaml``: GiNZA ENE label → canonical entity and how the span is used."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.entities import EntityName
from anonymizer.rules import load_rules


class LabelMapping(Frozen):
    entity: EntityName
    #: span: report the NER span as the entity; seed: only a hint for a recognizer
    mode: Literal["span", "seed"]
    score: float = Field(default=0.6, ge=0.0, le=1.0)


class NerLabels(Frozen):
    version: int = Field(ge=1, le=1)
    labels: dict[str, LabelMapping]

    def seeds(self, entity: str) -> frozenset[str]:
        return frozenset(k for k, v in self.labels.items() if v.entity == entity and v.mode == "seed")


def load_ner_labels(directory: Path | str | None = None) -> NerLabels:
    return load_rules("ner_labels.yaml", NerLabels, directory)
