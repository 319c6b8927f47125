"""Header synonyms (``rules/headers.yaml``) → column role and expected entity."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from anonymizer.config import Frozen, Regex
from anonymizer.entities import EntityName
from anonymizer.i18n import _
from anonymizer.rules import load_rules

Role = Literal["direct_identifier", "quasi_identifier", "sensitive", "free_text", "other"]
ROLES: tuple[str, ...] = ("direct_identifier", "quasi_identifier", "sensitive", "free_text", "other")

_STRIP = re.compile(r"[\s()（）\[\]［］「」【】:：・_]")


def normalize_header(name: str) -> str:
    return _STRIP.sub("", unicodedata.normalize("NFKC", str(name))).lower()


class HeaderRule(Frozen):
    role: Role
    entity: EntityName | None = None
    #: the column identifies a person (its values repeat on that person's rows)
    person: bool = False
    names: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()


class NamePartRules(Frozen):
    """Header patterns of a column holding one part of a name (see rules/headers.yaml)."""

    family: tuple[Regex, ...] = ()
    given: tuple[Regex, ...] = ()


class ValueRule(Frozen):
    """A column no header rule knows, judged by its values (see rules/headers.yaml ``values``):
    ``words`` (a person's sex, 続柄 …), or whole numbers within ``integers`` (ages)."""

    #: what the values are, shown to the steward (sex, relationship, age …)
    kind: str = Field(min_length=1)
    role: Role = "quasi_identifier"
    entity: EntityName | None = None
    words: tuple[str, ...] = ()
    integers: tuple[int, int] | None = None
    #: the share of sampled non-empty cells that must be among the words / the numbers
    min_share: float = Field(default=0.95, gt=0, le=1)
    #: at least this many distinct values among those cells
    min_distinct: int = Field(default=1, ge=1)
    #: not under a header holding one of these (a unit or a measure: 相談時間（分）, 件数)
    unless_header: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_test(self) -> ValueRule:
        if bool(self.words) == (self.integers is not None):
            raise ValueError(_("a value rule has either `words` or `integers`"))
        if self.integers is not None and self.integers[0] > self.integers[1]:
            raise ValueError(_("`integers`: [lowest, highest]"))
        return self

    def matches(self, values: list[str]) -> bool:
        """``values``: a column's non-empty sampled cells as :func:`value_key` reads them."""
        if not values:
            return False
        if self.integers is not None:
            lo, hi = self.integers
            hits = [v for v in values if v.isdigit() and lo <= int(v) <= hi]
        else:
            words = {value_key(w) for w in self.words}
            hits = [v for v in values if v in words]
        return len(hits) / len(values) >= self.min_share and len(set(hits)) >= self.min_distinct


def value_key(cell: str) -> str:
    """A cell as the value rules compare it: NFKC, trimmed, in lower case."""
    return unicodedata.normalize("NFKC", cell).strip().lower()


class HeaderRules(Frozen):
    version: int = Field(ge=1, le=1)
    #: none given: no header is read as a name part
    name_parts: NamePartRules = NamePartRules()
    rules: tuple[HeaderRule, ...]
    #: columns whose header no rule knows, by their values; first matching rule wins
    values: tuple[ValueRule, ...] = ()


def match_values(
    cells: list[str], rules: HeaderRules | None = None, header: str = ""
) -> ValueRule | None:
    """The first value rule the sampled cells of a column meet, or None."""
    key = normalize_header(header)
    values = [v for v in map(value_key, cells) if v]
    for rule in (rules or load_header_rules()).values:
        if any(normalize_header(w) in key for w in rule.unless_header):
            continue
        if rule.matches(values):
            return rule
    return None


@dataclass(frozen=True)
class HeaderMatch:
    role: str
    entity: str | None
    how: str  # "exact" | "contains"
    person: bool = False


def load_header_rules(directory: Path | str | None = None) -> HeaderRules:
    return load_rules("headers.yaml", HeaderRules, directory)


def name_part(header: str, rules: HeaderRules | None = None) -> str | None:
    """``family`` or ``given`` when the header names one part of a person's name (申請者姓,
    名（カナ）, First Name), else None. Only a PERSON column's header is asked."""
    parts = (rules or load_header_rules()).name_parts
    key = normalize_header(header)
    for kind, patterns in (("family", parts.family), ("given", parts.given)):
        if any(re.search(p, key) for p in patterns):
            return kind
    return None


def match_header(header: str, rules: HeaderRules | None = None) -> HeaderMatch | None:
    """Exact synonyms first (every rule), then substrings, in file order."""
    rules = rules or load_header_rules()
    key = normalize_header(header)
    for rule in rules.rules:
        if any(normalize_header(n) == key for n in rule.names):
            return HeaderMatch(rule.role, rule.entity, "exact", rule.person)
    for rule in rules.rules:
        if any(normalize_header(c) in key for c in rule.contains):
            return HeaderMatch(rule.role, rule.entity, "contains", rule.person)
    return None
