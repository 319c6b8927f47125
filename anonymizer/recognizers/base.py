"""Base classes for Japanese recognizers.

Every recognizer is a Presidio :class:`EntityRecognizer` for language ``ja`` (so it works in
a stock ``AnalyzerEngine``), configured from ``rules/recognizers.yaml``. The detector drives
them through :meth:`JaRecognizer.analyze_normalized`, which receives the text normalized once
and the NLP artifacts computed once per batch; :meth:`analyze` is the Presidio entry point.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from pydantic import BaseModel

from anonymizer.config import Frozen, validate_model
from anonymizer.recognizers.spec import ContextSpec, RecognizerSpec
from anonymizer.registry import Registry
from anonymizer.text.normalize import NormalizedText, normalize

#: registry name (``ja.my_number.v1``) → recognizer class
RECOGNIZERS: Registry[type[JaRecognizer]] = Registry("recognizer")


def register(name: str) -> Any:
    """Class decorator: register under ``name`` (``ja.<entity>.v<N>``) and set ``NAME``."""

    def decorator(cls: type[JaRecognizer]) -> type[JaRecognizer]:
        cls.NAME = name
        return RECOGNIZERS.register(name)(cls)

    return decorator


class NoParams(Frozen):
    """Recognizers without extra settings accept an empty ``params``."""


class JaRecognizer(EntityRecognizer):
    """Common plumbing: spec, params, context matching, result construction."""

    #: the registry name; also the ``recognizer`` field of every finding
    NAME: ClassVar[str] = ""
    #: True when results depend on GiNZA NER spans in the artifacts (re-run after NER)
    USES_NER: ClassVar[bool] = False
    #: a NER user's own findings scored below this are left visible to NER (not masked before
    #: it runs), so that NER's reading of them can count for or against them; None: mask all
    ner_recheck_below: float | None = None
    Params: ClassVar[type[BaseModel]] = NoParams

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        self.spec = spec
        self.params: Any = validate_model(spec.params, self.Params, f"{source}: {self.NAME}.params")
        self._prefilter = re.compile(spec.prefilter) if spec.prefilter else None
        self._context = _ContextMatcher(spec.context)
        self._negative = _ContextMatcher(spec.negative_context)
        super().__init__(
            supported_entities=list(self.supported()),
            name=self.NAME,
            supported_language="ja",
            context=list(spec.context.words),
        )
        #: build Presidio AnalysisExplanations (for its decision process); off in the
        #: detector's hot path, where they are never read
        self.explain = True
        self._metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.NAME,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }

    # -- what subclasses provide -------------------------------------------------------
    def supported(self) -> tuple[str, ...]:
        """Entities this recognizer can emit (default: the spec's entity)."""
        return (self.spec.entity,)

    def find(self, nt: NormalizedText, artifacts: NlpArtifacts | None) -> Iterable[RecognizerResult]:
        """Yield results with offsets into ``nt.original``."""
        raise NotImplementedError

    # -- Presidio contract ---------------------------------------------------------------
    def load(self) -> None:  # noqa: D102 - nothing to load; data is read in __init__
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Presidio entry point: normalizes ``text`` itself."""
        wanted = set(entities) if entities else None
        return [
            r
            for r in self.analyze_normalized(normalize(text), nlp_artifacts)
            if wanted is None or r.entity_type in wanted
        ]

    def analyze_normalized(
        self, nt: NormalizedText, artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if self._prefilter is not None and not self._prefilter.search(nt.text):
            return []
        return list(self.find(nt, artifacts))

    # -- helpers for subclasses ----------------------------------------------------------
    def context_word(self, nt: NormalizedText, start: int, end: int) -> str | None:
        """The first context word found around normalized ``[start, end)``, or None."""
        return self._context.search(nt.text, start, end)

    def vetoed(self, nt: NormalizedText, start: int, end: int) -> bool:
        return self._negative.search(nt.text, start, end) is not None

    def result(
        self,
        nt: NormalizedText,
        start: int,
        end: int,
        score: float,
        entity: str | None = None,
        why: str = "",
        normalized: bool = True,
    ) -> RecognizerResult:
        """Build a result; ``start``/``end`` are normalized offsets unless ``normalized=False``."""
        o_start, o_end = nt.span(start, end) if normalized else (start, end)
        explanation = (
            AnalysisExplanation(recognizer=self.NAME, original_score=score, textual_explanation=why or None)
            if self.explain
            else None
        )
        return RecognizerResult(
            entity_type=entity or self.spec.entity,
            start=o_start,
            end=o_end,
            score=min(1.0, max(0.0, score)),
            analysis_explanation=explanation,
            recognition_metadata=self._metadata,
        )


class JaPatternRecognizer(JaRecognizer):
    """Regexes from the spec over the normalized text, then :meth:`validate` and context.

    Subclasses override :meth:`validate` (checksums) and optionally :meth:`score_for`.
    """

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        self._patterns = [(p, re.compile(p.regex)) for p in spec.patterns]

    def validate(self, candidate: str) -> bool:
        """Checksum or format check on the normalized match; default accepts."""
        return True

    def score_for(self, base: float, context_word: str | None) -> float:
        return base + self.spec.context.boost if context_word else base

    @property
    def keeps_unchecked(self) -> bool:
        """Whether a match whose check fails can still be a finding (else: skip it at once)."""
        return self.spec.unchecked is not None or self.spec.unchecked_in_context is not None

    def scored(self, pattern: str, base: float, valid: bool, word: str | None) -> tuple[float, str] | None:
        """(score, why) of a match, or None: a valid one scores by the pattern and its context;
        one whose check failed by ``unchecked_in_context`` (with a context word) or ``unchecked``
        — the check raises the score, the context decides."""
        if valid:
            return self.score_for(base, word), f"pattern {pattern}" + (" with context" if word else "")
        if word is not None and self.spec.unchecked_in_context is not None:
            return self.spec.unchecked_in_context, f"pattern {pattern}, check failed, with context"
        if self.spec.unchecked is not None:
            return self.spec.unchecked, f"pattern {pattern}, check failed"
        return None

    def find(self, nt: NormalizedText, artifacts: NlpArtifacts | None) -> Iterable[RecognizerResult]:
        text = nt.text
        for pattern, regex in self._patterns:
            for m in regex.finditer(text):
                start, end = m.span("value") if "value" in regex.groupindex else m.span()
                valid = self.validate(text[start:end])
                if (not valid and not self.keeps_unchecked) or self.vetoed(nt, start, end):
                    continue
                word = self.context_word(nt, start, end)
                scored = self.scored(pattern.name, pattern.score, valid, word)
                if scored is not None:
                    yield self.result(nt, start, end, scored[0], why=scored[1])


class _ContextMatcher:
    """Raw-substring search in a window around a hit (lemmas miss 個人番号カード)."""

    def __init__(self, spec: ContextSpec) -> None:
        words = sorted({normalize(w).text for w in spec.words if w}, key=len, reverse=True)
        self.before = spec.before
        self.after = spec.after
        self._regex = re.compile("|".join(re.escape(w) for w in words)) if words else None

    def search(self, text: str, start: int, end: int) -> str | None:
        if self._regex is None:
            return None
        lo = max(0, start - self.before)
        hi = min(len(text), end + self.after)
        for m in self._regex.finditer(text, lo, hi):
            if m.end() <= start or m.start() >= end:  # outside the hit itself
                return m.group()
        return None
