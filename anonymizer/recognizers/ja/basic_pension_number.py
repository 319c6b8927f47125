"""基礎年金番号 (basic pension number): 4-digit 記号 and 6-digit 番号 — 1234-567890 or 1234567890.

Format: 日本年金機構 (年金手帳 / 基礎年金番号通知書: "4桁-6桁の10桁"). There is no public check
digit, so context decides:

- the bare 10-digit form has a phone number's shape (0312345678) and needs a 年金 word
  nearby (base 0.3 → 0.7 with context);
- the hyphenated 4-6 form is rarer outside pension records, so it starts just under the
  threshold (0.45) and passes on a 年金 word *or* a weaker record word (被保険者, 加入者 —
  ``params.extra_context``) → 0.85.
Document numbers (第2024-123456号), quantities (…件, …円) and phone context are excluded.
"""

from __future__ import annotations

import re

from anonymizer.recognizers.base import register
from anonymizer.recognizers.ja._id_common import IdPatternRecognizer

_FORMAT = re.compile(r"[0-9]{4}-?[0-9]{6}")


def is_valid_basic_pension_number(candidate: str) -> bool:
    """Shape check only (no check digit exists): 4 + 6 digits, optionally hyphenated."""
    return _FORMAT.fullmatch(candidate) is not None


@register("ja.basic_pension_number.v1")
class JaBasicPensionNumberRecognizer(IdPatternRecognizer):
    def validate(self, candidate: str) -> bool:
        return is_valid_basic_pension_number(candidate)
