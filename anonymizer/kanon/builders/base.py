"""What every hierarchy builder shares: the spec base class and table assembly.

A builder turns a small YAML spec (data) plus the distinct values observed in a column into a
:class:`~anonymizer.kanon.hierarchy.Hierarchy`. Value-driven builders (intervals, dates,
masking, address) emit one row per observed value; table-driven ones (categories, ARX CSV)
carry their own domain. Values a builder cannot place are reported by count, never echoed.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from anonymizer.config import Frozen
from anonymizer.errors import InputError
from anonymizer.i18n import _
from anonymizer.kanon.hierarchy import Hierarchy, mask_value


class BuilderSpec(Frozen):
    """Base of every ``rules/hierarchies/*.yaml`` document (discriminated by ``type``)."""

    @abstractmethod
    def build(self, name: str, column: str, values: Sequence[str], base_dir: Path) -> Hierarchy:
        """The hierarchy for ``column`` whose distinct observed values are ``values``."""


def reject_unplaced(name: str, column: str, values: Sequence[str], bad: np.ndarray) -> None:
    """InputError naming the column and the COUNT of values ``name`` cannot place."""
    if not bad.any():
        return
    idx = np.flatnonzero(bad)
    examples = ", ".join(mask_value(str(values[i])) for i in idx[:3])
    raise InputError(
        _(
            "column {column!r}: {n_idx} distinct value(s) cannot be placed in hierarchy {name!r} "
            "(masked: {examples})"
        ).format(column=column, n_idx=len(idx), name=name, examples=examples)
    )


def assemble(
    name: str,
    level0: Sequence[str],
    levels: Sequence[Sequence[str] | np.ndarray],
    top: str | None,
) -> Hierarchy:
    """Stack level columns (plus an optional all-``top`` column) into a hierarchy."""
    cols = [np.asarray(level0, dtype=object)] + [np.asarray(c, dtype=object) for c in levels]
    if top is not None:
        cols.append(np.full(len(level0), top, dtype=object))
    return Hierarchy(name, np.column_stack(cols) if cols[0].size else np.empty((0, len(cols))))
