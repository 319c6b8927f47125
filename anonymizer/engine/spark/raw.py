"""The raw-value check on Spark (#21 item 4): :func:`anonymizer.pipeline.gate.raw_values` as a
join, not one automaton of every identifier value.

Identifier values and released cells are both folded (:func:`~anonymizer.match.fold_key`); a
value is found by an *anchor* — its whole key when shorter than :data:`ANCHOR`, else its
:data:`ANCHOR`-gram that is rarest among all values' grams (then of least hash) — joined with
the same grams of every distinct cell. A candidate is then confirmed per partition: the key
really there, and whole (:func:`~anonymizer.match.matcher.whole_value`, what the automaton pass
of :meth:`RecordMatcher.columns_in` asks). A value split over two free-text cells of one row
is the same join over the window of the row's two keys around the cut.

When the texts searched are few (the distinct released cells, or the windows, have at most
:data:`BROADCAST_CHARS` characters in all: a city's release, a table of categories), they are
sent to the executors instead, and each task matches them with an automaton of the values it
holds (:meth:`~anonymizer.match.matcher.RecordMatcher.of_keys`, the automaton pass of the
pandas check): one job, no anchors, and still no process holds every identifier value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from anonymizer.engine.spark.gate import cells_of, first_rows
from anonymizer.engine.spark.remote import carry_errors

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from anonymizer.steps.base import GateCheck

#: the gram a value of this many folded characters or more is found by (shorter: itself)
ANCHOR = 5
#: texts of at most this many characters in all are sent to the executors, which match them
#: with automata of the values they hold; more (a national table's free text): the join
BROADCAST_CHARS = 2_000_000
#: identifier values per task when the texts are sent (each task: one automaton of its values)
VALUES_PER_TASK = 250_000


@dataclass(frozen=True)
class Patterns:
    """The identifier values to hunt, folded (:func:`patterns`) and, when a join needs them,
    anchored, held by the executors: built once for a run's checks (the data's and the
    headers')."""

    #: ``key``, ``h``, ``gaps``: each distinct folded value
    keys: DataFrame
    #: the column each ``h`` names
    hunted: tuple[str, ...]
    #: how many distinct values
    checked: int
    #: the lengths of the keys shorter than :data:`ANCHOR`
    short: tuple[int, ...]
    #: the longest key's length (0: none)
    longest: int = 0

    @cached_property
    def frame(self) -> DataFrame:
        """``key``, ``h``, ``gaps``, ``anchor``, ``off``: each value with its anchor, the
        join's side (built when a check first joins)."""
        return _anchored(self.keys).localCheckpoint(eager=True)


def patterns(
    values: DataFrame,
    hunted: Sequence[str],
    addresses: Sequence[str] = (),
    numbered_only: Sequence[str] = (),
) -> Patterns:
    """``values`` (``h``: position in ``hunted``, ``v``) as :class:`Patterns`; ``addresses``:
    the columns whose values match only with their digit grouping."""
    from pyspark.sql import functions as F

    keys = _keys(values, hunted, set(addresses), set(numbered_only))
    # how many, the short keys' lengths and the longest, in one pass
    n = F.length("key")
    found = keys.agg(
        F.count(F.lit(1)).alias("checked"),
        F.collect_set(F.when(n < ANCHOR, n)).alias("short"),
        F.max(n).alias("longest"),
    ).first()
    assert found is not None
    checked = int(found["checked"])
    return Patterns(
        keys, tuple(hunted), checked, tuple(sorted(found["short"])), int(found["longest"] or 0)
    )


def _cut(keyed: DataFrame, ids: Sequence[str], lengths: Sequence[int], at: str) -> DataFrame:
    """Every substring of ``keyed``'s ``key`` of each of ``lengths``: ``ids``…, ``gram`` and
    ``at`` (its offset), cut in Spark (strings count characters, as Python's do)."""
    from pyspark.sql import functions as F

    cols = list(dict.fromkeys([*ids, "key"]))
    out = None
    for length in lengths:
        offsets = F.explode(F.sequence(F.lit(0), F.length("key") - length)).alias(at)
        cut = keyed.where(F.length("key") >= length).select(*cols, offsets)
        part = cut.select(*ids, F.expr(f"substring(key, {at} + 1, {length})").alias("gram"), at)
        out = part if out is None else out.unionByName(part)
    assert out is not None
    return out


def _keys(
    values: DataFrame, hunted: Sequence[str], addresses: set[str], numbered: set[str]
) -> DataFrame:
    """The folded keys of the identifier values (``h``, ``v``), as :class:`RecordMatcher` takes
    them: ``key``, ``h`` (the column that names it: the last one holding it), ``gaps`` (an
    address value's digit groupings, JSON)."""
    from pyspark.sql import functions as F

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from anonymizer.match import fold_key, identifying, numbered_address
        from anonymizer.match.matcher import digit_gaps

        for batch in batches:
            rows = []
            for h, value in zip(batch["h"], batch["v"], strict=True):
                column = hunted[int(h)]
                if column in numbered and not numbered_address(value):
                    continue
                key = fold_key(value)
                if not identifying(key):
                    continue
                gaps = json.dumps(sorted(digit_gaps(value, key))) if column in addresses else None
                rows.append((key, int(h), gaps))
            yield pd.DataFrame(rows, columns=["key", "h", "gaps"])

    schema = "key string, h int, gaps string"
    return (
        values.mapInPandas(run, schema)
        .groupBy("key")
        .agg(F.max("h").alias("h"), F.collect_set("gaps").alias("gaps"))
        .localCheckpoint(eager=True)
    )


def _anchored(keys: DataFrame) -> DataFrame:
    """``keys`` (``key``, ``h``, ``gaps``) with each value's ``anchor`` and its ``off``."""
    from pyspark.sql import functions as F

    # a value's candidate anchors: each of its ANCHOR-grams (with their CRC-32), or the whole
    # key when shorter
    every = _cut(keys.select("key"), ["key"], [ANCHOR], "off").withColumn(
        "crc", F.crc32(F.encode("gram", "UTF-8"))
    ).unionByName(
        keys.where(F.length("key") < ANCHOR).select(
            "key", F.col("key").alias("gram"), F.lit(0).alias("off"),
            F.lit(0).cast("long").alias("crc"),
        )
    )  # fmt: skip
    # each value is joined by its rarest gram among all values' grams (then the least hash):
    # 東京都国立 opens every address of the city, so no address is found by it
    counts = every.groupBy("gram").count()
    ranked = every.join(counts, "gram").groupBy("key").agg(
        F.min(F.struct("count", "crc", "off", "gram")).alias("best")
    )
    return keys.join(ranked, "key").select(
        "key", "h", "gaps", F.col("best.gram").alias("anchor"), F.col("best.off").alias("off")
    )


def _folded(texts: DataFrame) -> DataFrame:
    """``texts`` (``v``) with ``tid`` (a hash of ``v``: a collision costs a candidate, never a
    miss, since every candidate is confirmed on its own text) and ``key``."""
    from pyspark.sql import functions as F

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from anonymizer.match import fold_key

        for batch in batches:
            yield batch.assign(key=[fold_key(v) for v in batch["v"]])

    keyed = texts.select(F.xxhash64("v").alias("tid"), "v")
    return keyed.mapInPandas(run, "tid long, v string, key string")


def _confirm(frame: DataFrame) -> DataFrame:
    """Candidates confirmed: the value's key at ``start`` of the text's key, and whole
    (:func:`whole_value`): ``v`` (the text) and ``h`` (the value's column). (Never the hash a
    candidate was joined by: the texts themselves say which hold a value.)"""

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from anonymizer.match.matcher import whole_value

        cache: dict[int, list[tuple[int, int]]] = {}
        seen: dict[str, int] = {}  # the offset maps' cache is keyed by text
        for batch in batches:
            keep = []
            for r in batch.itertuples(index=False):
                a, b = int(r.start), int(r.start) + len(r.pkey)
                ok = a >= 0 and r.key[a:b] == r.pkey
                if ok:
                    gaps = (
                        {frozenset(json.loads(g)) for g in r.gaps}
                        if r.gaps is not None and len(r.gaps)
                        else None
                    )
                    ok = whole_value(r.key, a, b, r.v, gaps, cache, seen.setdefault(r.v, len(seen)))
                keep.append(ok)
            cache.clear()
            seen.clear()
            yield batch.loc[keep, ["v", "h"]]

    return frame.mapInPandas(run, "v string, h int")


def _found(
    keyed: DataFrame, patterns: DataFrame, short: Sequence[int], ids: list[str]
) -> DataFrame:
    """The candidates of ``keyed`` (``ids``…, ``key``) for ``patterns``: ids, ``pkey``, ``h``,
    ``gaps``, ``start``: every (gram, position) of a key an anchor can meet — its
    :data:`ANCHOR`-grams and its substrings of the ``short`` values' lengths."""
    from pyspark.sql import functions as F

    grams = _cut(keyed, ids, (*short, ANCHOR), "pos")
    joined = grams.join(patterns, grams["gram"] == patterns["anchor"])
    return joined.select(
        *ids, F.col("key").alias("pkey"), "h", "gaps", (F.col("pos") - F.col("off")).alias("start")
    )


def _sent(texts: DataFrame, column: str) -> list[Any] | None:
    """The rows of ``texts`` (distinct) when their ``column`` has at most
    :data:`BROADCAST_CHARS` characters in all, else None (they are searched by the join)."""
    from pyspark.sql import functions as F

    total = texts.agg(F.sum(F.length(column)).alias("n")).first()
    assert total is not None
    if int(total["n"] or 0) > BROADCAST_CHARS:
        return None
    return texts.collect()


def _matched(
    hunted: Patterns,
    keys: list[str],
    texts: list[str] | None = None,
    cuts: list[int] | None = None,
    gaps: bool = True,
) -> set[tuple[int, str, int]]:
    """(i, key, h): the folded ``keys`` (of ``texts``) holding a value of ``h``, matched on
    the executors: each task one automaton of the values it holds, over every key sent. With
    ``texts``, a value counts where it stands whole (:meth:`RecordMatcher.columns_in`; with
    ``gaps``, an address with its digit grouping; its key is not told: ""); without, wherever
    its key is (:meth:`RecordMatcher.keys_in`, as ``mask_text`` finds it), and with ``cuts``
    only where it crosses ``cuts[i]`` (:meth:`RecordMatcher.crossing`)."""
    spark = hunted.keys.sparkSession
    shared = spark.sparkContext.broadcast((keys, texts, cuts))

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from anonymizer.match import RecordMatcher

        found: dict[str, str] = {}
        grouped: dict[str, set[frozenset[int]]] = {}
        for batch in batches:
            for key, h, g in zip(batch["key"], batch["h"], batch["gaps"], strict=True):
                found[key] = str(int(h))
                if gaps and g is not None and len(g):
                    grouped[key] = {frozenset(json.loads(x)) for x in g}
        if not found:
            return
        matcher = RecordMatcher.of_keys(found, grouped)
        sent, originals, at = shared.value
        if originals is not None:
            hits = [
                (i, "", int(c)) for i, cols in matcher.columns_in(sent, originals).items()
                for c in cols
            ]  # fmt: skip
        else:
            hits = [
                (i, key[s:e], int(c)) for i, key in enumerate(sent)
                for s, e, c, _ in matcher.keys_in(key, None) if at is None or s < at[i] < e
            ]  # fmt: skip
        yield pd.DataFrame(hits, columns=["i", "k", "h"])

    tasks = max(1, math.ceil(hunted.checked / VALUES_PER_TASK))
    try:
        rows = hunted.keys.coalesce(tasks).mapInPandas(run, "i int, k string, h int").collect()
    finally:
        shared.unpersist()
    return {(int(r["i"]), str(r["k"]), int(r["h"])) for r in rows}


def raw_values(
    table: DataFrame,
    names: Sequence[str],
    hunted: Patterns,
    across: Sequence[str] = (),
    gaps: bool = True,
) -> GateCheck:
    """:func:`anonymizer.pipeline.gate.raw_values` over ``table`` (``g*`` = ``names``) for the
    values ``hunted``; ``gaps``: an address value matches only with its digit grouping (the
    ``addresses`` ``hunted`` was built with) — else anywhere its key is.

    The distinct texts are searched once; the cells are read again only when a text holds a
    value (to count and list them), so a release that passes costs one pass."""
    from pyspark.sql import functions as F

    from anonymizer.match import fold_key
    from anonymizer.pipeline.gate import add_split, raw_check

    problems: dict[str, dict[str, Any]] = {}
    if not hunted.checked:
        return raw_check(problems, 0)
    cells = cells_of(table, len(names))
    distinct = cells.select("v").distinct()
    listed = _sent(distinct, "v")
    bad: DataFrame | None
    if listed is not None:  # few: sent to the values
        texts = [r["v"] for r in listed]
        hits = _matched(hunted, [fold_key(t) for t in texts], texts, gaps=gaps)
        bad = (
            table.sparkSession.createDataFrame(
                sorted({(texts[i], h) for i, _k, h in hits}), "v string, h int"
            )
            if hits
            else None
        )
    else:  # many: the join on anchors
        texts_ = _folded(distinct).localCheckpoint(eager=True)
        found = _found(texts_, hunted.frame, hunted.short, ["tid"])
        candidates = found.join(texts_, "tid")
        if not gaps:
            candidates = candidates.withColumn("gaps", F.lit(None).cast("array<string>"))
        bad = _confirm(candidates).distinct()
        bad = bad.localCheckpoint(eager=True)
        if bad.isEmpty():
            bad = None
    if bad is not None:
        cells = cells.localCheckpoint(eager=True)
        origin: dict[int, set[int]] = {}
        held = cells.select("c", "v").distinct().join(bad, "v").select("c", "h").distinct()
        for r in held.collect():
            origin.setdefault(r["c"], set()).add(r["h"])
        bad_cells = cells.join(bad.select("v").distinct(), "v").localCheckpoint(eager=True)
        counts = {r["c"]: int(r["count"]) for r in bad_cells.groupBy("c").count().collect()}
        rows = first_rows(bad_cells, ["c"])
        for j, name in enumerate(names):
            if counts.get(j):
                problems[name] = {
                    "cells": counts[j],
                    "rows": rows[(j,)],
                    "from_columns": sorted({hunted.hunted[h] for h in origin[j]}),
                }
    for name, (cells_n, listed_rows) in _split(table, names, across, hunted).items():
        add_split(problems, name, cells_n, listed_rows)
    return raw_check(problems, hunted.checked)


def row_pairs(table: DataFrame, pairs: Sequence[tuple[str, str]]) -> DataFrame:
    """Each row's two cells of each of ``pairs`` (columns of ``table``, which has ``__pos``
    and ``__row``), both not empty: ``pair`` (its position), ``__pos``, ``__row``, ``l``,
    ``r``."""
    from pyspark.sql import functions as F

    sides = [
        table.select(
            F.lit(p).cast("long").alias("pair"), "__pos", "__row",
            F.col(a).alias("l"), F.col(b).alias("r"),
        ).where((F.length("l") > 0) & (F.length("r") > 0))
        for p, (a, b) in enumerate(pairs)
    ]  # fmt: skip
    joined = sides[0]
    for side in sides[1:]:
        joined = joined.unionByName(side)
    return joined


def windows(joined: DataFrame, longest: int) -> DataFrame:
    """Each row's two cells (``pair``, ``__pos``, ``__row``, ``l``, ``r``) as the window of
    their folded keys around the cut (``key``, ``cut``): a value of at most ``longest``
    characters crossing the cut lies within its length of it, so only that is searched."""

    @carry_errors
    def keys(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from anonymizer.match import fold_key

        for batch in batches:
            rows = []
            for pair, pos, row, left, right in zip(
                batch["pair"], batch["__pos"], batch["__row"], batch["l"], batch["r"], strict=True
            ):
                lk, rk = fold_key(left), fold_key(right)
                if lk and rk:
                    at = max(len(lk) - longest + 1, 0)
                    window = lk[at:] + rk[: longest - 1]
                    rows.append((pair, pos, row, window, len(lk) - at))
            yield pd.DataFrame(rows, columns=["pair", "__pos", "__row", "key", "cut"])

    schema = "pair long, __pos long, __row long, key string, cut int"
    return joined.mapInPandas(keys, schema)


def _split(
    table: DataFrame,
    names: Sequence[str],
    across: Sequence[str],
    hunted: Patterns,
) -> dict[str, tuple[int, list[int]]]:
    """{column: (cells, first rows)} holding part of a value that continues in another of the
    ``across`` columns in the same row (:func:`anonymizer.pipeline.gate._split_values`)."""
    from pyspark.sql import functions as F

    cols = [c for c in across if c in names]
    if len(cols) < 2:
        return {}
    pairs = [(a, b) for a in cols for b in cols if a != b]
    at = {c: f"g{names.index(c)}" for c in cols}
    joined = row_pairs(table, [(at[a], at[b]) for a, b in pairs])
    rowkeys = windows(joined, hunted.longest).localCheckpoint(eager=True)
    spans = (
        rowkeys.select("key", "cut").distinct()
        .withColumn("sid", F.xxhash64("key", "cut")).localCheckpoint(eager=True)
    )  # fmt: skip
    found = occurring(spans, hunted, ["sid"], crossing=True).select("sid").distinct()
    hits = spans.join(found, "sid").select("key", "cut")
    crossing = rowkeys.join(hits, ["key", "cut"])
    cells = crossing.select(
        F.explode(F.array(
            F.struct(F.col("pair").alias("p"), F.lit(0).alias("side")),
            F.struct(F.col("pair").alias("p"), F.lit(1).alias("side")),
        )).alias("x"), "__pos", "__row",
    )  # fmt: skip
    found_pairs = {r["pair"] for r in crossing.select("pair").distinct().collect()}
    if not found_pairs:  # (a release that passes: nothing more to count)
        return {}
    side_col = F.create_map(*[
        x for p, (a, b) in enumerate(pairs) for s, c in ((0, a), (1, b))
        for x in (F.lit(f"{p}:{s}"), F.lit(c))
    ])  # fmt: skip
    by_col = cells.select(
        side_col[F.concat_ws(":", F.col("x.p").cast("string"), F.col("x.side").cast("string"))]
        .alias("col"), "__pos", "__row",
    ).distinct()  # fmt: skip
    counts = {r["col"]: int(r["count"]) for r in by_col.groupBy("col").count().collect()}
    rows = first_rows(by_col, ["col"])
    out: dict[str, tuple[int, list[int]]] = {}
    for p, (a, b) in enumerate(pairs):  # the order the pandas check meets them in
        if p in found_pairs:
            for col in (a, b):
                out.setdefault(col, (counts[col], rows[(col,)]))
    return out


def occurring(
    keyed: DataFrame, hunted: Patterns, ids: list[str], crossing: bool, send: bool = True
) -> DataFrame:
    """The values ``hunted`` wherever their key is in ``keyed``'s ``key`` (``ids``…, ``key``,
    and with ``crossing`` its ``cut``: only a value over the cut counts), as ``mask_text``'s
    matcher finds them (:meth:`RecordMatcher.keys_in`: no test of standing whole): ``ids``…,
    ``pkey``, ``h`` — sent to the values when few (:data:`BROADCAST_CHARS`) and ``send`` (the
    texts pass through the driver), else by the join on anchors."""
    cols = [*ids, "key", *(["cut"] if crossing else [])]
    types = {f.name: f.dataType.simpleString() for f in keyed.schema.fields}
    schema = ", ".join([*(f"`{i}` {types[i]}" for i in ids), "pkey string", "h int"])
    listed = _sent(keyed.select(*cols), "key") if send else None
    if listed is not None:
        cuts = [int(r["cut"]) for r in listed] if crossing else None
        hits = _matched(hunted, [r["key"] for r in listed], cuts=cuts)
        rows = [(*(listed[i][c] for c in ids), k, h) for i, k, h in sorted(hits)]
        return keyed.sparkSession.createDataFrame(rows, schema)
    found = _found(keyed.select(*ids, "key"), hunted.frame, hunted.short, ids)
    candidates = found.join(keyed.select(*cols), ids)

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            keep = []
            for r in batch.itertuples(index=False):
                a, b = int(r.start), int(r.start) + len(r.pkey)
                ok = a >= 0 and r.key[a:b] == r.pkey
                keep.append(ok and (not crossing or a < int(r.cut) < b))
            yield batch.loc[keep, [*ids, "pkey", "h"]]

    return candidates.mapInPandas(run, schema).distinct()
