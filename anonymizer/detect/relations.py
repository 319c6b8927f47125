"""Relations between findings (``rules/relations.yaml``), applied after the recognizers.

Only one so far: a date written right after a person's name in a record line is that
person's birth date (来庁者：山田太郎、昭和45年3月2日、…), unless an event word follows it.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.detect.finding import Finding
from anonymizer.rules import load_rules


class BirthDateAfterName(Frozen):
    enabled: bool = True
    max_gap: int = Field(ge=0, le=10)
    separators: str
    not_followed_by: tuple[str, ...] = ()
    score: float = Field(ge=0.0, le=1.0)


class Relations(Frozen):
    version: int = Field(ge=1, le=1)
    birth_date_after_name: BirthDateAfterName


def load_relations(directory: Path | str | None = None) -> Relations:
    return load_rules("relations.yaml", Relations, directory)


def apply_relations(
    text: str, findings: list[Finding], rules: Relations, entities: frozenset[str] | None = None
) -> list[Finding]:
    """Retype related findings, then keep only the requested entity types."""
    out = _retype(text, findings, rules)
    return out if entities is None else [f for f in out if f.type in entities]


def _retype(text: str, findings: list[Finding], rules: Relations) -> list[Finding]:
    rule = rules.birth_date_after_name
    if not rule.enabled or len(findings) < 2:
        return findings
    names = [f for f in findings if f.type == "PERSON"]
    if not names:
        return findings
    out = []
    for f in findings:
        if f.type == "DATE" and _after_name(text, f, names, rule):
            f = f._replace(type="DATE_OF_BIRTH", score=max(f.score, rule.score))
        out.append(f)
    return out


def _after_name(text: str, date: Finding, names: list[Finding], rule: BirthDateAfterName) -> bool:
    for n in names:
        gap = text[n.end : date.start]
        if n.end <= date.start and len(gap) <= rule.max_gap and all(c in rule.separators for c in gap):
            return not text.startswith(tuple(rule.not_followed_by), date.end)
    return False
