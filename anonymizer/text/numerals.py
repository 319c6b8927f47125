"""Numbers as they are written in Japanese text: ASCII digits, kanji numerals, 元 (first year).

Kanji numerals (四十五, 百二, positional 二〇二四) are converted by ``kanjize`` (MIT,
https://github.com/nagataaaas/Kanjize), which also *rejects* malformed ones (十十, 二十二十):
a recognizer must treat an unreadable number as "no finding", never guess. Callers pass
NFKC-normalized text, so 全角 digits are already ASCII.
"""

from __future__ import annotations

from kanjize import kanji2number

#: Kanji digits and multipliers accepted as numerals (no 万: ages and dates never need it).
KANJI_NUMERAL_CHARS = "〇一二三四五六七八九十百千"

#: 元年 — the first year of an era (平成元年 = 平成1年).
GAN = "元"


#: Kanji digits alone (no multipliers): a run of them is written digit by digit (〇九〇…)
KANJI_DIGITS = "〇一二三四五六七八九"


def read_digit_run(run: str) -> str:
    """``"〇九〇一二三四"`` → ``"0901234"``: a run of kanji digits read digit by digit, leading
    zeros kept (a phone or My Number spelled out is not a quantity: kanjize reads each digit)."""
    return "".join(str(kanji2number(ch)) for ch in run)


def parse_number(token: str, allow_gan: bool = False) -> int | None:
    """``"45"`` / ``"四十五"`` → 45; ``"元"`` → 1 when ``allow_gan``; anything else → None."""
    token = token.replace(" ", "")
    if not token:
        return None
    if token.isascii():
        return int(token) if token.isdigit() else None
    if token == GAN:
        return 1 if allow_gan else None
    if any(ch not in KANJI_NUMERAL_CHARS for ch in token):
        return None
    try:
        return int(kanji2number(token))
    except (ValueError, KeyError, IndexError):  # malformed numeral: no number, no guess
        return None
