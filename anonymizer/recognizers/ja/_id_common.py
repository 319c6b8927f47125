"""Shared plumbing for the ID recognizers (法人番号, 住民票コード, 旅券, 免許, 年金, 保険…).

Not a recognizer: it registers nothing. It adds two things the plain
:class:`JaPatternRecognizer` cannot express, both configured in the rules file:

- ``params.extra_context``: context words that count for *one* pattern only. Why: the
  hyphenated 基礎年金番号 ``1234-567890`` may pass on a weaker word (被保険者) than the bare
  10-digit form (a phone-number shape), and 介護保険 or 保険者番号 near a 10-digit number
  means a 介護保険被保険者番号 while near a 6–8-digit number it is more likely the insurer's
  own public number.
- several values per match: every named group ``value``, ``value2``, ``value3``… that took
  part in the match becomes its own result (記号 and 番号 of an insurance card are masked
  separately and the labels between them stay readable).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from pydantic import BaseModel

from anonymizer.config import Frozen
from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.recognizers.base import JaPatternRecognizer, _ContextMatcher
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.text.normalize import NormalizedText


def digits_of(candidate: str) -> str:
    """The ASCII digits of a (normalized) candidate, separators dropped."""
    return "".join(c for c in candidate if "0" <= c <= "9")


class IdParams(Frozen):
    #: pattern name → context words that count for that pattern in addition to ``context.words``
    extra_context: dict[str, tuple[str, ...]] = {}


class IdPatternRecognizer(JaPatternRecognizer):
    """Pattern recognizer with per-pattern extra context and multi-value matches."""

    Params: ClassVar[type[BaseModel]] = IdParams

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        names = [p.name for p in spec.patterns]
        unknown = sorted(set(self.params.extra_context) - set(names))
        if unknown:
            raise ConfigError(
                _(
                    "{source}: {name}.params.extra_context: unknown pattern(s) {unknown}; valid: "
                    "{names}"
                ).format(
                    source=source,
                    name=self.NAME,
                    unknown=', '.join(unknown),
                    names=', '.join(names),
                )
            )
        #: per pattern, its value groups (``value``, ``value2``…) in order
        self._groups = [
            [g for g in regex.groupindex if re.fullmatch(r"value\d*", g)] for _, regex in self._patterns
        ]
        self._extra = {
            name: _ContextMatcher(spec.context.model_copy(update={"words": tuple(words)}))
            for name, words in self.params.extra_context.items()
        }

    def context_for(self, pattern: str, nt: NormalizedText, start: int, end: int) -> str | None:
        """A context word around ``[start, end)`` valid for ``pattern``, or None."""
        word = self.context_word(nt, start, end)
        if word is None and pattern in self._extra:
            word = self._extra[pattern].search(nt.text, start, end)
        return word

    def find(
        self, nt: NormalizedText, artifacts: NlpArtifacts | None
    ) -> Iterable[RecognizerResult]:
        """Like the base, but one result per value group and per span (the best score wins)."""
        text = nt.text
        best: dict[tuple[int, int], tuple[float, str]] = {}
        for (pattern, regex), groups in zip(self._patterns, self._groups, strict=True):
            for m in regex.finditer(text):
                spans = [m.span(g) for g in groups if m.start(g) >= 0] if groups else [m.span()]
                valid = all(self.validate(text[s:e]) for s, e in spans)
                lo, hi = spans[0][0], spans[-1][1]
                if (not valid and not self.keeps_unchecked) or self.vetoed(nt, lo, hi):
                    continue
                word = self.context_for(pattern.name, nt, lo, hi)
                scored = self.scored(pattern.name, pattern.score, valid, word)
                if scored is None:
                    continue
                score, why = scored
                for span in spans:
                    if span not in best or score > best[span][0]:
                        best[span] = (score, why)
        for (s, e), (score, why) in sorted(best.items()):
            yield self.result(nt, s, e, score, why=why)
