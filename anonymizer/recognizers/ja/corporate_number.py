"""法人番号 (corporate number): 13 digits, the FIRST a check digit.

Check digit: 法人番号の指定等に関する省令 (平成26年財務省令第70号) 第2条, as explained by
国税庁 (houjin-bangou.nta.go.jp/documents/checkdigit.pdf). With P_n the n-th digit counted
from the right of the 12-digit 基礎番号 and Q_n = 1 for odd n, 2 for even n:
check = 9 − (Σ P_n·Q_n mod 9), so it is always 1..9 (the number never starts with 0).
Worked example from 日本税理士会連合会's own number: 7010705000725.

A corporate number is public (entities.NOT_PERSONAL). It is recognized so that its 13-digit
run is labelled for what it is — never as a 12-digit My Number (the my_number pattern
refuses digits inside a longer run) — and so the invoice form T + 13 digits is covered.
"""

from __future__ import annotations

from anonymizer.recognizers.base import register
from anonymizer.recognizers.ja._id_common import IdPatternRecognizer, digits_of


def corporate_check_digit(base12: str) -> int:
    """Leading check digit for a 12-digit 基礎番号 (left to right)."""
    if len(base12) != 12 or not base12.isdigit():
        raise ValueError("base12 must be 12 ASCII digits")
    total = sum(int(ch) * (2 if n % 2 == 0 else 1) for n, ch in enumerate(reversed(base12), 1))
    return 9 - total % 9


def is_valid_corporate_number(candidate: str) -> bool:
    """13 digits (separators ignored) whose first digit is the check digit of the rest."""
    digits = digits_of(candidate)
    if len(digits) != 13:
        return False
    return corporate_check_digit(digits[1:]) == int(digits[0])


@register("ja.corporate_number.v1")
class JaCorporateNumberRecognizer(IdPatternRecognizer):
    def validate(self, candidate: str) -> bool:
        return is_valid_corporate_number(candidate)
