"""What an engine hands back to the run: the input as read, the released table before the
gate, and what the operators and steps did — the same for every engine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from anonymizer.io import Table
    from anonymizer.pipeline.gate import PublicCells
    from anonymizer.pipeline.plan import Plan, RunOptions
    from anonymizer.pipeline.spec import PipelineSpec
    from anonymizer.steps import StepResult

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


@dataclass
class Transformed:
    """The tables and facts the gate, the report and the writer need (input index)."""

    table: Table
    #: the input after missing-value tokens were read as empty
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

    @property
    def aggregate(self) -> bool:
        """Microdata unless the last step aggregates (then that step's own checks judge it)."""
        return bool(self.step_results) and self.step_results[-1].aggregate
