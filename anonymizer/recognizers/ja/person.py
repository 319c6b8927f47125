"""PERSON: personal names from Sudachi morphology (fast) and GiNZA NER spans (accurate).

Morphology rules, in order of confidence:

1. runs of 名詞,固有名詞,人名 morphemes (姓, 名, 一般), joined across one space or a middle dot
   (山田 太郎, 佐藤花子, マイケル・ジョンソン);
2. katakana chains joined by ・ or ＝ in which a part is a person name or unknown to the
   dictionary (ヴァヒド・ハリルホジッチ) — all-known common nouns (ケア・マネジャー) are not names;
3. a katakana word unknown to the dictionary (often a foreign name; low score);
4. a proper noun or unknown word directly before an honorific (西尾さん, ジョン様) — Sudachi tags
   many surnames as place names; common nouns before さん (ヘルパーさん, 大家さん) are not names.

NER spans whose label ``rules/ner_labels.yaml`` maps to PERSON (``mode: span``) are added
in accurate mode. Honorifics, titles and scores are rules data (``ja.person.v1.yaml``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.nlp.artifacts import JaNlpArtifacts, Morpheme
from anonymizer.nlp.sudachi import SudachiMorphologizer
from anonymizer.recognizers.base import JaRecognizer, register
from anonymizer.recognizers.ner_labels import load_ner_labels
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.text.normalize import NormalizedText

_SCORE = Field(ge=0.0, le=1.0)


class PersonParams(Frozen):
    honorifics: tuple[str, ...]
    joiners: tuple[str, ...] = ("・", "･", "＝", "=", "゠")
    full_name_score: float = _SCORE
    single_name_score: float = _SCORE
    short_given_name_score: float = _SCORE
    katakana_chain_score: float = _SCORE
    honorific_score: float = _SCORE
    honorific_boost: float = _SCORE
    #: a katakana word unknown to the dictionary (ゼルテン): often a foreign name
    unknown_katakana_score: float = _SCORE
    unknown_katakana_min_length: int = Field(default=3, ge=1)
    #: words Sudachi tags as 人名 that are ordinary words in administrative text
    not_names: tuple[str, ...] = ()


def _is_katakana(s: str) -> bool:
    return bool(s) and all("\u30a0" <= c <= "\u30ff" or "\uff66" <= c <= "\uff9f" for c in s)


def _is_space(m: Morphemeish) -> bool:
    return m.pos[0] == "空白"


Morphemeish = Morpheme


@register("ja.person.v1")
class PersonRecognizer(JaRecognizer):
    Params = PersonParams
    USES_NER = True

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        self._sudachi = SudachiMorphologizer()
        labels = load_ner_labels()
        self._ner_labels = {
            label: m.score for label, m in labels.labels.items()
            if m.entity == "PERSON" and m.mode == "span"
        }
        self._joiners = set(self.params.joiners)
        self._honorifics = tuple(sorted(self.params.honorifics, key=len, reverse=True))
        self._not_names = set(self.params.not_names)

    def find(self, nt: NormalizedText, artifacts: NlpArtifacts | None) -> Iterable[RecognizerResult]:
        if isinstance(artifacts, JaNlpArtifacts) and artifacts.text == nt.original:
            morphs: Sequence[Morpheme] = artifacts.morphemes
            ner = artifacts.ner
        else:  # plain Presidio use: compute morphology ourselves
            morphs, ner = self._sudachi.morphemes(nt.original), ()
        for start, end, score, why in self._from_morphemes(nt.original, morphs):
            yield self.result(nt, start, end, score, why=why, normalized=False)
        for span in ner:
            score = self._ner_labels.get(span.label)
            if score is not None and nt.original[span.start:span.end].strip():
                if self._honorific_after(nt.original, span.end):
                    score = min(1.0, score + self.params.honorific_boost)
                yield self.result(
                    nt, span.start, span.end, score, why=f"NER {span.label}", normalized=False
                )

    # -- morphology ----------------------------------------------------------------------
    def _honorific_after(self, text: str, end: int) -> bool:
        return text.startswith(self._honorifics, end)

    def _from_morphemes(
        self, text: str, morphs: Sequence[Morpheme]
    ) -> Iterable[tuple[int, int, float, str]]:
        p = self.params
        n = len(morphs)
        i = 0
        while i < n:
            m = morphs[i]
            if m.is_person_name and m.surface not in self._not_names:
                j, kinds = self._extend_name(morphs, i)
                start, end = m.start, morphs[j - 1].end
                if len(kinds) >= 2 or (kinds & {"姓"} and "名" in kinds):
                    score, why = p.full_name_score, "morphology full name"
                elif "名" in kinds and len(text[start:end]) == 1:
                    score, why = p.short_given_name_score, "morphology short given name"
                else:
                    score, why = p.single_name_score, "morphology name"
                if self._honorific_after(text, end):
                    score, why = min(1.0, score + p.honorific_boost), why + " + honorific"
                yield start, end, score, why
                i = j
                continue
            chain = self._katakana_chain(morphs, i)
            if chain is not None:
                j, has_signal = chain
                if has_signal:
                    end = morphs[j - 1].end
                    score = p.katakana_chain_score
                    if self._honorific_after(text, end):
                        score = min(1.0, score + p.honorific_boost)
                    yield m.start, end, score, "morphology katakana name chain"
                i = j
                continue
            if (
                m.oov
                and m.pos[0] == "名詞"
                and len(m.surface) >= p.unknown_katakana_min_length
                and _is_katakana(m.surface)
            ):
                score = p.unknown_katakana_score
                if self._honorific_after(text, m.end):
                    score = min(1.0, score + p.honorific_boost)
                yield m.start, m.end, score, "morphology unknown katakana word"
                i += 1
                continue
            if (
                (m.pos[1] == "固有名詞" or m.oov)
                and m.pos[0] == "名詞"
                and self._honorific_after(text, m.end)
                and not m.surface.isdigit()
            ):
                yield m.start, m.end, p.honorific_score, "proper noun + honorific"
            i += 1

    def _extend_name(self, morphs: Sequence[Morpheme], i: int) -> tuple[int, set[str]]:
        """Extend a 人名 run over further name parts, one space, or a joiner + katakana."""
        kinds = {morphs[i].pos[3]}
        j = i + 1
        n = len(morphs)
        while j < n:
            m = morphs[j]
            if m.is_person_name and m.surface not in self._not_names:
                kinds.add(m.pos[3])
                j += 1
                continue
            if j + 1 < n and (_is_space(m) or m.surface in self._joiners):
                nxt = morphs[j + 1]
                if nxt.is_person_name or (
                    m.surface in self._joiners and _is_katakana(nxt.surface)
                ):
                    kinds.add(nxt.pos[3] if nxt.is_person_name else "外")
                    j += 2
                    continue
            if _is_katakana(m.surface) and m.oov and _is_katakana(morphs[j - 1].surface):
                j += 1
                continue
            break
        return j, kinds

    def _katakana_chain(self, morphs: Sequence[Morpheme], i: int) -> tuple[int, bool] | None:
        """Katakana words joined by ・/＝; returns (end index, looks like a name)."""
        if not (_is_katakana(morphs[i].surface) and morphs[i].pos[0] == "名詞"):
            return None
        j = i + 1
        parts = [morphs[i]]
        n = len(morphs)
        while j + 1 < n and morphs[j].surface in self._joiners:
            nxt = morphs[j + 1]
            if not (_is_katakana(nxt.surface) or nxt.is_person_name) or nxt.pos[0] != "名詞":
                break
            parts.append(nxt)
            j += 2
        if len(parts) < 2:
            return None
        if any(pt.is_place_name for pt in parts):
            return j, False
        signal = any(pt.is_person_name or pt.oov for pt in parts)
        return j, signal
