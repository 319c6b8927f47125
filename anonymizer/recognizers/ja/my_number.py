"""マイナンバー (個人番号): 12 digits, the last a check digit.

Format and check digit: 行政手続における特定の個人を識別するための番号の利用等に関する
法律施行令 第8条 and 総務省令 (番号法施行規則). With P_n the n-th digit counted from the
right *excluding* the check digit (n = 1..11) and Q_n = n + 1 for n ≤ 6, n − 5 for n ≥ 7:
r = Σ P_n·Q_n mod 11; check = 0 if r ≤ 1 else 11 − r.

A 12-digit number with a wrong check digit is not a My Number. Digits inside a longer run
(13-digit 法人番号, card numbers) are excluded by the pattern's digit boundaries.
"""

from __future__ import annotations

from anonymizer.recognizers.base import JaPatternRecognizer, register


def my_number_check_digit(first11: str) -> int:
    """Check digit for the first 11 digits (left to right) of a My Number."""
    total = 0
    for n, ch in enumerate(reversed(first11), start=1):
        q = n + 1 if n <= 6 else n - 5
        total += int(ch) * q
    r = total % 11
    return 0 if r <= 1 else 11 - r


def is_valid_my_number(candidate: str) -> bool:
    digits = "".join(c for c in candidate if c.isdigit())
    if len(digits) != 12:
        return False
    return my_number_check_digit(digits[:11]) == int(digits[11])


@register("ja.my_number.v1")
class JaMyNumberRecognizer(JaPatternRecognizer):
    def validate(self, candidate: str) -> bool:
        return is_valid_my_number(candidate)
