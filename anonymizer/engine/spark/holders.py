"""``holders`` on the executors (#21): a register of permit holders classified and protected
where its rows are, by the step's own code (:class:`anonymizer.steps.holders.Holders`).

* executors: each row's class (corporation, individual or a flag) and its released cells —
  an individual's name replaced by the label and personal cells protected, the class column
  added — in partitions (``mapInPandas``: :meth:`Holders.kinds`, :meth:`Holders.released`);
* driver: the classes' counts; a register with flagged rows is refused with the pandas
  engine's message (the first rows of each flag, the counts); the corporations' row numbers
  (their cells are declared public, as the pandas step declares them: the gate reads them by
  row number) — row numbers, never cells;
* executors, then driver: the step's gate check (:meth:`Holders.against_class`) in
  partitions, only the counts and first rows of each problem reaching the driver.

The released table stays on the executors (:class:`.released.SparkReleased`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from anonymizer.engine.spark.remote import carry_errors
from anonymizer.operators._common import MAX_ROWS_IN_ERROR
from anonymizer.steps._corporate import CORPORATION, INDIVIDUAL

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from anonymizer.engine.spark.released import SparkReleased
    from anonymizer.steps.base import StepContext, StepResult
    from anonymizer.steps.holders import Holders

#: a released row's class, beside its cells
KIND = "__kind"


def run(step: Holders, released: SparkReleased, ctx: StepContext) -> StepResult:
    """The step's result, its released table on the executors."""
    step.require_identifiers(ctx)
    step.preflight(ctx.pipeline_path)
    return released.guard(lambda: _run(step, released))  # type: ignore[no-any-return]


def _run(step: Holders, released: SparkReleased) -> StepResult:
    from pyspark.sql import functions as F

    from anonymizer.steps.base import StepResult

    names = list(released.names)
    after = step.columns_after(names)
    cells = [F.col(f"s{s}").alias(f"c{j}") for j, s in enumerate(released.slots)]
    schema = ", ".join(
        ["__row long", *[f"s{j} string" for j in range(len(after))], f"{KIND} string"]
    )
    done = (
        released.data.select("__row", *cells)
        .mapInPandas(_releasing(step, names, after), schema)
        .localCheckpoint(eager=True)
    )
    counts = {str(r[KIND]): int(r["count"]) for r in done.groupBy(KIND).count().collect()}
    flagged = {k: n for k, n in counts.items() if k not in (CORPORATION, INDIVIDUAL)}
    if flagged:
        first = _first_rows(done.where(~F.col(KIND).isin(CORPORATION, INDIVIDUAL)), KIND)
        found = {k: (n, first.get(k, [])) for k, n in flagged.items()}
        raise step.flagged_error(found, sum(counts.values()))
    corporations, individuals = counts.get(CORPORATION, 0), counts.get(INDIVIDUAL, 0)
    at: pd.DataFrame = done.where(F.col(KIND) == CORPORATION).select("__row").toPandas()  # type: ignore[assignment]
    corp = pd.Series(True, index=pd.Index(at["__row"].to_numpy(dtype=np.int64)), dtype=bool)
    bad = done.mapInPandas(_against(step, after), "k string, __row long")
    first = _first_rows(bad, "k")
    cells_of = {str(r["k"]): int(r["count"]) for r in bad.groupBy("k").count().collect()}
    # the problems in the pandas step's order: its own, on no row
    none = pd.DataFrame(columns=after, dtype="string")
    order = list(step.against_class(none, pd.Series([], dtype=bool)))
    problems = {k: {"cells": cells_of[k], "rows": first.get(k, [])} for k in order if k in cells_of}
    table = replace(
        released,
        data=done.drop(KIND),
        names=tuple(after),
        slots=tuple(range(len(after))),
    )
    return StepResult(
        frame=table,
        report=step.summary(corporations, individuals),
        checks=[step.judged(corporations, individuals, problems)],
        public=step.public_cells(corp),
    )


def _first_rows(frame: DataFrame, key: str) -> dict[str, list[int]]:
    """Per ``key`` value, the data-row numbers (1-based) of its first rows, as the pandas
    step lists them."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    ranked = frame.withColumn(
        "_n", F.row_number().over(Window.partitionBy(key).orderBy("__row"))
    ).where(F.col("_n") <= MAX_ROWS_IN_ERROR)
    out: dict[str, list[int]] = {}
    for r in sorted(ranked.select(key, "__row").collect(), key=lambda r: r["__row"]):
        out.setdefault(str(r[key]), []).append(int(r["__row"]) + 1)
    return out


def _table(batch: pd.DataFrame, columns: list[str], prefix: str) -> pd.DataFrame:
    """A batch's cells as the step reads them: text columns named ``columns``, indexed by
    the rows' numbers."""
    index = pd.Index(batch["__row"].to_numpy(dtype=np.int64))
    return pd.DataFrame(
        {c: batch[f"{prefix}{j}"].to_numpy(dtype=object) for j, c in enumerate(columns)},
        index=index,
    ).astype("string")


def _releasing(step: Holders, names: list[str], after: list[str]):  # type: ignore[no-untyped-def]
    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            frame = _table(batch, names, "c")
            kind = step.kinds(frame)
            out = step.released(frame, (kind == CORPORATION).astype(bool))
            result: dict[str, Any] = {"__row": frame.index.to_numpy()}
            for j, c in enumerate(after):
                cells = out[c].astype(object)
                result[f"s{j}"] = cells.where(out[c].notna(), None).to_numpy()
            result[KIND] = kind.astype(object).to_numpy()
            yield pd.DataFrame(result)

    return run


def _against(step: Holders, after: list[str]):  # type: ignore[no-untyped-def]
    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            out = _table(batch, after, "s")
            corp = pd.Series(batch[KIND].to_numpy() == CORPORATION, index=out.index)
            bad = step.against_class(out, corp)
            parts = [
                pd.DataFrame({"k": k, "__row": out.index[m.to_numpy(dtype=bool)]})
                for k, m in bad.items()
                if m.any()
            ]
            empty = pd.DataFrame({"k": pd.Series([], dtype=object),
                                  "__row": pd.Series([], dtype="int64")})  # fmt: skip
            yield pd.concat(parts) if parts else empty

    return run
