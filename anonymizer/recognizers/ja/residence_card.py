"""在留カード番号 and 特別永住者証明書番号: two Latin letters, eight digits, two letters.

The number printed on the card a foreign resident carries (出入国在留管理庁: 英字2桁・数字8桁・
英字2桁, AB12345678CD) is a 個人識別符号 like the 旅券番号. There is no public check digit, so
the shape (rarer than a passport's) scores just above the threshold and a residence word
near it (在留カード, 特別永住者) makes it sure; catalogue words near it (型番) veto it.
Patterns and words are data (``rules/recognizers/ja.residence_card.v1.yaml``).
"""

from __future__ import annotations

import re

from anonymizer.recognizers.base import register
from anonymizer.recognizers.ja._id_common import IdPatternRecognizer

_FORMAT = re.compile(r"[A-Z]{2}[0-9]{8}[A-Z]{2}")


def is_residence_card(candidate: str) -> bool:
    return _FORMAT.fullmatch(candidate) is not None


@register("ja.residence_card.v1")
class JaResidenceCardRecognizer(IdPatternRecognizer):
    def validate(self, candidate: str) -> bool:
        return is_residence_card(candidate)
