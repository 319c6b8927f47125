"""外字 placeholders read as a name's kanji by detection (``rules/gaiji.yaml``).

City systems write a character they cannot export (an 外字: 髙 and 﨑 variants, rare kanji in
names) as a placeholder, usually 〓. A name broken by it (髙橋〓子) is no word to morphology or
NER, so the detector reads each placeholder as one common name kanji instead. The substitution
is one character for one: findings keep the original's offsets and mask the placeholder too.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.rules import load_rules


class GaijiRules(Frozen):
    version: Literal[1]
    placeholders: str = Field(min_length=1)
    stand_in: str = Field(min_length=1, max_length=1)


@cache
def _table() -> tuple[str, dict[int, str]]:
    rules = load_rules("gaiji.yaml", GaijiRules)
    return rules.placeholders, {ord(c): rules.stand_in for c in rules.placeholders}


def read_gaiji(text: str) -> str:
    """``text`` with every 外字 placeholder read as the stand-in kanji (same length)."""
    marks, table = _table()
    return text.translate(table) if any(m in text for m in marks) else text
