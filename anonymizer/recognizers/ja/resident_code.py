"""住民票コード (resident-register code): 11 digits, the last a check digit.

Format: 住民基本台帳法施行規則 (平成11年自治省令第35号) 第1条 — ten random digits followed by
one 検査数字 computed by the formula the Minister fixes in 平成14年総務省告示第436号
(官報 2002-07-25). That formula is the modulus-11 one the My Number reuses: with P_n the n-th
digit from the right of the ten random digits and Q_n = n + 1 for n ≤ 6, n − 5 for
7 ≤ n ≤ 10: r = Σ P_n·Q_n mod 11; check = 0 if r ≤ 1 else 11 − r (weights 5,4,3,2,7,6,5,4,3,2
from the left). Cross-checked on published sample codes (24727059608, 24846016224).

Ten random digits look like anything (a mobile number without hyphens is 11 digits), so a
valid code scores below the detector threshold unless 住民票 context is near.
"""

from __future__ import annotations

from anonymizer.recognizers.base import register
from anonymizer.recognizers.ja._id_common import IdPatternRecognizer, digits_of


def resident_code_check_digit(base10: str) -> int:
    """Check digit for the ten random digits (left to right) of a 住民票コード."""
    if len(base10) != 10 or not base10.isdigit():
        raise ValueError("base10 must be 10 ASCII digits")
    total = sum(int(ch) * (n + 1 if n <= 6 else n - 5) for n, ch in enumerate(reversed(base10), 1))
    r = total % 11
    return 0 if r <= 1 else 11 - r


def is_valid_resident_code(candidate: str) -> bool:
    """11 digits (separators ignored) whose last digit is the check digit of the first ten."""
    digits = digits_of(candidate)
    if len(digits) != 11:
        return False
    return resident_code_check_digit(digits[:10]) == int(digits[10])


@register("ja.resident_code.v1")
class JaResidentCodeRecognizer(IdPatternRecognizer):
    def validate(self, candidate: str) -> bool:
        return is_valid_resident_code(candidate)
