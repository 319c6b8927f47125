"""Sudachi morphemes around a word-list hit: is it a whole noun, which noun compound holds it.

The word-list recognizers (要配慮個人情報, organisations) match raw text, then ask the
morphology what the match is part of: がん in がんばる cuts a verb, 障害者 in 障害者支援課 is
followed by 支援課 in the same compound, a school's name is the run of nouns before 小学校.
Offsets are into the original text (Sudachi runs on it); morphemes cover it without gaps.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from anonymizer.nlp.artifacts import Morpheme

#: parts of speech a noun compound is made of (胃|がん, 障害|者|支援課, 第|三|小学校)
NOUN_POS = frozenset({"名詞", "接尾辞", "接頭辞"})


def is_noun(m: Morpheme) -> bool:
    return m.pos[0] in NOUN_POS


def states(
    morphs: Sequence[Morpheme], start: int, end: int, pieces: frozenset[str],
    run_on: bool = False,
) -> bool:
    """The words over ``[start, end)`` (original offsets) state something about a person, not
    their name: dictionary words only (no person's name, no unknown word) with one of the
    parts of speech ``pieces`` (単身|赴任|中), or one dictionary common noun (無職, 小学生).
    ``run_on`` (the words run straight on from a label, where a common noun alone may be a
    given name: 長男大地): only the first word after any prefix, itself no suffix, counts, by
    its part of speech (対応|中, 非|公表; not 道|佐|死去, a name and what befell him; not
    担当|大|城, a staff name Sudachi reads as suffixes)."""
    inside = [m for m in morphs if m.start < end and start < m.end]
    if not inside or any(m.oov or m.is_person_name for m in inside):
        return False
    if run_on:
        head = next((m for m in inside if m.pos[0] != "接頭辞"), None)
        return (
            head is not None and head.pos[0] != "接尾辞" and bool(pieces.intersection(head.pos[:3]))
        )
    if len(inside) == 1 and inside[0].pos[1] == "普通名詞":
        return True
    return any(pieces.intersection(m.pos[:3]) for m in inside)


def _head_part(m: Morpheme) -> bool:
    return (
        is_noun(m)
        and m.pos[1] != "数詞"
        and m.pos[2] not in ("助数詞可能", "副詞可能", "助数詞")
        and not m.is_person_name
    )


class Morphs:
    """The morphemes of one text, searchable by offset."""

    def __init__(self, morphs: Sequence[Morpheme]) -> None:
        self.items = morphs
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None

    # built on the first question (most texts have no hit to ask about)
    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [m.start for m in self.items]
        return self._starts

    @property
    def ends(self) -> list[int]:
        if self._ends is None:
            self._ends = [m.end for m in self.items]
        return self._ends

    def __bool__(self) -> bool:
        return bool(self.items)

    def overlapping(self, start: int, end: int) -> Sequence[Morpheme]:
        return self.items[bisect_right(self.ends, start) : bisect_left(self.starts, end)]

    def noun_word(self, start: int, end: int) -> bool:
        """The span is a word of a noun compound, not a piece of a verb or of two words: it
        begins and ends in nouns (がん in 胃がん, not in がんばる; うつ the noun, not the verb),
        and when it cuts a morpheme it is that morpheme's head or tail (がん of 胃がん, 診療 of
        診療所) — not a piece across two (処方 of 対処|方法) nor from its middle (虐待 of
        児童虐待防止法). Particles inside are fine (心の病). Without morphology (no kana or
        kanji in the text): True."""
        inside = self.overlapping(start, end)
        if not inside:
            return True
        first, last = inside[0], inside[-1]
        if first is not last and (first.start < start or last.end > end):
            return False
        if first is last and first.start < start and end < first.end:
            return False
        return is_noun(first) and is_noun(last)

    def ends_at(self, offset: int) -> bool:
        """A morpheme ends at ``offset`` (小学校|に; not the 大学 of 大学生)."""
        i = bisect_left(self.ends, offset)
        return i < len(self.ends) and self.ends[i] == offset

    def index_at(self, offset: int) -> int:
        """Index of the morpheme holding ``offset`` (``len(items)`` at the end of the text)."""
        if not self.items or offset >= self.ends[-1]:
            return len(self.items)
        return max(0, bisect_right(self.starts, offset) - 1)

    def tail(self, end: int, limit: int = 6) -> str:
        """The rest of the noun compound after ``end``: the remainder of a morpheme cut there
        plus the noun morphemes that follow it (障害者|支援課 → 支援課); nothing when the
        span ends in anything but a noun."""
        if not self.items or end <= 0:
            return ""
        last = self.items[self.index_at(end - 1)]
        if not is_noun(last):
            return ""  # the span ends in a verb or particle (障害あり): no compound goes on
        i = self.index_at(end)
        parts: list[str] = []
        if i < len(self.items) and self.items[i].start < end:  # cut inside a morpheme
            m = self.items[i]
            parts.append(m.surface[end - m.start :])
            i += 1
        while i < len(self.items) and len(parts) < limit and is_noun(self.items[i]):
            parts.append(self.items[i].surface)
            i += 1
        return "".join(parts)

    def head(self, start: int, limit: int) -> int:
        """Where the noun compound holding ``start`` begins (国立中央|病院, 胃|がん): back over
        at most ``limit`` nouns, not over a number, a counter, a time word or a person's name
        (月|1|回|通院, 昨年|手術, 山田|…)."""
        if not self.items:
            return start
        i = self.index_at(start)
        if i < len(self.items) and self.items[i].start < start:
            start = self.items[i].start  # cut inside a morpheme: its head belongs to the word
        j = bisect_left(self.ends, start + 1) - 1  # the morpheme ending at ``start``
        n = 0
        while j >= 0 and n < limit and self.items[j].end == start and _head_part(self.items[j]):
            start = self.items[j].start
            j -= 1
            n += 1
        return start

    def nouns_before(
        self, start: int, limit: int, accept: Callable[[Morpheme], bool] = is_noun
    ) -> list[Morpheme]:
        """The noun morphemes (or those ``accept`` takes) that end at ``start`` and run back
        without a break (at most ``limit``), in text order; a morpheme cut at ``start`` counts
        from its beginning."""
        if not self.items:
            return []
        # the first morpheme ending at or after ``start``: it ends there, or holds ``start``
        # (its head belongs to the run), or begins the text at ``start``
        i = bisect_left(self.ends, start)
        if i >= len(self.items) or self.items[i].start >= start:
            i -= 1
        out: list[Morpheme] = []
        while i >= 0 and len(out) < limit and accept(self.items[i]):
            out.append(self.items[i])
            i -= 1
        out.reverse()
        return out
