"""Evidence for a lone katakana name from the words it stands with.

Sudachi gives nearly every katakana word a 人名 reading (ホテル, チーム, テンプル are people's
names too), and knows nothing of most foreign names, so a katakana word alone is weak evidence
(see the morphology rules in ``person.py``). Its neighbours can settle it:

- **a Chinese or Korean name after a role and の** (大使の韓丙洙): three kanji
  read letter by letter, the first a one-letter dictionary 姓, the rest no common noun;
- **after a role** (俳優のウルフ・ランゲ, 通訳のバルタザーク, 船長ドルゴフ): an occupation,
  rank or kinship noun, with or without の, right before a katakana word — or a ・-chain of
  them — that the dictionary reads as a name or does not know at all. The item must end there
  (a particle, a punctuation mark, an honorific next): 作家クラブ, 選手権 go on;
- **the same name again** (通訳のクオデルは、クオデルの家に): a katakana
  name, or a kanji one of two letters or more, found once is the same name where the text
  writes it again as a word of its own (no kanji, katakana, Latin letter or digit on either
  side: not クオデル|式, ケプラー|式);
- **between two full names of a list** (中村春子、石段草舟、吉田一郎):
  a kanji item of two to five letters, the same separator on both sides;
- **the subject of a person's life** (テンプルは土木技師であり…, シャーマンは地元の公立学校で
  学んだ): an item that opens a sentence or a clause (also after a time noun or a date and に:
  同年|マーカーは, 1945年に|ウィンが), followed by は or が, in a sentence that goes on to
  what only a person does (生まれ, 学ん, 結婚, 自伝, 死去 …: ``person_predicates``) or is (an
  occupation and a copula: 土木技師であり) — or one or two kanji words the dictionary knows
  as names in the same place (千葉は…入団した);
- **a family's name** (ガンビーノ一家, ウィットソン3兄弟): a name-like word right before a word
  for a family (``family_words``) — not a common noun too (サッカー一家: a family of a trade);
- **listed with a name** (ジョージとライトは, スミスやブラックが): the same kind of item next
  to a katakana name by と, や or 、, starting a phrase (not 演奏|ユニット、…), the list
  ending as a subject or going on (は, が, も, と, や, 、 after it; not ベガとアルタイルの距離);

A word the dictionary also knows as a common noun (テンプル, サイン, シーズン) counts only as a
subject (は, が, も, と after it: リーダーのテンプルは, not 選手のサインを), never straight
after a role without の (作家|クラブ), and in a list only by と or や (not 2001年シーズン、…).

Counter-evidence (a thing eaten or bought, a place travelled to, a title's brackets) still
applies afterwards, as to every candidate. The role words are data
(``rules/recognizers/ja.person.v1.yaml``: ``appositive_roles``, with ``kinship_words``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from anonymizer.nlp.artifacts import Morpheme
from anonymizer.recognizers.ja.person_context import SudachiLexicon

_KATAKANA = re.compile(r"[\u30a1-\u30faー]{2,}")
_KANJI = re.compile(r"[\u4e00-\u9fff々]{2,}")
#: letters that would make a repeated name part of a longer word (クオデル|式, ケプラー|式)
_WORD_CHAR = re.compile(r"[\u30a1-\u30faー\u4e00-\u9fff々A-Za-z0-9]")
_JOINERS = frozenset("・･＝=")
_ENDS_ITEM = frozenset(("助詞", "補助記号", "空白"))
#: what may stand right before a subject that opens a clause, and the subject's particles
_CLAUSE_OPENERS = frozenset(("。", "、", "「", "」", "（", "）", "(", ")", "\n"))
_SUBJECT_MARKS = frozenset(("は", "が"))
#: what may follow a role noun that a subject is (…技師であり, …画家だった, …の実業家。)
_COPULA = "(?:であ|だっ|だ。|です|で、|。|、)"


def _opens_clause(morphs: Sequence[Morpheme], k: int) -> bool:
    """Morpheme ``k`` opens a clause: after 。, 、 or a bracket, after a time noun (同年|マーカーは,
    当時|…), or after a date and に (1945年に|ウィンが)."""
    before = morphs[k - 1]
    if before.surface in _CLAUSE_OPENERS:
        return True
    if before.pos[0] == "名詞" and before.pos[2] == "副詞可能" and _KANJI.fullmatch(before.surface):
        return True
    return (
        before.surface == "に"
        and k >= 3
        and morphs[k - 2].pos[2] == "助数詞可能"
        and morphs[k - 3].pos[1] == "数詞"
    )


class KatakanaNeighbours:
    """Lone katakana names a role before them or a listed name next to them supports."""

    def __init__(
        self,
        lexicon: SudachiLexicon,
        roles: Sequence[str],
        list_joiners: str,
        honorifics: Sequence[str] = (),
        subjects: Sequence[str] = (),
        predicates: Sequence[str] = (),
        families: Sequence[str] = (),
    ) -> None:
        self._subjects = frozenset(subjects)
        self._predicates = tuple(predicates)
        self._families = frozenset(families)
        #: "…is an occupation": a role noun then a copula (土木技師であり, 画家だった)
        long_roles = sorted({r for r in roles if len(r) >= 2}, key=len, reverse=True)
        self._is_a_role = (
            re.compile(f"(?:{'|'.join(map(re.escape, long_roles))}){_COPULA}")
            if predicates and long_roles
            else None
        )
        self.lexicon = lexicon
        self._roles = tuple(sorted(set(roles), key=len, reverse=True))
        self._role_set = frozenset(roles)
        #: the roles a word may end with (two letters or more), looked up by each suffix
        self._role_endings = frozenset(r for r in roles if len(r) >= 2)
        self._joiners = list_joiners
        self._honorifics = tuple(honorifics)

    def _name_like(self, m: Morpheme) -> bool:
        """A katakana word read as a name in context, unknown, or a name in the dictionary."""
        if m.pos[0] != "名詞" or not _KATAKANA.fullmatch(m.surface):
            return False
        if m.is_person_name or m.oov:
            return True
        return not self.lexicon.readings(m.surface) or self.lexicon.is_name(m.surface)

    def _item(self, text: str, morphs: Sequence[Morpheme], k: int) -> int | None:
        """The end (morpheme index) of a katakana item starting at ``k`` that ends as an item."""
        n = len(morphs)
        if not (_KATAKANA.fullmatch(morphs[k].surface) and morphs[k].pos[0] == "名詞"):
            return None
        j = k + 1
        while (
            j + 1 < n
            and morphs[j].surface in _JOINERS
            and _KATAKANA.fullmatch(morphs[j + 1].surface)
        ):
            j += 2
        if not any(self._name_like(m) for m in morphs[k:j]):
            return None
        if (
            j < n
            and morphs[j].pos[0] not in _ENDS_ITEM
            and not text.startswith(self._honorifics, morphs[j].start)
        ):
            return None  # 作家|クラブ, ホテル|チェーン: the word goes on
        if j < n and morphs[j].surface in _JOINERS:
            return None
        return j

    def after_role(self, text: str, morphs: Sequence[Morpheme]) -> Iterable[tuple[int, int]]:
        """Items right after a role noun, with or without の (俳優の|ウルフ・ランゲ, 船長|…)."""
        if not self._roles:
            return
        for k in range(1, len(morphs)):
            before = morphs[k - 1]
            linked = before.surface == "の" and before.pos[0] == "助詞"
            if linked:
                if k < 2:
                    continue
                before = morphs[k - 2]
            elif _KATAKANA.fullmatch(before.surface):
                continue  # リーダー|テンプル without の: one katakana run, no apposition
            if before.pos[0] not in ("名詞", "接尾辞") or not self._role(before.surface):
                continue
            if linked and self._sinitic_name(text, morphs, k):
                yield morphs[k].start, morphs[k].start + 3
                continue
            j = self._item(text, morphs, k)
            if j is None:
                continue
            if self._common(morphs[k:j]) and not (
                linked and j < len(morphs) and morphs[j].surface in self._subjects
            ):
                continue  # 作家|クラブ, 選手の|サインを: a word the dictionary knows, a thing
            yield morphs[k].start, morphs[j - 1].end

    def subject_of_a_life(self, text: str, morphs: Sequence[Morpheme]) -> Iterable[tuple[int, int]]:
        """Items — a katakana one, or one or two kanji words the dictionary knows as names —
        that open a clause (:func:`_opens_clause`) as its subject (は, が) when the sentence goes
        on, before another subject, to what only a person does or is — is born, studies,
        marries, writes an autobiography, dies, or is an occupation (シャーマンは地元の公立学校で
        学んだ, テンプルは土木技師であり): a person's predicate (``person_predicates``) or a role
        noun (``appositive_roles``) and a copula."""
        if not self._predicates:
            return
        n = len(morphs)
        for k in range(n - 1):
            if k > 0 and not _opens_clause(morphs, k):
                continue
            j = self._item(text, morphs, k)
            if j is None:
                j = self._kanji_name(morphs, k)
            if j is None or j >= n or morphs[j].surface not in _SUBJECT_MARKS:
                continue
            # up to the sentence's end or the next subject (…が述べた is another's)
            stop = next(
                (m.start for m in morphs[j + 1 :]
                 if m.surface == "。" or (m.surface in _SUBJECT_MARKS and m.pos[0] == "助詞")),
                len(text),
            )  # fmt: skip
            rest = text[morphs[j].end : stop]
            if any(w in rest for w in self._predicates) or (
                self._is_a_role is not None and self._is_a_role.search(rest)
            ):
                yield morphs[k].start, morphs[j - 1].end

    def before_family(self, text: str, morphs: Sequence[Morpheme]) -> Iterable[tuple[int, int]]:
        """A katakana name-like word right before a word for a family (ガンビーノ|一家,
        ウィットソン|3|兄弟): the family's name is a person's. Not a word the dictionary also
        knows as a common noun (サッカー一家, ホテル一家: a family of a trade)."""
        if not self._families:
            return
        n = len(morphs)
        for k in range(n - 1):
            m = morphs[k]
            if not self._name_like(m) or (k > 0 and _KATAKANA.fullmatch(morphs[k - 1].surface)):
                continue
            if self._common([m]):
                continue  # サッカー一家, ホテル一家: a family of a trade, not of a name
            j = k + 1
            if j < n and morphs[j].pos[1] == "数詞":
                j += 1  # 3兄弟
            if (
                j < n
                and morphs[j].surface in self._families
                and (j + 1 >= n or morphs[j + 1].pos[0] in _ENDS_ITEM)
            ):
                yield m.start, m.end

    def _kanji_name(self, morphs: Sequence[Morpheme], k: int) -> int | None:
        """The end of one or two kanji words from ``k`` that the dictionary knows as names
        (千葉: a 姓 and a place; 治山|正史), or None."""
        j = k
        while j < min(k + 2, len(morphs)):
            m = morphs[j]
            if not (m.pos[0] == "名詞" and _KANJI.fullmatch(m.surface)):
                break
            if not self.lexicon.is_name(m.surface):
                break
            j += 1
        return j if j > k else None

    def _sinitic_name(self, text: str, morphs: Sequence[Morpheme], k: int) -> bool:
        """Three kanji read letter by letter, the first a one-letter dictionary 姓, the other
        two no common noun, ending there (大使の|韓|丙洙は): a Chinese or
        Korean name, which the dictionary does not hold."""
        first = morphs[k]
        end = first.start + 3
        if (
            len(first.surface) != 1
            or not _KANJI.fullmatch(text[first.start : end])
            or len(text) > end
            and _WORD_CHAR.match(text[end])
        ):
            return False
        run = [m for m in morphs[k : k + 3] if m.end <= end]
        if not run or run[-1].end != end or len(run) < 2 or any(m.is_person_name for m in run):
            return False
        return self.lexicon.is_surname(first.surface) and not self.lexicon.is_common_noun(
            text[first.start + 1 : end]
        )

    def _common(self, item: Sequence[Morpheme]) -> bool:
        """Every name-like part of the item is also a common noun (テンプル, サイン, ライト)."""
        return all(
            not (m.is_person_name or m.oov) and self.lexicon.is_common_noun(m.surface)
            for m in item
            if self._name_like(m)
        )

    def _role(self, word: str) -> bool:
        """A role noun, or a word ending with one of two letters or more (日本語通訳, 副大統領)."""
        return word in self._role_set or any(
            word[i:] in self._role_endings for i in range(1, len(word) - 1)
        )

    def listed(
        self, text: str, morphs: Sequence[Morpheme], names: Sequence[tuple[int, int]]
    ) -> Iterable[tuple[int, int]]:
        """Items next to a katakana name by と, や or 、 (ジョージと|ライト, スミス|や…)."""
        if not self._joiners:
            return
        ends = {e for s, e in names if _KATAKANA.search(text, s, e)}
        starts = {s: e for s, e in names if _KATAKANA.search(text, s, e)}
        if not ends:
            return
        marks = (*self._subjects, *self._joiners)
        for k, m in enumerate(morphs):
            before = m.start > 0 and text[m.start - 1] in self._joiners and (m.start - 1) in ends
            if not before and not (k + 1 < len(morphs) and morphs[k + 1].surface in self._joiners):
                continue
            if not before and k > 0 and morphs[k - 1].pos[0] in ("名詞", "接頭辞"):
                continue  # 演奏|ユニット、…: the end of a compound, not an item
            j = self._item(text, morphs, k)
            if j is None:
                continue
            end = morphs[j - 1].end
            after = end < len(text) and text[end] in self._joiners and end + 1 in starts
            if not (before or after):
                continue
            last = end if before else starts[end + 1]
            if not text.startswith(marks, last):
                continue  # ベガとアルタイルの距離: a pair of things owned, not people listed
            if self._common(morphs[k:j]) and not (
                (
                    text[m.start - 1] in "とや"
                    and j < len(morphs)
                    and morphs[j].surface in self._subjects
                )
                if before
                else text[end] in "とや"
            ):
                continue  # 2001年シーズン、ジョン・ルッソ; トーマスとショートの: words
            yield m.start, end


def names_again(
    text: str, names: Sequence[tuple[int, int, float]], taken: Sequence[tuple[int, int]]
) -> Iterable[tuple[int, int, float]]:
    """Other occurrences of found names (katakana, or kanji of two letters or more), each a
    word of its own, that no candidate covers; with the name's best score."""
    best: dict[str, float] = {}
    for s, e, score in names:
        word = text[s:e]
        if _KATAKANA.fullmatch(word) or (_KANJI.fullmatch(word) and len(word) >= 2):
            best[word] = max(score, best.get(word, 0.0))
    covered = list(taken)
    for word, score in best.items():
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            alone = (at == 0 or not _WORD_CHAR.match(text[at - 1])) and (
                end == len(text) or not _WORD_CHAR.match(text[end])
            )
            if alone and not any(a < end and at < b for a, b in covered):
                covered.append((at, end))
                yield at, end, score
            at = text.find(word, end)


_LIST_ITEM = re.compile(r"[\u4e00-\u9fff々]{2,5}")


def between_full_names(
    text: str,
    full_names: Sequence[tuple[int, int]],
    taken: Sequence[tuple[int, int]],
    lexicon: SudachiLexicon,
) -> Iterable[tuple[int, int]]:
    """A kanji item of two to five letters between two kanji full names of one list, the
    same separator (、 or ・) on both sides (中村春子、石段草舟、吉田一郎): a name, whatever
    morphology reads in it (石段|草舟: a word and an unknown one) — unless the dictionary holds the
    item as one word (東京都, 会議室)."""
    names = sorted((s, e) for s, e in full_names if _KANJI.fullmatch(text[s:e]))
    for (_, a_end), (b_start, _) in zip(names, names[1:], strict=False):
        if b_start - a_end < 4 or text[a_end] not in "、・" or text[b_start - 1] != text[a_end]:
            continue
        start, end = a_end + 1, b_start - 1
        if (
            _LIST_ITEM.fullmatch(text, start, end)
            and not any(a < end and start < b for a, b in taken)
            and not lexicon.readings(text[start:end])
        ):
            yield start, end
