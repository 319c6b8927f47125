"""住所 after its label: what follows 住所 / 所在地 / 転居先 … up to a delimiter is an address
when the gazetteer places it in a municipality — even at the 町字 level (住所：国立市中), and
whatever stands between the 町字 and the street part (a building: 虎ノ門ヒルズビジネスタワー7-33-22).
A place name alone is public; after an address label it is somebody's address. Labels and
delimiters are data (``rules/recognizers/ja.address_label.v1.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from pydantic import Field

from anonymizer.config import Frozen, Regex
from anonymizer.recognizers.base import JaRecognizer, register
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.text.normalize import NormalizedText

#: hiragana right after a street number, room or 丁目/番地: the address has ended (…1-17-1です)
_AFTER_STREET = re.compile(r"(?<=[0-9号目地室階])[\u3041-\u3096]")


class AddressLabelParams(Frozen):
    labels: tuple[str, ...] = Field(min_length=1)
    #: the characters an address after its label is made of (it ends at the first other one)
    body: Regex
    score: float = Field(ge=0, le=1)


@register("ja.address_label.v1")
class JaAddressLabelRecognizer(JaRecognizer):
    Params = AddressLabelParams

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        labels = "|".join(map(re.escape, sorted(self.params.labels, key=len, reverse=True)))
        self._rx = re.compile(
            rf"(?:{labels})(?:\s*[:：は]\s*|\s+|\s*[（(「]\s*)(?P<value>{self.params.body})"
        )

    def find(
        self, nt: NormalizedText, artifacts: NlpArtifacts | None
    ) -> Iterable[RecognizerResult]:
        from anonymizer.gazetteer import load_gazetteer  # heavy: only when a label is there

        text = nt.text
        for m in self._rx.finditer(text):
            s, e = m.span("value")
            tail = _AFTER_STREET.search(text, s, e)  # 1-17-1です: the sentence goes on
            if tail is not None:
                e = tail.start()
            while e > s and text[e - 1] in " -":
                e -= 1
            if e - s < 2:
                continue
            if m.start() == 0 and e == len(text.rstrip()) and ":" in text[m.start() : s]:
                # the whole text is one value under its label, joined by the colon the detector
                # puts after a header: a table cell read with its column header as context
                # (住所：東京都国立市富士見台). A column's values are judged by the
                # column's own treatment — a 町字 there is what generalization publishes — not
                # by a label that the header, not the record, wrote
                continue
            _, city, _ = load_gazetteer().hierarchy(text[s:e])
            if city is None or self.vetoed(nt, s, e):
                continue
            yield self.result(nt, s, e, self.params.score, why="after an address label")
