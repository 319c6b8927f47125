"""An ARX hierarchy CSV referenced from YAML (path relative to the YAML file)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import Field

from anonymizer.kanon.builders.base import BuilderSpec
from anonymizer.kanon.hierarchy import Hierarchy, read_arx_csv


class ArxSpec(BuilderSpec):
    type: Literal["arx"]
    path: str
    delimiter: str = Field(default=";", min_length=1, max_length=1)

    def build(self, name: str, column: str, values: Sequence[str], base_dir: Path) -> Hierarchy:
        p = Path(self.path)
        return read_arx_csv(p if p.is_absolute() else base_dir / p, self.delimiter, name)
