"""What an engine hands back to the run: the input as read, the released table before the
gate, and what the operators and steps did — the same for every engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from anonymizer.io import Table
    from anonymizer.pipeline.gate import PublicCells
    from anonymizer.pipeline.plan import RunOptions
    from anonymizer.pipeline.spec import PipelineSpec
    from anonymizer.steps import StepResult

ENGINES = ("pandas", "spark")


def engine_of(spec: PipelineSpec, opts: RunOptions) -> str:
    """The engine a run uses: ``--engine`` over the pipeline's ``engine``."""
    return opts.engine or spec.engine


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
