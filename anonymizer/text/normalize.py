"""NFKC normalization that remembers where every character came from.

Recognizers match on a normalized copy — 全角 digits and letters become ASCII, the many
hyphens (‐ － ― − ｰ between digits…) become ``-``, ideographic spaces become spaces — and
report offsets in the *original* string through :meth:`NormalizedText.span`.

The canonical form every recognizer, the record matcher and the gate read: NFKC, plus
- format characters (Unicode Cf: zero-width space and joiners, word joiner, bidi marks, soft
  hyphen, BOM) and variation selectors removed — hidden inside 090‐1234‐5678 or a My Number
  they must not break a match, and a match that spans them covers them in the original;
- combining (semi-)voiced marks composed with their kana (カ + U+3099 → ガ);
- digits written one by one read as a digit run: spaced (``1 2 3 4``) or in 漢数字 digit by
  digit (``〇九〇一二三四``, four or more), through :func:`anonymizer.text.numerals.read_digit_run`.

Fast path: almost every character Japanese records need normalizing maps one-to-one
(全角 ASCII, ideographic space, dashes), so a ``str.translate`` table does it in C with
identical offsets. Only when something else must change (㈱, ｶﾞ, ㍻, a hidden character, a
spelled-out digit run) does the per-character path run and build an offset map.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from anonymizer.text.numerals import KANJI_DIGITS, read_digit_run

#: Dash-like characters that separate digit groups in Japanese numbers and addresses.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u2043\ufe63"
#: The long-vowel mark ー is a dash only between digits (it is part of katakana words).
#: (元 counts as a digit: H元ー1ー8 is 平成元年1月8日)
_DIGIT_LONG_DIGIT = re.compile(r"(?<=[0-9元])[\u30fc\uff70\u2500\u2501](?=[0-9])")
_MARKS = ("\u3099", "\u309a")  # combining voiced / semi-voiced sound marks
_ASCII_SAFE = re.compile(r"[\x00-\x7f]*")
#: Unicode general category Cf (format characters; Unicode 14, as unicodedata here), plus the
#: variation selectors (Mn, but invisible and meaningless for matching)
_HIDDEN = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f\ufe00-\ufe0f\U000e0100-\U000e01ef"
)
_HIDDEN_CHAR = re.compile(f"[{_HIDDEN}]")
#: digits written one by one: single digits apart by one space (1 2 3 4), or a run of four or
#: more kanji digits (〇九〇一…); in either, hidden characters may sit between the digits
_SPACED_DIGITS = re.compile(rf"[0-9０-９](?:[{_HIDDEN}]*[ \u3000][{_HIDDEN}]*[0-9０-９]){{3,}}(?![0-9０-９])")
_KANJI_RUN = re.compile(rf"[{KANJI_DIGITS}](?:[{_HIDDEN}]*[{KANJI_DIGITS}]){{3,}}")
#: anything that needs the per-character path even when NFKC has nothing to do
_SLOW = re.compile(f"{_HIDDEN_CHAR.pattern}|{_SPACED_DIGITS.pattern}|{_KANJI_RUN.pattern}")


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


def _rewrites(text: str) -> dict[int, str]:
    """Original positions whose character becomes something else than its NFKC form: a
    hidden character (→ nothing), a space inside a spaced digit run (→ nothing), a kanji digit
    inside a digit run (→ its ASCII digit)."""
    out: dict[int, str] = {}
    for m in _SPACED_DIGITS.finditer(text):
        for i in range(m.start(), m.end()):
            if text[i] in " \u3000":
                out[i] = ""
    for m in _KANJI_RUN.finditer(text):
        for i in range(m.start(), m.end()):
            if text[i] in KANJI_DIGITS:
                out[i] = read_digit_run(text[i])
    for m in _HIDDEN_CHAR.finditer(text):
        out[m.start()] = ""
    return out


def normalize(text: str) -> NormalizedText:
    """Normalize ``text`` for matching; offsets stay recoverable."""
    slow = _SLOW.search(text) is not None
    if not slow and _ASCII_SAFE.fullmatch(text):
        return NormalizedText(text, text, None)
    fast = text.translate(_TABLE)
    if not slow and unicodedata.is_normalized("NFKC", fast):
        return NormalizedText(text, _DIGIT_LONG_DIGIT.sub("-", fast), None)
    rewrites = _rewrites(text) if slow else {}
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        n = rewrites[i] if i in rewrites else _char_norm(ch)
        if not n:  # removed: a match around it still covers it (span maps to the neighbours)
            continue
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
