"""The operator contract: typed params, one vectorized ``apply`` over a column.

An operator receives a pandas Series of strings (``pd.StringDtype``; missing cells are
``pd.NA``) and returns a Series of the same length and index. Missing and empty cells stay
exactly as they were unless the operator's purpose is to change them. Operators are pure
functions of (params, context, values): no global state, so a column can be processed in
chunks on any worker and give the same result. An operator that reads other cells of the
same row (an age at the row's 受付日) names their columns in ``references()`` and receives
their raw input values through ``apply_with(values, refs)``, chunked alike.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pandas as pd
from pydantic import BaseModel

from anonymizer.config import Frozen, validate_model
from anonymizer.registry import Registry


class NoParams(Frozen):
    """For operators without settings."""


@dataclass(frozen=True)
class OperatorContext:
    """What operators may need beyond their params; built once per run."""

    column: str
    #: the column's declared entity (from the pipeline or header rules), e.g. PERSON
    entity: str | None = None
    #: secret key bytes for keyed operators (never logged; see anonymizer.keys)
    key: bytes | None = None
    #: pseudonym domain: same key + same domain → same pseudonyms (linkable inside a release)
    domain: str = ""
    #: the release's issued date (ISO); not a default for ages any more (generalize takes them
    #: at the record's own date or a stated one)
    reference_date: str | None = None
    #: detector for free-text operators (anonymizer.detect.Detector), shared per run
    detector: Any = None
    #: seed for operators that need randomness (none of the built-ins do)
    seed: int | None = None
    extras: dict[str, Any] = field(default_factory=dict)


class Operator:
    """Base class: subclasses set ``NAME``, ``Params`` and implement :meth:`apply`."""

    NAME: ClassVar[str] = ""
    Params: ClassVar[type[BaseModel]] = NoParams
    #: True when the output can no longer contain the input's personal values by
    #: construction (the gate then re-scans it without the neural NER)
    CONTROLLED_OUTPUT: ClassVar[bool] = False
    #: True for ``drop``: the pipeline removes the column (:func:`drops_column`)
    DROPS_COLUMN: ClassVar[bool] = False

    def __init__(self, params: Any, context: OperatorContext) -> None:
        self.params = params
        self.context = context

    def apply(self, values: pd.Series) -> pd.Series:
        """The operated column."""
        raise NotImplementedError

    def references(self) -> tuple[str, ...]:
        """Other columns of the same row this operator reads (e.g. an age's reference date)."""
        return ()

    def apply_with(self, values: pd.Series, refs: Mapping[str, pd.Series]) -> pd.Series:
        """:meth:`apply` for an operator that reads other cells of the row: ``refs`` holds the
        raw input values (same index as ``values``) of the columns :meth:`references` names,
        since some values only make sense against another cell (an age at 受付日). Operators
        that read nothing else ignore it."""
        return self.apply(values)

    def describe(self) -> dict[str, Any]:
        """Name and parameters for the manifest and report (never a key or a value)."""
        return {"operator": self.NAME, "params": self.params.model_dump(mode="json")}


OPERATORS: Registry[type[Operator]] = Registry("operator")


def register(name: str) -> Any:
    def decorator(cls: type[Operator]) -> type[Operator]:
        cls.NAME = name
        return OPERATORS.register(name)(cls)

    return decorator


def import_all() -> None:
    from anonymizer import operators as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        if mod.name not in ("base",) and not mod.name.startswith("_"):
            importlib.import_module(f"{pkg.__name__}.{mod.name}")


def drops_column(operators: Sequence[Operator]) -> bool:
    """Do a column's operators remove it from the release?"""
    return any(op.DROPS_COLUMN for op in operators)


def build_operator(
    name: str, params: dict[str, Any] | None, context: OperatorContext, where: str
) -> Operator:
    """Look up ``name`` and validate ``params``; errors name ``where`` (a YAML path)."""
    import_all()
    cls = OPERATORS.get(name, where=where)
    validated = validate_model(params or {}, cls.Params, where)
    return cls(validated, context)
