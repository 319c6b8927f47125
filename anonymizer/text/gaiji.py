"""外字 placeholders read as a name's kanji by detection (``rules/gaiji.yaml``).

City systems write a character they cannot export (an 外字: 髙 and 﨑 variants, rare kanji in
names) as a placeholder, usually 〓. A name broken by it (髙橋〓子) is no word to morphology or
NER, so the detector reads each placeholder as one common name kanji instead. The substitution
is one character for one: findings keep the original's offsets and mask the placeholder too.

A name kanji outside the unified block the recognizers know (U+4E00–9FFF) — 𠮷 and 𡈽 of the
CJK extensions, a compatibility ideograph — is read the same way: as its usual form when the
rules give one (𠮷 → 吉), as its canonical equivalent when Unicode has one, else as the
stand-in. 𠮷田一郎 is then found whole, not as 田一郎 with 𠮷 left in the release.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Literal

from pydantic import Field, field_validator

from anonymizer.config import Frozen
from anonymizer.i18n import _
from anonymizer.rules import load_rules


class GaijiRules(Frozen):
    version: Literal[1]
    placeholders: str = Field(min_length=1)
    stand_in: str = Field(min_length=1, max_length=1)
    #: a name kanji outside U+4E00–9FFF → the form detection reads it as (one character each)
    variants: dict[str, str] = Field(default_factory=dict)

    @field_validator("variants")
    @classmethod
    def _one_for_one(cls, v: dict[str, str]) -> dict[str, str]:
        for a, b in v.items():
            if len(a) != 1 or len(b) != 1:
                raise ValueError(_("each variant is one character for one: {pair}").format(
                    pair=f"{a}: {b}"))
        return v


#: ideographs outside the unified block: CJK extensions A and B–H, compatibility ideographs
_OUTSIDE = re.compile(
    "[\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef"
    "\U0002f800-\U0002fa1f\U00030000-\U000323af]"
)


@cache
def _table() -> tuple[str, dict[int, str], str, dict[str, str]]:
    rules = load_rules("gaiji.yaml", GaijiRules)
    table = {ord(c): rules.stand_in for c in rules.placeholders}
    return rules.placeholders, table, rules.stand_in, dict(rules.variants)


def _usual(c: str, stand_in: str, variants: dict[str, str]) -> str:
    if c in variants:
        return variants[c]
    same = unicodedata.normalize("NFC", c)  # a compatibility ideograph's canonical equivalent
    return same if len(same) == 1 and "\u4e00" <= same <= "\u9fff" else stand_in


def read_gaiji(text: str) -> str:
    """``text`` with every 外字 placeholder read as the stand-in kanji, and every ideograph
    outside the unified block as its usual form (same length)."""
    if text.isascii():
        return text
    marks, table, stand_in, variants = _table()
    if any(m in text for m in marks):
        text = text.translate(table)
    return _OUTSIDE.sub(lambda m: _usual(m.group(), stand_in, variants), text)
