"""The matching key of a text: the canonical form (:func:`anonymizer.text.normalize.normalize`)
with what really varies between two spellings of one identifier folded away — spaces (全角 or
半角, or none: 北　恵子 / 北恵子), separators (中黒, hyphens, dots, brackets: 090-1234-5678 /
09012345678, ワン・ウェイ / ワンウェイ), katakana vs hiragana (readings), Latin case.

``fold_key`` runs in C (``str.translate``) for the automaton pass over every cell; the offset
map back to the original is built only for the few cells that hold a match.
"""

from __future__ import annotations

from anonymizer.text.normalize import normalize

#: characters removed from keys: spaces and separators (after NFKC)
SEPARATORS = " \t\r\n-‐・･.,，、。/()[]{}「」『』【】（）〔〕_:：'\"`‘’“”〜~"
_KATAKANA = {cp: cp - 0x60 for cp in range(0x30A1, 0x30F7)}  # ァ..ヶ → ぁ..ゖ
_TABLE: dict[int, int | None] = {ord(c): None for c in SEPARATORS}
_TABLE.update(_KATAKANA)
_TABLE.update({cp: cp + 32 for cp in range(ord("A"), ord("Z") + 1)})


def fold_key(text: str) -> str:
    """The matching key of ``text`` (no offsets)."""
    return normalize(text).text.translate(_TABLE)


def fold_with_offsets(text: str) -> tuple[str, list[tuple[int, int]]]:
    """(key, for each key character the ``[start, end)`` it came from in ``text``)."""
    norm = normalize(text)
    chars: list[str] = []
    where: list[tuple[int, int]] = []
    for i, ch in enumerate(norm.text):
        out = ch.translate(_TABLE)
        if out:
            chars.append(out)
            where.append(norm.span(i, i + 1))
    return "".join(chars), where
