"""Relations between findings (``rules/relations.yaml``), applied after the recognizers.

A date written right after a person's name in a record line is that person's birth date
(来庁者：山田太郎、昭和45年3月2日、…), unless an event word follows it. A 法人番号 written beside a
workplace (勤務先は株式会社多摩物流（法人番号1234567890123）) names that workplace: it is masked
with it, or the public register would give the masked name back.
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


class NumberOfOrganization(Frozen):
    enabled: bool = True
    #: characters between the organisation and its number (brackets, 法人番号：)
    max_gap: int = Field(ge=0, le=30)
    #: a sentence end between them: the number belongs to something else
    stops: str


class Relations(Frozen):
    version: int = Field(ge=1, le=1)
    birth_date_after_name: BirthDateAfterName
    corporate_number_of_organization: NumberOfOrganization


def load_relations(directory: Path | str | None = None) -> Relations:
    return load_rules("relations.yaml", Relations, directory)


def apply_relations(
    text: str, findings: list[Finding], rules: Relations, entities: frozenset[str] | None = None
) -> list[Finding]:
    """Retype related findings, then keep only the requested entity types."""
    out = _retype(text, findings, rules)
    return out if entities is None else [f for f in out if f.type in entities]


def _retype(text: str, findings: list[Finding], rules: Relations) -> list[Finding]:
    return _corporate_numbers(text, _birth_dates(text, findings, rules), rules)


def _corporate_numbers(text: str, findings: list[Finding], rules: Relations) -> list[Finding]:
    """A 法人番号 within ``max_gap`` characters of an ORGANIZATION (either side, no sentence end
    between) is typed ORGANIZATION: masked wherever the organisation is."""
    rule = rules.corporate_number_of_organization
    if not rule.enabled:
        return findings
    orgs = [f for f in findings if f.type == "ORGANIZATION"]
    if not orgs:
        return findings

    def beside(n: Finding) -> bool:
        for o in orgs:
            gap = text[o.end : n.start] if o.end <= n.start else text[n.end : o.start]
            if o.end <= n.start or n.end <= o.start:
                if len(gap) <= rule.max_gap and not any(c in rule.stops for c in gap):
                    return True
        return False

    return [
        f._replace(type="ORGANIZATION") if f.type == "JP_CORPORATE_NUMBER" and beside(f) else f
        for f in findings
    ]


def _birth_dates(text: str, findings: list[Finding], rules: Relations) -> list[Finding]:
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
