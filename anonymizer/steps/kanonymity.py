"""``kanonymity``: globally optimal generalization (or Mondrian local recoding) of the
quasi-identifiers until k-anonymity — and ℓ-diversity, t-closeness, average risk when
declared — hold within the suppression limit (see anonymizer/kanon).

The achieved k/ℓ/t join the release gate as checks; the gate's re-identification policy then
measures the release independently. With a person column (``StepContext.persons``) classes are
counted in distinct persons. When no transformation satisfies the models within the
suppression limit, nothing is released: the step returns an empty table and a failed check, so
the refusal is written like any other (with the policy's analysis of what drives it). Hierarchy names resolve against ``rules/hierarchies/``; an ARX CSV
path is relative to the pipeline file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from anonymizer.errors import ConfigError, GateRefused
from anonymizer.i18n import _
from anonymizer.kanon.spec import KAnonConfig
from anonymizer.steps.base import GateCheck, Step, StepContext, StepResult, register

if TYPE_CHECKING:
    from anonymizer.kanon.result import KAnonResult


class KAnonymityParams(KAnonConfig):
    """The k-anonymity configuration (anonymizer/kanon/spec.py) as step parameters."""


@register("kanonymity")
class KAnonymity(Step):
    Params = KAnonymityParams

    def check_columns(self, columns: list[str]) -> None:
        needed = list(self.params.qis) + list(self.params.sensitive)
        missing = [c for c in needed if c not in columns]
        if missing:
            raise ConfigError(
                _("{where}: column(s) {missing} not in the table at this step").format(
                    where=self.where, missing=', '.join(missing)
                )
            )

    def config(self, pipeline_path: Path) -> KAnonConfig:
        """ARX CSV paths are relative to the pipeline file."""
        qis = {
            col: str((pipeline_path.parent / ref).resolve()) if isinstance(ref, str) and ref.endswith(".csv") else ref
            for col, ref in self.params.qis.items()
        }
        return KAnonConfig.model_validate({**self.params.model_dump(), "qis": qis})

    @staticmethod
    def cells(frame: pd.DataFrame) -> pd.DataFrame:
        """The table as the search reads it: text, an empty cell as "" (its own value)."""
        return frame.astype(object).where(frame.notna(), "")

    def run(self, frame: pd.DataFrame, ctx: StepContext) -> StepResult:
        from anonymizer.kanon.engine import anonymize

        config = self.config(ctx.pipeline_path)
        persons = ctx.persons.loc[frame.index] if ctx.persons is not None else None
        try:
            result = anonymize(self.cells(frame), config, persons=persons, progress=ctx.progress)
        except GateRefused as err:
            return self.refused(frame, config, err)
        return self.released(config, result)

    def refused(self, frame: pd.DataFrame, config: KAnonConfig, err: GateRefused) -> StepResult:
        """Nothing satisfies the models: an empty table and the failed check."""
        check = GateCheck("kanonymity", False, err.message, {"solved": False})
        report = {"type": "kanonymity_unsolved", "detail": err.message}
        return StepResult(frame=frame.iloc[0:0], report=report, checks=[check],
                          quasi_identifiers=tuple(config.qis))

    def released(self, config: KAnonConfig, result: KAnonResult) -> StepResult:
        """The released table, the achieved parameters as checks, the summary as report."""
        # a table an engine holds elsewhere is already of strings (engine.spark.released)
        out = result.frame
        if isinstance(out, pd.DataFrame):
            out = out.astype("string")
        checks = [
            GateCheck(
                f"kanonymity_{name}",
                True,
                _("{name} = {value:g} achieved (required by the step)").format(
                    name=name, value=value
                ),
                {"achieved": value},
            )
            for name, value in result.achieved.items()
        ]
        report = {"type": "kanonymity", **result.to_dict()}
        return StepResult(frame=out, report=report, checks=checks, quasi_identifiers=tuple(config.qis))
