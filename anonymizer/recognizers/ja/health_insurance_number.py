"""被保険者番号 (health / long-term-care insurance numbers): recognized only with context.

Forms (厚生労働省: 被保険者証の記載事項; 介護保険法施行規則 様式第一号):
- 介護保険 被保険者番号: 10 digits;
- 国保 / 後期高齢者医療 被保険者番号: 6–8 digits;
- 健康保険 記号・番号 (and 枝番 since 2021): 記号12 番号345 枝番01 — each value is its own
  result, so the labels between them stay readable after masking.
None has a public check digit and every shape is also an ordinary number, so nothing scores
≥ 0.5 without a context word (被保険者番号, 被保険者証, 保険証, 資格確認書 …).

Decision: 介護保険 and 保険者番号 count as context only for the 10-digit form. A 6- or
8-digit number next to 保険者番号 (without 被) is the *insurer's* number, which cities
publish (本市の保険者番号は 131234), so it is not reported. An 8-digit value that reads as a
date (YYYYMMDD, 1900–2099) is not a number: 有効期限 20250731.
"""

from __future__ import annotations

from datetime import date

from anonymizer.recognizers.base import register
from anonymizer.recognizers.ja._id_common import IdPatternRecognizer, digits_of


def _is_date8(digits: str) -> bool:
    y, m, d = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    if not 1900 <= y <= 2099:
        return False
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def is_valid_health_insurance_number(candidate: str) -> bool:
    """1–10 digits that do not read as an 8-digit date."""
    digits = digits_of(candidate)
    if not 1 <= len(digits) <= 10 or len(digits) != len(candidate):
        return False
    return not (len(digits) == 8 and _is_date8(digits))


@register("ja.health_insurance_number.v1")
class JaHealthInsuranceNumberRecognizer(IdPatternRecognizer):
    def validate(self, candidate: str) -> bool:
        return is_valid_health_insurance_number(candidate)
