"""``dp_aggregate``: differentially private aggregates of the table (see anonymizer/dp).

The step's parameters are the DP spec plus where its budget lives: ``population`` (a name
in the ledger) and ``ledger`` (a path relative to the pipeline file; default ``ledger.sqlite``
beside it). The ledger is consulted before any data is read (:meth:`preflight`) and again,
transactionally, when the release spends its budget.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pydantic import Field

from anonymizer.dp.spec import DpAggregateSpec
from anonymizer.errors import ConfigError
from anonymizer.steps.base import GateCheck, Step, StepContext, StepResult, register


class DpAggregateParams(DpAggregateSpec):
    population: str = Field(min_length=1)
    ledger: str = "ledger.sqlite"


@register("dp_aggregate")
class DpAggregate(Step):
    Params = DpAggregateParams

    def ledger_path(self, pipeline_path: Path) -> Path:
        return (pipeline_path.parent / self.params.ledger).resolve()

    def _ledger(self, pipeline_path: Path):  # type: ignore[no-untyped-def]
        from anonymizer.dp.ledger import Ledger

        path = self.ledger_path(pipeline_path)
        if not path.is_file():
            raise ConfigError(
                f"{self.where}.ledger: {path} not found; create the population first: "
                f"anonymizer budget {self.params.population} --ledger {path} --total EPSILON"
            )
        return Ledger(path)

    def preflight(self, pipeline_path: Path) -> None:
        """Refuse (exit 1) before any data is read when the budget cannot cover this release."""
        self._ledger(pipeline_path).check(self.params.population, self.params.budget)

    def check_columns(self, columns: list[str]) -> None:
        needed = [g.column for g in self.params.group_by]
        needed += [m.column for m in self.params.measures if getattr(m, "column", None)]
        if self.params.privacy_unit.id_column:
            needed.append(self.params.privacy_unit.id_column)
        missing = [c for c in dict.fromkeys(needed) if c not in columns]
        if missing:
            raise ConfigError(f"{self.where}: column(s) {', '.join(missing)} not in the table at this step")

    def run(self, frame: pd.DataFrame, ctx: StepContext) -> StepResult:
        from anonymizer.dp.engine import run_dp_aggregate
        from anonymizer.dp.rng import DpRandom

        rng = DpRandom.insecure(ctx.seed) if ctx.seed is not None else DpRandom.secure()
        spec = DpAggregateSpec.model_validate(
            self.params.model_dump(exclude={"population", "ledger"}, by_alias=True)
        )
        result = run_dp_aggregate(
            frame.astype(object).where(frame.notna(), ""),
            spec,
            self._ledger(ctx.pipeline_path),
            self.params.population,
            ctx.dataset,
            rng,
        )
        summary = result.summary()
        check = GateCheck(
            "dp_budget",
            True,
            f"ε={spec.epsilon} δ={spec.delta} spent from population {self.params.population!r}",
            {"population": self.params.population},
        )
        table = result.table.astype("string")
        return StepResult(
            frame=table,
            report={"type": "dp_aggregate", "insecure_seed": ctx.seed, **summary},
            checks=[check],
            aggregate=True,
        )
