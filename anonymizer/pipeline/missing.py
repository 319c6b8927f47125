"""Cells that mean "no value" (不明, 住所不定, ー …) read as empty before the operators run.

The tokens are data (``rules/missing.yaml``); a column's own ``missing:`` list replaces them.
Free text and the person column are left as they are (a person column cell that says 不明
cannot be counted, and the run says so). Counts per column go to the report; the tokens are
the city's own vocabulary, not personal data.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import pandas as pd
from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.pipeline.spec import PipelineSpec
from anonymizer.rules import load_rules


class MissingRules(Frozen):
    version: int = Field(ge=1, le=1)
    tokens: tuple[str, ...]


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def load_missing_rules() -> MissingRules:
    return load_rules("missing.yaml", MissingRules)


def tokens_for(spec: PipelineSpec, column: str, default: Iterable[str]) -> frozenset[str]:
    own = spec.columns[column].missing
    return frozenset(_key(t) for t in (default if own is None else own))


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
        values = frame[col].astype("string")
        hit = values.map(lambda v: isinstance(v, str) and _key(v) in tokens, na_action="ignore")
        hit = hit.fillna(False).astype(bool)
        n = int(hit.sum())
        if n:
            out[col] = values.mask(hit, "")
            counts[col] = n
    return out, counts
