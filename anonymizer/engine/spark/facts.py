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
    """Facts of ``table``'s ``columns`` (with ``__row``), reported under ``names``."""
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
    out = []
    for j, (c, name) in enumerate(zip(cols, names, strict=True)):
        col = F.col(f"`{c}`")
        distinct = int(totals[f"d{j}"])
        counts = None
        if distinct <= CATEGORY_MAX:
            found = (
                keyed.where(col.isNotNull()).groupBy(col.alias("v"))
                .agg(F.count(F.lit(1)).alias("n"), F.min("__row").alias("first"))
                .collect()
            )  # fmt: skip
            found.sort(key=lambda r: r["first"])  # in the order values first appear
            counts = pd.Series({str(r["v"]): int(r["n"]) for r in found}, dtype="int64")
        picked = (
            keyed.where(col.isNotNull()).orderBy(KEY, "__row").limit(sample).select(col.alias("v"))
        )
        cells = [str(r["v"]) for r in picked.collect()]
        out.append(
            ColumnFacts(
                str(name), int(totals["rows"]), int(totals[f"n{j}"]), distinct, counts, cells
            )
        )
    return out
