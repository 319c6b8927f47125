"""The family and given name of a name written without a space (林翔太 → 林, 翔太).

Resident records usually keep a space between 姓 and 名 (:func:`name_parts` splits there);
exports that dropped it still hold the two parts, and a text may name the person by either
alone. Sudachi's dictionary knows surnames: a value that opens with a 人名・姓 morpheme and
goes on is split after it. Anything else (関二胡: 関 read as a place) gives no parts — the
whole value is still matched.
"""

from __future__ import annotations

from functools import lru_cache

from anonymizer.nlp.sudachi import SudachiMorphologizer


@lru_cache(maxsize=1)
def _sudachi() -> SudachiMorphologizer:
    return SudachiMorphologizer()


@lru_cache(maxsize=65536)
def surname_split(value: str) -> tuple[str, ...]:
    """(family name, given name) of an unspaced name the dictionary can split, else ()."""
    morphs = _sudachi().morphemes(value.strip())
    if len(morphs) < 2:
        return ()
    first = morphs[0]
    if first.pos[2:4] != ("人名", "姓"):
        return ()
    rest = value.strip()[len(first.surface):]
    return (first.surface, rest) if rest else ()
