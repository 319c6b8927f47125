"""Flat: the value as it is, or the top (``*``) — for a quasi-identifier we know no hierarchy
for (a local code, an occupation). The optimal search can then keep the column or remove it
entirely, so a policy over it is always reachable."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import Field

from anonymizer.kanon.builders.base import BuilderSpec, assemble
from anonymizer.kanon.hierarchy import Hierarchy


class FlatSpec(BuilderSpec):
    type: Literal["flat"]
    top: str = Field(default="*", min_length=1)

    def build(self, name: str, column: str, values: Sequence[str], base_dir: Path) -> Hierarchy:
        return assemble(name, sorted(set(values)), [], self.top)
