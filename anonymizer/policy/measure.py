"""Measure a released microdata table against the policy: classes in persons, suppression,
and — when it fails — the quasi-identifiers that drive the small classes.

A class is a combination of released quasi-identifier values; its size is the number of
distinct persons in it (distinct values of the person column), or of rows when the pipeline
declares no person column (each row is then taken to be a different person — the report says
so). Every figure is a count or a share; no value is ever part of the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

#: how an empty cell is grouped (it is a value an attacker sees too)
EMPTY = "（空欄）"


def _keys(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    return frame[list(columns)].astype("string").fillna(EMPTY)


def class_ids(frame: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """Class number of every row over ``columns`` (one class when no column is measured)."""
    if not columns:
        return np.zeros(len(frame), dtype=np.int64)
    ids = _keys(frame, columns).groupby(list(columns), sort=False).ngroup()
    return ids.to_numpy(np.int64)


def class_persons(ids: np.ndarray, persons: pd.Series | None) -> np.ndarray:
    """Distinct persons per class (rows when ``persons`` is None)."""
    n = int(ids.max()) + 1 if len(ids) else 0
    if persons is None:
        return np.bincount(ids, minlength=n).astype(np.int64)
    codes = pd.factorize(persons.astype("string").to_numpy(), use_na_sentinel=False)[0]
    width = int(codes.max()) + 1 if len(codes) else 1
    pairs = pd.unique(ids * width + codes)  # one entry per (class, person)
    return np.bincount(pairs // width, minlength=n).astype(np.int64)


@dataclass(frozen=True)
class Classes:
    """Classes by their size: ``sizes`` (persons), with how many ``classes`` and ``rows`` have
    each — one entry per class here, one per distinct size when an engine counted the classes
    where the rows are (:meth:`of_counts`); every figure the policy reads is the same."""

    sizes: np.ndarray  # persons per class (or per group of classes of one size)
    classes: np.ndarray  # classes of that size
    rows: np.ndarray  # records in them

    @classmethod
    def of(cls, frame: pd.DataFrame, columns: Sequence[str], persons: pd.Series | None) -> Classes:
        ids = class_ids(frame, columns)
        sizes = class_persons(ids, persons)
        rows = np.bincount(ids, minlength=len(sizes)).astype(np.int64)
        return cls(sizes, np.ones(len(sizes), dtype=np.int64), rows)

    @classmethod
    def of_counts(
        cls, sizes: Sequence[int], classes: Sequence[int], rows: Sequence[int]
    ) -> Classes:
        """From counts: per class size, the classes and records of that size."""
        return cls(*(np.asarray(a, dtype=np.int64) for a in (sizes, classes, rows)))

    @property
    def row_size(self) -> np.ndarray:
        """The size of every record's class (records grouped by class size)."""
        return np.repeat(self.sizes, self.rows)

    @property
    def count(self) -> int:
        return int(self.classes.sum())

    def smallest(self) -> int:
        return int(self.sizes.min()) if len(self.sizes) else 0

    def below(self, k: int) -> int:
        """Classes under ``k`` persons."""
        return int(self.classes[self.sizes < k].sum())

    def _share(self, rows: np.ndarray) -> float:
        total = int(self.rows.sum())
        return float(rows.sum() / total) if total else 0.0

    def share_below(self, k: int) -> float:
        return self._share(self.rows[self.sizes < k])

    def share_unique(self) -> float:
        return self._share(self.rows[self.sizes == 1])


#: the classes of a table over some of its columns (how an engine counts them where it is)
Measure = Callable[[Sequence[str]], Classes]


class HeldTable(Protocol):
    """A table where an engine holds its rows (this process, or Spark's executors): what the
    policy and the report read of it — its columns, its rows, counts — never the rows."""

    @property
    def columns(self) -> list[str]: ...

    def __len__(self) -> int: ...

    #: in persons when the table has them (else in rows)
    @property
    def in_persons(self) -> bool: ...

    def classes(self, columns: Sequence[str]) -> Classes:
        """The classes over ``columns`` (one class when there is none)."""
        ...

    def classes_of(self, sets: Sequence[Sequence[str]]) -> list[Classes]:
        """The classes over each of ``sets``, counted together (where the rows are elsewhere,
        in one pass)."""
        ...

    def smallest(self, columns: Sequence[str], n: int) -> pd.DataFrame:
        """The ``n`` smallest classes over ``columns``: their values (an empty cell as
        :data:`EMPTY`) and ``_size``, smallest first, ties in the order of their values."""
        ...

    def value_counts(self, columns: Sequence[str], limit: int) -> dict[str, dict[str, int] | None]:
        """Per column of ``columns``: records per value (an empty cell as :data:`EMPTY`), or
        None when it has more than ``limit`` values."""
        ...


@dataclass(frozen=True, eq=False)
class LocalTable:
    """:class:`HeldTable` over a frame in this process (``persons``: of every input row, by
    the frame's index; None: a row is a person)."""

    frame: pd.DataFrame
    persons: pd.Series | None = None

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def in_persons(self) -> bool:
        return self.persons is not None

    def _kept(self) -> pd.Series | None:
        return self.persons.loc[self.frame.index] if self.persons is not None else None

    def classes(self, columns: Sequence[str]) -> Classes:
        return Classes.of(self.frame, columns, self._kept())

    def classes_of(self, sets: Sequence[Sequence[str]]) -> list[Classes]:
        return [self.classes(columns) for columns in sets]

    def smallest(self, columns: Sequence[str], n: int) -> pd.DataFrame:
        cols = list(columns)
        if not len(self.frame):
            return pd.DataFrame(columns=[*cols, "_size"])
        keys = _keys(self.frame, cols)
        kept = self._kept()
        if kept is None:
            sizes = keys.groupby(cols, sort=True).size()
        else:
            keys["_person"] = kept.to_numpy()
            sizes = keys.groupby(cols, sort=True)["_person"].nunique()
        table = sizes.reset_index(name="_size")
        return table.sort_values("_size", kind="stable").head(n).reset_index(drop=True)

    def value_counts(self, columns: Sequence[str], limit: int) -> dict[str, dict[str, int] | None]:
        out: dict[str, dict[str, int] | None] = {}
        for column in columns:
            counts = self.frame[column].astype("string").fillna(EMPTY).value_counts()
            out[column] = (
                None if len(counts) > limit else {str(v): int(c) for v, c in counts.items()}
            )
        return out


@dataclass(frozen=True)
class Driver:
    """How much one quasi-identifier drives the small classes."""

    column: str
    #: share of records in classes under k persons when grouping by this column alone
    alone_share: float
    #: share of records unique (a class of one person) by this column alone
    alone_unique: float
    #: share of records under k persons over all measured columns but this one
    without_share: float

    def to_dict(self) -> dict[str, object]:
        return {
            "column": self.column,
            "alone_share": round(self.alone_share, 4),
            "alone_unique": round(self.alone_unique, 4),
            "without_share": round(self.without_share, 4),
        }


def drivers(
    measure: Measure,
    columns: Sequence[str],
    k: int,
    alone_min: float,
    reduction_min: float,
    listed: int,
) -> tuple[float, list[Driver]]:
    """(share of records under k over all ``columns``, the columns that drive it, worst first);
    ``measure``: the classes of the table over some columns, where its rows are."""
    total = measure(columns).share_below(k)
    found = []
    for col in columns:
        alone = measure([col])
        rest = [c for c in columns if c != col]
        without = measure(rest).share_below(k)
        d = Driver(col, alone.share_below(k), alone.share_unique(), without)
        if d.alone_share >= alone_min or total - d.without_share >= reduction_min:
            found.append(d)
    found.sort(key=lambda d: (-d.alone_share, d.without_share, d.column))
    return total, found[:listed]
