"""What the NLP engines hand to recognizers: morphemes and NER spans, original offsets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from presidio_analyzer.nlp_engine import NlpArtifacts


class Morpheme(NamedTuple):
    """One Sudachi morpheme. ``pos`` is Sudachi's 6-part part of speech.

    A NamedTuple, not a dataclass: tens of millions are built per large table and tuple
    construction is several times cheaper.
    """

    start: int
    end: int
    surface: str
    pos: tuple[str, ...]
    oov: bool = False

    @property
    def is_person_name(self) -> bool:  # 名詞,固有名詞,人名,{一般,姓,名}
        return len(self.pos) > 2 and self.pos[1] == "固有名詞" and self.pos[2] == "人名"

    @property
    def is_place_name(self) -> bool:  # 名詞,固有名詞,地名,{一般,国}
        return len(self.pos) > 2 and self.pos[1] == "固有名詞" and self.pos[2] == "地名"


@dataclass(frozen=True, slots=True)
class NerSpan:
    """One GiNZA NER entity: ENE label (``Person``, ``City``…) and original offsets."""

    start: int
    end: int
    label: str


class JaNlpArtifacts(NlpArtifacts):
    """Presidio's NlpArtifacts plus Sudachi morphemes and GiNZA spans (original offsets).

    ``ner`` is empty in ``fast`` mode (no neural model runs). Presidio's lemma keywords are
    left empty: context is matched as raw substrings, not lemmas.
    """

    def __init__(
        self,
        text: str,
        morphemes: tuple[Morpheme, ...],
        ner: tuple[NerSpan, ...] = (),
        nlp_engine: object | None = None,
    ) -> None:
        self.entities = []
        self.tokens = None
        self.keywords = []
        self.nlp_engine = nlp_engine
        self.scores = []
        self.text = text
        self.morphemes = morphemes
        self.ner = ner

    # Presidio's token lists, built only if Presidio's own engine asks (never in the hot path)
    @property  # type: ignore[override]
    def tokens_indices(self) -> list[int]:
        return [m.start for m in self.morphemes]

    @tokens_indices.setter
    def tokens_indices(self, _: list[int]) -> None:
        pass

    @property  # type: ignore[override]
    def lemmas(self) -> list[str]:
        return [m.surface for m in self.morphemes]

    @lemmas.setter
    def lemmas(self, _: list[str]) -> None:
        pass
