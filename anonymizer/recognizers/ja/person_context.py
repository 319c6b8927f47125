"""Evidence for and against a PERSON candidate from its context and the dictionary's entries.

Morphology gives one reading per word in context; the dictionary knows every reading of it
(羽田: 姓 and 地名; 今: 姓, 副詞可能 and 接頭辞; さくら: 名, 姓, 地名 and 普通名詞). Combined
with what stands around the word, those readings decide cases one reading cannot:

- **a lone surname before a title** (今監督, 和田社長): a word the dictionary knows as a 姓,
  alone before a title, is a name — unless it is a word that qualifies titles (新, 元, 前 …);
- **a child's hiragana given name in family text** (２歳のきょうこ, 長女のさくらが): after a
  kinship word or an age and の, a hiragana word the dictionary knows as a given name, or
  knows as no common noun (きょうこ: 形状詞 only), and never as a time or formal word (ため,
  ころ, とき: 副詞可能);
- **a name listed with names** (すみれと彩は, 田中リタ、高原零、板倉あやの): a one-letter given
  name the dictionary reads as one, next to a name by と, や or 、 — or an item between two names
  in a 、-list that starts with a word the dictionary knows as a 姓 — is a name too;
- **a historical figure's appellation** (聖徳太子, 明治天皇): a proper noun ending with, or
  followed by, an honorary title of emperors, princes and monks;
- **a staff member after an office** (納税課の小笠原が対応, 地域包括支援センターの松本から):
  a proper noun the dictionary knows as a 姓 — even one morphology reads as a place here —
  after a word naming an office and の, and before a particle;
- **a name glossed with its reading** (荒川漣（あらかわ　れん）, 荒川漣（アラカワ　レン）): a
  kanji run followed by a kana reading in brackets written 姓␣名 — places and words are
  glossed in one piece — is a name, and so is the reading;
- **a place, not a person** (羽田から出発, 小松で降りた, ミューシアに上陸): a lone candidate
  followed by a phrase of travel or residence;
- **a thing, not a person** (マルゲリータを食べた, セレナを買った): a lone candidate followed by
  a verb phrase that takes things (を食べ, を植え, を飼っ, を買っ). (Not a katakana name run
  into a katakana common noun, シーザー|サラダ: Sudachi splits unknown names into such pieces,
  and gives nearly every katakana word a 人名 reading too);
- **a place, a vessel, an animal or a business, named** (黄金の都市エル・ドラード, 愛犬ポチ,
  ホテル・コルテシア): a class noun of such things right before the candidate, or joined to it
  by ・, says what it names;
- **a model, not a person** (クモハ123, ミウラP400SV): a katakana candidate followed by a
  model number (not a regnal one: ヘンリー8世).

The words are data (``rules/recognizers/ja.person.v1.yaml``); the readings are Sudachi's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from anonymizer.nlp.artifacts import Morpheme

_KANA = "\u3041-\u3096\u30a1-\u30faー"
_SPACED_READING = re.compile(
    rf"(?<![\u4e00-\u9fff々])([\u4e00-\u9fff々]{{2,5}})[（(]"
    rf"([{_KANA}]{{1,6}}[ \u3000][{_KANA}]{{1,6}})[）)]"
)
#: letters no word starts with (ン, ー, ッ, small kana): a split there is no compound
_NOT_WORD_START = frozenset("ンーッァィゥェォャュョヮヵヶ")
_HIRAGANA = re.compile(r"[\u3041-\u3096ー]+")
_KATAKANA_END = re.compile(r"[\u30a1-\u30ff\uff66-\uff9f]$")
_SERIES_END = re.compile(r"[\u30a1-\u30ff][・･][A-Z]+$")  # フェラーリ・F(512M)


class SudachiLexicon:
    """Every dictionary reading of a word: ``(POS level 2, level 3, level 4)`` triples."""

    def __init__(self) -> None:
        self._dict: Any = None  # sudachipy.Dictionary, created on first use
        self._cache: dict[str, frozenset[tuple[str, ...]]] = {}
        self._heads: dict[str, frozenset[tuple[str, ...]]] = {}

    def readings(self, word: str) -> frozenset[tuple[str, ...]]:
        hit = self._cache.get(word)
        if hit is None:
            if self._dict is None:
                from sudachipy import dictionary

                self._dict = dictionary.Dictionary(dict="core")
            # (NFKC: the dictionary holds ﾊﾟｽﾎﾟｰﾄ as パスポート)
            key = unicodedata.normalize("NFKC", word)
            hit = frozenset(tuple(m.part_of_speech()[1:4]) for m in self._dict.lookup(key))
            if len(self._cache) < 100_000:
                self._cache[word] = hit
        return hit

    def is_surname(self, word: str) -> bool:
        return ("固有名詞", "人名", "姓") in self.readings(word)

    def is_given_name(self, word: str) -> bool:
        return ("固有名詞", "人名", "名") in self.readings(word)

    def is_name(self, word: str) -> bool:
        """Known as a person's name of any kind (姓, 名, 一般) in one of its readings."""
        return any(r[:2] == ("固有名詞", "人名") for r in self.readings(word))

    def is_common_noun(self, word: str) -> bool:
        return any(r[0] == "普通名詞" for r in self.readings(word))

    def is_word(self, word: str) -> bool:
        """Known as a common noun, an adjectival noun or a proper noun of no stated kind."""
        return any(
            r[0] in ("普通名詞", "一般") or r[:2] == ("固有名詞", "一般")
            for r in self.readings(word)
        )

    def two_words(self, word: str) -> bool:
        """``word`` splits into two words the dictionary knows (not as names), each of two
        letters or more (ラブ|コール, フル|スケール): a compound, not a name. (Not three:
        short words are everywhere — テル|サン|ドロス is a name.)"""
        return any(
            self.is_word(word[:k]) and self.is_word(word[k:]) for k in range(2, len(word) - 1)
        )

    def compound(self, word: str) -> bool:
        """``two_words`` with pieces that can stand as words: not starting with ン, ー, ッ or a
        small kana, not ending with ッ; a piece of two letters a common or adjectival noun —
        the dictionary lists short syllables as proper nouns and interjections (クオ, ムル, ホー),
        and with them splits nearly every unknown foreign name in two (クオ|デル, ムル|ベク)."""
        return any(
            self._piece(word[:k]) and self._piece(word[k:]) for k in range(2, len(word) - 1)
        )

    def _piece(self, part: str) -> bool:
        if part[0] in _NOT_WORD_START or part[-1] == "ッ" or not self.is_word(part):
            return False
        return len(part) > 2 or self.is_common_noun(part) or ("形状詞",) in self.heads(part)

    def heads(self, word: str) -> frozenset[tuple[str, ...]]:
        """The first POS level of each dictionary reading (名詞, 形状詞, 感動詞 …), 1-tuples."""
        hit = self._heads.get(word)
        if hit is None:
            self.readings(word)  # loads the dictionary
            key = unicodedata.normalize("NFKC", word)
            hit = frozenset((m.part_of_speech()[0],) for m in self._dict.lookup(key))
            if len(self._heads) < 100_000:
                self._heads[word] = hit
        return hit

    def is_adverbial(self, word: str) -> bool:
        return any(r[:2] == ("普通名詞", "副詞可能") for r in self.readings(word))


class PersonContext:
    """The context rules above, over one text's morphemes; the words come from the rules."""

    def __init__(
        self,
        lexicon: SudachiLexicon,
        title_qualifiers: Sequence[str] = (),
        kinship_words: Sequence[str] = (),
        age_counters: Sequence[str] = (),
        not_given_names: Sequence[str] = (),
        historical_titles: Sequence[str] = (),
        place_phrases: Sequence[str] = (),
        not_model_after: str = "",
        list_joiners: str = "",
        thing_phrases: Sequence[str] = (),
        thing_classes: Sequence[str] = (),
        office_suffixes: Sequence[str] = (),
        staff_titles: Sequence[str] = (),
    ) -> None:
        self._staff_titles = frozenset(staff_titles)
        self._offices = tuple(sorted(set(office_suffixes), key=len, reverse=True))
        self._classes = tuple(sorted(set(thing_classes), key=len, reverse=True))
        self._class_set = frozenset(thing_classes)
        self._class_heads = tuple(f"{c}{j}" for c in self._classes for j in "・･")
        self._joiners = list_joiners
        self._things = tuple(sorted(set(thing_phrases), key=len, reverse=True))
        self.lexicon = lexicon
        self._qualifiers = frozenset(title_qualifiers)
        self._kin = frozenset(kinship_words)
        self._counters = frozenset(age_counters)
        self._not_given = frozenset(not_given_names)
        self._historical = tuple(sorted(set(historical_titles), key=len, reverse=True))
        self._place = tuple(sorted(set(place_phrases), key=len, reverse=True))
        not_after = f"(?![0-9]*[{re.escape(not_model_after)}])" if not_model_after else ""
        self._model = re.compile(rf"[A-Z]*[0-9]+{not_after}")

    # -- evidence for a name ---------------------------------------------------------------
    def surname_before_title(self, run: Sequence[Morpheme]) -> bool:
        """One word the dictionary knows as a 姓 (今|監督), not one that qualifies a title."""
        if len(run) != 1:
            return False
        word = run[0].surface
        return word not in self._qualifiers and self.lexicon.is_surname(word)

    def family_given_names(self, morphs: Sequence[Morpheme]) -> Iterable[tuple[int, int]]:
        """Hiragana given names after a kinship word or an age and の (２歳のきょうこは)."""
        if not self._kin and not self._counters:
            return
        n = len(morphs)
        for i in range(1, n - 1):
            if morphs[i].surface != "の" or morphs[i].pos[0] != "助詞":
                continue
            before = morphs[i - 1]
            if not (
                before.surface in self._kin
                or (before.surface in self._counters and i >= 2 and morphs[i - 2].pos[1] == "数詞")
            ):
                continue
            name = morphs[i + 1]
            after = morphs[i + 2] if i + 2 < n else None
            if after is not None and after.pos[0] not in ("助詞", "補助記号"):
                continue  # ２歳のかわいい|娘: the word goes on
            if self._given_name(name):
                yield name.start, name.end

    def office_staff(self, morphs: Sequence[Morpheme]) -> Iterable[tuple[int, int]]:
        """A surname alone after an office and の (納税課の小笠原が, センターの松本から): a
        proper noun the dictionary knows as a 姓, whatever morphology reads it as here, followed
        by a particle, a copula, punctuation or a staff title (小笠原|主査); not 納税課の前で:
        前 is a common noun."""
        if not self._offices:
            return
        n = len(morphs)
        for i in range(1, n - 1):
            if morphs[i].surface != "の" or morphs[i].pos[0] != "助詞":
                continue
            if not morphs[i - 1].surface.endswith(self._offices):
                continue
            name = morphs[i + 1]
            if name.pos[1] != "固有名詞" or not self.lexicon.is_surname(name.surface):
                continue
            after = morphs[i + 2] if i + 2 < n else None
            if (
                after is None
                or after.pos[0] in ("助詞", "助動詞", "補助記号")
                or after.surface in self._staff_titles
            ):
                yield name.start, name.end

    def _given_name(self, m: Morpheme) -> bool:
        word = m.surface
        if not (2 <= len(word) <= 5 and _HIRAGANA.fullmatch(word)) or word in self._not_given:
            return False
        if m.pos[0] not in ("名詞", "形状詞") or self.lexicon.is_adverbial(word):
            return False  # (ため, ころ, とき: a time or formal word; verbs and particles)
        lex = self.lexicon
        return m.is_person_name or lex.is_given_name(word) or not lex.is_common_noun(word)

    def listed_names(
        self, text: str, morphs: Sequence[Morpheme], names: Sequence[tuple[int, int]],
        weak: Sequence[tuple[int, int]],
    ) -> Iterable[tuple[int, int]]:
        """Weak candidates (``weak``) next to a name by a listing joiner, and new items between
        two names of a 、-list whose first word is a dictionary 姓 (高原|零)."""
        if not self._joiners or not names:
            return
        ends = {e for _, e in names}
        starts = {s for s, _ in names}

        def joined_before(s: int) -> bool:
            return s > 0 and text[s - 1] in self._joiners and (s - 1) in ends

        def joined_after(e: int) -> bool:
            return e < len(text) and text[e] in self._joiners and (e + 1) in starts

        for s, e in weak:
            if joined_before(s) or joined_after(e):
                yield s, e
        covered = [(s, e) for s, e in (*names, *weak)]
        for k, m in enumerate(morphs):
            if k == 0 or morphs[k - 1].surface != "、" or not joined_before(m.start):
                continue
            j = k
            while j < len(morphs) and j - k < 3 and morphs[j].surface not in ("、", "。"):
                j += 1
            if j >= len(morphs) or morphs[j].surface != "、" or (morphs[j].end not in starts):
                continue  # an item between two names of a 、-list
            end = morphs[j - 1].end
            if any(s < end and m.start < e for s, e in covered):
                continue
            if end - m.start <= 4 and m.pos[0] == "名詞" and self.lexicon.is_surname(m.surface):
                yield m.start, end

    def spaced_readings(self, text: str) -> Iterable[tuple[int, int]]:
        """A kanji run and its 姓␣名 kana reading in brackets right after it: both spans."""
        if "（" not in text and "(" not in text:
            return
        for m in _SPACED_READING.finditer(text):
            yield m.span(1)
            yield m.span(2)

    def historical_figures(self, morphs: Sequence[Morpheme]) -> Iterable[tuple[int, int]]:
        """A proper noun ending with an honorary title (聖徳太子), or followed by one as its own
        word (明治|天皇); not a place's (地名) proper noun."""
        if not self._historical:
            return
        for k, m in enumerate(morphs):
            if m.pos[1] != "固有名詞" or m.is_place_name:
                continue
            word = m.surface
            if len(word) > 2 and word.endswith(self._historical) and not m.is_person_name:
                yield m.start, m.end
            elif k + 1 < len(morphs) and morphs[k + 1].surface in self._historical:
                yield m.start, morphs[k + 1].end

    # -- evidence against ------------------------------------------------------------------
    def place_after(self, text: str, end: int) -> bool:
        """A phrase of travel or residence follows (羽田|から出発, 小松|で降り, 貝塚|に住)."""
        return bool(self._place) and text.startswith(self._place, end)

    def class_before(
        self, text: str, start: int, end: int, morphs: Sequence[Morpheme] = ()
    ) -> bool:
        """A class noun of places, vessels, animals or businesses stands right before the
        candidate as a word of its own (都市|エル・ドラード, 愛犬|ポチ; not 中|島 of 中島), or
        heads it with ・ (ホテル・コルテシア)."""
        if not self._classes:
            return False
        if text.startswith(self._class_heads, start, end):
            return True
        k = start - 1 if start > 0 and text[start - 1] in "・･" else start
        if not text.endswith(self._classes, 0, k):
            return False
        return any(m.end == k and m.pos[0] == "名詞" and m.surface in self._class_set
                   for m in morphs)

    def thing_after(self, text: str, end: int) -> bool:
        """A verb phrase that takes things follows (マルゲリータ|を食べ, セレナ|を買っ)."""
        return bool(self._things) and text.startswith(self._things, end)

    def model_after(self, text: str, start: int, end: int) -> bool:
        """A katakana candidate followed by a model number (クモハ|123, ミウラ|P400SV,
        フェラーリ・F|512M)."""
        if not (_KATAKANA_END.search(text, start, end) or _SERIES_END.search(text, start, end)):
            return False
        return self._model.match(text, end) is not None
