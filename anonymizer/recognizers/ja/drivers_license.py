"""運転免許証番号 (driver's licence number): 12 digits, often written 第123456789012号.

Structure (警察庁の免許証番号の付番; publicly documented, not a statute): digits 1–2 the
公安委員会 code of first issue (北海道 10–14, 青森 20 … 東京 30 … 沖縄 97; the list is data in
the rules file), 3–4 the year of first issue, 5–10 a serial, 11 a check digit, 12 the
number of reissues. Check digit (modulus 11, weights 5,4,3,2,7,6,5,4,3,2 from the left,
last digit of 11 − remainder): check = (11 − Σ w·d mod 11) mod 10. Source: T. Uehara,
tetsutalow.github.io/driversnumbercheckdigit (verified on real licences); the same
formula and worked example 4598033587 → 2 at kojima-yutaka.main.jp and jiko0.com/bangou.html.
Note the formula maps remainders 0 and 1 both to a valid digit, so it detects fewer errors
than the My Number's.

The shape is a My Number's, so without 免許 context the score stays below 0.5; with it the
score (≥ 0.96) beats a My Number reading of the same span.
"""

from __future__ import annotations

from pydantic import field_validator

from anonymizer.recognizers.base import register
from anonymizer.recognizers.ja._id_common import IdParams, IdPatternRecognizer, digits_of
from anonymizer.recognizers.spec import RecognizerSpec

_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def drivers_license_check_digit(base10: str) -> int:
    """Check digit (the 11th digit) for the first ten digits of a licence number."""
    if len(base10) != 10 or not base10.isdigit():
        raise ValueError("base10 must be 10 ASCII digits")
    total = sum(w * int(ch) for w, ch in zip(_WEIGHTS, base10, strict=True))
    return (11 - total % 11) % 10


def is_valid_drivers_license(
    candidate: str, commission_codes: frozenset[str] | None = None
) -> bool:
    """12 digits with a correct 11th check digit and, if given, a known 公安委員会 code."""
    digits = digits_of(candidate)
    if len(digits) != 12:
        return False
    if commission_codes is not None and digits[:2] not in commission_codes:
        return False
    return drivers_license_check_digit(digits[:10]) == int(digits[10])


class DriversLicenseParams(IdParams):
    #: two-digit 公安委員会 codes a licence number may start with
    commission_codes: tuple[str, ...]

    @field_validator("commission_codes")
    @classmethod
    def _two_digits(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [c for c in v if len(c) != 2 or not c.isdigit()]
        if bad or not v:
            raise ValueError("must be a non-empty list of two-digit strings")
        return v


@register("ja.drivers_license.v1")
class JaDriversLicenseRecognizer(IdPatternRecognizer):
    Params = DriversLicenseParams

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        self._codes = frozenset(self.params.commission_codes)

    def validate(self, candidate: str) -> bool:
        return is_valid_drivers_license(candidate, self._codes)
