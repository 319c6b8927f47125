"""The hierarchy of one table dimension (町丁 → 地区 → 市; 5-year → 10-year → 総数; 男/女 → 総数),
declared as data: a YAML under ``rules/tables/hierarchies/`` (or a path) or inline in a pipeline.

Three shapes, all with a ``total`` at the root:

* ``values`` — a flat list (or a public key file under ``rules/keys/``) under the total;
* ``tree`` — nested groups, ``{北部: [北, 中], 南部: {…}}``;
* ``bands`` — whole-number ages in ``widths[0]``-wide bands grouped by each further width,
  with an optional open ``above`` band directly under the total; labelled as every band of
  the project is (``rules/bands.yaml``: 35～39歳, 100歳以上).

Codes are listed in pre-order (a total before its parts), the order a printed table uses.
Data values are matched like public keys (:func:`anonymizer.dp.keys.match_form`: NFKC, dash
and range folding, trimming), so a band in its old form (35-39歳, 05-09歳) meets its code; a
value the hierarchy does not cover is an error, never a new code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator, model_validator

from anonymizer.config import Frozen, read_yaml, validate_model
from anonymizer.dp.keys import load_key_file, match_form
from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.rules import rules_dir
from anonymizer.text.bands import check_template, load_bands, spreadsheet_safe


class ValuesSpec(Frozen):
    type: Literal["values"]
    values: tuple[str, ...] | None = None
    #: a public key file (one value per line), a name under rules/keys/ or a path
    keys_file: str | None = None
    total: str = Field(default="総数", min_length=1)

    @model_validator(mode="after")
    def _one(self) -> ValuesSpec:
        if (self.values is None) == (self.keys_file is None):
            raise ValueError(_("give exactly one of values or keys_file"))
        return self


class TreeSpec(Frozen):
    type: Literal["tree"]
    total: str = Field(min_length=1)
    #: {group: [leaf, …] | {subgroup: …}}
    tree: dict[str, Any] = Field(min_length=1)

    @field_validator("tree")
    @classmethod
    def _shape(cls, v: dict[str, Any]) -> dict[str, Any]:
        def walk(node: Any, path: str) -> None:
            if isinstance(node, dict):
                if not node:
                    raise ValueError(_("{path}: an empty group").format(path=path))
                for k, sub in node.items():
                    walk(sub, f"{path}.{k}")
            elif isinstance(node, list):
                if not node or not all(isinstance(x, str) and x.strip() for x in node):
                    raise ValueError(
                        _("{path}: a group lists one or more non-empty names").format(path=path)
                    )
            else:
                raise ValueError(
                    _("{path}: a group is a list of names or a mapping of groups").format(path=path)
                )

        walk(v, "tree")
        return v


class BandsSpec(Frozen):
    type: Literal["bands"]
    lower: int = 0
    upper: int
    #: band widths from the finest up; each a multiple of the one before
    widths: tuple[int, ...] = Field(min_length=1)
    #: own template (``{lo}``/``{hi}``/``{unit}``) instead of the project's band (35～39歳)
    label: str | None = Field(default=None, min_length=1)
    #: the open band for upper and more (directly under the total): its label, or ``true`` for
    #: the project's (100歳以上); None: such ages are errors
    above: str | Literal[True] | None = None
    #: written after a number in the input (37歳), stripped before reading it; and after the
    #: numbers of the labels
    unit: str = ""
    total: str = Field(default="総数", min_length=1)

    @field_validator("label")
    @classmethod
    def _label(cls, v: str | None) -> str | None:
        return v if v is None else check_template(v, ("lo", "hi"))

    @field_validator("above")
    @classmethod
    def _above(cls, v: str | Literal[True] | None) -> str | Literal[True] | None:
        return spreadsheet_safe(v, "above") if isinstance(v, str) else v

    @model_validator(mode="after")
    def _nested(self) -> BandsSpec:
        if self.upper <= self.lower:
            raise ValueError(_("upper must be above lower"))
        for a, b in zip(self.widths, self.widths[1:], strict=False):
            if a <= 0 or b % a:
                raise ValueError(_("widths: each must be a positive multiple of the one before"))
        if (self.upper - self.lower) % self.widths[-1]:
            raise ValueError(_("widths: upper − lower must be a multiple of the widest band"))
        return self


HierarchySpec = Annotated[ValuesSpec | TreeSpec | BandsSpec, Field(discriminator="type")]


@dataclass(frozen=True)
class Hierarchy:
    """Codes in pre-order with their parent (−1 at the total)."""

    codes: tuple[str, ...]
    parent: tuple[int, ...]
    origin: str
    #: bands only: (lower, upper, finest width, index of the first leaf, index of ``above``)
    bands: tuple[int, int, int, tuple[int, ...], int] | None = field(default=None, compare=False)
    #: bands only: the unit stripped from an input number (37歳)
    unit: str = ""

    def __post_init__(self) -> None:
        seen: dict[str, int] = {}
        for i, c in enumerate(self.codes):
            m = match_form(c)
            if not m:
                raise ConfigError(
                    _("{origin}: code {value_} is empty").format(origin=self.origin, value_=i + 1)
                )
            if m in seen:
                raise ConfigError(
                    _("{origin}: codes {value_} and {value_2} are the same name").format(
                        origin=self.origin, value_=seen[m] + 1, value_2=i + 1
                    )
                )
            seen[m] = i

    @cached_property
    def children(self) -> tuple[tuple[int, ...], ...]:
        out: list[list[int]] = [[] for _ in self.codes]
        for i, p in enumerate(self.parent):
            if p >= 0:
                out[p].append(i)
        return tuple(tuple(c) for c in out)

    @cached_property
    def leaves(self) -> np.ndarray:
        return np.array([i for i, c in enumerate(self.children) if not c], dtype=np.int64)

    @cached_property
    def internal(self) -> np.ndarray:
        return np.array([i for i, c in enumerate(self.children) if c], dtype=np.int64)

    @cached_property
    def ancestors(self) -> tuple[tuple[int, ...], ...]:
        """Each code and every code above it, itself first."""
        out = []
        for i in range(len(self.codes)):
            chain = [i]
            while self.parent[chain[-1]] >= 0:
                chain.append(self.parent[chain[-1]])
            out.append(tuple(chain))
        return tuple(out)

    @cached_property
    def depth(self) -> np.ndarray:
        return np.array([len(a) - 1 for a in self.ancestors], dtype=np.int64)

    @cached_property
    def leaf_matrix(self) -> np.ndarray:
        """(codes × leaves) 0/1: code i contains leaf j (the aggregation a total is)."""
        pos = {int(leaf): j for j, leaf in enumerate(self.leaves)}
        m = np.zeros((len(self.codes), len(self.leaves)), dtype=np.float64)
        for leaf, j in pos.items():
            for a in self.ancestors[leaf]:
                m[a, j] = 1.0
        return m

    @cached_property
    def _lookup(self) -> dict[str, int]:
        return {match_form(c): i for i, c in enumerate(self.codes)}

    def code_index(self, values: pd.Series, *, leaves_only: bool) -> np.ndarray:
        """Index of each value's code; −1 where the hierarchy does not cover it."""
        lookup = self._lookup
        is_leaf = np.zeros(len(self.codes), dtype=bool)
        is_leaf[self.leaves] = True
        codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
        per = np.full(len(uniques), -1, dtype=np.int64)
        for k, u in enumerate(uniques):
            i = lookup.get(match_form(str(u)), -1)
            if i < 0 and self.bands is not None:
                i = self._band_of(str(u))
            if i >= 0 and (not leaves_only or is_leaf[i]):
                per[k] = i
        out = np.full(len(codes), -1, dtype=np.int64)
        ok = codes >= 0
        out[ok] = per[codes[ok]]
        return out

    def _band_of(self, value: str) -> int:
        assert self.bands is not None
        lower, upper, width, first, above = self.bands
        text = match_form(value)
        if self.unit and not text.endswith(self.unit) and text + self.unit in self._lookup:
            return self._lookup[text + self.unit]
        if self.unit and text.endswith(self.unit):
            text = text[: -len(self.unit)].strip()
            known = self._lookup.get(text, -1)
            if known >= 0:
                return known
        if not re.fullmatch(r"[0-9]{1,3}", text):
            return self._leaf_band(value)
        age = int(text)
        if age < lower:
            return -1
        if age >= upper:
            return above
        return first[(age - lower) // width]

    def _leaf_band(self, value: str) -> int:
        """The finest band ``value`` spells in another form (05-09歳, 5 〜 9), else −1."""
        assert self.bands is not None
        lower, upper, width, first, _ = self.bands
        read = load_bands().read(value, self.unit)
        if read is None or not all(x.is_integer() for x in read):
            return -1
        lo, hi = int(read[0]), int(read[1])
        if lo < lower or hi >= upper or (lo - lower) % width or hi != lo + width - 1:
            return -1
        return first[(lo - lower) // width]


def _tree(total: str, node: Any, origin: str) -> Hierarchy:
    codes, parent = [total], [-1]

    def add(sub: Any, up: int) -> None:
        items = sub.items() if isinstance(sub, dict) else ((name, None) for name in sub)
        for name, below in items:
            codes.append(str(name))
            parent.append(up)
            if below is not None:
                add(below, len(codes) - 1)

    add(node, 0)
    return Hierarchy(tuple(codes), tuple(parent), origin)


def _bands(spec: BandsSpec, origin: str) -> Hierarchy:
    labels = load_bands()
    codes, parent = [spec.total], [-1]
    first: dict[int, int] = {}

    def label(lo: int, hi: int) -> str:
        if spec.label is not None:
            return spec.label.format(lo=lo, hi=hi, unit=spec.unit)
        return labels.fill_closed(lo, hi, spec.unit)

    def add(lo: int, level: int, up: int) -> None:
        w = spec.widths[level]
        codes.append(label(lo, lo + w - 1))
        parent.append(up)
        me = len(codes) - 1
        if level == 0:
            first[lo] = me
            return
        for sub in range(lo, lo + w, spec.widths[level - 1]):
            add(sub, level - 1, me)

    top = len(spec.widths) - 1
    for lo in range(spec.lower, spec.upper, spec.widths[top]):
        add(lo, top, 0)
    above = -1
    if spec.above is not None:
        codes.append(
            labels.fill_at_least(spec.upper, spec.unit) if spec.above is True else spec.above
        )
        parent.append(0)
        above = len(codes) - 1
    leaves = tuple(first[lo] for lo in sorted(first))
    bands = (spec.lower, spec.upper, spec.widths[0], leaves, above)
    return Hierarchy(
        tuple(codes), tuple(parent), origin, bands, match_form(spec.unit) if spec.unit else ""
    )


def build_hierarchy(spec: ValuesSpec | TreeSpec | BandsSpec, origin: str) -> Hierarchy:
    if isinstance(spec, TreeSpec):
        return _tree(spec.total, spec.tree, origin)
    if isinstance(spec, BandsSpec):
        return _bands(spec, origin)
    values = spec.values
    if values is None:
        assert spec.keys_file is not None
        values = load_key_file(spec.total, spec.keys_file).keys
    return _tree(spec.total, list(values), origin)


class _File(Frozen):
    hierarchy: HierarchySpec


def load_hierarchy(ref: str | dict[str, Any], where: str, base: Path | None = None) -> Hierarchy:
    """A hierarchy by name (``rules/tables/hierarchies/<name>``), path (relative to ``base``,
    the pipeline's directory) or inline mapping; errors name the file or YAML path."""
    if isinstance(ref, dict):
        spec = validate_model({"hierarchy": ref}, _File, where).hierarchy
        return build_hierarchy(spec, where)
    path = Path(ref)
    if not path.is_absolute():
        local = (base / path) if base is not None else path
        path = local if local.is_file() else rules_dir() / "tables" / "hierarchies" / path
    if not path.is_file():
        raise ConfigError(
            _(
                "{where}: hierarchy {ref!r} not found (a name under rules/tables/hierarchies/ or a "
                "path)"
            ).format(where=where, ref=ref)
        )
    data = read_yaml(path)
    spec = validate_model({"hierarchy": data}, _File, str(path)).hierarchy
    return build_hierarchy(spec, str(path))


__all__ = [
    "BandsSpec",
    "Hierarchy",
    "HierarchySpec",
    "TreeSpec",
    "ValuesSpec",
    "build_hierarchy",
    "load_hierarchy",
]
