"""口座番号 (bank account number): 7 digits, recognized only with banking context.

Format: 全国銀行協会 / 全銀システム — an account number is 7 digits (shorter ones are
zero-padded), after a 3-digit 支店番号 (never reported: the pattern needs exactly 7 digits).
No check digit is public, so:

- a 7-digit run scores 0.3 and needs a context word (口座, 預金, 支店, 銀行 …) to pass;
- 普通 / 当座 / 貯蓄 written directly before the number (普通 1234567, (当座)1234567) is
  the account notation itself and scores 0.7. 普通 alone is *not* a context word: 普通交付税,
  普通会計 and 普通建設事業費 fill every budget document.
Quantities (…円, …件) and 〒 / phone context are excluded.
"""

from __future__ import annotations

import re

from anonymizer.recognizers.base import register
from anonymizer.recognizers.ja._id_common import IdPatternRecognizer

_FORMAT = re.compile(r"[0-9]{7}")


def is_valid_bank_account(candidate: str) -> bool:
    """Shape check only: exactly seven ASCII digits."""
    return _FORMAT.fullmatch(candidate) is not None


@register("ja.bank_account.v1")
class JaBankAccountRecognizer(IdPatternRecognizer):
    def validate(self, candidate: str) -> bool:
        return is_valid_bank_account(candidate)
