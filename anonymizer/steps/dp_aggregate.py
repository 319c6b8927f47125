"""``dp_aggregate``: differentially private aggregates of the table (see anonymizer/dp).

The step's parameters are the DP spec plus the ``population`` whose budget it spends. The
ledger lives in the state directory (:mod:`anonymizer.state`): the pipeline's ``state:`` if it
declares one, else ``$XDG_STATE_HOME/anonymizer`` — never beside the outputs, so neither
``make clean`` nor a new output directory resets a budget. The ledger is consulted before any
data is read (:meth:`preflight`) and again, under its lock, when the release spends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from anonymizer.dp.rng import DpRandom
from anonymizer.dp.spec import DpAggregateSpec
from anonymizer.i18n import _
from anonymizer.steps.base import GateCheck, PublicCells, Step, StepContext, StepResult, register


class DpAggregateParams(DpAggregateSpec):
    population: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _moved(cls, data: Any) -> Any:
        if isinstance(data, dict) and "ledger" in data:
            raise ValueError(
                _(
                    "ledger: the ledger now lives in the state directory (with its integrity key), "
                    "not beside the pipeline or in out/; remove this key, and set `state: DIR` at "
                    "the top of the pipeline to choose the directory (default "
                    "$XDG_STATE_HOME/anonymizer)"
                )
            )
        return data


@register("dp_aggregate")
class DpAggregate(Step):
    Params = DpAggregateParams

    def state_dir(self, pipeline_path: Path) -> Path:
        from anonymizer.pipeline.spec import load_pipeline
        from anonymizer.state import resolve_state_dir

        declared = load_pipeline(pipeline_path).state
        return resolve_state_dir(None, declared, pipeline_path)

    def ledger(self, pipeline_path: Path):  # type: ignore[no-untyped-def]
        from anonymizer.state import Ledger

        return Ledger(self.state_dir(pipeline_path))

    def ledger_path(self, pipeline_path: Path) -> Path:
        return self.ledger(pipeline_path).path  # type: ignore[no-any-return]

    def preflight(self, pipeline_path: Path) -> None:
        """Refuse (exit 1) before any data is read when the budget cannot cover this release."""
        self.ledger(pipeline_path).check(self.params.population, self.params.budget)

    def check_columns(self, columns: list[str]) -> None:
        from anonymizer.dp.engine import data_columns
        from anonymizer.errors import ConfigError

        needed = data_columns(self.params)
        if self.params.privacy_unit.id_column:
            needed.append(self.params.privacy_unit.id_column)
        missing = [c for c in dict.fromkeys(needed) if c not in columns]
        if missing:
            raise ConfigError(
                _("{where}: column(s) {missing} not in the table at this step").format(
                    where=self.where, missing=', '.join(missing)
                )
            )

    def spec(self) -> DpAggregateSpec:
        """The DP spec of the step (its parameters without the population)."""
        return DpAggregateSpec.model_validate(
            self.params.model_dump(exclude={"population"}, by_alias=True)
        )

    def randomness(self, ctx: StepContext) -> DpRandom:
        """The run's: seeded under ``--insecure-seed``, else the OS's."""
        return DpRandom.insecure(ctx.seed) if ctx.seed is not None else DpRandom.secure()

    def run(
        self,
        frame: pd.DataFrame,
        ctx: StepContext,
        weight: np.ndarray | None = None,
        rng: DpRandom | None = None,
    ) -> StepResult:
        """``weight``: ``frame`` is a summary of rows already bounded per person, each row
        standing for ``weight[i]`` (the Spark engine's, :mod:`anonymizer.engine.spark.dp`);
        ``rng``: the randomness that bounded them."""
        from anonymizer.dp.engine import run_dp_aggregate
        from anonymizer.state import display

        rng = rng or self.randomness(ctx)
        spec = self.spec()
        ledger = self.ledger(ctx.pipeline_path)
        result = run_dp_aggregate(
            frame.astype(object).where(frame.notna(), ""),
            spec,
            ledger,
            self.params.population,
            ctx.dataset,
            rng,
            progress=ctx.progress,
            weight=weight,
        )
        summary = result.summary()
        # where the budget lives (home shown as ~) and the chain head this spend made: an
        # anchor that lets an audit tell a later reset or rollback of the ledger
        summary["ledger"]["location"] = display(ledger.path)
        summary["ledger"]["chain_head"] = next(
            r["chain_head"] for r in ledger.releases(self.params.population)
            if r["id"] == result.release_id
        )  # fmt: skip
        check = GateCheck(
            "dp_budget",
            True,
            _("ε={epsilon} δ={delta} spent from population {population!r}").format(
                epsilon=spec.epsilon, delta=spec.delta, population=self.params.population
            ),
            {"population": self.params.population},
        )
        table = result.table.astype("string")
        # group-by columns with public keys (a key file or listed keys) hold only those keys;
        # discovered keys came from the data, and the re-scan still judges them
        every = pd.Series(True, index=table.index)
        public = {
            g.column: PublicCells(every, "public keys of the group-by column")
            for g in spec.group_by
            if not g.discover and g.column in table.columns
        }
        return StepResult(
            frame=table,
            report={
                "type": "dp_aggregate",
                "insecure_seed": ctx.seed,
                # what one person may add to the table (a reviewer's first question)
                "privacy_unit": spec.privacy_unit.model_dump(mode="json"),
                **summary,
            },
            checks=[check],
            aggregate=True,
            public=public,
        )
