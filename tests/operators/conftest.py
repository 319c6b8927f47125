"""Build operators exactly as a pipeline does: by name, with validated params."""

from __future__ import annotations

from typing import Any

import pandas as pd

from anonymizer.operators import OperatorContext, build_operator

KEY = b"k" * 16 + bytes(range(16))  # 32 bytes: the shortest key accepted


def make(name: str, params: dict[str, Any] | None = None, **context: Any):
    context.setdefault("column", "col")
    return build_operator(name, params, OperatorContext(**context), "pipeline.yaml: steps[0]")


def column(*values: Any, index: list[int] | None = None) -> pd.Series:
    return pd.Series(list(values), dtype="string", index=index, name="col")
