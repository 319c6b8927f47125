"""What an engine hands back to the run: the input as read, the released table before the
gate, and what the operators and steps did — the same for every engine."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

if TYPE_CHECKING:
    from anonymizer.detect import Detector
    from anonymizer.io import Table
    from anonymizer.match import DenyEntry
    from anonymizer.pipeline.gate import OutputColumnInfo, PublicCells
    from anonymizer.pipeline.plan import Plan, RunOptions
    from anonymizer.pipeline.spec import GateSpec, PipelineSpec
    from anonymizer.policy.measure import HeldTable
    from anonymizer.scan.profile import ColumnFacts
    from anonymizer.steps import StepResult
    from anonymizer.steps.base import GateCheck

ENGINES = ("pandas", "spark")


def engine_of(spec: PipelineSpec, opts: RunOptions) -> str:
    """The engine a run uses: ``--engine`` over the pipeline's ``engine``."""
    return opts.engine or spec.engine


def output_kinds(
    plan: Plan, columns: Iterable[str]
) -> tuple[dict[str, bool], dict[str, bool], dict[str, bool]]:
    """Per released column, by its last operator: (already detected/masked, generated, a
    pseudonym) — what the gate's re-scan and the policy need to know of it."""
    ner_done, generated, pseudonym = {}, {}, {}
    for col in columns:
        last = plan.operators[col][-1]
        ner_done[col] = bool(last.CONTROLLED_OUTPUT) or last.NAME == "mask_text"
        generated[col] = bool(last.CONTROLLED_OUTPUT)
        pseudonym[col] = last.NAME == "pseudonymize"
    return ner_done, generated, pseudonym


def invalid_report(spec: PipelineSpec, cells: Mapping[str, int]) -> dict[str, dict[str, Any]]:
    """on_invalid for the report: {column: {policy, cells no operator could read}}."""
    return {
        c: {"policy": spec.columns[c].invalid_policy(spec.input.on_invalid), "cells": int(n)}
        for c, n in cells.items()
    }


class RowChecks(Protocol):
    """The gate's checks that read every released cell, where the rows are: the same checks
    (:mod:`anonymizer.pipeline.gate`) on every engine; ``out`` is the released table as the
    run holds it, ``public`` the cells steps declared public."""

    def rescan(
        self,
        out: pd.DataFrame,
        infos: Mapping[str, OutputColumnInfo],
        spec: GateSpec,
        full: Detector,
        light: Detector,
        deny: Mapping[str, Sequence[DenyEntry]],
        public: Mapping[str, PublicCells],
        place: Callable[[str], bool] | None,
    ) -> GateCheck: ...

    def raw_values(
        self,
        out: pd.DataFrame,
        spec: PipelineSpec,
        public: Mapping[str, PublicCells],
        across: Sequence[str] = (),
        addresses: Sequence[str] = (),
        numbered_only: Sequence[str] = (),
        headers: bool = False,
    ) -> GateCheck:
        """The values hunted are the pipeline's (:func:`anonymizer.pipeline.run.hunted_values`:
        outside their public rows, a name in two columns joined); ``headers``: ``out`` is the
        released headers as cells, not the released table."""
        ...

    def facts(self, sample: int) -> list[ColumnFacts]:
        """The input columns' facts for their profiles (``sample`` cells each), counted
        where the input's rows are."""
        ...

    def held_input(self, persons: pd.Series | None) -> HeldTable:
        """The input as read (after missing-value tokens), where its rows are."""
        ...

    def held(self, out: pd.DataFrame, persons: pd.Series | None) -> HeldTable:
        """``out`` where the engine holds its rows, for the policy and the report to count
        (``persons``: of every input row; None: a row is a person)."""
        ...


@dataclass(frozen=True)
class LocalChecks:
    """:class:`RowChecks` over the tables this process holds (the pandas engine's)."""

    #: the input after missing-value tokens were read as empty
    frame: pd.DataFrame

    def rescan(
        self,
        out: pd.DataFrame,
        infos: Mapping[str, OutputColumnInfo],
        spec: GateSpec,
        full: Detector,
        light: Detector,
        deny: Mapping[str, Sequence[DenyEntry]],
        public: Mapping[str, PublicCells],
        place: Callable[[str], bool] | None,
    ) -> GateCheck:
        from anonymizer.pipeline import gate

        return gate.rescan(out, infos, spec, full, light, deny, public, place=place)

    def raw_values(
        self,
        out: pd.DataFrame,
        spec: PipelineSpec,
        public: Mapping[str, PublicCells],
        across: Sequence[str] = (),
        addresses: Sequence[str] = (),
        numbered_only: Sequence[str] = (),
        headers: bool = False,
    ) -> GateCheck:
        from anonymizer.pipeline import gate
        from anonymizer.pipeline.run import hunted_values

        identifiers = hunted_values(spec, self.frame, dict(public))
        return gate.raw_values(out, identifiers, across, addresses, numbered_only=numbered_only)

    def facts(self, sample: int) -> list[ColumnFacts]:
        from anonymizer.scan.profile import column_facts

        return column_facts(self.frame, sample)

    def held_input(self, persons: pd.Series | None) -> HeldTable:
        from anonymizer.policy.measure import LocalTable

        return LocalTable(self.frame, persons)

    def held(self, out: pd.DataFrame, persons: pd.Series | None) -> HeldTable:
        from anonymizer.policy.measure import LocalTable

        return LocalTable(out, persons)


@dataclass
class Transformed:
    """The tables and facts the gate, the report and the writer need (input index)."""

    table: Table
    #: the input after missing-value tokens were read as empty (the Spark engine with the
    #: gate on the executors: its rows' numbers only — the cells stay there, :attr:`checks`)
    frame: pd.DataFrame
    #: missing-value cells per column
    missing: dict[str, int]
    #: the person identifier of every input row (None without a person column)
    persons: pd.Series | None
    #: the table after the steps (released names come later, from output.columns)
    out: pd.DataFrame
    #: the table as the operators left it
    before_steps: pd.DataFrame
    dropped: list[str]
    #: per output column: was it detected/masked already, generated, a pseudonym
    ner_done: dict[str, bool]
    generated: dict[str, bool]
    pseudonym: dict[str, bool]
    #: on_invalid: {column: {policy, cells}}
    invalid_report: dict[str, dict[str, Any]]
    step_results: list[StepResult] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    public: dict[str, PublicCells] = field(default_factory=dict)
    generalized_by_steps: set[str] = field(default_factory=set)
    #: where the gate's row-level checks run (None: here, over ``out`` and ``frame``)
    checks: RowChecks | None = None

    @property
    def aggregate(self) -> bool:
        """Microdata unless the last step aggregates (then that step's own checks judge it)."""
        return bool(self.step_results) and self.step_results[-1].aggregate
