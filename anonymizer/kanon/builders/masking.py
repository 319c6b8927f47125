"""Masking from the right: 〒186-0004 → 186-000* → 186-00** → 186-**** → *.

Characters listed in ``keep`` (separators such as ``-``) are never masked, so the shape stays
readable. With ``normalize`` the value is NFKC-normalized and dash variants unified first
(１８６－０００４ and 186‐0004 share their generalizations); level 0 keeps the raw value.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from anonymizer.i18n import _
from anonymizer.kanon.builders.base import BuilderSpec, assemble
from anonymizer.kanon.hierarchy import Hierarchy
from anonymizer.text.normalize import normalize


class MaskingSpec(BuilderSpec):
    type: Literal["masking"]
    #: characters masked from the right at each level (strictly increasing)
    levels: tuple[int, ...] = Field(min_length=1)
    char: str = Field(default="*", min_length=1, max_length=1)
    keep: str = "-"
    normalize: bool = True
    top: str | None = "*"

    @field_validator("levels")
    @classmethod
    def _increasing(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if v[0] < 1 or any(b <= a for a, b in zip(v, v[1:], strict=False)):
            raise ValueError(_("levels must be positive and strictly increasing"))
        return v

    def mask(self, value: str, count: int) -> str:
        text = normalize(value).text.strip() if self.normalize else value
        out = list(text)
        left = count
        for i in range(len(out) - 1, -1, -1):
            if left == 0:
                break
            if out[i] not in self.keep:
                out[i] = self.char
                left -= 1
        return "".join(out)

    def build(self, name: str, column: str, values: Sequence[str], base_dir: Path) -> Hierarchy:
        vals = sorted(values, key=lambda v: (normalize(v).text.strip(), v))
        levels = [[self.mask(v, c) for v in vals] for c in self.levels]
        return assemble(name, vals, levels, self.top)
