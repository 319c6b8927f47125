"""Japanese telephone numbers (固定・携帯・IP・フリーダイヤル・+81).

The regexes in ``rules/recognizers/ja.phone_number.v1.yaml`` only propose *shapes* (0 + groups
separated by hyphens, spaces or parentheses; 10–11 digit runs; ``+81`` forms). Whether the
digits are a number Japan actually assigns is decided by Google's libphonenumber (Python port
``phonenumbers``): its JP metadata tracks 総務省's 電気通信番号計画 (area codes of 2–5 digits,
070/080/090 mobile, 050 IP, 0120/0800 toll-free, 0570 …), which we must not hand-roll.

We do *not* use libphonenumber's grouping check (``Leniency.STRICT_GROUPING``): its JP
format table groups some area codes differently from local usage (0422-12-3456 is formatted
042-212-3456) and would reject real numbers. Grouping is constrained by the regex shapes
instead (the last group is 3–4 digits, numbers are not glued to other digits, 第…号 is a
document number).
"""

from __future__ import annotations

import functools

import phonenumbers
from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.recognizers.base import JaPatternRecognizer, register


class PhoneParams(Frozen):
    #: ISO 3166 region used to read numbers written without a country code
    region: str = Field(pattern=r"^[A-Z]{2}$")


@functools.lru_cache(maxsize=65_536)
def is_valid_phone(candidate: str, region: str) -> bool:
    """True if libphonenumber reads ``candidate`` as a valid number of ``region``.

    Cached (a pure function of its arguments): a text is checked again after masking and by
    the release gate, and office numbers recur across records.
    """
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return False
    return (
        phonenumbers.is_valid_number(number)
        and phonenumbers.region_code_for_number(number) == region
    )


@register("ja.phone_number.v1")
class JaPhoneNumberRecognizer(JaPatternRecognizer):
    Params = PhoneParams

    def validate(self, candidate: str) -> bool:
        # as dictated, の separates the groups (090の1234の5678)
        return is_valid_phone(candidate.replace("の", "-"), self.params.region)
