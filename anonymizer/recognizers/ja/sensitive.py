"""要配慮個人情報 (個人情報保護法第2条第3項, 施行令第2条): one entity per category.

人種, 信条, 社会的身分, 病歴・心身の障害, 犯罪の経歴, 犯罪被害, 健康診断等の結果,
保健指導・診療・調剤, 刑事事件の手続, 少年の保護事件の手続 — each a word list and phrase
patterns in ``rules/recognizers/ja.sensitive.v1.yaml``, which cites the law per category.
The text is matched as it is written; Sudachi's morphemes then decide what a match means:

1. a listed **term** counts only where it is a word of a noun compound: がん in 胃がん, not in
   がんばる; うつ the noun, not the verb (ボールをうつ); not a piece across two words (処方 in
   対処|方法) — and ``not_terms`` lists single words that hold one (送信者, うつ伏せ);
2. a **pattern** is a phrase (聴覚に障害, 暴力を受け, 病院に通) whose meaning hangs on its
   neighbours: a technical word just before it (``negative_context``: 電波, 通信, システム…)
   vetoes it, so システムに障害あり is no disability. A bare 障害 is never a term (電波障害,
   通信障害, 障害物競走): only its disability compounds (聴覚障害, 障害者) and phrases are;
3. **病歴 by morphology**: a noun compound whose last morpheme ends in 症, 病, 炎, 不全…
   (脊柱管狭窄|症, 慢性|腎不全, パーキンソン|病) is an illness unless listed as not one
   (感染症 and 熱中症 are what notices warn about; 臆病, 看病 are no illness);
4. a hit extends over its whole noun compound (胃|がん, 障害者手帳|2級, 国立中央|病院に通う) —
   not back over a number, a time word or a name — unless the rest of that compound names a
   service, programme or office (障害者|支援課, がん|検診, DV|相談窓口, 児童虐待|防止法:
   ``service_words``), which is about no one and is not reported.

A general mention with no person named (障害者手帳をお持ちの方は…) is reported like any other:
a free-text column is written about persons, and a mask there costs less than a leak.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from pydantic import Field, model_validator

from anonymizer.config import Frozen
from anonymizer.entities import JP_SENSITIVE_MEDICAL, SENSITIVE, EntityName
from anonymizer.i18n import _
from anonymizer.nlp.artifacts import JaNlpArtifacts, Morpheme
from anonymizer.nlp.sudachi import SudachiMorphologizer
from anonymizer.recognizers.base import JaRecognizer, register
from anonymizer.recognizers.ja._morph import Morphs, is_noun
from anonymizer.recognizers.spec import PatternSpec, RecognizerSpec
from anonymizer.text.normalize import NormalizedText, normalize

_SCORE = Field(ge=0.0, le=1.0)
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_VALUE = re.compile(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>")


class Category(Frozen):
    """One category of 要配慮個人情報: its entity, words and phrases."""

    entity: EntityName
    #: words, reported where they begin and end in a noun (rule 1)
    terms: tuple[str, ...] = ()
    #: phrases, regular expressions over the canonical text (rule 2)
    patterns: tuple[PatternSpec, ...] = ()


class SensitiveParams(Frozen):
    categories: tuple[Category, ...]
    term_score: float = _SCORE
    #: rule 3: a compound whose last morpheme ends in one of these is an illness
    disease_suffixes: tuple[str, ...] = ()
    disease_score: float = _SCORE
    #: morphemes or compounds ending so that are no illness (臆病) or only ever general (感染症)
    not_diseases: tuple[str, ...] = ()
    #: rule 4: the rest of a compound holding one of these is a service, not a person's fact
    service_words: tuple[str, ...] = ()
    #: longer words that hold a term and mean something else (がんもどき)
    not_terms: tuple[str, ...] = ()
    #: morphemes a hit extends over (rule 4) and a compound looks back over (rule 3)
    compound_limit: int = Field(default=6, ge=1, le=12)

    @model_validator(mode="after")
    def _one_category_each(self) -> SensitiveParams:
        entities = [c.entity for c in self.categories]
        stray = [e for e in entities if e not in SENSITIVE]
        twice = sorted({e for e in entities if entities.count(e) > 1})
        missing = [e for e in SENSITIVE if e not in entities]
        if stray or twice or missing:
            raise ValueError(
                _(
                    "categories: one per 要配慮 category ({sensitive}); not a category {stray}, "
                    "listed twice {twice}, missing {missing}"
                ).format(sensitive=', '.join(SENSITIVE), stray=stray, twice=twice, missing=missing)
            )
        seen: dict[str, str] = {}
        for c in self.categories:
            for t in c.terms:
                key = normalize(t).text
                if seen.get(key, c.entity) != c.entity:
                    raise ValueError(
                        _("term {t!r} is listed under {value_} and {entity}").format(
                            t=t, value_=seen[key], entity=c.entity
                        )
                    )
                seen[key] = c.entity
        return self


def _alternation(words: Iterable[str]) -> str:
    """Longest first. No lookarounds: they would stop the regex engine skipping, by their
    first characters, the positions where no word can begin (ten times slower)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _inside_a_latin_word(text: str, start: int, end: int) -> bool:
    """A word beginning or ending in a Latin letter or digit touches another one there (the
    DV of DVD, the ALS of FALSE)."""
    return bool(
        (start > 0 and _ASCII_WORD.match(text[start]) and _ASCII_WORD.match(text[start - 1]))
        or (end < len(text) and _ASCII_WORD.match(text[end - 1]) and _ASCII_WORD.match(text[end]))
    )


@register("ja.sensitive.v1")
class JaSensitiveRecognizer(JaRecognizer):
    Params = SensitiveParams

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        p: SensitiveParams = self.params
        self._sudachi = SudachiMorphologizer()
        self._entity_of = {normalize(t).text: c.entity for c in p.categories for t in c.terms}
        self._terms = re.compile(_alternation(self._entity_of)) if self._entity_of else None
        self._patterns = [
            (pat, re.compile(pat.regex), c.entity) for c in p.categories for pat in c.patterns
        ]
        # one search says whether any pattern can match (most texts: none), then each runs
        anyone = "|".join(f"(?:{_VALUE.sub('(?:', pat.regex)})" for pat, _, _ in self._patterns)
        self._any_pattern = re.compile(anyone) if anyone else None
        self._service = _compiled(p.service_words)
        self._not_terms = _compiled(p.not_terms)
        self._suffixes = tuple(sorted(set(p.disease_suffixes), key=len, reverse=True))
        self._any_suffix = re.compile(_alternation(self._suffixes)) if self._suffixes else None
        self._not_diseases = tuple(sorted(set(p.not_diseases), key=len, reverse=True))

    def supported(self) -> tuple[str, ...]:
        return SENSITIVE

    def find(
        self, nt: NormalizedText, artifacts: NlpArtifacts | None
    ) -> Iterable[RecognizerResult]:
        if isinstance(artifacts, JaNlpArtifacts) and artifacts.text == nt.original:
            morphs = Morphs(artifacts.morphemes)
        else:  # plain Presidio use: compute morphology ourselves
            morphs = Morphs(self._sudachi.morphemes(nt.original))
        text, p = nt.text, self.params
        not_terms = self._not_terms.finditer(text) if self._not_terms else ()
        vetoes = [nt.span(*m.span()) for m in not_terms]
        for m in self._term_matches(text, nt, morphs):
            span = self._extend(morphs, *nt.span(*m.span()), vetoes)
            if span is not None:
                yield self._hit(nt, span, p.term_score, self._entity_of[m.group()], "term")
        patterns = self._patterns if self._any_pattern and self._any_pattern.search(text) else ()
        for pat, regex, entity in patterns:
            for m in regex.finditer(text):
                s, e = m.span("value") if "value" in regex.groupindex else m.span()
                if e <= s or self.vetoed(nt, s, e):
                    continue  # システムに障害あり
                span = self._extend(morphs, *nt.span(s, e), vetoes)
                if span is not None:
                    yield self._hit(nt, span, pat.score, entity, f"pattern {pat.name}")
        for start, end in self._diseases(nt.original, morphs):
            span = self._extend(morphs, start, end, vetoes)
            if span is not None:
                yield self._hit(nt, span, p.disease_score, JP_SENSITIVE_MEDICAL, "illness")

    def _term_matches(
        self, text: str, nt: NormalizedText, morphs: Morphs
    ) -> Iterator[re.Match[str]]:
        """Rule 1's matches; a rejected one gives way to a shorter term inside it (訪問診療
        cuts 訪問|診療所 wrongly; 診療 of 診療所 is a word)."""
        pos = 0
        while self._terms is not None and (m := self._terms.search(text, pos)):
            if _inside_a_latin_word(text, *m.span()) or not morphs.noun_word(*nt.span(*m.span())):
                pos = m.start() + 1  # DVD; がん of がんばる, うつ the verb
                continue
            yield m
            pos = m.end()

    def _hit(
        self, nt: NormalizedText, span: tuple[int, int], score: float, entity: str, why: str
    ) -> RecognizerResult:
        return self.result(nt, *span, score, entity, why, normalized=False)  # original offsets

    def _extend(
        self, morphs: Morphs, start: int, end: int, vetoes: Sequence[tuple[int, int]]
    ) -> tuple[int, int] | None:
        """The hit over its whole compound (rule 4), or None when it lies in a ``not_terms``
        word or the rest of its compound names a service."""
        if any(a <= start and end <= b for a, b in vetoes):
            return None
        tail = morphs.tail(end, self.params.compound_limit)
        if tail and self._service is not None and self._service.search(normalize(tail).text):
            return None
        return morphs.head(start, self.params.compound_limit), end + len(tail)

    def _diseases(self, text: str, morphs: Morphs) -> Iterator[tuple[int, int]]:
        """Rule 3: compounds that end in an illness suffix (脊柱管狭窄|症, 慢性|腎不全)."""
        if self._any_suffix is None or not self._any_suffix.search(text):
            return
        items = morphs.items
        limit = self.params.compound_limit
        for k, m in enumerate(items):
            if not is_noun(m) or not m.surface.endswith(self._suffixes):
                continue
            first = k
            while first > 0 and k - first < limit and _compound_part(items[first - 1]):
                first -= 1
            if first == k and m.surface in self._suffixes:
                continue  # a bare 症 or 病 names no illness
            name = text[items[first].start : m.end]
            if name.endswith(self._not_diseases):
                continue
            yield items[first].start, m.end


def _compiled(words: Iterable[str]) -> re.Pattern[str] | None:
    """One search for any of ``words`` (canonical form), or None for none."""
    normalized = [normalize(w).text for w in words]
    return re.compile(_alternation(normalized)) if normalized else None


def _compound_part(m: Morpheme) -> bool:
    """A morpheme an illness's name may begin with (not a number: 週3回の透析)."""
    return is_noun(m) and m.pos[1] != "数詞"
