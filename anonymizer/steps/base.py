"""The step contract: ``type`` + typed params + one ``run()`` over the whole table.

Steps run after the column operators, in the order the pipeline lists them. A step may
change the table's shape (``dp_aggregate`` turns rows into an aggregate table) and returns a
report section and gate checks of its own.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
from pydantic import BaseModel

from anonymizer.config import validate_model
from anonymizer.progress import ProgressFactory, no_progress
from anonymizer.registry import Registry


@dataclass(frozen=True)
class StepContext:
    pipeline_name: str
    pipeline_path: Path
    dataset: str
    #: declared roles of the columns still present: {column: role}
    roles: dict[str, str]
    seed: int | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    #: the person identifier of every input row (input index), when the pipeline declares a
    #: person column: steps count classes in distinct persons
    persons: pd.Series | None = None
    #: progress bars for a step that takes a while (the CLI's choice; none by default)
    progress: ProgressFactory = no_progress


@dataclass(frozen=True)
class GateCheck:
    """One release-gate check: passed or not, and why — counts and names, never values."""

    name: str
    passed: bool
    detail: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "passed": self.passed, "detail": self.detail, "data": self.data}


@dataclass(frozen=True)
class PublicCells:
    """Cells of one output column that hold public information (a corporation's name and
    法人番号, published by the National Tax Agency), and why: the gate's re-scan does not refuse
    what it finds there (it counts it, with the reason), and its raw-value check takes no
    identifier value from those rows. Only the step that wrote the cells can say this; a step
    that declares cells public adds a gate check that re-derives the declaration."""

    #: boolean over the step's output rows (its index)
    rows: pd.Series
    reason: str


@dataclass
class StepResult:
    frame: pd.DataFrame
    report: dict[str, Any] = field(default_factory=dict)
    checks: list[GateCheck] = field(default_factory=list)
    #: the output is an aggregate (statistics), not microdata: when the last step's is, the
    #: re-identification policy does not apply and this step's own checks judge the release
    aggregate: bool = False
    #: columns this step generalized as quasi-identifiers (the policy's refusal advice)
    quasi_identifiers: tuple[str, ...] | None = None
    #: {output column: its public cells} (see :class:`PublicCells`)
    public: dict[str, PublicCells] = field(default_factory=dict)


class Step:
    TYPE: ClassVar[str] = ""
    Params: ClassVar[type[BaseModel]]

    def __init__(self, params: Any, where: str) -> None:
        self.params = params
        self.where = where

    def preflight(self, pipeline_path: Path) -> None:
        """Before any data is read: refuse early (e.g. a privacy budget that cannot cover it)."""

    def check_columns(self, columns: list[str]) -> None:
        """After the header is read, before any transformation: missing columns → ConfigError."""

    def columns_after(self, columns: list[str]) -> list[str]:
        """The columns after this step, for the next step's ``check_columns`` (default: the
        same; a step that makes or removes columns says which)."""
        return columns

    def run(self, frame: pd.DataFrame, ctx: StepContext) -> StepResult:
        raise NotImplementedError


STEPS: Registry[type[Step]] = Registry("step type")


def register(name: str) -> Any:
    def decorator(cls: type[Step]) -> type[Step]:
        cls.TYPE = name
        return STEPS.register(name)(cls)

    return decorator


def import_all() -> None:
    from anonymizer import steps as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        if mod.name != "base" and not mod.name.startswith("_"):
            importlib.import_module(f"{pkg.__name__}.{mod.name}")


def build_step(type_: str, params: dict[str, Any], where: str) -> Step:
    import_all()
    cls = STEPS.get(type_, where=f"{where}.type")
    return cls(validate_model(params, cls.Params, where), where)
