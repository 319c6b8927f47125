"""旅券番号 (Japanese passport number): two Latin letters and seven digits (TK1234567).

Format: two letters (M… five-year, T… ten-year books) then seven digits; there is no
public check digit and no official format document (the format is consistently described,
e.g. wondertrip.jp/1017647 "英字2桁と数字7桁", okwave.jp/qa/q634930).

Product and model codes share the shape, so the bare pattern stays below the detector
threshold and 旅券 / パスポート / passport context lifts it above 0.6. 全角 letters and
digits are matched through the NFKC copy.
"""

from __future__ import annotations

import re

from anonymizer.recognizers.base import register
from anonymizer.recognizers.ja._id_common import IdPatternRecognizer

_FORMAT = re.compile(r"[A-Z]{2}[0-9]{7}")


def is_valid_passport(candidate: str) -> bool:
    """Shape check only: two uppercase ASCII letters then seven ASCII digits."""
    return _FORMAT.fullmatch(candidate) is not None


@register("ja.passport.v1")
class JaPassportRecognizer(IdPatternRecognizer):
    def validate(self, candidate: str) -> bool:
        return is_valid_passport(candidate)
