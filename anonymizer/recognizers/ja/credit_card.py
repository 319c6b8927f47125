"""Payment card numbers (CREDIT_CARD): 14–19 digits, Luhn-valid, optionally grouped.

Format: ISO/IEC 7812-1 — the first digit is the Major Industry Identifier (2–6 are the
banking, financial and merchandising issuers every card brand uses; the allowed set is data
in the rules file), the last digit a Luhn (mod 10) check digit. Luhn is a 10-line checksum,
not a library (as my_number's); the worked example 7992739871 → 3 is the one in Luhn's
patent / Wikipedia. Groupings: 4-4-4-4(-1..3), Amex 4-6-5, Diners 4-6-4; a number inside a
longer digit run (到達番号, 受付番号 …) is not a card.
"""

from __future__ import annotations

from pydantic import field_validator

from anonymizer.recognizers.base import register
from anonymizer.recognizers.ja._id_common import IdParams, IdPatternRecognizer, digits_of
from anonymizer.recognizers.spec import RecognizerSpec


def luhn_check_digit(base: str) -> int:
    """The Luhn digit to append to ``base`` (ASCII digits, left to right)."""
    if not base.isdigit() or not base.isascii():
        raise ValueError("base must be ASCII digits")
    total = 0
    for i, ch in enumerate(reversed(base)):
        d = int(ch) * (2 if i % 2 == 0 else 1)  # the rightmost base digit is doubled
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def is_luhn_valid(candidate: str) -> bool:
    """True if the digits of ``candidate`` (separators ignored) end in their Luhn digit."""
    digits = digits_of(candidate)
    if len(digits) < 2:
        return False
    return luhn_check_digit(digits[:-1]) == int(digits[-1])


class CreditCardParams(IdParams):
    #: ISO/IEC 7812 major industry identifiers (first digit) accepted as payment cards
    first_digits: tuple[str, ...]

    @field_validator("first_digits")
    @classmethod
    def _one_digit(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if not v or any(len(d) != 1 or not d.isdigit() for d in v):
            raise ValueError("must be a non-empty list of single digits")
        return v


@register("ja.credit_card.v1")
class JaCreditCardRecognizer(IdPatternRecognizer):
    Params = CreditCardParams

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        self._first = frozenset(self.params.first_digits)

    def validate(self, candidate: str) -> bool:
        digits = digits_of(candidate)
        return 14 <= len(digits) <= 19 and digits[0] in self._first and is_luhn_valid(digits)
