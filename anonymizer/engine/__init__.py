"""Where rows are processed — never what is computed (PipelineDP's backends are the model).

``pandas`` (the default) runs a pipeline in this process; ``spark`` runs the same operators on
Spark partitions. Both return a :class:`Transformed`: the tables the one gate, report and
release writer of :mod:`anonymizer.pipeline.run` then judge and publish.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from anonymizer.engine.base import ENGINES, Transformed, engine_of

if TYPE_CHECKING:
    from anonymizer.pipeline.plan import Plan, RunOptions
    from anonymizer.progress import ProgressFactory


def transform(
    plan: Plan, opts: RunOptions, progress: ProgressFactory, timings: dict[str, float]
) -> Transformed:
    """Read the input, apply every column's operators and the steps, on the plan's engine."""
    if engine_of(plan.spec, opts) == "spark":
        from anonymizer.engine.spark import transform as spark_transform

        return spark_transform(plan, opts, progress, timings)
    from anonymizer.engine.pandas import transform as pandas_transform

    return pandas_transform(plan, opts, progress, timings)


__all__ = ["ENGINES", "Transformed", "engine_of", "transform"]
