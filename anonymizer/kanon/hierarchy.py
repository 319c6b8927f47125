"""Generalization hierarchies: one row per value, one column per level (level 0 = the value).

This is ARX's model (and its CSV format: ``;``-separated, no header, one row per value, one
column per level), so hierarchies built here and hierarchies exported from ARX are the same
thing. A hierarchy must be a tree: a label at level L always generalizes to the same label at
level L+1, otherwise full-domain generalization would be ill-defined. Level codes are numbered
in order of first appearance so that builders that emit rows in a natural order (ages, dates)
keep that order for Mondrian's splits and ordered t-closeness.

Looking values up never echoes them: a value missing from a hierarchy is reported by count and
in a masked form (first character kept), because it may itself be personal information.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from anonymizer.errors import ConfigError, InputError
from anonymizer.fsutil import atomic_write_text
from anonymizer.i18n import _


#: a missing value (an empty cell: 不明 read as missing, on_invalid: missing) — a value of its
#: own in every hierarchy that meets one: it stays empty at every level but the top, where it
#: joins the single top label (*), so a class of unknown birth dates is counted like any other
MISSING = ""


def mask_value(value: str) -> str:
    """``'186-0004'`` → ``'1*******'``: enough to recognize a typo, not enough to identify."""
    return value[:1] + "*" * max(len(value) - 1, 0) if value else "''"


def nfkc(value: str) -> str:
    """全角 → 半角 and surrounding blanks removed: the key used by ``lookup: nfkc``."""
    return unicodedata.normalize("NFKC", value).strip()


@dataclass(frozen=True, eq=False)
class Hierarchy:
    """A validated value × level table plus the integer maps the search runs on."""

    name: str
    table: np.ndarray  # (n_values, n_levels) of str
    lookup: str = "exact"  # or "nfkc": match data values on their NFKC form
    #: maps[L][code0] = code of the level-L label of value ``code0``
    maps: tuple[np.ndarray, ...] = field(init=False, repr=False)
    #: labels[L][code] = the level-L label
    labels: tuple[np.ndarray, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        t = self.table
        if t.ndim != 2 or t.shape[0] == 0 or t.shape[1] == 0:
            raise ConfigError(_("hierarchy {name!r}: empty").format(name=self.name))
        keys = self._keys(pd.Index(t[:, 0]))
        if keys.has_duplicates:
            raise ConfigError(
                _("hierarchy {name!r}: {int} value(s) appear more than once at level 0").format(
                    name=self.name, int=int(keys.duplicated().sum())
                )
            )
        maps, labels = [], []
        for level in range(t.shape[1]):
            codes, uniques = pd.factorize(t[:, level], sort=False)
            maps.append(codes.astype(np.int32))
            labels.append(np.asarray(uniques, dtype=object))
        for level in range(1, t.shape[1]):
            # tree check: each level-(L-1) code has exactly one parent code at level L
            child, parent = maps[level - 1], maps[level]
            pairs = pd.unique(child.astype(np.int64) * (parent.max() + 1) + parent)
            if len(pairs) != len(labels[level - 1]):
                raise ConfigError(
                    _(
                        "hierarchy {name!r}: level {value_} → {level} is not a tree (a label "
                        "generalizes to two different labels)"
                    ).format(name=self.name, value_=level - 1, level=level)
                )
        object.__setattr__(self, "maps", tuple(maps))
        object.__setattr__(self, "labels", tuple(labels))

    @property
    def height(self) -> int:
        """Highest level index (a value-only hierarchy has height 0)."""
        return int(self.table.shape[1] - 1)

    @property
    def size(self) -> int:
        """|H|: rows of the hierarchy (ARX's domain size for its Loss metric)."""
        return int(self.table.shape[0])

    def _keys(self, values: pd.Index) -> pd.Index:
        if self.lookup == "nfkc":
            return pd.Index([nfkc(str(v)) for v in values])
        return values

    def with_missing(self) -> Hierarchy:
        """This hierarchy with a row for :data:`MISSING` (itself when it has one)."""
        if (self.table[:, 0] == MISSING).any():
            return self
        tops = self.labels[-1]
        top = str(tops[0]) if len(tops) == 1 and self.table.shape[1] > 1 else MISSING
        row = np.array([[MISSING] * (self.table.shape[1] - 1) + [top]], dtype=object)
        return Hierarchy(self.name, np.vstack([self.table.astype(object), row]), self.lookup)

    def codes_for(
        self, values: pd.Series, column: str, weights: np.ndarray | None = None
    ) -> np.ndarray:
        """Level-0 code of every cell; InputError (count + masked examples) if any is missing.
        An empty cell is :data:`MISSING` (found when the hierarchy has a row for it).
        ``weights``: the rows each cell stands for (distinct rows with counts), so the error
        counts the rows of the full table."""
        if (self.table[:, 0] == MISSING).any() and values.hasnans:
            values = values.astype("string").fillna(MISSING)
        codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=True)
        idx = self._keys(pd.Index(self.table[:, 0])).get_indexer(
            self._keys(pd.Index(uniques.astype(str)))
        )
        missing = np.flatnonzero(idx < 0)
        if (codes < 0).any() or len(missing):
            bad = (codes < 0) | np.isin(codes, missing)
            n_rows = int(bad.sum() if weights is None else np.asarray(weights)[bad].sum())
            examples = ", ".join(mask_value(str(uniques[i])) for i in missing[:3])
            null_note = _(" (including empty cells)") if (codes < 0).any() else ""
            raise InputError(
                _(
                    "column {column!r}: {n_missing} distinct value(s) in {n_rows} row(s)"
                    "{null_note} are not in hierarchy {name!r}"
                ).format(
                    column=column, n_missing=len(missing), n_rows=n_rows, null_note=null_note,
                    name=self.name,
                )
                + (_(" (masked: {examples})").format(examples=examples) if examples else "")
            )
        return idx[codes].astype(np.int32)

    def shares(self, level: int) -> np.ndarray:
        """share[code0] = hierarchy rows whose level-L cell equals this value's, over |H|."""
        m = self.maps[level]
        return np.bincount(m, minlength=len(self.labels[level]))[m] / self.size

    def dfs_rank(self) -> np.ndarray:
        """rank[code0]: an order in which every subtree is contiguous (for Mondrian's splits)."""
        keys = [self.maps[level] for level in range(self.height, 0, -1)]
        order = np.lexsort([np.arange(self.size), *reversed(keys)])
        rank = np.empty(self.size, dtype=np.int64)
        rank[order] = np.arange(self.size)
        return rank


def from_rows(name: str, rows: list[list[str]], lookup: str = "exact") -> Hierarchy:
    """Build from rows of equal length; ragged rows are a configuration error."""
    if not rows:
        raise ConfigError(_("hierarchy {name!r}: empty").format(name=name))
    width = len(rows[0])
    for i, row in enumerate(rows, start=1):
        if len(row) != width:
            raise ConfigError(
                _("hierarchy {name!r}: row {i} has {n_row} levels, row 1 has {width}").format(
                    name=name, i=i, n_row=len(row), width=width
                )
            )
    return Hierarchy(name, np.array(rows, dtype=object).reshape(len(rows), width), lookup)


def read_arx_csv(path: Path | str, delimiter: str = ";", name: str | None = None) -> Hierarchy:
    """Import an ARX hierarchy CSV (no header, one row per value, one column per level)."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(_("{path}: hierarchy file not found").format(path=p))
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(_("{path}: not UTF-8 text").format(path=p)) from None
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if r]
    try:
        return from_rows(name or p.stem, rows)
    except ConfigError as err:
        raise ConfigError(_("{path}: {message}").format(path=p, message=err.message)) from None


def write_arx_csv(hierarchy: Hierarchy, path: Path | str, delimiter: str = ";") -> None:
    """Export in ARX's format, so a hierarchy built here can be opened in ARX."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(hierarchy.table.tolist())
    atomic_write_text(path, buf.getvalue())
