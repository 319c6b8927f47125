"""Build the t-closeness distances (one per sensitive column) from the encoded input.

The reference distribution p is the sensitive column's distribution over the whole input (as
in ARX). Ordered distance needs an order: numeric values are ordered numerically (after NFKC,
so ３ and 3 agree); otherwise the order of the column's hierarchy; otherwise it is a
configuration error (an arbitrary text order would make the distance meaningless).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.kanon.encode import Encoded
from anonymizer.kanon.hierarchy import nfkc
from anonymizer.kanon.models import Distance


def _order(enc: Encoded, j: int, present: np.ndarray) -> np.ndarray:
    tree = enc.sens_hierarchies[j]
    if tree is not None:
        rank = tree.dfs_rank()
    else:
        labels = pd.Series([nfkc(str(v)) for v in enc.sens_labels[j]], dtype=object)
        num = pd.to_numeric(labels, errors="coerce").to_numpy(dtype=float)
        if np.isnan(num[present]).any():
            raise ConfigError(
                _(
                    "t_distance: ordered t-closeness on {value_!r} needs numeric values or a "
                    "sensitive_hierarchies entry that gives their order"
                ).format(value_=enc.sens_columns[j])
            )
        rank = np.argsort(np.argsort(num, kind="stable"), kind="stable")
    cols = np.flatnonzero(present)
    return cols[np.argsort(rank[cols], kind="stable")]


def distances(enc: Encoded, kind: str) -> tuple[Distance, ...]:
    out = []
    for j in range(len(enc.sens_columns)):
        width = len(enc.sens_labels[j])
        p = np.bincount(enc.sens[:, j], weights=enc.counts, minlength=width) / enc.n
        order = _order(enc, j, p > 0) if kind == "ordered" else None
        tree = enc.sens_hierarchies[j] if kind == "hierarchical" else None
        out.append(Distance(kind, p, order, tree))
    return tuple(out)
