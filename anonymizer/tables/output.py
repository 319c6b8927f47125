"""A protected table in its own shape: suppressed cells written as the mark (``X``, ``-``,
``秘匿``…), every other cell as its number.

``wide`` (default): one row per combination of the other dimensions, one column per code of the
``across`` dimension (default: the last), as printed statistical tables are laid out — a column
with no suppressed cell stays all numbers. ``long``: one row per cell, the dimensions then the
value column. The same mark stands for primary and secondary suppression alike: telling them
apart would point at the small cells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from anonymizer.tables.table import LinkedTable

LEGEND = "秘匿（小さい値のセル、およびそれを合計から逆算させないために秘匿したセル）"


def _numbers(values: np.ndarray) -> list[str]:
    if np.all(np.abs(values - np.rint(values)) < 1e-9):
        return [str(int(v)) for v in np.rint(values)]
    return [f"{v:.10g}" for v in values]


def render(
    table: LinkedTable,
    suppressed: np.ndarray,
    mark: str,
    layout: str = "wide",
    across: str | None = None,
) -> pd.DataFrame:
    text = np.array(_numbers(table.value), dtype=object)
    text[suppressed] = mark
    frame = table.long_frame()
    if layout == "long" or len(table.dims) < 2:
        frame[table.name] = text
        return frame.astype("string")
    names = [d.column for d in table.dims]
    col = across or names[-1]
    axis = names.index(col)
    codes = list(table.dims[axis].hierarchy.codes)
    others = [n for n in names if n != col]
    cube = text.reshape(table.shape)
    cube = np.moveaxis(cube, axis, -1).reshape(-1, len(codes))
    index = pd.MultiIndex.from_product(
        [list(table.dims[names.index(o)].hierarchy.codes) for o in others]
    )
    left = index.to_frame(index=False)
    left.columns = others
    right = pd.DataFrame(cube, columns=[f"{c}" if c not in others else f"{col}:{c}" for c in codes])
    return pd.concat([left, right], axis=1).astype("string")


__all__ = ["LEGEND", "render"]
