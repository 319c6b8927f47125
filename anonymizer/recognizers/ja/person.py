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

import re
from collections.abc import Callable, Iterable, Sequence

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.nlp.artifacts import JaNlpArtifacts, Morpheme, NerSpan
from anonymizer.nlp.sudachi import SudachiMorphologizer
from anonymizer.recognizers.base import JaRecognizer, register
from anonymizer.recognizers.ja._morph import states
from anonymizer.recognizers.ja.person_context import PersonContext, SudachiLexicon
from anonymizer.recognizers.ja.person_evidence import PersonCounterEvidence, common_nouns
from anonymizer.recognizers.ja.person_neighbours import (
    KatakanaNeighbours,
    between_full_names,
    names_again,
)
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
    #: a katakana name morpheme shorter than this, alone and without an honorific, is not a name
    katakana_name_min_letters: int = Field(default=1, ge=1)
    #: one katakana word that is a dictionary 姓 followed by a dictionary 名 (ナカイユキ,
    #: フジイレン: Sudachi keeps such a run as one unknown common noun)
    katakana_split_score: float = Field(default=0.75, ge=0.0, le=1.0)
    #: letters of loanwords, not of Japanese names written in katakana: a word with one is not
    #: split (ハン|マー is a hammer)
    katakana_split_not_letters: str = ""
    #: words Sudachi tags as 人名 that are ordinary words in administrative text
    not_names: tuple[str, ...] = ()
    #: a lone name token followed by one of these is a place (谷保在住, 高島地区)
    place_suffixes: tuple[str, ...] = ()
    #: text right after a candidate that makes it part of a document number (国市納第902号)
    document_number_after: str = r"^[\u4e00-\u9fff]{0,3}第[0-9０-９]+号"
    #: words that end a name run (titles): 山田課長 → 山田
    titles: tuple[str, ...] = ()
    #: tokens that end a name (organisations): 泉支店, 市民課
    organisation_suffixes: tuple[str, ...] = ()
    #: titles written right after a person's name (越智医師, 山田先生): the name before is a person
    person_titles: tuple[str, ...] = ()
    #: titles after a name that count only with morphology's support (人名, an unknown word, a
    #: proper noun): 和田社長, 北側大臣 — not 球団社長, 両選手, ドイツ選手権
    support_titles: tuple[str, ...] = ()
    #: kinds of common noun (Sudachi's third POS level) that are not a name before a title when
    #: morphology sees no name in them: 専属 (サ変可能) in 専属医師
    not_name_noun_kinds: tuple[str, ...] = ()
    #: words right before a staff member's name (担当小森, 担当の高島)
    name_prefixes: tuple[str, ...] = ()
    #: common nouns that take さん/様 without being names (大家さん, 皆様, お客様)
    honorific_nouns: tuple[str, ...] = ()
    #: words that follow a label or prefix without being a name (担当課, 名義変更, 来庁者数)
    not_names_after_label: tuple[str, ...] = ()
    #: after a label or prefix, dictionary words with one of these parts of speech (Sudachi)
    #: state an act or a state, not a name (相談者対応中, 申請者記入)
    state_pieces: tuple[str, ...] = ()
    #: honorifics used with children's hiragana given names, and the kinship words they also follow
    child_honorifics: tuple[str, ...] = ()
    not_child_names: tuple[str, ...] = ()
    #: labels whose value (after optional spaces, no colon needed) is a name (名義 ヤマダタロウ)
    loose_name_labels: tuple[str, ...] = ()
    #: labels whose value is a person's name (氏名：山田太郎; a 氏名 column's header context)
    name_labels: tuple[str, ...] = ()
    label_score: float = _SCORE
    #: 姓 + space + 名 written as in resident records (黒川　百咲, クリタ　トラノスケ)
    spaced_name_score: float = _SCORE
    spaced_part_max_chars: int = Field(default=4, ge=1, le=8)
    #: two capitalized Latin words without an honorific (John Smith; also Windows NT)
    latin_pair_score: float = Field(default=0.5, ge=0.0, le=1.0)
    #: counter-evidence (anonymizer/recognizers/ja/person_evidence.py): words that end an
    #: organisation's or a thing's name (木材工業, 興産, 組, 運河), role nouns and role
    #: characters before an honorific
    organisation_words: tuple[str, ...] = ()
    #: …unless the compound ends with a title: 直嶋正行経済産業相, 山田工業社長 are people
    organisation_titles: tuple[str, ...] = ()
    #: organisation words that right after names joined by ・ name the pair (藤井瑞希・垣岩令佳組)
    pair_words: tuple[str, ...] = ()
    role_nouns: tuple[str, ...] = ()
    role_suffixes: tuple[str, ...] = ()
    #: role endings that given names also have, counted only in words of three letters or more
    #: (受講生, 保育士 — not 陽生, 海士)
    long_role_suffixes: tuple[str, ...] = ()
    #: a word of one of these alone before an honorific or title is not a name (同議員, 各議員)
    determiners: tuple[str, ...] = ()
    #: bracket pairs around a work's title (『』): a candidate inside names a work or a character
    title_brackets: tuple[str, ...] = ()
    #: a NER span Sudachi reads as dictionary words (no 人名, no unknown word), one of which is a
    #: kanji or number morpheme of one of these parts of speech (any level), is a compound, not a
    #: name (台湾|守備|混成|第, 板門店|内, 終了|後|球団)
    compound_pieces: tuple[str, ...] = ()
    #: the score of a candidate the counter-evidence above speaks against (below the default
    #: threshold: shown only at a lower --min-score); an honorific right after it wins
    counter_score: float = Field(default=0.4, ge=0.0, le=1.0)
    #: accurate mode: morphology's findings scored below this are shown to NER, and its reading
    #: counts — a Person span over them agrees (score raised to ner_agree_score), a place,
    #: organisation, product… span (OntoNotes categories of GiNZA's own ENE mapping) disagrees
    #: (score lowered to ner_counter_score): 羽田 in 羽田から出発 is an airport
    ner_recheck_below: float | None = Field(default=0.8, ge=0.0, le=1.0)
    ner_agree_score: float = Field(default=0.8, ge=0.0, le=1.0)
    ner_counter_score: float = Field(default=0.4, ge=0.0, le=1.0)
    ner_counter_categories: tuple[str, ...] = ()
    #: a katakana NER Person span made only of words the dictionary knows as common nouns or
    #: places (ゴールキーパー); kept at the default threshold: foreign names are also words (リスト)
    ner_unsupported_score: float = Field(default=0.5, ge=0.0, le=1.0)
    #: a katakana NER span of dictionary places followed by (or ending with) one of these names a
    #: realm or its throne, not a person (ナポリ王位, マントヴァ公位): scored counter_score
    realm_titles: tuple[str, ...] = ()
    #: words that, right after a kanji honorific or title, make it part of a longer word
    #: (弁護士|会, 議員|会館): with the organisation words and the support titles
    title_compounds: tuple[str, ...] = ()
    #: context and the dictionary's readings (person_context.py): words that qualify a title
    #: (新監督, 元社長) although the dictionary knows them as surnames
    title_qualifiers: tuple[str, ...] = ()
    #: family text: a hiragana given name after one of these and の (長女のさくら, ２歳のきょうこ)
    kinship_words: tuple[str, ...] = ()
    age_counters: tuple[str, ...] = ()
    not_given_names: tuple[str, ...] = ()
    family_name_score: float = Field(default=0.7, ge=0.0, le=1.0)
    #: a surname alone after an office and の (納税課の小笠原が): person_context.py
    office_suffixes: tuple[str, ...] = ()
    office_staff_score: float = Field(default=0.6, ge=0.0, le=1.0)
    #: honorary titles of historical figures (聖徳太子, 明治天皇, 弘法大師)
    historical_titles: tuple[str, ...] = ()
    historical_score: float = Field(default=0.85, ge=0.0, le=1.0)
    #: a lone candidate followed by one of these is a place (羽田から出発, 小松で降りた)
    place_phrases: tuple[str, ...] = ()
    #: after a katakana candidate, a model number is a model's (クモハ123), unless one of these
    #: letters follows the digits (ヘンリー8世, マイケル23歳)
    not_model_after: str = ""
    #: a weak name (a one-letter given name) next to a name by one of these is a name
    #: (すみれと彩は); an item between two names of a 、-list starting with a 姓 (高原零)
    list_joiners: str = ""
    #: a lone candidate followed by one of these is a thing (マルゲリータを食べた, セレナを買った)
    thing_phrases: tuple[str, ...] = ()
    #: class nouns of places, vessels, animals and businesses: before a candidate (都市エル・
    #: ドラード, 愛犬ポチ) or heading it with ・ (ホテル・コルテシア), they say what it names
    thing_classes: tuple[str, ...] = ()
    listed_score: float = Field(default=0.6, ge=0.0, le=1.0)
    #: occupations, ranks and roles before a lone katakana name, with or without の
    #: (俳優のウルフ・ランゲ, 船長ドルゴフ; kinship_words count too): person_neighbours.py
    appositive_roles: tuple[str, ...] = ()
    appositive_score: float = Field(default=0.6, ge=0.0, le=1.0)
    #: what only a person does, later in a sentence a katakana subject opens (生まれ, 学ん,
    #: 自伝): person_neighbours.py
    person_predicates: tuple[str, ...] = ()
    #: words for a family after a katakana name (ガンビーノ一家, ギネス一族): person_neighbours.py
    family_words: tuple[str, ...] = ()
    #: nobiliary particles heading a katakana chain (フォン・ハント, ダ・ヴィンチ): a name
    name_particles: tuple[str, ...] = ()
    #: particles after a subject (は, が, も, と): what a weaker katakana word needs after it
    subject_particles: tuple[str, ...] = ()
    #: a kanji run glossed with a 姓␣名 kana reading in brackets (荒川漣（あらかわ　れん）)
    spaced_reading_score: float = Field(default=0.85, ge=0.0, le=1.0)


_KATAKANA = re.compile(r"[\u30a0-\u30ff\uff66-\uff9f]+")
_KANJI = re.compile(r"[\u4e00-\u9fff々〆ヶ]+")
_SPACE = re.compile(r"[ \u3000]")
_SUBJECT = re.compile("[はが]")


def _one_name(morphs: Sequence[Morpheme], kinds: tuple[str, ...]) -> bool:
    """``morphs`` is one dictionary person-name morpheme of one of ``kinds`` (姓, 名, 一般)."""
    return len(morphs) == 1 and morphs[0].pos[2] == "人名" and morphs[0].pos[3] in kinds


def _kanji_by_kanji(part: Sequence[Morpheme]) -> bool:
    """A short given name the dictionary reads one kanji at a time (望|帆, 仙|夏)."""
    return 1 < len(part) <= 3 and all(len(x.surface) == 1 and _is_kanji(x.surface) for x in part)


def _is_katakana(s: str) -> bool:
    return _KATAKANA.fullmatch(s) is not None


#: parts of speech a name's pieces get from the dictionary (清麗: 形状詞, 心: 接尾辞)
_NAME_POS = ("名詞", "形状詞", "接尾辞", "接頭辞")
_READING = re.compile(r"\s?[（(]\s?([\u30a0-\u30ff\uff66-\uff9f]+(?:[ \u3000・][\u30a0-\u30ff\uff66-\uff9f]+)?)\s?[）)]")


def _kanji_char(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or c in "々〆ヶ"


def _katakana_char(c: str) -> bool:
    return "\u30a1" <= c <= "\u30ff" or "\uff66" <= c <= "\uff9f"


#: what may stand between a label and its value (相談者：山田, 担当の山田); a value run on with
#: none is read more strictly (相談者対応中)
_LABEL_SEPARATORS = frozenset(":：はの \u3000\t")
_NOT_CORE = re.compile(r"[\s・･]")  # \s is str.isspace() for str patterns
_ALL_KATAKANA = re.compile(r"[\u30a1-\u30ff\uff66-\uff9f]+")  # _katakana_char (not ゠), unlike _KATAKANA


def _latin_char(c: str) -> bool:
    return c.isascii() and c.isalpha()


def _script_of(span: str) -> Callable[[str], bool] | None:
    """The character class a name span is written in (kanji, katakana or Latin)."""
    core = _NOT_CORE.sub("", span)
    if _is_kanji(core):
        return _kanji_char
    if _ALL_KATAKANA.fullmatch(core):
        return _katakana_char
    if core and core.isascii() and core.isalpha():
        return _latin_char
    return None


def _is_kanji(s: str) -> bool:
    return _KANJI.fullmatch(s) is not None


def last_pos(run: Sequence[Morpheme]) -> str:
    return run[-1].pos[0]


def _is_space(m: Morpheme) -> bool:
    return m.pos[0] == "空白"


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    """For ``startswith``/``endswith`` and alternations: the longest word must win."""
    return tuple(sorted(set(words), key=len, reverse=True))


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in _longest_first(words))


@register("ja.person.v1")
class JaPersonRecognizer(JaRecognizer):
    Params = PersonParams
    USES_NER = True

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        self._sudachi = SudachiMorphologizer()
        #: katakana word → whether it splits into a dictionary 姓 + name (loanwords repeat)
        self._split_cache: dict[str, bool] = {}
        self._loan_letters = frozenset(self.params.katakana_split_not_letters)
        self._verbal_nouns = frozenset(self.params.not_name_noun_kinds)
        labels = load_ner_labels()
        self._ner_labels = {
            label: m.score for label, m in labels.labels.items()
            if m.entity == "PERSON" and m.mode == "span"
        }
        self._joiners = set(self.params.joiners)
        self._subject_marks = tuple(self.params.subject_particles)
        self._name_particles = frozenset(self.params.name_particles)
        self._honorifics = _longest_first(self.params.honorifics)
        self._honorific_re = re.compile(_alternation(self.params.honorifics))
        #: words that, right after a kanji honorific, make it part of a longer word (弁護士|会)
        self._compound_heads = _longest_first(
            (*self.params.organisation_words, *self.params.support_titles,
             *self.params.title_compounds)
        )
        self._not_names = set(self.params.not_names)
        self._places = _longest_first(self.params.place_suffixes)
        self._doc_number = re.compile(self.params.document_number_after)
        self._titles = set(self.params.titles)
        self._stops = self._titles | set(self.params.place_suffixes) | set(self.params.organisation_suffixes)
        self._org_suffixes = _longest_first(self.params.organisation_suffixes)
        self._support_titles = frozenset(self.params.support_titles)
        self._suffix_re = re.compile(
            _alternation([*self.params.honorifics, *self.params.person_titles, *self.params.support_titles])
        )
        self._place_tail = _longest_first(self._stops - self._titles)
        self._title_words = _longest_first(self._titles)
        self._right_stops = _longest_first(
            set(self.params.honorifics) | self._stops | set(self.params.person_titles)
            | set(self.params.support_titles) | set(self.params.pair_words)
        )
        self._left_stops = _longest_first(
            set(self.params.name_prefixes) | set(self.params.loose_name_labels) | set(self.params.name_labels)
            | self._titles | set(self.params.honorific_nouns) | {"の", "は", "が"}
        )
        self._person_titles = _longest_first((*self.params.person_titles, *self.params.support_titles))
        #: what a name before an honorific or title cannot end with (東京弁護士|会長)
        self._not_name_ends = frozenset(
            (*self._person_titles, *self.params.honorifics, *self.params.honorific_nouns)
        )
        self._honorific_nouns = set(self.params.honorific_nouns)
        self._realm_titles = _longest_first(self.params.realm_titles)
        p = self.params
        self.ner_recheck_below = p.ner_recheck_below
        self._counter_labels: frozenset[str] | None = None  # built on first NER use
        self._counter = PersonCounterEvidence(
            p.organisation_words,
            (*p.role_nouns, *p.honorific_nouns),
            p.role_suffixes,
            p.organisation_titles,
            p.long_role_suffixes,
            p.determiners,
            p.title_brackets,
            p.compound_pieces,
            p.pair_words,
        )
        lexicon = self._lexicon = SudachiLexicon()
        self._neighbours = KatakanaNeighbours(
            lexicon, (*p.appositive_roles, *p.kinship_words), p.list_joiners, p.honorifics,
            p.subject_particles, p.person_predicates, p.family_words,
        )
        self._person_context = PersonContext(
            lexicon, p.title_qualifiers, p.kinship_words, p.age_counters,
            p.not_given_names, p.historical_titles, p.place_phrases, p.not_model_after,
            p.list_joiners, p.thing_phrases, p.thing_classes, p.office_suffixes,
            (*p.titles, *p.person_titles),
        )
        prefixes = _alternation(self.params.name_prefixes)
        self._prefix = re.compile(
            rf"(?:{prefixes})(?:の|は|:|：|\s)?([\u4e00-\u9fff々]{{1,3}})(?=[。、,.\s)）へにがよとでをは]|$)"
        ) if prefixes else None
        self._label_words = set(self.params.not_names_after_label) | self._stops | self._honorific_nouns
        self._label_word_starts = tuple(self.params.not_names_after_label)
        self._state_pieces = frozenset(self.params.state_pieces)
        child = "|".join(re.escape(x) for x in self.params.child_honorifics)
        self._child_re = (
            re.compile(rf"(?<![\u3040-\u309f])([\u3040-\u309f]{{2,4}})(?:{child})") if child else None
        )
        self._child_words = set(self.params.not_child_names)
        loose = _alternation(self.params.loose_name_labels)
        self._loose = re.compile(
            rf"(?:{loose})\s*[:：]?\s*([\u30a0-\u30ff\uff66-\uff9f\u4e00-\u9fff々]+(?:[ \u3000][\u30a0-\u30ff\uff66-\uff9f\u4e00-\u9fff々]+)?)"
        ) if loose else None
        labels = _alternation(self.params.name_labels)
        self._label = re.compile(rf"(?:{labels})\s*[:：]\s*([^、。,，\n(（:：0-9＜<＞>]{{1,40}})") if labels else None

    def analyze_normalized(
        self, nt: NormalizedText, artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if isinstance(artifacts, JaNlpArtifacts) and artifacts.ner:
            return list(self.find(nt, artifacts))  # NER spans count wherever they are
        return super().analyze_normalized(nt, artifacts)

    def find(self, nt: NormalizedText, artifacts: NlpArtifacts | None) -> Iterable[RecognizerResult]:
        if isinstance(artifacts, JaNlpArtifacts) and artifacts.text == nt.original:
            morphs: Sequence[Morpheme] = artifacts.morphemes
            ner = artifacts.ner
        else:  # plain Presidio use: compute morphology ourselves
            morphs, ner = self._sudachi.morphemes(nt.original), ()
        recheck = self.ner_recheck_below if ner else None
        for start, end, score, why in self._from_morphemes(nt.original, morphs):
            if self._part_of_something(nt.original, start, end, morphs):
                continue
            if recheck is not None and score < recheck:
                score, why = self._ner_reading(start, end, score, why, ner)
            score, why = self._counter_reading(nt.original, start, end, score, why, morphs)
            start, end = self._snap(nt.original, start, end)
            yield self.result(nt, start, end, score, why=why, normalized=False)
            reading = _READING.match(nt.original, end)
            if reading:  # 荒川　漣（アラカワレン）: the reading is the name too
                yield self.result(nt, *reading.span(1), score, why="reading after a name", normalized=False)
        for regex, why in ((self._prefix, "name after a staff prefix"), (self._loose, "name label")):
            if regex is None:
                continue
            for m in regex.finditer(nt.text):
                value = m.group(1)
                if value in self._label_words or value.startswith(self._label_word_starts):
                    continue  # 担当課へ, 名義変更, 来庁者数: a word, not a name
                if value[0] in self._joiners:
                    continue  # 代理人・弁護士: a list of roles, not a label and its value
                joined = m.start(1) > 0 and nt.text[m.start(1) - 1] not in _LABEL_SEPARATORS
                if joined and self._state_pieces and states(
                    morphs, *nt.span(*m.span(1)), self._state_pieces, run_on=True
                ):
                    continue  # 相談者対応中: an act on the person, not their name
                yield self.result(nt, *m.span(1), self.params.label_score, why=why)
        for m in self._child_re.finditer(nt.original) if self._child_re else ():
            if m.group(1) not in self._child_words:  # ゆうとくん, はるかちゃん (not おばあちゃん)
                yield self.result(nt, *m.span(1), self.params.honorific_score, why="hiragana name + くん/ちゃん", normalized=False)
        for start, end in self._person_context.spaced_readings(nt.original):
            yield self.result(
                nt, start, end, self.params.spaced_reading_score,
                why="name glossed with its reading", normalized=False,
            )
        if self._label is not None:
            for m in self._label.finditer(nt.text):
                start, end = m.span(1)
                while end > start and nt.text[end - 1].isspace():
                    end -= 1
                if end > start:
                    yield self.result(nt, start, end, self.params.label_score, why="name label")
        for span in ner:
            score = self._ner_labels.get(span.label)
            if score is not None and self._ner_is_place_or_title(nt.original, span.start, span.end, morphs):
                continue
            if score is not None and nt.original[span.start:span.end].strip():
                if self._part_of_something(nt.original, span.start, span.end, morphs):
                    continue
                why = f"NER {span.label}"
                if self._honorific_after(nt.original, span.end):
                    if self._ner_role(nt.original, span.start, span.end, morphs):
                        continue  # 保育士さん: a role before an honorific, not a name
                    score = min(1.0, score + self.params.honorific_boost)
                elif self._ner_unsupported(nt.original, span.start, span.end, morphs):
                    score = min(score, self.params.ner_unsupported_score)
                    if self._realm(nt.original, span.start, span.end, morphs):
                        score, why = min(score, self.params.counter_score), why + ", a realm"
                if self._dictionary_words(nt.original, span.start, span.end, morphs):
                    score = min(score, self.params.counter_score)
                    why += ", common nouns in the dictionary"
                score, why = self._counter_reading(
                    nt.original, span.start, span.end, score, why, morphs
                )
                if score > self.params.counter_score and not self._honorific_after(nt.original, span.end) and (
                    self._counter.compound(nt.original, span.start, span.end, morphs)
                ):
                    score, why = self.params.counter_score, why + ", a compound of words"
                start, end = self._snap(nt.original, span.start, span.end)
                yield self.result(nt, start, end, score, why=why, normalized=False)

    # -- NER's reading of a morphology finding (accurate mode) ------------------------------
    def _ner_reading(
        self, start: int, end: int, score: float, why: str, ner: Sequence[NerSpan]
    ) -> tuple[float, str]:
        labels = {sp.label for sp in ner if sp.start < end and start < sp.end}
        if not labels:
            return score, why
        if labels & self._ner_labels.keys():
            return max(score, self.params.ner_agree_score), why + ", NER agrees"
        if labels & self._ner_counter_labels():
            return min(score, self.params.ner_counter_score), why + ", NER reads a place or thing"
        return score, why

    def _ner_counter_labels(self) -> frozenset[str]:
        if self._counter_labels is None:
            from ginza.ene_ontonotes_mapper import ENE_ONTONOTES_MAPPING

            wanted = set(self.params.ner_counter_categories)
            self._counter_labels = frozenset(
                ene for ene, onto in ENE_ONTONOTES_MAPPING.items() if onto in wanted
            ) - self._ner_labels.keys()
        return self._counter_labels

    # -- counter-evidence (person_evidence.py) ----------------------------------------------
    def _part_of_something(self, text: str, start: int, end: int, morphs: Sequence[Morpheme]) -> bool:
        """Part of an organisation's, a vehicle's or a language's name (浅野木材工業, ダイムラー偵察車)."""
        if self._honorific_after(text, end) or self._title_after(text, end):
            return False
        return self._counter.organisation(text, start, end, morphs)

    def _realm(self, text: str, start: int, end: int, morphs: Sequence[Morpheme]) -> bool:
        """Dictionary places, then a realm word inside the span or right after it (ナポリ|王位)."""
        if not self._realm_titles:
            return False
        inside = [m for m in morphs if m.start < end and start < m.end and m.pos[0] not in ("補助記号", "空白")]
        k = 0
        while k < len(inside) and inside[k].is_place_name:
            k += 1
        if k == 0:
            return False
        rest = text[inside[k - 1].end : end]
        if rest:
            return rest in self._realm_titles
        return text.startswith(self._realm_titles, end)

    def _ner_role(self, text: str, start: int, end: int, morphs: Sequence[Morpheme]) -> bool:
        """A NER span before an honorific that morphology reads as a role: a listed role, a
        common noun with a role ending, or one known common noun of three letters or more."""
        run = [m for m in morphs if m.start < end and start < m.end]
        if not run or run[0].start != start or run[-1].end != end:
            return False
        if len(run) == 1 and run[0].pos[1] == "普通名詞" and not run[0].oov and len(run[0].surface) >= 3:
            return _is_kanji(run[0].surface)  # 保育士さん, 運転手さん (not a katakana name)
        return self._counter.role(run, text)

    def _counter_reading(
        self, text: str, start: int, end: int, score: float, why: str,
        morphs: Sequence[Morpheme] = (),
    ) -> tuple[float, str]:
        """Inside a work's title (『マーベル1602』): scored below the default threshold."""
        if score <= self.params.counter_score or self._honorific_after(text, end):
            return score, why
        if self._counter.in_title(text, start, end):
            return self.params.counter_score, why + ", inside a title"
        if self._title_after(text, end):
            return score, why
        if self._person_context.place_after(text, end):
            return self.params.counter_score, why + ", a place (travel or residence)"
        if self._person_context.model_after(text, start, end):
            return self.params.counter_score, why + ", a model number"
        if self._person_context.thing_after(text, end):
            return self.params.counter_score, why + ", a thing (eaten, bought, planted …)"
        if self._person_context.class_before(text, start, end, morphs):
            return self.params.counter_score, why + ", after a class of things"
        return score, why

    def _dictionary_words(
        self, text: str, start: int, end: int, morphs: Sequence[Morpheme]
    ) -> bool:
        """A kanji NER span of three letters or more that morphology reads as dictionary common
        nouns, none of them (nor the whole) known as a person's name (公定歩合, 首位打者, 森林|地帯,
        連歌師); not two letters: surnames read as common nouns are that short (里田, 一場)."""
        if end - start < 3 or not _is_kanji(text[start:end]):
            return False
        inside = [m for m in morphs if m.start < end and start < m.end]
        if not inside or (inside[0].start, inside[-1].end) != (start, end):
            return False
        if not common_nouns(inside):
            return False
        words = (text[start:end], *(m.surface for m in inside))
        return not any(self._lexicon.is_name(w) for w in words)

    @staticmethod
    def _ner_unsupported(text: str, start: int, end: int, morphs: Sequence[Morpheme]) -> bool:
        """A katakana NER span morphology knows only as common nouns or places (ゴールキーパー,
        セクストン, オルド): weaker evidence. Not kanji: Sudachi tags many surnames as common
        nouns or places in context (平野が, 筒井が, 内海医師, 伏見は)."""
        if not _ALL_KATAKANA.fullmatch(_NOT_CORE.sub("", text[start:end])):
            return False
        inside = [m for m in morphs if m.start < end and start < m.end and m.pos[0] not in ("補助記号", "空白")]
        return bool(inside) and all(
            not m.oov and (m.pos[1] == "普通名詞" or m.is_place_name or m.pos[0] in ("接頭辞", "接尾辞"))
            for m in inside
        )

    # -- morphology ----------------------------------------------------------------------
    def _katakana_full_name(self, word: str) -> bool:
        """``word`` splits into a dictionary 姓 and a dictionary 名 (or a name of either kind),
        each of two characters or more (ナカイ|ユキ, フジイ|レン); cached per word (loanwords
        repeat)."""
        cache = self._split_cache
        hit = cache.get(word)
        if hit is None:
            morph = self._sudachi.morphemes
            hit = any(
                _one_name(morph(word[:k]), ("姓",)) and _one_name(morph(word[k:]), ("名", "一般"))
                for k in range(2, len(word) - 1)
            )
            if len(cache) < 100_000:
                cache[word] = hit
        return bool(hit)

    def _unlisted_katakana(self, m: Morpheme, min_length: int, text: str) -> bool:
        """A katakana common noun the dictionary has no entry for (テルサンドロス, セルギイ):
        Sudachi joins unknown katakana into one word without always flagging it unknown — and
        joins known words too (ラブ|コール, フル|スケール): those are compounds, not names. A
        word that splits only into syllables the dictionary lists as proper nouns or
        interjections (クオ|デル, ムル|ベク) counts as the subject (は, が, も, と after it)."""
        lex = self._person_context.lexicon
        if not (
            m.pos[1] == "普通名詞" and len(m.surface) >= min_length and _is_katakana(m.surface)
            and not lex.readings(m.surface)
        ):
            return False
        if not lex.two_words(m.surface):
            return True
        return text.startswith(self._subject_marks, m.end) and not lex.compound(m.surface)

    def _honorific_after(self, text: str, end: int) -> bool:
        """An honorific follows — as a word of its own: not 弁護士 in 東京弁護士会長 or 氏 in
        氏族, where the letters go on into an organisation word or a title."""
        m = self._honorific_re.match(text, end)
        return m is not None and not self._goes_on(text, m.end())

    def _goes_on(self, text: str, at: int) -> bool:
        """A kanji honorific or title ending at ``at`` is the head of a longer word: an
        organisation word or a title follows (弁護士|会, 弁護士|会長, 議員|会館)."""
        return at > 0 and _kanji_char(text[at - 1]) and text.startswith(self._compound_heads, at)

    def _from_morphemes(
        self, text: str, morphs: Sequence[Morpheme]
    ) -> Iterable[tuple[int, int, float, str]]:
        """The morphology rules' candidates, names listed with them (すみれと彩は), and the
        same names written again elsewhere in the text."""
        found = list(self._listed(text, morphs))
        yield from found
        p = self.params
        full = [(s, e) for s, e, score, _ in found if score >= p.full_name_score]
        if len(full) >= 2:
            taken = [(s, e) for s, e, _, _ in found]
            for s, e in between_full_names(text, full, taken, self._neighbours.lexicon):
                found.append((s, e, p.listed_score, "a name between full names of a list"))
                yield found[-1]
        names = [(s, e, score) for s, e, score, _ in found if score >= p.single_name_score]
        for s, e, score in names_again(text, names, [(s, e) for s, e, _, _ in found]):
            yield s, e, score, "the same name again"

    def _listed(
        self, text: str, morphs: Sequence[Morpheme]
    ) -> Iterable[tuple[int, int, float, str]]:
        found = list(self._morphology(text, morphs))
        p = self.params
        found = self._neighbours_of(text, morphs, found)
        if not p.list_joiners or len(found) < 1:
            yield from found
            return
        names = [(s, e) for s, e, score, _ in found if score >= p.single_name_score]
        weak = [(s, e) for s, e, score, why in found if score < p.single_name_score
                and why.startswith("morphology short given name")]
        listed = set(self._person_context.listed_names(text, morphs, names, weak))
        for s, e, score, why in found:
            if (s, e) in listed:
                listed.discard((s, e))
                score, why = max(score, p.listed_score), why + ", listed with a name"
            yield s, e, score, why
        for s, e in sorted(listed):
            yield s, e, p.listed_score, "a surname listed between names"

    def _neighbours_of(
        self, text: str, morphs: Sequence[Morpheme], found: list[tuple[int, int, float, str]]
    ) -> list[tuple[int, int, float, str]]:
        """Lone katakana names (and Sinitic ones) after a role or listed with a name
        (person_neighbours.py): new candidates, or a weaker candidate of the same span raised
        (通訳の|バルタザーク)."""
        if "の" not in text and not _KATAKANA.search(text) and not _SUBJECT.search(text):
            return found
        p = self.params
        out = list(found)
        names = [(s, e) for s, e, score, _ in found if score >= p.single_name_score]
        near = self._neighbours
        for spans, score, why in (
            (near.after_role(text, morphs), p.appositive_score, "katakana name after a role"),
            (near.listed(text, morphs, names), p.listed_score, "katakana name listed with a name"),
            (near.subject_of_a_life(text, morphs), p.appositive_score, "subject of a life"),
            (near.before_family(text, morphs), p.appositive_score, "a family's name"),
        ):
            for s, e in spans:
                same = next((k for k, c in enumerate(out) if c[:2] == (s, e)), None)
                if same is not None:
                    if out[same][2] < score:
                        out[same] = (s, e, score, f"{out[same][3]}, {why}")
                elif not any(a < e and s < b for a, b, _, _ in out):
                    out.append((s, e, score, why))
        return out

    def _morphology(
        self, text: str, morphs: Sequence[Morpheme]
    ) -> Iterable[tuple[int, int, float, str]]:
        p = self.params
        n = len(morphs)
        # the spaced-name rule can only start a few morphemes before a space
        spaced_from: set[int] = set()
        if _SPACE.search(text):
            for k, m in enumerate(morphs):
                if m.pos[0] == "空白":
                    spaced_from.update(range(max(0, k - 3), k))
        joiners = self._joiners
        min_unknown = p.unknown_katakana_min_length
        i = 0
        while i < n:
            m = morphs[i]
            # (a name part starts with a noun: anything else cannot begin A␣B)
            spaced = (
                self._spaced_name(text, morphs, i)
                if i in spaced_from and m.pos[0] == "名詞" else None
            )
            if spaced is not None:
                j, end, score, why = spaced
                yield m.start, end, score, why
                i = j
                continue
            pos = m.pos
            # the common case first, in one test: not a name, no joiner next, not unknown
            if not (
                (len(pos) > 2 and pos[2] == "人名")
                or m.oov
                or (i + 2 < n and morphs[i + 1].surface in joiners)
            ):
                if (
                    len(m.surface) >= 4
                    and pos[1] == "普通名詞"
                    and _is_katakana(m.surface)
                    and not self._loan_letters.intersection(m.surface)
                    and self._katakana_full_name(m.surface)
                ):
                    score = p.katakana_split_score
                    if self._honorific_after(text, m.end):
                        score = min(1.0, score + p.honorific_boost)
                    yield m.start, m.end, score, "morphology katakana 姓+名 in one word"
                    i += 1
                    continue
                if not self._unlisted_katakana(m, min_unknown, text):
                    i += 1
                    continue
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
                elif j == i + 1 and (
                    self._not_a_name_here(text, end)
                    or (end - start < p.katakana_name_min_letters and _is_katakana(text[start:end]))
                ):
                    i = j  # 谷保在住; パ—マ: a katakana letter alone is not a name
                    continue
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
                (m.oov or self._unlisted_katakana(m, min_unknown, text))
                and pos[0] == "名詞"
                and len(m.surface) >= min_unknown
                and _is_katakana(m.surface)
            ):
                score = p.unknown_katakana_score
                if self._honorific_after(text, m.end):
                    score = min(1.0, score + p.honorific_boost)
                yield m.start, m.end, score, "morphology unknown katakana word"
                i += 1
                continue
            i += 1
        yield from self._before_suffixes(text, morphs)
        for start, end in self._person_context.historical_figures(morphs):
            yield start, end, p.historical_score, "morphology historical figure"
        for start, end in self._person_context.family_given_names(morphs):
            yield start, end, p.family_name_score, "hiragana name in family text"
        for start, end in self._person_context.office_staff(morphs):
            yield start, end, p.office_staff_score, "morphology surname after an office"

    def _before_suffixes(
        self, text: str, morphs: Sequence[Morpheme]
    ) -> Iterable[tuple[int, int, float, str]]:
        """Names right before an honorific (佐伯清麗さん, 星様) or a person title (越智医師)."""
        p = self.params
        hits = {m.start() for m in self._suffix_re.finditer(text)}
        if not hits:
            return
        ends = {m.end for m in morphs}
        for j in range(1, len(morphs)):
            at = morphs[j].start
            if at not in hits:
                continue
            honorific = text.startswith(self._honorifics, at)
            suffix = self._suffix_re.match(text, at)
            if suffix is not None and self._goes_on(text, suffix.end()):
                continue  # 東京弁護士会, 東京弁護士会長: the word goes on, an organisation's name
            run: list[Morpheme] = []
            k = j - 1
            while k >= 0 and len(run) < 3:
                m = morphs[k]
                if m.pos[0] not in _NAME_POS or m.surface in self._stops or m.pos[1] == "数詞":
                    break
                if not (_is_kanji(m.surface) or _is_katakana(m.surface)):
                    break
                run.insert(0, m)
                k -= 1
            if not run or run[-1].surface in self._not_name_ends:
                continue  # (東京弁護士|会長: a title before the title ends no name)
            if self._counter.role(run, text):
                continue  # 生徒さん, 会員様, 庭師さん, ２名様: a role or a count, not a name
            if self._counter.organisation_end("".join(m.surface for m in run)):
                continue  # 貴族院議員, 日本医師会会長: an institution before a title
            if len(run) == 1 and _is_katakana(run[0].surface) and not run[0].oov and run[0].pos[1] == "普通名詞":
                continue  # ヘルパーさん, ケアマネさん
            if (
                len(run) == 1 and run[0].pos[1] == "普通名詞" and not run[0].oov
                and len(run[0].surface) >= 3
            ):
                continue  # 運転手さん: a known common noun of three or more characters
            chars = sum(len(m.surface) for m in run)
            if chars > 6 or (len(run) == 1 and run[0].is_place_name and len(run[0].surface) > 3):
                continue
            last = run[-1]
            if honorific:
                signal = any(m.is_person_name or m.oov or m.pos[1] == "固有名詞" for m in run)
            else:
                signal = any(m.is_person_name or m.oov or m.pos[1] == "固有名詞" for m in run)
                signal = signal or self._person_context.surname_before_title(run)  # 今|監督
                if suffix is not None and suffix.group() in self._support_titles and (
                    not signal or suffix.end() not in ends or last_pos(run) != "名詞"
                    or any(m.is_place_name and m.pos[3] == "国" for m in run)
                ):
                    # 和田社長 is a name, 球団社長, 両選手, ドイツ選手権, 沖縄知事選 are not:
                    # whole words after a name morphology supports (not a country)
                    continue
            if not honorific and not signal and not (_is_kanji(last.surface) and len(last.surface) <= 2):
                continue
            if not honorific and not signal and all(m.pos[2] in self._verbal_nouns for m in run):
                continue  # 専属医師, 勤務医師: a verbal or adverbial noun before a title
            score = p.full_name_score if any(m.is_person_name for m in run) else p.honorific_score
            if honorific:
                score = min(1.0, score + p.honorific_boost)
            yield run[0].start, last.end, score, "name before an honorific or title"

    def _ner_is_place_or_title(self, text: str, start: int, end: int, morphs: Sequence[Morpheme]) -> bool:
        """GiNZA tags facilities and places as Person (石田地域, 府中本町駅, 健康増進課長)."""
        inside = [m for m in morphs if m.start < end and start < m.end]
        if any(m.surface in self._stops for m in inside):
            return True
        if self._title_after(text, end):
            return False  # 田中部長: a title follows a name (部長 is not the organisation 部)
        return text[start:end].endswith(self._place_tail) or text.startswith(self._place_tail, end)

    # -- span snapping ------------------------------------------------------------------
    def _snap(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Grow a name span to the whole run of name characters it sits in.

        A partly masked name leaks (岡部　咲|佳氏 → ＜氏名＞佳氏). The span grows over
        characters of the same script, and across one space to a short run (泉　|久典|),
        stopping at honorifics, titles, place/organisation suffixes and label words.
        """
        if end <= start:
            return start, end
        same = _script_of(text[start:end])
        if same is None:
            return start, end
        n = len(text)
        while end < n and same(text[end]) and not self._stop_right(text, end):
            end += 1
        if end + 1 < n and text[end] in " \u3000" and same(text[end + 1]) and not self._stop_right(text, end + 1):
            k = end + 1
            while k < n and same(text[k]) and not self._stop_right(text, k):
                k += 1
            if k - end - 1 <= 3 and (k == n or not same(text[k])):
                end = k
        while start > 0 and same(text[start - 1]) and not self._stop_left(text, start):
            start -= 1
        if start >= 2 and text[start - 1] in " \u3000" and same(text[start - 2]) and not self._stop_left(text, start - 1):
            k = start - 1
            while k > 0 and same(text[k - 1]) and not self._stop_left(text, k):
                k -= 1
            if start - 1 - k <= 3 and (k == 0 or not same(text[k - 1])):
                start = k
        return start, end

    def _stop_right(self, text: str, i: int) -> bool:
        return text.startswith(self._right_stops, i)

    def _stop_left(self, text: str, i: int) -> bool:
        return text.endswith(self._left_stops, 0, i)

    def _title_after(self, text: str, end: int) -> bool:
        return text.startswith(self._title_words, end) or text.startswith(self._person_titles, end)

    def _not_a_name_here(self, text: str, end: int) -> bool:
        """A lone name token that is part of a place (谷保在住) or a document number."""
        if self._title_after(text, end):
            return False  # 山田課長: a title after a name (課長 is not the organisation 課)
        return (
            text.startswith(self._places, end)
            or text.startswith(self._org_suffixes, end)
            or bool(self._doc_number.match(text[end : end + 12]))
        )

    def _spaced_name(
        self, text: str, morphs: Sequence[Morpheme], i: int
    ) -> tuple[int, int, float, str] | None:
        """``A␣B`` where A and B are short name-like runs and there is a name signal.

        Resident records write 姓 and 名 separated by a space. A signal is a 人名 token on
        either side, an honorific after B, or A being a surname-like proper noun followed by
        a short kanji given name the dictionary does not know as one word.
        """
        a_end = self._name_run(morphs, i)
        if a_end is None or a_end >= len(morphs) or not _is_space(morphs[a_end]):
            return None
        if a_end + 1 >= len(morphs):
            return None
        b_end = self._name_run(morphs, a_end + 1)
        if b_end is None:
            return None
        a, b = morphs[i:a_end], morphs[a_end + 1 : b_end]
        for part in (a, b):
            if any(x.surface in self._stops for x in part):
                return None  # 泉支店, 国立市役所
            if all(x.pos[1] == "普通名詞" and not x.oov for x in part) and not (
                len(part) == 1 and (len(part[0].surface) <= 2 or not _is_kanji(part[0].surface))
            ) and not _kanji_by_kanji(part):
                return None  # 信用金庫: common nouns, not a name part
        start, end = morphs[i].start, morphs[b_end - 1].end
        a_text, b_text = text[start : morphs[a_end - 1].end], text[morphs[a_end + 1].start : end]
        def too_long(part: str) -> bool:  # katakana and Latin names are longer than kanji ones
            if _is_katakana(part) or part.isascii():
                return len(part) > 20
            return len(part) > self.params.spaced_part_max_chars

        if too_long(a_text) or too_long(b_text) or len(morphs[a_end].surface) != 1:
            return None
        honorific = self._honorific_after(text, end)
        named = any(x.is_person_name for x in (*a, *b))
        # two katakana/Latin words: a name unless both are known common nouns (テレビ ラジオ)
        foreign = all(
            (_is_katakana(t) or (t.isascii() and t[:1].isupper())) and len(t) >= 2 for t in (a_text, b_text)
        ) and any(x.oov or x.pos[1] == "固有名詞" for x in (*a, *b))
        surname_like = len(a) == 1 and (a[0].is_place_name or a[0].is_person_name) and _is_kanji(b_text)
        if not (honorific or named or foreign or surname_like):
            return None
        if any(x.is_place_name for x in b) and not honorific:
            return None  # 東京都　国立市: two places
        score = self.params.full_name_score if (named or honorific) else self.params.spaced_name_score
        if a_text.isascii() and b_text.isascii() and not honorific:
            # two Latin words are more often a title or a product (Windows NT, Mother Earth)
            score = self.params.latin_pair_score
        if honorific:
            score = min(1.0, score + self.params.honorific_boost)
        return b_end, end, score, "morphology spaced full name"

    def _name_run(self, morphs: Sequence[Morpheme], i: int) -> int | None:
        """End index of a run of noun tokens that could be one name part, or None."""
        j = i
        while j < len(morphs):
            m = morphs[j]
            if m.pos[0] not in _NAME_POS or m.surface in self._titles:
                break
            if m.pos[0] in ("接頭辞", "形状詞") and not _is_kanji(m.surface):
                break  # 飛 (接頭辞) in 飛夕 is a name character; お, ご are not
            if m.pos[0] == "接尾辞" and (j == i or m.surface in self._honorifics):
                break
            if not (_is_kanji(m.surface) or _is_katakana(m.surface) or m.surface.isalpha()):
                break
            j += 1
        return j if j > i else None

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
        n = len(morphs)
        if i + 2 >= n or morphs[i + 1].surface not in self._joiners:
            return None  # a chain needs a joiner and a word after this one
        if not (morphs[i].pos[0] == "名詞" and _is_katakana(morphs[i].surface)):
            return None
        j = i + 1
        parts = [morphs[i]]
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
        # フォン・ハント, ダ・ヴィンチ: a nobiliary particle heads a name (parts of one letter:
        # notes of a scale, ド・レ, are not)
        particle = parts[0].surface in self._name_particles and all(
            len(pt.surface) >= 2 for pt in parts[1:]
        )
        return j, signal or particle
