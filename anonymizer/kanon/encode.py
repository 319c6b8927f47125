"""Integer-encode the table once; everything after runs on small int arrays.

Each QI becomes level-0 hierarchy codes; identical (QI…, sensitive…) rows collapse into one
*tuple* with a count, so the search works on at most a few ten thousand tuples even for
millions of rows (Adult resampled to 1,000,000 rows still has < 20,000 distinct tuples). The
input may itself be distinct rows with their record counts (``weights``, in the order the rows
first appear — what a Spark ``groupBy`` hands the driver): the tuples, their order and every
count are then those of the full table, so the search cannot tell the two apart. For a
transformation (one level per QI) the generalized codes of every tuple are gathered from
precomputed per-level maps and grouped on a mixed-radix integer key: a dense ``bincount`` when
the key space is small, hash factorization otherwise. No per-row Python loop anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from anonymizer.kanon.hierarchy import Hierarchy

_DENSE_LIMIT = 1 << 22  # key spaces up to 4M cells are grouped with bincount

#: a transformation: one generalization level per QI
Levels = Sequence[int] | np.ndarray


def group_codes(
    cols: Sequence[np.ndarray], sizes: Sequence[int], records: int | None = None
) -> tuple[np.ndarray, int]:
    """Group rows by several code columns → (group id per row, number of groups).

    ``records``: how many records the rows stand for (default: one each). It picks between
    the dense grouping (groups in key order) and hashing (in order of first appearance), so
    distinct rows with counts are grouped in the same order as the full table."""
    if not cols:
        raise ValueError("no columns to group by")
    n = len(cols[0])
    records = n if records is None else records
    total = 1
    for s in sizes:
        total *= max(int(s), 1)
    if total < 2**62:
        key = np.zeros(n, dtype=np.int64)
        for c, s in zip(cols, sizes, strict=True):
            key *= max(int(s), 1)
            key += c
        if total <= _DENSE_LIMIT and total <= 4 * records + 4096:
            present = np.bincount(key, minlength=total) > 0
            remap = np.cumsum(present) - 1
            return remap[key], int(present.sum())
        ids, uniques = pd.factorize(key, sort=False)
        return ids.astype(np.int64), len(uniques)
    acc = np.asarray(cols[0], dtype=np.int64)
    size = int(sizes[0])
    for c, s in zip(cols[1:], sizes[1:], strict=True):
        acc, uniques = pd.factorize(acc * max(int(s), 1) + c, sort=False)
        size = len(uniques)
    return acc.astype(np.int64), size


@dataclass(frozen=True, eq=False)
class Encoded:
    """The input as distinct tuples with counts (QI codes at level 0, sensitive codes)."""

    n: int
    columns: tuple[str, ...]
    hierarchies: tuple[Hierarchy, ...]
    tuples: np.ndarray  # (T, m) level-0 codes
    counts: np.ndarray  # (T,) records per tuple
    sens_columns: tuple[str, ...]
    sens: np.ndarray  # (T, s) sensitive codes
    sens_labels: tuple[np.ndarray, ...]
    sens_hierarchies: tuple[Hierarchy | None, ...]
    row_tuple: np.ndarray  # (n,) tuple of each input row
    #: gen[d][L] = level-L code of every tuple for QI d (precomputed once)
    gen: tuple[tuple[np.ndarray, ...], ...]
    #: value_counts[d][code0] = records holding that value
    value_counts: tuple[np.ndarray, ...]
    #: gen premultiplied by fixed mixed-radix strides (None if the key would overflow int64)
    keyed: tuple[tuple[np.ndarray, ...], ...] | None
    #: person code of every tuple when classes count distinct persons (the person is part of
    #: a tuple's identity, so each tuple belongs to one person; -1: a tuple of the persons
    #: ``person_weight`` counts); None: a record is a person
    person: np.ndarray | None = None
    #: distinct persons of every tuple, when each person's records are all in one tuple (the
    #: person is then not part of a tuple's identity, and persons add up over tuples); with
    #: ``person`` too, those of the tuples it codes -1 (0 for the others)
    person_weight: np.ndarray | None = None

    @property
    def by_person(self) -> bool:
        """Do classes count distinct persons (a person column was given)?"""
        return self.person is not None or self.person_weight is not None

    def persons(self, cls: np.ndarray, n_cls: int, rows: np.ndarray | None = None) -> np.ndarray:
        """Distinct persons per class, given the class id of every tuple (of ``rows``)."""
        out = np.zeros(n_cls, dtype=np.int64)
        if self.person_weight is not None:
            weight = self.person_weight if rows is None else self.person_weight[rows]
            out += np.bincount(cls, weights=weight, minlength=n_cls).astype(np.int64)
        if self.person is not None:
            person = self.person if rows is None else self.person[rows]
            named = person >= 0
            # the codes of these tuples only: Mondrian asks for one candidate class at a time
            width = int(person[named].max()) + 1 if named.any() else 1
            pairs = np.unique(cls[named].astype(np.int64) * width + person[named])
            out += np.bincount(pairs // width, minlength=n_cls).astype(np.int64)
        return out

    def persons_of(self, idx: np.ndarray) -> int:
        """Distinct persons of the tuples ``idx`` (taken as one class)."""
        return int(self.persons(np.zeros(len(idx), dtype=np.int64), 1, idx)[0])

    @property
    def heights(self) -> tuple[int, ...]:
        return tuple(h.height for h in self.hierarchies)

    def level_sizes(self, node: Levels) -> list[int]:
        return [len(h.labels[lv]) for h, lv in zip(self.hierarchies, node, strict=True)]

    def classify(
        self, node: Levels, rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, int]:
        """Class id (0..n-1) of each tuple in ``rows`` (all tuples if None) under ``node``."""
        sizes = self.level_sizes(node)
        total = int(np.prod(np.asarray(sizes, dtype=float)))
        n = len(self.tuples) if rows is None else len(rows)
        if self.keyed is not None and total > min(_DENSE_LIMIT, 4 * n + 4096):
            parts = [self.keyed[d][lv] for d, lv in enumerate(node)]
            key = parts[0] if rows is None else parts[0][rows]
            for part in parts[1:]:
                key = key + (part if rows is None else part[rows])
            ids, uniques = pd.factorize(key, sort=False)
            return ids.astype(np.int64, copy=False), len(uniques)
        cols = [
            self.gen[d][lv] if rows is None else self.gen[d][lv][rows] for d, lv in enumerate(node)
        ]
        return group_codes(cols, sizes)

    def group(self, node: Levels) -> tuple[np.ndarray, np.ndarray]:
        """Equivalence classes of ``node`` → (class id per tuple, records per class)."""
        cls, n_cls = self.classify(node)
        sizes = np.bincount(cls, weights=self.counts, minlength=n_cls).astype(np.int64)
        return cls, sizes

    def histogram(self, cls: np.ndarray, n_cls: int, j: int) -> np.ndarray:
        """(classes × values) record counts of sensitive column ``j``."""
        width = len(self.sens_labels[j])
        flat = np.bincount(
            cls * width + self.sens[:, j], weights=self.counts, minlength=n_cls * width
        )
        return flat.reshape(n_cls, width)


def _sensitive_codes(
    values: pd.Series, column: str, hierarchy: Hierarchy | None, weights: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    if hierarchy is not None:
        return hierarchy.codes_for(values, column, weights), np.asarray(hierarchy.table[:, 0])
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=False)
    return codes.astype(np.int32), np.asarray(uniques, dtype=object)


def encode(
    frame: pd.DataFrame,
    hierarchies: dict[str, Hierarchy],
    sensitive: Sequence[str] = (),
    sens_hierarchies: dict[str, Hierarchy] | None = None,
    persons: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    person_weights: np.ndarray | None = None,
) -> Encoded:
    """Encode ``frame``'s QI and sensitive columns (InputError if a value is not covered).

    ``persons``: a person code per row (0..P-1) when classes count distinct persons (-1: a
    row whose persons ``person_weights`` counts).
    ``weights``: the records each row stands for, when ``frame`` holds distinct rows in the
    order they first appear (None: a row is a record). ``person_weights``: instead of
    ``persons``, the distinct persons each row stands for, when no person's records are in
    two rows (then the rows need not carry the person, and persons add up)."""
    sens_hierarchies = sens_hierarchies or {}
    columns = tuple(hierarchies)
    hier = tuple(hierarchies[c] for c in columns)
    w = None if weights is None else np.asarray(weights, dtype=np.int64)
    n = len(frame) if w is None else int(w.sum())
    qi_codes = [h.codes_for(frame[c], c, w) for c, h in zip(columns, hier, strict=True)]
    sens_pairs = [_sensitive_codes(frame[s], s, sens_hierarchies.get(s), w) for s in sensitive]
    all_codes = qi_codes + [p[0] for p in sens_pairs]
    sizes = [h.size for h in hier] + [len(p[1]) for p in sens_pairs]
    if persons is not None:
        all_codes.append(persons + 1)  # -1 (persons counted by weight) is a code of its own
        sizes.append(int(persons.max()) + 2 if len(persons) else 1)
    row_tuple, n_tuples = group_codes(all_codes, sizes, n)
    first = np.full(n_tuples, -1, dtype=np.int64)
    first[row_tuple[::-1]] = np.arange(len(frame) - 1, -1, -1)  # first row of each tuple
    tuples = np.column_stack([c[first] for c in qi_codes]).astype(np.int32)
    sens = (
        np.column_stack([p[0][first] for p in sens_pairs]).astype(np.int64)
        if sens_pairs
        else np.zeros((n_tuples, 0), dtype=np.int64)
    )
    counts = np.bincount(row_tuple, weights=w, minlength=n_tuples).astype(np.int64)
    gen = tuple(
        tuple(m[tuples[:, d]].astype(np.int64) for m in h.maps) for d, h in enumerate(hier)
    )
    radix = [len(h.labels[0]) for h in hier]
    keyed = None
    if float(np.prod(np.asarray(radix, dtype=float))) < 2**62:
        strides = [int(np.prod(radix[d + 1 :], dtype=np.int64)) for d in range(len(radix))]
        keyed = tuple(tuple(g * st for g in gd) for gd, st in zip(gen, strides, strict=True))
    value_counts = tuple(
        np.bincount(c, weights=w, minlength=h.size).astype(np.int64)
        for c, h in zip(qi_codes, hier, strict=True)
    )
    return Encoded(
        n=n,
        columns=columns,
        hierarchies=hier,
        tuples=tuples,
        counts=counts,
        sens_columns=tuple(sensitive),
        sens=sens,
        sens_labels=tuple(p[1] for p in sens_pairs),
        sens_hierarchies=tuple(sens_hierarchies.get(s) for s in sensitive),
        row_tuple=row_tuple,
        gen=gen,
        value_counts=value_counts,
        keyed=keyed,
        person=None if persons is None else np.asarray(persons, dtype=np.int64)[first],
        person_weight=None if person_weights is None else np.bincount(
            row_tuple, weights=np.asarray(person_weights, dtype=np.int64), minlength=n_tuples
        ).astype(np.int64),
    )
