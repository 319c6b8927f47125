"""From chosen levels (per tuple) to the released frame and its equivalence classes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from anonymizer.kanon.encode import Encoded, group_codes


def tuple_labels(
    enc: Encoded, levels: np.ndarray, star: np.ndarray, star_label: str
) -> list[np.ndarray]:
    """Released label of every tuple per QI; ``levels``/``star`` are (T, m)."""
    out = []
    for d, h in enumerate(enc.hierarchies):
        lab = np.empty(len(enc.tuples), dtype=object)
        for lv in np.unique(levels[:, d]):
            sel = levels[:, d] == lv
            lab[sel] = h.labels[lv][enc.gen[d][lv][sel]]
        lab[star[:, d]] = star_label
        out.append(lab)
    return out


def release_classes(
    enc: Encoded, labels: list[np.ndarray], released: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Classes a reader of the release sees, grouped on the released labels.

    Returns (class id per tuple, -1 where not released; records per class).
    """
    idx = np.flatnonzero(released)
    cls = np.full(len(enc.tuples), -1, dtype=np.int64)
    if not len(idx):
        return cls, np.zeros(0, dtype=np.int64)
    cols, sizes = [], []
    for lab in labels:
        codes, uniq = pd.factorize(lab[idx])
        cols.append(codes)
        sizes.append(len(uniq))
    sub, n_cls = group_codes(cols, sizes)
    cls[idx] = sub
    return cls, np.bincount(sub, weights=enc.counts[idx], minlength=n_cls).astype(np.int64)


def release_frame(
    frame: pd.DataFrame,
    enc: Encoded,
    labels: list[np.ndarray],
    suppressed_tuple: np.ndarray,
    mode: str,
) -> tuple[pd.DataFrame, np.ndarray]:
    """(output frame, positions of suppressed rows). Non-QI columns pass through unchanged."""
    out = frame.copy()
    for col, lab in zip(enc.columns, labels, strict=True):
        out[col] = pd.array(lab[enc.row_tuple], dtype=frame[col].dtype)
    supp_rows = suppressed_tuple[enc.row_tuple]
    if mode == "remove":
        out = out.loc[~supp_rows]
    return out, np.flatnonzero(supp_rows)
