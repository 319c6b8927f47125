"""連結符号: a record number written after its label (宛名番号 0001234567, 会員番号 CT90288167,
社員番号 EMP-2023-310162). APPI (施行規則第34条第3号) counts codes that link a record to other
records of the same person among what 匿名加工 must remove; a city's systems and the
businesses it writes to carry many of them, with no check digit and no common shape, so the
label decides: the value is the code-like run (letters, digits, - _ /) right after it.
The labels are data (``rules/recognizers/ja.linking_code.v1.yaml``).
"""

from __future__ import annotations

import re

from anonymizer.recognizers.base import register
from anonymizer.recognizers.ja._id_common import IdPatternRecognizer

_DIGIT = re.compile(r"[0-9]")


def is_code(candidate: str) -> bool:
    """A code holds at least three digits (a word after a label is not a code)."""
    return len(_DIGIT.findall(candidate)) >= 3


@register("ja.linking_code.v1")
class JaLinkingCodeRecognizer(IdPatternRecognizer):
    def validate(self, candidate: str) -> bool:
        return is_code(candidate)
