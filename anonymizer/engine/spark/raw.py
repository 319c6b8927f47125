"""The raw-value check on Spark (#21 item 4): :func:`anonymizer.pipeline.gate.raw_values`
without one automaton of every identifier value, and without the driver collecting the texts
or the values. Identifier values and released cells are both folded
(:func:`~anonymizer.match.fold_key`), and searched one of two ways:

- **grouped** (:func:`_grouped`), up to :data:`GROUPED_SHARES` shares of values (4M): the values
  in shares of at most :data:`VALUES_PER_TASK` (by their key's hash), the distinct texts in
  chunks of at most :data:`CHUNK_CHARS` characters; each task matches one chunk with one
  automaton of one share (:meth:`~anonymizer.match.matcher.RecordMatcher.of_keys`, the
  automaton pass of the pandas check): a city's, a prefecture's release.
- **joined on anchors**, beyond that (more shares, each given every text, cost more than the
  join): a value is found by an *anchor* — its whole key
  when shorter than :data:`ANCHOR`, else its :data:`ANCHOR`-gram that is rarest among all
  values' grams (then of least hash) — joined with the same grams of every distinct cell. A
  candidate is then confirmed per partition: the key really there, and whole
  (:func:`~anonymizer.match.matcher.whole_value`, what the automaton pass of
  :meth:`RecordMatcher.columns_in` asks).

A value split over two free-text cells of one row is the same search over the window of the
row's two keys around the cut.
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
#: identifier values per share in the grouped search (each task: one automaton of a share)
VALUES_PER_TASK = 250_000
#: characters of text per chunk in the grouped search (each task: one chunk's texts)
CHUNK_CHARS = 20_000_000
#: the grouped search while the values make at most this many shares (4M values), else the
#: join on anchors. Grouping costs ≈ shares × text (every chunk goes to every share, each
#: share's automaton is built once per chunk), the join ≈ text (≈ 4 grams cut and shuffled per
#: character), so past some number of shares the join is the cheaper, whatever the text.
#: Measured on bench_spark's register (local[2]), the gate's search: 1M rows, 4 shares —
#: 30.7 s grouped, 82.8 s joined; 10M rows, 40 shares — 1,161 s grouped, 610 s joined (an
#: earlier version's run). They cross near 24 shares; 16 stays below.
GROUPED_SHARES = 16


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

    from anonymizer.pipeline.gate import add_split, raw_check

    problems: dict[str, dict[str, Any]] = {}
    if not hunted.checked:
        return raw_check(problems, 0)
    cells = cells_of(table, len(names))
    texts = _folded(cells.select("v").distinct()).localCheckpoint(eager=True)
    tasks = _tasks(texts, hunted)
    bad: DataFrame | None
    if tasks is not None:  # each share of the values over each chunk of the texts
        bad = _grouped(texts, hunted, ["v"], tasks, whole=True, gaps=gaps)
    else:  # the join on anchors
        found = _found(texts, hunted.frame, hunted.short, ["tid"])
        candidates = found.join(texts, "tid")
        if not gaps:
            candidates = candidates.withColumn("gaps", F.lit(None).cast("array<string>"))
        bad = _confirm(candidates)
    bad = bad.distinct().localCheckpoint(eager=True)
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


def occurring(keyed: DataFrame, hunted: Patterns, ids: list[str], crossing: bool) -> DataFrame:
    """The values ``hunted`` wherever their key is in ``keyed``'s ``key`` (``ids``…, ``key``,
    and with ``crossing`` its ``cut``: only a value over the cut counts), as ``mask_text``'s
    matcher finds them (:meth:`RecordMatcher.keys_in`: no test of standing whole): ``ids``…,
    ``pkey``, ``h`` — by the grouped search while it is cheap (:func:`_tasks`), else by the
    join on anchors. Neither way does the driver collect the texts or the values."""
    cols = [*ids, "key", *(["cut"] if crossing else [])]
    tasks = _tasks(keyed, hunted)
    if tasks is not None:
        return _grouped(keyed.select(*cols), hunted, ids, tasks, crossing=crossing).distinct()
    schema = _found_schema(keyed, ids, ["pkey"])
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


def _found_schema(keyed: DataFrame, ids: Sequence[str], pkey: Sequence[str]) -> str:
    """The schema of what a search finds in ``keyed``: its ``ids`` (their types there), then
    ``pkey`` (the value's key) when asked, and ``h`` (the value's column)."""
    types = {f.name: f.dataType.simpleString() for f in keyed.schema.fields}
    return ", ".join([*(f"`{i}` {types[i]}" for i in ids), *(f"{k} string" for k in pkey), "h int"])


def _tasks(keyed: DataFrame, hunted: Patterns) -> tuple[int, int] | None:
    """(shares of the values, chunks of ``keyed``'s ``key``) for the grouped search, or None
    past :data:`GROUPED_SHARES` (the join)."""
    from pyspark.sql import functions as F

    shares = max(1, math.ceil(hunted.checked / VALUES_PER_TASK))
    if shares > GROUPED_SHARES:
        return None
    total = keyed.agg(F.sum(F.length("key")).alias("n")).first()
    assert total is not None
    return shares, max(1, math.ceil(int(total["n"] or 0) / CHUNK_CHARS))


def _grouped(
    keyed: DataFrame,
    hunted: Patterns,
    ids: list[str],
    tasks: tuple[int, int],
    crossing: bool = False,
    whole: bool = False,
    gaps: bool = True,
) -> DataFrame:
    """The grouped search, on the executors: the values in shares (by their key's hash), the
    texts (``ids``…, ``key``, and ``cut`` with ``crossing``, ``v`` with ``whole``) in chunks;
    each task matches one chunk with one automaton of one share's values — the pandas
    matcher's own passes. ``ids``…, ``pkey``, ``h``: each value where its key is
    (:meth:`RecordMatcher.keys_in`, ``mask_text``'s; with ``crossing``, only over the cut); or
    with ``whole``, ``ids``…, ``h``: each text holding a value whole
    (:meth:`RecordMatcher.columns_in`, the gate's; with ``gaps``, an address with its digit
    grouping)."""
    from pyspark.sql import functions as F

    shares, chunks = tasks
    texts = keyed.select(
        *dict.fromkeys([*ids, "key", *(["cut"] if crossing else []), *(["v"] if whole else [])]),
        F.pmod(F.xxhash64("key"), F.lit(chunks)).cast("int").alias("c"),
        F.explode(F.sequence(F.lit(0), F.lit(shares - 1))).alias("b"),
    )
    values = hunted.keys.select(
        "key", "h", "gaps",
        F.pmod(F.xxhash64("key"), F.lit(shares)).cast("int").alias("b"),
        F.explode(F.sequence(F.lit(0), F.lit(chunks - 1))).alias("c"),
    )  # fmt: skip
    pkey = [] if whole else ["pkey"]
    out = [*ids, *pkey, "h"]
    schema = _found_schema(keyed, ids, pkey)

    @carry_errors
    def run(texts: pd.DataFrame, values: pd.DataFrame) -> Iterator[pd.DataFrame]:
        from anonymizer.match import RecordMatcher

        if texts.empty or values.empty:
            return
        found: dict[str, str] = {}
        grouped: dict[str, set[frozenset[int]]] = {}
        for key, h, g in zip(values["key"], values["h"], values["gaps"], strict=True):
            found[key] = str(int(h))
            if whole and gaps and g is not None and len(g):
                grouped[key] = {frozenset(json.loads(x)) for x in g}
        matcher = RecordMatcher.of_keys(found, grouped)
        heads = list(zip(*(texts[i] for i in ids), strict=True))
        keys = texts["key"].tolist()
        if whole:
            hits = matcher.columns_in(keys, texts["v"].tolist())
            rows = [(*heads[i], int(c)) for i, cols in hits.items() for c in cols]
        else:
            cuts = texts["cut"].tolist() if crossing else None
            rows = [
                (*heads[i], key[s:e], int(c))
                for i, key in enumerate(keys)
                for s, e, c, _ in matcher.keys_in(key, None)
                if cuts is None or s < int(cuts[i]) < e
            ]
        yield pd.DataFrame(rows, columns=out)

    def each(texts: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
        parts = list(run(texts, values))
        return parts[0] if parts else pd.DataFrame({c: [] for c in out})

    keys = ["b", "c"]
    return texts.groupBy(*keys).cogroup(values.groupBy(*keys)).applyInPandas(each, schema)
