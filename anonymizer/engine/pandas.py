"""The ``pandas`` engine: the whole table in this process (what every run did before
engines existed, unchanged)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pandas as pd

from anonymizer.engine.base import Transformed, invalid_report, output_kinds
from anonymizer.i18n import N_
from anonymizer.io import read_table
from anonymizer.io.rows import begin as begin_rows
from anonymizer.operators import drops_column
from anonymizer.pipeline.missing import read_as_missing
from anonymizer.progress import labelled

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from anonymizer.pipeline.gate import PublicCells
    from anonymizer.pipeline.plan import Plan, RunOptions
    from anonymizer.progress import ProgressFactory
    from anonymizer.steps import StepContext, StepResult


def transform(
    plan: Plan, opts: RunOptions, progress: ProgressFactory, timings: dict[str, float]
) -> Transformed:
    from anonymizer.pipeline.run import _apply, check_columns, person_ids

    t0 = time.perf_counter()
    spec = plan.spec
    table = read_table(
        plan.input_path, encoding=spec.input.encoding, sheet=spec.input.sheet,
        delimiter=spec.input.delimiter, require_data=True, header_row=spec.input.header_row,
    )
    begin_rows(table.row_map)  # messages name the rows a steward sees (the run resets it)
    check_columns(plan, list(table.frame.columns))
    # 不明, 住所不定, ー …: read as empty (rules/missing.yaml, or the column's own list)
    frame, missing = read_as_missing(table.frame, spec)
    persons = person_ids(plan, frame)
    timings["read"] = time.perf_counter() - t0

    t = time.perf_counter()
    out = pd.DataFrame(index=frame.index)
    dropped: list[str] = []
    columns = list(frame.columns)
    invalid: dict[str, pd.Index] = {}  # cells no operator could read, by column (on_invalid)
    plan.detector.progress = plan.light.progress = labelled(progress, N_("detection"))
    with progress(N_("columns"), len(columns), N_("columns")) as bar:
        for col in columns:
            if drops_column(plan.operators[col]):
                dropped.append(col)
            else:
                out[col] = _apply(plan, col, frame, frame[col].astype("string"), invalid)
            bar.update(1)
    ner_done, generated, pseudonym = output_kinds(plan, out.columns)
    # on_invalid: suppress_row — the rows with a cell no operator could read leave the release
    suppress = [
        c for c in invalid if spec.columns[c].invalid_policy(spec.input.on_invalid) == "suppress_row"
    ]
    left_out = pd.Index([])
    for c in suppress:
        left_out = left_out.union(invalid[c])
    if len(left_out):
        out = out.drop(index=left_out)
    timings["operators"] = time.perf_counter() - t
    done = Transformed(
        table, frame, missing, persons, out, out, dropped, ner_done, generated, pseudonym,
        invalid_report(spec, {c: len(ix) for c, ix in invalid.items()}),
    )  # fmt: skip
    t = time.perf_counter()
    run_steps(plan, opts, done, progress)
    timings["steps"] = time.perf_counter() - t
    return done


def run_steps(
    plan: Plan,
    opts: RunOptions,
    done: Transformed,
    progress: ProgressFactory,
    remote: Sequence[Callable[[StepContext, Any], StepResult]] = (),
) -> None:
    """The pipeline's steps, in order, over ``done.out`` (updated in place).

    ``remote``: the first steps, run where the engine holds the rows (the Spark engine's
    k-anonymity by aggregation, ``dp_aggregate`` on the executors' counts, the table steps
    there: :mod:`anonymizer.engine.spark.tables`), each given the step's context and the
    table before it — the same result the step gives here."""
    from anonymizer.pipeline import gate as gates
    from anonymizer.steps import StepContext

    spec = plan.spec
    out = done.out
    roles: dict[str, str] = {c: spec.columns[c].role for c in out.columns}
    step_results: list[StepResult] = []
    sources = {c: c for c in out.columns}
    ner_done, generated = done.ner_done, done.generated
    generalized_by_steps: set[str] = set()
    public: dict[str, PublicCells] = {}  # cells a step declared public (a 法人名)
    for i, step in enumerate(plan.steps):
        ctx = StepContext(
            spec.name, plan.path, spec.metadata.title, roles, opts.seed,
            {"key_id": plan.key_id, "municipality_code": spec.metadata.municipality_code},
            done.persons, progress,
        )  # fmt: skip
        res = remote[i](ctx, out) if i < len(remote) else step.run(out, ctx)
        step_results.append(res)
        public = gates.carry_public(public, out, res)
        if list(res.frame.columns) != list(out.columns) or res.aggregate:
            # a reshaping step: its columns are generated, not raw
            sources = {c: sources.get(c, c) for c in res.frame.columns}
            ner_done = {c: ner_done.get(c, True) for c in res.frame.columns}
            generated = {c: generated.get(c, True) for c in res.frame.columns}
        out = res.frame
        generalized_by_steps |= set(res.quasi_identifiers or ())
    done.out, done.step_results, done.sources = out, step_results, sources
    done.ner_done, done.generated = ner_done, generated
    done.public, done.generalized_by_steps = public, generalized_by_steps
