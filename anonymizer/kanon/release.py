"""From chosen levels (per tuple) to the released frame and its equivalence classes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

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
    """(output frame, positions of suppressed rows). Non-QI columns pass through unchanged;
    removed rows are never copied, and QI columns are built by one take over their labels."""
    supp_rows = suppressed_tuple[enc.row_tuple]
    rows = np.flatnonzero(~supp_rows) if mode == "remove" else np.arange(len(frame))
    others = [c for c in frame.columns if c not in enc.columns]
    out = frame[others].iloc[rows] if mode == "remove" else frame[others].copy()
    row_tuple = enc.row_tuple[rows]
    for col, lab in zip(enc.columns, labels, strict=True):
        out[col] = _column(lab, row_tuple, frame[col].dtype, out.index)
    return out[list(frame.columns)], np.flatnonzero(supp_rows)


def _column(lab: np.ndarray, row_tuple: np.ndarray, dtype: object, index: pd.Index) -> pd.Series:
    """Labels per row, in the input column's dtype (Arrow strings: one Arrow take)."""
    codes, uniq = pd.factorize(lab)
    row_codes = codes[row_tuple]
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        arr = pa.array([str(u) for u in uniq], pa.large_string()).take(pa.array(row_codes))
        return pd.Series(pd.array(arr, dtype=dtype), index=index)
    return pd.Series(np.asarray(uniq, dtype=object)[row_codes], index=index, dtype=dtype)
