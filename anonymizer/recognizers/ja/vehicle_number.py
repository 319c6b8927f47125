"""自動車登録番号 (JP_VEHICLE_NUMBER): a number plate written in text (品川 300 あ 12-34).

A plate is the office name (陸運支局 or ご当地: 品川, 多摩, 練馬, 富士山), a class number of one
to three digits, one hiragana and a serial of up to four digits (12-34, 1234, ・・12). Anyone
can ask the 運輸支局 for a vehicle's registered owner by its number, so a plate identifies a
person. The hiragana of a plate is never お, し, へ or ん (not issued), which rules out many
words; the office name must be a run of its own (not the tail of a longer word). The shape
alone (中町 1 の 2 has it too) stays below the threshold: a vehicle word near it decides.
Patterns and context words are data (``rules/recognizers/ja.vehicle_number.v1.yaml``).
"""

from __future__ import annotations

import re

from anonymizer.recognizers.base import register
from anonymizer.recognizers.ja._id_common import IdPatternRecognizer

#: office name, class number, hiragana, serial
_PLATE = re.compile(r"(\D+?)\s?([0-9]{1,3})\s?([\u3041-\u3093])\s?(.+)")
_NOT_ISSUED = frozenset("おしへん")


def is_plate(candidate: str) -> bool:
    m = _PLATE.fullmatch(candidate)
    return m is not None and m.group(3) not in _NOT_ISSUED


@register("ja.vehicle_number.v1")
class JaVehicleNumberRecognizer(IdPatternRecognizer):
    def validate(self, candidate: str) -> bool:
        return is_plate(candidate)
