"""``mask_text``'s view of the other rows on Spark: the engine decides where rows are
processed, never what is computed.

The pandas engine's ``mask_text`` looks for every row's identifier values in each text (a whole
value in any row: :class:`~anonymizer.match.RecordMatcher`), so a 相談内容 naming another
resident's 相談番号 or phone is masked. An executor's batch holds its own rows only. So before
the row pass each row is given the whole values of *any* row found in its free-text cells, or
across two of them (:func:`.raw.occurring`: each chunk of the notes goes to every task
holding a share of the values or, with a national table's values and notes, they are joined
on anchors; the driver collects neither), each with the column the whole table's
matcher gives it (the last holding it); the batch's matcher adds them (``MaskText.foreign``)
and finds in its texts what the whole table's finds. (A value a ``redact`` mask would make by
joining the text on either side of what it removed is not among them: the gate, which hunts
every value everywhere, refuses such a release.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from anonymizer.engine.spark.remote import carry_errors

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from anonymizer.engine.spark.rows import RowJob
    from anonymizer.pipeline.spec import PipelineSpec

#: the column the row pass reads a row's found values from (JSON: [{"k": key, "h": label}])
COLUMN = "__foreign"


def labels(spec: PipelineSpec) -> tuple[list[str], list[str | None]]:
    """The whole-value columns ``mask_text``'s matcher holds, in its order (the hunted
    columns but a name's parts, then each name held in two columns, joined), and their
    entities."""
    from anonymizer.match.names import joined_label

    hunted = spec.hunted_columns()
    whole = spec.whole_value_columns()
    pairs = spec.name_pairs()
    names = [*whole, *(joined_label(f, g) for f, g in pairs)]
    return names, [*(hunted[c] for c in whole), *(["PERSON"] * len(pairs))]


def wanted(spec: PipelineSpec, operators: dict[str, list[Any]]) -> bool:
    """Does a column's ``mask_text`` look for the record's values (and is there free text)?"""
    from anonymizer.operators.mask_text import MaskText

    masks = any(isinstance(op, MaskText) for ops in operators.values() for op in ops)
    return masks and bool(labels(spec)[0])


def found_in(batch: pd.DataFrame, spec: PipelineSpec) -> dict[str, tuple[str, str | None]]:
    """The other rows' values a batch's texts hold (key → column, entity), from its
    :data:`COLUMN` (none when absent)."""
    if COLUMN not in batch.columns:
        return {}
    names, entities = labels(spec)
    out: dict[str, tuple[str, str | None]] = {}
    for text in batch[COLUMN].dropna():
        for item in json.loads(text):
            h = int(item["h"])
            out[item["k"]] = (names[h], entities[h])
    return out


def with_foreign(rows: DataFrame, job: RowJob) -> DataFrame:
    """``rows`` (``c0 …``, ``__row``) with :data:`COLUMN`: the whole values of any row found
    in the row's free-text cells or across two of them (null: none)."""
    from pyspark.sql import functions as F

    from anonymizer.engine.spark import raw

    spec = job.spec
    at = {c: f"c{i}" for i, c in enumerate(job.columns)}
    names, _entities = labels(spec)
    pairs = spec.name_pairs()
    whole = spec.whole_value_columns()
    needed = [c for c in dict.fromkeys([*whole, *(c for pair in pairs for c in pair)]) if c in at]
    free = [c for c, cs in spec.columns.items() if cs.role == "free_text" and c in at]
    if not free or not needed:
        return rows

    @carry_errors
    def values(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from anonymizer.match.names import joined_names
        from anonymizer.pipeline.missing import read_as_missing

        for batch in batches:
            frame = batch[[at[c] for c in needed]].astype("string")
            frame.columns = needed
            frame, _ = read_as_missing(frame, spec)  # as the row pass reads them
            hs: list[int] = []
            vs: list[str] = []
            series = {c: frame[c] for c in whole if c in frame}
            series |= joined_names({c: frame[c] for pair in pairs for c in pair}, pairs)
            for label, cells in series.items():
                kept = cells.dropna()
                kept = kept[kept != ""]
                hs += [names.index(label)] * len(kept)
                vs += kept.tolist()
            yield pd.DataFrame(
                {"h": np.asarray(hs, dtype="int32"), "v": np.asarray(vs, dtype=object)}
            )

    source = rows.select("__row", *[at[c] for c in needed])
    found = source.mapInPandas(values, "h int, v string").distinct()  # (fewer to fold)
    hunted = raw.patterns(found, names, (), sorted(spec.numbered_only()))
    if not hunted.checked:
        return rows
    texts = (
        rows.select("__row", F.explode(F.array(*[F.col(at[c]) for c in free])).alias("v"))
        .where(F.col("v").isNotNull() & (F.col("v") != ""))
    )
    folded = raw._folded(texts.select("v").distinct()).localCheckpoint(eager=True)
    in_cells = raw.occurring(folded, hunted, ["tid"], crossing=False)
    cells = texts.join(folded.select("tid", "v"), "v")
    per_row = [cells.join(in_cells, "tid").select("__row", "pkey", "h")]
    if len(free) > 1:  # a value split over two cells of the row
        cells_of_two = [(at[a], at[b]) for a in free for b in free if a != b]
        joined = raw.row_pairs(rows.withColumn("__pos", F.col("__row")), cells_of_two)
        rowkeys = raw.windows(joined, hunted.longest).localCheckpoint(eager=True)
        spans = (
            rowkeys.select("key", "cut").distinct()
            .withColumn("sid", F.xxhash64("key", "cut")).localCheckpoint(eager=True)
        )  # fmt: skip
        crossing = raw.occurring(spans, hunted, ["sid"], crossing=True)
        per_row.append(
            rowkeys.join(spans, ["key", "cut"]).join(crossing, "sid").select("__row", "pkey", "h")
        )
    hits = per_row[0]
    for more in per_row[1:]:
        hits = hits.unionByName(more)
    given = hits.groupBy("__row").agg(
        F.to_json(F.collect_set(F.struct(F.col("pkey").alias("k"), F.col("h").alias("h"))))
        .alias(COLUMN)
    )
    return rows.join(given, "__row", "left")
