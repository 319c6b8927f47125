"""Deny-lists: terms and patterns a steward declares per column (``gate.deny``) to fix a miss
without touching the source — masked by ``mask_text`` in that column and refused by the gate
wherever they are still released. Terms match in any spelling (folded like record values);
patterns are regular expressions over the canonical text (NFKC, hidden characters removed).
The public report counts their hits, never shows them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from anonymizer.match.matcher import Match, RecordMatcher
from anonymizer.text.normalize import normalize

DENY = "DENY_LIST"


@dataclass(frozen=True)
class DenyEntry:
    column: str
    entity: str | None
    terms: tuple[str, ...]
    patterns: tuple[str, ...]


class DenyList:
    """The entries of one column, compiled once."""

    def __init__(self, entries: Sequence[DenyEntry]) -> None:
        self.entries = list(entries)
        self._terms = [
            RecordMatcher({e.column: pd.Series(list(e.terms), dtype="string")}, every_value=True)
            for e in self.entries
        ]
        self._patterns = [[re.compile(p) for p in e.patterns] for e in self.entries]

    def __bool__(self) -> bool:
        return bool(self.entries)

    def find(self, text: str) -> list[Match]:
        """Deny hits in ``text`` (original offsets), typed by their entry's entity."""
        out: list[Match] = []
        norm = None
        for entry, terms, patterns in zip(self.entries, self._terms, self._patterns, strict=True):
            entity = entry.entity or DENY
            out += [Match(m.start, m.end, entry.column, entity) for m in terms.find(text)]
            if patterns:
                norm = norm or normalize(text)
                for rx in patterns:
                    for m in rx.finditer(norm.text):
                        if m.end() > m.start():
                            s, e = norm.span(m.start(), m.end())
                            out.append(Match(s, e, entry.column, entity))
        return out
