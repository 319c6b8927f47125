"""Cells that mean "no value" (不明, 住所不定, ー …) read as empty before the operators run.

The tokens are data (``rules/missing.yaml``); a column's own ``missing:`` list replaces them.
Free text and the person column are left as they are (a person column cell that says 不明
cannot be counted, and the run says so). Counts per column go to the report; the tokens are
the city's own vocabulary, not personal data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import pandas as pd

from anonymizer.config import Frozen
from anonymizer.pipeline.publication import fold
from anonymizer.pipeline.spec import PipelineSpec
from anonymizer.rules import load_rules


class MissingRules(Frozen):
    version: Literal[1]
    tokens: tuple[str, ...]


def load_missing_rules() -> MissingRules:
    return load_rules("missing.yaml", MissingRules)


def tokens_for(spec: PipelineSpec, column: str, default: Iterable[str]) -> frozenset[str]:
    own = spec.columns[column].missing
    return frozenset(fold(t) for t in (default if own is None else own))


def _emptied(values: pd.Series, tokens: frozenset[str]) -> tuple[pd.Series, int]:
    """``values`` with the cells that say "no value" emptied, and how many there were."""
    values = values.astype("string")
    # each distinct value folded once, then one vectorized isin over the column
    said = [v for v in pd.unique(values.dropna()) if fold(v) in tokens]
    if not said:
        return values, 0
    hit = values.isin(said).fillna(False).astype(bool)
    return values.mask(hit, ""), int(hit.sum())


def read_as_missing(frame: pd.DataFrame, spec: PipelineSpec) -> tuple[pd.DataFrame, dict[str, int]]:
    """``frame`` with every missing-value cell emptied, and how many per column."""
    default = load_missing_rules().tokens
    out = frame.copy()
    counts: dict[str, int] = {}
    for col in frame.columns:
        cs = spec.columns.get(col)
        if cs is None or cs.role == "free_text" or col == spec.person_column:
            continue
        tokens = tokens_for(spec, col, default)
        if not tokens:
            continue
        values, n = _emptied(frame[col], tokens)
        if n:
            out[col] = values
            counts[col] = n
    return out, counts


def default_tokens() -> frozenset[str]:
    """The tokens of ``rules/missing.yaml`` in the folded form cells are compared in."""
    return frozenset(fold(t) for t in load_missing_rules().tokens)


def default_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a run with the default tokens will read it (for ``init``, which tries its
    proposed generalizations on the values before there is a pipeline): 不明 in a date column
    is a missing date, not a date no generalization can read."""
    tokens = default_tokens()
    out = frame.copy()
    for col in frame.columns:
        values, n = _emptied(frame[col], tokens)
        if n:
            out[col] = values
    return out
