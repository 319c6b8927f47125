"""Presidio ``NlpEngine`` for Japanese: Sudachi morphology, plus GiNZA NER in accurate mode.

This keeps Presidio's contract (an ``AnalyzerEngine`` built with it runs our recognizers as
usual) while letting the detector drive the expensive part in batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from presidio_analyzer.nlp_engine import NlpEngine

from anonymizer.nlp.artifacts import JaNlpArtifacts, NerSpan
from anonymizer.nlp.ginza import GinzaNer
from anonymizer.nlp.sudachi import SudachiMorphologizer

Mode = Literal["fast", "accurate"]
from anonymizer.nlp.modes import MODES  # noqa: E402  (re-exported)


class JaNlpEngine(NlpEngine):
    """``fast``: Sudachi only. ``accurate``: Sudachi + GiNZA NER (tok2vec + ner pipes)."""

    def __init__(self, mode: Mode = "accurate") -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.mode = mode
        self.sudachi = SudachiMorphologizer()
        self.ginza = GinzaNer() if mode == "accurate" else None

    def load(self) -> None:
        if self.ginza is not None:
            _ = self.ginza.nlp

    def is_loaded(self) -> bool:
        return self.ginza is None or self.ginza._nlp is not None

    def process_text(self, text: str, language: str) -> JaNlpArtifacts:
        return next(iter(self.process_batch([text], language)))[1]

    def process_batch(  # type: ignore[override]
        self, texts: Iterable[str], language: str, batch_size: int = 64, n_process: int = 1, **_: object
    ) -> Iterator[tuple[str, JaNlpArtifacts]]:
        items = list(texts)
        ner: Iterable[tuple[NerSpan, ...]]
        ner = self.ginza.spans(items) if self.ginza is not None else (() for _ in items)
        for text, spans in zip(items, ner, strict=True):
            yield text, JaNlpArtifacts(text, self.sudachi.morphemes(text), spans, self)

    def is_stopword(self, word: str, language: str) -> bool:
        return False

    def is_punct(self, word: str, language: str) -> bool:
        return bool(word) and all(not c.isalnum() for c in word)

    def get_supported_entities(self) -> list[str]:
        return ["PERSON"]

    def get_supported_languages(self) -> list[str]:
        return ["ja"]
