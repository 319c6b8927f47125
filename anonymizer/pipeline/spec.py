"""The validated shape of ``pipelines/<name>.yaml``.

Everything is checked before any data is read: unknown keys, unknown operators and step
types (listing the valid names), bad parameters — each error names its YAML path.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from anonymizer.config import Frozen, load_yaml_model
from anonymizer.entities import ENTITIES, NOT_PERSONAL, EntityName
from anonymizer.scan.headers import Role

#: entities whose presence in any released cell refuses the release by default
#: (AGE and JP_POSTAL_CODE are quasi-identifiers: generalized values such as "70-79歳" stay)
DEFAULT_FAIL_ON: tuple[str, ...] = tuple(
    e for e in ENTITIES if e not in NOT_PERSONAL and e not in ("AGE", "JP_POSTAL_CODE")
)

#: steps whose output has new columns (output.columns then names those)
RESHAPING_STEPS = frozenset({"dp_aggregate"})
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
#: an action: "drop", or a one-key mapping {"mask": {keep_last: 4}}
Action = str | dict[str, dict[str, Any] | None]


class InputSpec(Frozen):
    path: str
    encoding: str = "auto"
    sheet: str | int | None = None
    delimiter: str | None = None


class ColumnSpec(Frozen):
    role: Role
    entity: EntityName | None = None
    actions: tuple[Action, ...] = Field(min_length=1)
    note: str | None = None

    @field_validator("actions")
    @classmethod
    def _shape(cls, v: tuple[Action, ...]) -> tuple[Action, ...]:
        for a in v:
            if isinstance(a, dict) and len(a) != 1:
                raise ValueError("each action is an operator name or a one-key mapping {name: params}")
        return v

    def operator_calls(self) -> list[tuple[str, dict[str, Any]]]:
        calls = []
        for a in self.actions:
            if isinstance(a, str):
                calls.append((a, {}))
            else:
                ((name, params),) = a.items()
                calls.append((name, dict(params or {})))
        return calls


class GateAllow(Frozen):
    column: str
    entity: EntityName
    reason: str = Field(min_length=5)


class GateSpec(Frozen):
    """The release gate. Re-scanning cannot be switched off."""

    fail_on: tuple[EntityName, ...] = DEFAULT_FAIL_ON
    allow: tuple[GateAllow, ...] = ()
    min_score: float = Field(default=0.5, ge=0.0, le=1.0)
    #: minimum equivalence-class size over the released quasi-identifier columns
    min_k: int | None = Field(default=None, ge=1)
    #: released quasi-identifier columns measured for min_k (default: every declared QI kept)
    quasi_identifiers: tuple[str, ...] | None = None


class OutputColumn(Frozen):
    source: str = Field(alias="from")
    name: str = Field(alias="to")


class OutputSpec(Frozen):
    file: str
    encoding: Literal["utf-8-sig", "utf-8", "cp932"] = "utf-8-sig"
    #: order and names of released columns: "名前" or {from: 元の列, to: 公開名}; default: input order
    columns: tuple[str | OutputColumn, ...] | None = None

    @field_validator("file")
    @classmethod
    def _plain(cls, v: str) -> str:
        if "/" in v or "\\" in v or v.startswith(".") or not v.endswith(".csv"):
            raise ValueError("a plain file name ending in .csv (no directories)")
        return v


class MetadataSpec(Frozen):
    title: str = Field(min_length=1)
    description: str = ""
    publisher: str = Field(min_length=1)
    license: Literal["CC-BY-4.0", "PDL-1.0"]
    #: 全国地方公共団体コード: 6 digits (with check digit) or 5
    municipality_code: str
    issued: dt.date
    temporal: str | None = None
    keywords: tuple[str, ...] = ()
    contact: str | None = None

    @field_validator("municipality_code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not re.fullmatch(r"[0-9]{5,6}", v):  # ASCII only: \d also matches 全角 digits
            raise ValueError("5 or 6 digits (全国地方公共団体コード)")
        if len(v) == 6 and local_government_check_digit(v[:5]) != int(v[5]):
            raise ValueError("check digit does not match (全国地方公共団体コード)")
        return v


class PseudonymSpec(Frozen):
    #: same key + same domain → same pseudonyms; default: the pipeline name
    domain: str | None = None
    key_env: str = "ANONYMIZER_KEY"


class StepSpec(Frozen):
    """A table-level step: ``type`` plus that step's own parameters (validated by the step)."""

    model_config = Frozen.model_config | {"extra": "allow"}
    type: str

    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class PipelineSpec(Frozen):
    version: Literal[1]
    name: str
    description: str = ""
    mode: Literal["fast", "accurate"] = "accurate"
    input: InputSpec
    columns: dict[str, ColumnSpec]
    steps: tuple[StepSpec, ...] = ()
    gate: GateSpec = GateSpec()
    output: OutputSpec
    metadata: MetadataSpec
    pseudonym: PseudonymSpec = PseudonymSpec()
    #: 自治体標準オープンデータセット or other reference the release follows
    standard: str | None = None

    @field_validator("name")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not _NAME.match(v):
            raise ValueError("lower-case letters, digits, - and _ (it names the output directory)")
        return v

    @model_validator(mode="after")
    def _cross(self) -> PipelineSpec:
        reshaped = any(s.type in RESHAPING_STEPS for s in self.steps)
        if self.output.columns is not None and not reshaped:
            names = [c if isinstance(c, str) else c.source for c in self.output.columns]
            unknown = [n for n in names if n not in self.columns]
            if unknown:
                raise ValueError(f"output.columns names undeclared columns {unknown}")
            released = [c if isinstance(c, str) else c.name for c in self.output.columns]
            twice = sorted({n for n in released if released.count(n) > 1})
            if twice:  # one would silently replace the other
                raise ValueError(f"output.columns releases {twice} more than once")
        for a in self.gate.allow:
            if a.column not in self.columns:
                raise ValueError(f"gate.allow names undeclared column {a.column!r}")
        return self


def local_government_check_digit(code5: str) -> int:
    """全国地方公共団体コード check digit (総務省): weights 6,5,4,3,2; 11 − (Σ mod 11), last digit."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10  # remainder 0 → 11 → 1 (新宿区 131041)


def load_pipeline(path: Path | str) -> PipelineSpec:
    return load_yaml_model(path, PipelineSpec)
