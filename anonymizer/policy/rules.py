"""``rules/policy.yaml``: the defaults of the re-identification policy, as data."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from anonymizer.config import Frozen
from anonymizer.entities import EntityName
from anonymizer.i18n import _
from anonymizer.rules import load_rules


class PolicyRules(Frozen):
    version: Literal[1]
    k: int = Field(ge=2)
    max_suppression: float = Field(ge=0, le=1)
    min_k: int = Field(ge=2)
    quasi_entities: tuple[EntityName, ...]
    driver_alone_share: float = Field(gt=0, le=1)
    driver_reduction: float = Field(gt=0, le=1)
    drivers_listed: int = Field(ge=1)

    @model_validator(mode="after")
    def _order(self) -> PolicyRules:
        if self.k < self.min_k:
            raise ValueError(_("k: the default k is below min_k"))
        return self


def load_policy_rules(directory: Path | str | None = None) -> PolicyRules:
    return load_rules("policy.yaml", PolicyRules, directory)
