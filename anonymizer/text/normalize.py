"""NFKC normalization that remembers where every character came from.

Recognizers match on a normalized copy — 全角 digits and letters become ASCII, the many
hyphens (‐ － ― − ｰ between digits…) become ``-``, ideographic spaces become spaces — and
report offsets in the *original* string through :meth:`NormalizedText.span`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Dash-like characters that separate digit groups in Japanese numbers and addresses.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u2043\ufe63\u30fc\uff70"
#: The long-vowel mark ー is a dash only between digits (it is part of katakana words).
_LONG_VOWELS = "\u30fc\uff70"
_DASH_TABLE = {ord(c): "-" for c in _DASHES if c not in _LONG_VOWELS}
_DIGIT_LONG_DIGIT = re.compile(r"(?<=[0-9])[\u30fc\uff70\u2500\u2501](?=[0-9])")
_ASCII_SAFE = re.compile(r"[\x00-\x7f]*")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """``text`` is the normalized copy; ``starts[i]`` is the original index of ``text[i]``."""

    original: str
    text: str
    starts: tuple[int, ...] | None  # None: identical to the original (the common fast path)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of :attr:`text` back to the original string."""
        if self.starts is None:
            return start, end
        end = min(end, len(self.starts))
        o_start = self.starts[start] if start < len(self.starts) else len(self.original)
        if end <= start:
            return o_start, o_start
        last = self.starts[end - 1]
        # the original character at ``last`` may have expanded to several normalized ones
        o_end = last + 1
        return o_start, o_end


def _char_norm(ch: str) -> str:
    if ch.isascii():
        return ch
    out = unicodedata.normalize("NFKC", ch).translate(_DASH_TABLE)
    if out in ("\u3000",):
        return " "
    return out


def normalize(text: str) -> NormalizedText:
    """Normalize ``text`` for matching; offsets stay recoverable."""
    if _ASCII_SAFE.fullmatch(text):
        return NormalizedText(text, text, None)
    pieces: list[str] = []
    starts: list[int] = []
    for i, ch in enumerate(text):
        n = _char_norm(ch)
        pieces.append(n)
        starts.extend([i] * len(n))
    norm = "".join(pieces)
    norm = _DIGIT_LONG_DIGIT.sub("-", norm)  # same length: the map stays valid
    if norm == text:
        return NormalizedText(text, text, None)
    return NormalizedText(text, norm, tuple(starts))
