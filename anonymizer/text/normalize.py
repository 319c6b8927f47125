"""NFKC normalization that remembers where every character came from.

Recognizers match on a normalized copy — 全角 digits and letters become ASCII, the many
hyphens (‐ － ― − ｰ between digits…) become ``-``, ideographic spaces become spaces — and
report offsets in the *original* string through :meth:`NormalizedText.span`.

Fast path: almost every character Japanese records need normalizing maps one-to-one
(全角 ASCII, ideographic space, dashes), so a ``str.translate`` table does it in C with
identical offsets. Only when NFKC would still change something (㈱, ｶﾞ, ㍻, ligatures) does
the per-character path run and build an offset map.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Dash-like characters that separate digit groups in Japanese numbers and addresses.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u2043\ufe63"
#: The long-vowel mark ー is a dash only between digits (it is part of katakana words).
#: (元 counts as a digit: H元ー1ー8 is 平成元年1月8日)
_DIGIT_LONG_DIGIT = re.compile(r"(?<=[0-9元])[\u30fc\uff70\u2500\u2501](?=[0-9])")
_MARKS = ("\u3099", "\u309a")  # combining voiced / semi-voiced sound marks
_ASCII_SAFE = re.compile(r"[\x00-\x7f]*")


def _one_to_one_table() -> dict[int, str]:
    table: dict[int, str] = {ord(c): "-" for c in _DASHES}
    table[0x3000] = " "  # ideographic space
    for cp in range(0xFF01, 0xFF5F):  # 全角 ASCII → ASCII
        if cp != 0xFF0D:
            table[cp] = chr(cp - 0xFEE0)
    for cp in range(0xFF61, 0xFFA0):  # 半角 katakana that NFKC maps to one character
        n = unicodedata.normalize("NFKC", chr(cp))
        if len(n) == 1:
            table[cp] = n
    return table


_TABLE = _one_to_one_table()
_SLOW_TABLE = {ord(c): "-" for c in _DASHES}


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """``text`` is the normalized copy; ``text[i]`` came from ``original[starts[i]:ends[i]]``."""

    original: str
    text: str
    starts: tuple[int, ...] | None  # None: same length as the original, offsets identical
    ends: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of :attr:`text` back to the original string."""
        if self.starts is None:
            return start, end
        end = min(end, len(self.starts))
        o_start = self.starts[start] if start < len(self.starts) else len(self.original)
        if end <= start:
            return o_start, o_start
        assert self.ends is not None
        return o_start, self.ends[end - 1]


def _char_norm(ch: str) -> str:
    if ch.isascii():
        return ch
    if ch == "\u3000":
        return " "
    return unicodedata.normalize("NFKC", ch).translate(_SLOW_TABLE)


def normalize(text: str) -> NormalizedText:
    """Normalize ``text`` for matching; offsets stay recoverable."""
    if _ASCII_SAFE.fullmatch(text):
        return NormalizedText(text, text, None)
    fast = text.translate(_TABLE)
    if unicodedata.is_normalized("NFKC", fast):
        return NormalizedText(text, _DIGIT_LONG_DIGIT.sub("-", fast), None)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        n = _char_norm(ch)
        if n in _MARKS and chars:  # ﾀﾞ → ダ: compose with the previous kana
            composed = unicodedata.normalize("NFC", chars[-1] + n)
            if len(composed) == 1:
                chars[-1] = composed
                ends[-1] = i + 1
                continue
        for c in n:
            chars.append(c)
            starts.append(i)
            ends.append(i + 1)
    norm = _DIGIT_LONG_DIGIT.sub("-", "".join(chars))  # same length: the map stays valid
    if len(norm) == len(text) and all(e - s == 1 for s, e in zip(starts, ends, strict=True)):
        return NormalizedText(text, norm, None)
    return NormalizedText(text, norm, tuple(starts), tuple(ends))
