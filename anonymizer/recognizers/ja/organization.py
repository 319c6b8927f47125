"""ORGANIZATION: where a person works or studies, written in free text.

A workplace or a school narrows a person down as much as a town does (the 長男 at 第三小学校,
the employee of 株式会社多摩物流). Four rules, their words in
``rules/recognizers/ja.organization.v1.yaml``; Sudachi's morphemes delimit the names:

1. a **legal form** (株式会社, 有限会社, 社会福祉法人, (株), ㈱ …) with the run of nouns after
   it (株式会社|多摩|物流) or before it (山田|商事|株式会社) — the name may not begin with a
   word that makes the legal form a mere word (学校法人|会計基準, 株式会社|化);
2. a **school** (小学校, 高校, 大学, 保育園, 特別支援学校 …) ending a noun compound, with a
   name before it that is not only generic (第|三|小学校, 一橋大学; not 市立|小学校, not the
   大学 of 大学生);
3. the value after a **label** (勤務先は…, 勤務先：…): the nouns that follow, joined by の
   (立川市の株式会社多摩物流), unless they say nothing (不明, 自営業, 市内);
4. the nouns right before a **work predicate** (に勤務, で働いている, の社員 …) when they name
   someone's workplace rather than a kind of place: a proper noun that is not only a place
   name (佐藤商事, ファミリーマート — 東京で働く is no organisation), an unknown word, Latin
   letters, or a workplace word with a name before it (国立中央|病院, 立川|工場; not 病院 or
   市内の病院). In accurate mode a GiNZA organisation span (``mode: seed`` in
   rules/ner_labels.yaml) right before the predicate is evidence too, and its extent is used.

A person's name inside a company name (株式会社山田商店) is no person: a legal-form finding
scores at least a full name's score, and the detector's resolver drops a finding contained in
another one that scores as high (anonymizer.detect.resolve).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.entities import ORGANIZATION
from anonymizer.nlp.artifacts import JaNlpArtifacts, Morpheme, NerSpan
from anonymizer.nlp.sudachi import SudachiMorphologizer
from anonymizer.recognizers.base import JaRecognizer, register
from anonymizer.recognizers.ja._morph import Morphs, is_noun
from anonymizer.recognizers.ner_labels import load_ner_labels
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.text.normalize import NormalizedText, normalize

_SCORE = Field(ge=0.0, le=1.0)
_LATIN = re.compile(r"[A-Za-z]")
_KANA = re.compile(r"[\u3040-\u30ff]")
#: 第一 (Sudachi: an adverb) begins a school's name as 第|三 does
_ORDINAL = re.compile(r"第[一二三四五六七八九十〇0-9０-９]+")


def _name_part(m: Morpheme) -> bool:
    return is_noun(m) or _ORDINAL.fullmatch(m.surface) is not None
#: characters that join the parts of a name (ABC・ホールディングス, A&B)
_JOINERS = frozenset("・･&＆")


class OrganizationParams(Frozen):
    legal_forms: tuple[str, ...]
    schools: tuple[str, ...]
    #: words that end a workplace's name (病院, 工場, 商店 …): evidence for rule 4
    workplaces: tuple[str, ...] = ()
    #: a school written short after its number (国立|二|小, 三|中): these suffix morphemes
    numbered_schools: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    #: rule 4's predicates: a regex over the canonical text, right after the organisation
    predicate: str
    #: words a name made only of says nothing (市立, 市内, 近所, 不明 …)
    generic: tuple[str, ...] = ()
    #: morphemes that end a name (社員, 勤務, さん, 長男 …)
    stops: tuple[str, ...] = ()
    #: first words after a legal form that make it a mere word (会計基準, 設立, 化 …)
    not_names: tuple[str, ...] = ()
    max_morphemes: int = Field(default=6, ge=1, le=12)
    max_chars: int = Field(default=30, ge=2, le=80)
    legal_score: float = _SCORE
    school_score: float = _SCORE
    label_score: float = _SCORE
    predicate_score: float = _SCORE


def _alternation(words: Iterable[str]) -> str:
    """Longest first, on the canonical (NFKC) form: （株）, ㈱ and (株) are one."""
    normalized = sorted({normalize(w).text for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in normalized)


@register("ja.organization.v1")
class JaOrganizationRecognizer(JaRecognizer):
    Params = OrganizationParams
    USES_NER = True

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        p: OrganizationParams = self.params
        self._sudachi = SudachiMorphologizer()
        self._legal = re.compile(_alternation(p.legal_forms))
        self._school = re.compile(_alternation(p.schools))
        labels = _alternation(p.labels)
        self._label = re.compile(rf"(?:{labels})\s*(?:は|:|：|=|＝|\s)\s*") if labels else None
        self._predicate = re.compile(p.predicate)
        self._workplaces = tuple(sorted(set(p.workplaces), key=len, reverse=True))
        self._generic = frozenset(p.generic)
        self._stops = frozenset(p.stops)
        self._not_names = frozenset(p.not_names)
        self._seeds = load_ner_labels().seeds(ORGANIZATION)

    def analyze_normalized(
        self, nt: NormalizedText, artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if isinstance(artifacts, JaNlpArtifacts) and artifacts.ner:
            return list(self.find(nt, artifacts))  # NER spans count whatever the prefilter says
        return super().analyze_normalized(nt, artifacts)

    def find(
        self, nt: NormalizedText, artifacts: NlpArtifacts | None
    ) -> Iterable[RecognizerResult]:
        if isinstance(artifacts, JaNlpArtifacts) and artifacts.text == nt.original:
            morphs, ner = Morphs(artifacts.morphemes), artifacts.ner
        else:  # plain Presidio use: compute morphology ourselves
            morphs, ner = Morphs(self._sudachi.morphemes(nt.original)), ()
        if not morphs:
            return
        text, p = nt.original, self.params
        for m in self._legal.finditer(nt.text):
            span = self._legal_name(morphs, *nt.span(*m.span()))
            if span is not None:
                yield self._hit(nt, span, p.legal_score, "legal form")
        for m in self._school.finditer(nt.text):
            start, end = nt.span(*m.span())
            if not morphs.ends_at(end):
                continue  # 大学 of 大学生, 高校 of 高校生
            name = self._name_before(morphs, start)
            if name is not None and not self._says_nothing(name, start):
                yield self._hit(nt, (name[0].start, end), p.school_score, "school")
        for start, end in self._numbered_schools(morphs):
            yield self._hit(nt, (start, end), p.school_score, "numbered school")
        for m in self._label.finditer(nt.text) if self._label else ():
            value = nt.span(*m.span())[1]
            value_end = self._value_after(morphs, value)
            if value_end is not None:
                yield self._hit(nt, (value, value_end), p.label_score, "after a workplace label")
        seeds = [s for s in ner if s.label in self._seeds]
        for m in self._predicate.finditer(nt.text):
            at = nt.span(*m.span())[0]
            span = self._before_predicate(text, morphs, at, seeds)
            if span is not None:
                yield self._hit(nt, span, p.predicate_score, "before a work predicate")

    def _hit(
        self, nt: NormalizedText, span: tuple[int, int], score: float, why: str
    ) -> RecognizerResult:
        return self.result(nt, *span, score, why=why, normalized=False)  # original offsets

    # -- names ---------------------------------------------------------------------------
    def _run_after(self, morphs: Morphs, start: int) -> list[Morpheme]:
        """Name morphemes from ``start`` on: nouns, and joiners between nouns; not stops."""
        items, p = morphs.items, self.params
        i = morphs.index_at(start)
        if i < len(items) and items[i].pos[0] == "空白":
            i += 1  # 株式会社 多摩物流
        out: list[Morpheme] = []
        while i < len(items) and len(out) < p.max_morphemes:
            m = items[i]
            joiner = m.surface in _JOINERS and i + 1 < len(items) and is_noun(items[i + 1])
            if not (is_noun(m) or joiner) or m.surface in self._stops:
                break
            if m.end - (out[0].start if out else start) > p.max_chars:
                break
            out.append(m)
            i += 1
        return out

    def _name_before(self, morphs: Morphs, start: int) -> list[Morpheme] | None:
        """The name morphemes that end at ``start`` (a morpheme holding ``start`` counts with
        its head: 一橋|大学 is one morpheme), after the last stop; None when there are none."""
        p = self.params
        run = morphs.nouns_before(start, p.max_morphemes, _name_part)
        for k in range(len(run) - 1, -1, -1):
            # 勤務先|山田商事, そのまま|日本体育大学: a stop or a time word ends what was before
            if run[k].surface in self._stops or run[k].pos[2] == "副詞可能":
                run = run[k + 1 :]
                break
        while run and (
            run[0].pos[0] == "接尾辞"  # a name does not begin with さん, ら, たち …
            or run[0].pos[1] == "数詞"  # nor with a number (11|年間|NFL)
            or start - run[0].start > p.max_chars
        ):
            run = run[1:]
        return run or None

    def _says_nothing(self, run: Sequence[Morpheme], upto: int | None = None) -> bool:
        """Every word is a generic one (市立, 市内, 近所), or there is none. A suffix morpheme
        belongs to the word before it (市|立 is 市立, 市|内 is 市内)."""
        words: list[str] = []
        for m in run:
            w = m.surface if upto is None or m.end <= upto else m.surface[: max(0, upto - m.start)]
            if not w:
                continue
            if words and m.pos[0] == "接尾辞":
                words[-1] += w
            else:
                words.append(w)
        return all(w in self._generic for w in words)

    def _numbered_schools(self, morphs: Morphs) -> Iterable[tuple[int, int]]:
        """国立二小, 三中: a numeral then 小 or 中 ending a noun compound, with its name."""
        items, abbreviations = morphs.items, self.params.numbered_schools
        for k in range(1, len(items)):
            m = items[k]
            if m.surface not in abbreviations or items[k - 1].pos[1] != "数詞":
                continue
            if k + 1 < len(items) and is_noun(items[k + 1]):
                continue  # 三中全会: the compound goes on
            name = self._name_before(morphs, items[k - 1].start) or []
            yield (name[0].start if name else items[k - 1].start), m.end

    def _legal_name(self, morphs: Morphs, start: int, end: int) -> tuple[int, int] | None:
        """Rule 1: the legal form with its name after (株式会社|多摩物流) or before it."""
        after = self._run_after(morphs, end)
        if after and (after[0].surface in self._not_names or self._says_nothing(after)):
            after = []
        before = self._name_before(morphs, start) or []
        if before and self._says_nothing(before, start):
            before = []
        if not after and not before:
            return None
        return (before[0].start if before else start), (after[-1].end if after else end)

    def _value_after(self, morphs: Morphs, start: int) -> int | None:
        """Rule 3: the end of the noun phrase after a label (nouns joined by の)."""
        items = morphs.items
        run = self._run_after(morphs, start)
        while run:
            i = morphs.index_at(run[-1].end)
            if not (i + 1 < len(items) and items[i].surface == "の" and is_noun(items[i + 1])):
                break
            more = self._run_after(morphs, items[i + 1].start)
            if not more or more[-1].end - start > self.params.max_chars:
                break
            run = run + [items[i]] + more
        nouns = [m for m in run if m.surface != "の"]
        if self._says_nothing(nouns):
            return None
        return run[-1].end

    def _before_predicate(
        self, text: str, morphs: Morphs, at: int, seeds: Sequence[NerSpan]
    ) -> tuple[int, int] | None:
        """Rule 4: the organisation right before a work predicate, with evidence."""
        for s in seeds:
            if s.end == at and s.end > s.start:
                return s.start, s.end  # GiNZA delimits the organisation
        run = self._name_before(morphs, at)
        if run is None or self._says_nothing(run):
            return None
        return (run[0].start, at) if self._names_a_workplace(text, run, at) else None

    def _names_a_workplace(self, text: str, run: Sequence[Morpheme], end: int) -> bool:
        """A proper noun that is neither a place nor a lone surname (東京で働く, 担当の佐藤に
        勤務…), an unknown word or Latin letters; or a workplace word after a name that is a
        proper noun (立川|工場, 国立中央|病院) or written in kana (かもめ|運送) — a kanji common
        noun before it is a kind of workplace (介護|施設, 運送|会社), not one."""
        if len(run) == 1 and run[0].is_person_name and len(run[0].surface) <= 3:
            return False
        if any(m.pos[1] == "固有名詞" and not m.is_place_name for m in run):
            return True
        if any(m.oov or _LATIN.search(m.surface) for m in run):
            return True
        if not text[run[0].start : end].endswith(self._workplaces) or self._says_nothing(run[:-1]):
            return False
        return any(m.pos[1] == "固有名詞" or _KANA.search(m.surface) for m in run[:-1])
