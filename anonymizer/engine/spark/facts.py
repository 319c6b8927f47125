"""The input columns' :class:`~anonymizer.scan.profile.ColumnFacts` counted on the executors:
rows, cells not blank, distinct values, a few columns' values with their counts, and the
sampled cells — the same sample as the pandas engine's (:func:`~anonymizer.scan.profile.
sample_keys`: a top-k by key in Spark). Only those facts reach the driver, which profiles
the columns with the same code (:func:`~anonymizer.scan.profile.profile_columns`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from anonymizer.engine.spark.gate import pairs
from anonymizer.scan.profile import CATEGORY_MAX, ColumnFacts

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

KEY = "__key"


def _blank_as_null(table: DataFrame, columns: Sequence[str]) -> DataFrame:
    """``__row``, :data:`KEY` and the columns with a blank cell as null — blank as the pandas
    engine reads it (:func:`~anonymizer.operators._common.blank_mask`: an ideographic space
    too), in a ``mapInPandas``."""
    from anonymizer.engine.spark.remote import carry_errors

    names = list(columns)

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from anonymizer.operators._common import blank_mask
        from anonymizer.scan.profile import sample_keys

        for batch in batches:
            out = pd.DataFrame({"__row": batch["__row"].to_numpy(dtype="int64")})
            out[KEY] = sample_keys(out["__row"].to_numpy())
            for c in names:
                text = batch[c].astype("string")
                kept = text.where(~blank_mask(text))
                out[c] = kept.astype(object).where(kept.notna(), None).to_numpy()
            yield out

    schema = ", ".join(["__row long", f"{KEY} long", *(f"`{c}` string" for c in names)])
    return table.select("__row", *names).mapInPandas(run, schema)


def column_facts(
    table: DataFrame, columns: Sequence[str], names: Sequence[str], sample: int
) -> list[ColumnFacts]:
    """Facts of ``table``'s ``columns`` (with ``__row``), reported under ``names``: the totals
    and the few-valued columns' counts in a pass each, whatever the number of columns; the
    samples a top-k per column."""
    from pyspark.sql import functions as F

    cols = list(columns)
    if not cols:
        return []
    keyed = _blank_as_null(table, cols).localCheckpoint(eager=True)
    aggs = [F.count(F.lit(1)).alias("rows")]
    for j, c in enumerate(cols):
        aggs += [F.count(F.col(f"`{c}`")).alias(f"n{j}"),
                 F.countDistinct(F.col(f"`{c}`")).alias(f"d{j}")]  # fmt: skip
    totals = keyed.agg(*aggs).collect()[0]
    few = [j for j in range(len(cols)) if int(totals[f"d{j}"]) <= CATEGORY_MAX]
    counts = _value_counts(keyed, cols, few)
    cells = _samples(keyed, cols, sample)
    return [
        ColumnFacts(
            str(name),
            int(totals["rows"]),
            int(totals[f"n{j}"]),
            int(totals[f"d{j}"]),
            counts.get(j),
            cells[j],
        )
        for j, name in enumerate(names)
    ]


def _value_counts(keyed: DataFrame, cols: list[str], few: list[int]) -> dict[int, pd.Series]:
    """The values of the columns ``few`` (by position) with their counts, in the order they
    first appear: one group-by over (column, value) pairs."""
    from pyspark.sql import functions as F

    if not few:
        return {}
    cells = pairs([F.col(f"`{cols[j]}`") for j in few])  # j: the position in few
    found = (
        keyed.select("__row", cells.alias("p"))
        .where(F.col("p.v").isNotNull())
        .groupBy(F.col("p.j").alias("j"), F.col("p.v").alias("v"))
        .agg(F.count(F.lit(1)).alias("n"), F.min("__row").alias("first"))
        .collect()
    )
    found.sort(key=lambda r: r["first"])  # in the order values first appear
    out: dict[int, dict[str, int]] = {j: {} for j in few}
    for r in found:
        out[few[r["j"]]][str(r["v"])] = int(r["n"])
    return {j: pd.Series(values, dtype="int64") for j, values in out.items()}


def _samples(keyed: DataFrame, cols: list[str], sample: int) -> list[list[str]]:
    """Each column's first ``sample`` cells not blank by (:data:`KEY`, ``__row``), for every
    column in one job: each partition's top-k of each column (what ``orderBy(…).limit(k)``
    keeps per partition, column by column), merged here. A window over (column, cell) pairs
    would sort every cell (1.4× the time at 1,000,000 rows × 8 columns); a top-k per column
    is a job per column."""
    from anonymizer.engine.spark.remote import carry_errors

    names = list(cols)

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        best: list[pd.DataFrame | None] = [None] * len(names)
        for batch in batches:
            for j, c in enumerate(names):
                part = batch.loc[batch[c].notna(), [KEY, "__row", c]].rename(columns={c: "v"})
                held = best[j]
                if held is not None:
                    part = pd.concat([held, part], ignore_index=True)
                best[j] = part.sort_values([KEY, "__row"], kind="stable").head(sample)
        frames = [b.assign(j=j) for j, b in enumerate(best) if b is not None and len(b)]
        if frames:
            out = pd.concat(frames, ignore_index=True)
            yield pd.DataFrame({
                "j": out["j"].to_numpy(dtype="int32"), KEY: out[KEY].to_numpy(dtype="int64"),
                "__row": out["__row"].to_numpy(dtype="int64"),
                "v": out["v"].astype(object).to_numpy(),  # (not Arrow-backed: Spark's own)
            })  # fmt: skip

    schema = f"j int, {KEY} long, __row long, v string"
    found = keyed.mapInPandas(run, schema).collect()
    per: list[list[tuple[int, int, str]]] = [[] for _ in names]
    for r in found:
        per[r["j"]].append((r[KEY], r["__row"], r["v"]))
    return [[str(v) for _k, _r, v in sorted(cells)[:sample]] for cells in per]
