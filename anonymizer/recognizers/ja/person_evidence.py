"""Counter-evidence against a PERSON candidate, combined with the evidence for it.

A name-like token is not a person's name when what surrounds it says it is part of something
else. Two classes, each decided from the text and Sudachi's morphemes, the words being data
(``rules/recognizers/ja.person.v1.yaml``):

- **an organisation's or a thing's name**: the run of letters that continues the candidate
  ends with a company, institution, vehicle, route or language word (浅野|木材工業, 穴吹|興産,
  二代目海江田|組, 西光|寺, 菊池|クラブ, ダイムラー|偵察車, ヴィルヘルムス|運河, セム|語) —
  except a pair word right after names joined by ・, which names the pair (藤井瑞希・垣岩令佳|組,
  小林・中島|組: a doubles team, not a company);
- **a role, not a name, before an honorific**: a known common noun denoting a role (生徒さん,
  会員様, 庭師さん — a listed role noun, or a common noun ending in a role character such as
  員, 師, 者), or a counter (２名様). Other common nouns before an honorific stay candidates:
  Sudachi tags many surnames as common nouns in context (筒井様, 内海様, 大橋さん);
- **a compound of words, not a name** (a NER span): Sudachi reads it as two morphemes or more,
  none a person name or unknown, one of them a piece no name is made of — a number, a kanji
  verbal or adverbial noun (台湾|守備|混成|第, 板門店|内, 終了|後|球団, 仙台|39); not affixes,
  symbols, katakana or long common nouns: names split into them (仙|露|鉄|男, H|.|A|.|リブリン,
  カール (サ変)|・|クリングラー, 八乙女|光); 平野|真理, 茂木|航海|長 (a title) stay names;
- **a title, not a name**: a candidate inside title brackets (『マーベル1602』,
  『ペール・ギュント』) names a work or a character in it. (Not quotation brackets:
  「内田康夫」, 「アメリー・ノートン」 quote a name as often as a thing; nor a house, 徳川|家:
  the Wikipedia corpus counts its surname as a person.)

What is evidence *for* a name (titles that need morphology's support, honorifics) stays in
:mod:`anonymizer.recognizers.ja.person`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from anonymizer.nlp.artifacts import Morpheme

_KANJI = "\u4e00-\u9fff々〆ヶ"
_KATA = "\u30a1-\u30ff\uff66-\uff9f"


_LETTER = re.compile(rf"[{_KANJI}{_KATA}ー]")


class PersonCounterEvidence:
    """Decides, from the words in the rules, whether a candidate span is not a person."""

    def __init__(
        self,
        organisation_words: Sequence[str],
        role_nouns: Sequence[str],
        role_suffixes: Sequence[str],
        titles: Sequence[str] = (),
        long_role_suffixes: Sequence[str] = (),
        determiners: Sequence[str] = (),
        title_brackets: Sequence[str] = (),
        compound_pieces: Sequence[str] = (),
        pair_words: Sequence[str] = (),
    ) -> None:
        self._pairs = frozenset(pair_words)
        self._org_words = tuple(sorted(set(organisation_words), key=len, reverse=True))
        self._titles = tuple(sorted(set(titles), key=len, reverse=True))
        self._roles = frozenset(role_nouns)
        self._role_suffixes = tuple(role_suffixes)
        self._long_role_suffixes = tuple(long_role_suffixes)
        self._determiners = frozenset(determiners)
        self._title_open = {b[0]: b[1] for b in title_brackets}
        self._title_close = frozenset(b[1] for b in title_brackets)
        self._pieces = frozenset(compound_pieces)

    def organisation(self, text: str, start: int, end: int, morphs: Sequence[Morpheme]) -> bool:
        """The span, or the run of letters right after it, ends with an organisation word.

        The word must be whole morphemes (海江田|組, 偵察|車 — not 党|首, 語|る, 選|出).
        """
        words = self._org_words
        if not words:
            return False
        starts = {m.start for m in morphs}
        ends = {m.end for m in morphs}
        if end - start > 2:  # 穴吹興産 as one NER span (a two-letter one may be a surname: 大組)
            for w in words:
                if text.endswith(w, start, end) and end - len(w) in starts and end - len(w) > start:
                    return True
            inside = [m for m in morphs if m.start < end and start < m.end]
            # 宮崎空港: one proper noun (not a person's) ending with a word of two letters or more
            if (
                len(inside) == 1 and inside[0].pos[1] == "固有名詞" and not inside[0].is_person_name
                and inside[0].end == end
                and any(len(w) >= 2 and text.endswith(w, start, end) for w in words)
            ):
                return True
        run_end = end
        while run_end < len(text) and run_end - end <= 12 and _LETTER.match(text, run_end):
            run_end += 1
        if self._titles and text.endswith(self._titles, end, run_end):
            return False  # 直嶋正行経済産業相, 山田工業社長: a person with an organisation's title
        for k in range(end, min(run_end, end + 7)):
            if k in starts:
                for w in words:
                    if text.startswith(w, k) and k + len(w) in ends:
                        return not (k == end and w in self._pairs and self._joined(text, start, end))
        return False

    def _joined(self, text: str, start: int, end: int) -> bool:
        """The span is one of names joined by ・ (藤井瑞希・垣岩令佳, or 中島 after 小林・) — not
        after a company's name (前田建設工業・桑原組: a joint venture)."""
        if "・" in text[start:end] or "･" in text[start:end]:
            return True
        if start == 0 or text[start - 1] not in "・･":
            return False
        k = start - 1
        while k > 0 and _LETTER.match(text, k - 1):
            k -= 1
        return not self.organisation_end(text[k : start - 1])

    def organisation_end(self, word: str) -> bool:
        """``word`` (a run of morphemes before a title) ends with an organisation word."""
        return len(word) > 2 and word.endswith(self._org_words)

    def role(self, run: Sequence[Morpheme], text: str) -> bool:
        """``run`` before an honorific is a role noun or a counter, not a name."""
        last = run[-1]
        if last.pos[2] == "助数詞可能" and run[0].start > 0 and text[run[0].start - 1].isdigit():
            return True  # ２名様, 3人さま
        word = "".join(m.surface for m in run)
        if word in self._roles or word in self._determiners:  # the whole run (綾|姫 is a given
            return True  # name, 御|父母 a role); 同議員, 各議員: a determiner, not a name
        return common_nouns(run) and (
            (len(word) >= 2 and word.endswith(self._role_suffixes))
            or (len(word) >= 3 and word.endswith(self._long_role_suffixes))  # 受講|生 (not 陽生)
        )


    def compound(self, text: str, start: int, end: int, morphs: Sequence[Morpheme]) -> bool:
        """The span is a compound of dictionary words, one of them no name's piece: a kanji or
        digits morpheme of a listed part of speech (one letter only at the end: 板門店|内; not a
        kanji numeral: 岡本|三|司)."""
        if not self._pieces:
            return False
        inside = [m for m in morphs if m.start < end and start < m.end and m.pos[0] != "空白"]
        if len(inside) < 2 or any(
            (m.oov and m.pos[1] != "数詞") or m.is_person_name for m in inside
        ):
            return False  # (Sudachi knows few numbers: 39 is unknown)
        titles = self._titles
        if titles and (text.endswith(titles, start, end) or text.startswith(titles, end)):
            return False  # 茂木航海長: a name and a title
        return any(
            self._pieces.intersection(m.pos[:3])
            and (
                m.surface.isdigit() if m.pos[1] == "数詞" else bool(_KANJI_RUN.fullmatch(m.surface))
            )
            and (len(m.surface) >= 2 or m is inside[-1])
            for m in inside
        )

    def in_title(self, text: str, start: int, end: int) -> bool:
        """The span is inside title brackets (『…』), both within _MAX_TITLE characters."""
        if not self._title_open:
            return False
        k = start - 1
        brackets = self._title_open.keys() | self._title_close
        while k >= 0 and start - k <= _MAX_TITLE and text[k] not in brackets:
            k -= 1
        if k < 0 or text[k] not in self._title_open:
            return False
        close = text.find(self._title_open[text[k]], end, end + _MAX_TITLE + 1)
        return close >= 0 and text.find(text[k], end, close) < 0


_MAX_TITLE = 40
_KANJI_RUN = re.compile(rf"[{_KANJI}]+")


def common_nouns(run: Sequence[Morpheme]) -> bool:
    """Every morpheme is a word the dictionary knows as a common noun (or its affix)."""
    return all(
        not m.oov and (m.pos[1] == "普通名詞" or m.pos[0] in ("接頭辞", "接尾辞")) for m in run
    )
