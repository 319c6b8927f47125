"""The record-aware matcher: a row's own identifier values, found again in text.

Every value of every direct-identifier column (氏名, フリガナ, 住所, 電話, IDs …) is a pattern, in
its folded form (:mod:`anonymizer.match.fold`: spacing, separators, kana and width do not
matter). Whole values are looked for in every cell of the table — 北　恵子 registered in one
row is 北恵子 in any other row's 相談内容 — and the parts of a name (the family or given name
alone, when long enough to mean something, or of one character where it stands as a name:
``rules/record_match.yaml``) only in the cells of the same row, where they can only be that
person. One Aho-Corasick automaton holds them all; each cell is one pass over its
folded key, so the cost does not grow with values × cells.

Used by ``mask_text`` (mask what the detector missed) and by the gate's ``raw_values`` check
(refuse a release that still holds a raw value). Nothing here logs or raises a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import unicodedata
from typing import Literal

import ahocorasick
import numpy as np
import pandas as pd

from anonymizer.config import Frozen
from anonymizer.match.fold import fold_key, fold_with_offsets
from anonymizer.rules import load_rules

#: a value shorter than this (folded) is not identifying on its own (一, 山)
MIN_CHARS = 2
#: a value made only of digits must be this long (counts, years and dates are shorter)
MIN_DIGITS = 6
#: a name part (family or given name alone) must be this long to be searched in its own row
MIN_PART = 2
#: ... and this long when it is kana only: folded to hiragana, a short reading (カナイ → かない)
#: is an everyday word (開かない), while a kanji part (金井) is not; a shorter reading is
#: searched only where it stands as a name (stands_as_name: オカ（岡）, セキさん)
MIN_KANA_PART = 5
_KANA_ONLY = re.compile(r"[\u3041-\u309fー]+")
#: a one-character part searched where it stands as a name (a kanji: 林, 北, 誠)
_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々]")
_TO_KATAKANA = {cp: cp + 0x60 for cp in range(0x3041, 0x3097)}
_PARTS = re.compile(r"[\s\u3000・･]+")
ANY_ROW = -1


class ShortPart(Frozen):
    before: tuple[str, ...]
    after: tuple[str, ...]


class RecordMatchRules(Frozen):
    version: Literal[1]
    short_part: ShortPart


def load_record_match_rules() -> RecordMatchRules:
    return load_rules("record_match.yaml", RecordMatchRules)


def _boundary(ch: str) -> bool:
    """A character no name continues through: a space, punctuation or a symbol."""
    return unicodedata.category(ch)[0] in "PZSC"


def stands_as_name(text: str, start: int, end: int, rules: ShortPart) -> bool:
    """Does ``text[start:end]`` stand as a name: a boundary or a label word before it (or a
    hiragana before a kanji name), and a boundary, honorific or particle after it?"""
    head = text[:start]
    # a hiragana before a kanji ends the word before it (窓口で北さん); not before kana
    kanji = bool(_KANJI.match(text[start:end]))
    before = (
        not head or _boundary(head[-1]) or (kanji and "\u3041" <= head[-1] <= "\u309f")
        or head.endswith(rules.before)
    )
    tail = text[end:]
    after = not tail or _boundary(tail[0]) or tail.startswith(rules.after)
    return before and after


def _automaton(
    patterns: Mapping[str, tuple[str, str | None, set[int]]],
) -> ahocorasick.Automaton | None:
    """One Aho-Corasick automaton over ``patterns`` (key → column, entity, rows), or None."""
    if not patterns:
        return None
    automaton = ahocorasick.Automaton()
    for key, (column, entity, rows) in patterns.items():
        automaton.add_word(key, (len(key), column, entity, frozenset(rows)))
    automaton.make_automaton()
    return automaton


@dataclass(frozen=True, slots=True)
class Match:
    """``[start, end)`` of the original text holds a value of ``column`` (entity ``entity``)."""

    start: int
    end: int
    column: str
    entity: str | None


def identifying(key: str) -> bool:
    if len(key) < MIN_CHARS or "\0" in key:
        return False
    return not (key.isdigit() and len(key) < MIN_DIGITS)


#: a street number: digits not only those of a 丁目 (京町2-3-3, 富士見台2丁目47番; not 京町2丁目)
_STREET_NUMBER = re.compile(r"[0-9]+(?![0-9]|丁目)")


def numbered_address(value: str) -> bool:
    """True when an address value holds a street number (read after NFKC)."""
    return _STREET_NUMBER.search(unicodedata.normalize("NFKC", value)) is not None


def name_parts(value: str) -> list[str]:
    """The parts of a name written with a space or 中黒 between them (山田　太郎, ワン・ウェイ)."""
    parts = [p for p in _PARTS.split(value.strip()) if p]
    return parts if len(parts) > 1 else []


class RecordMatcher:
    """Patterns from the identifier columns of a table (index = the table's row index)."""

    def __init__(
        self,
        columns: Mapping[str, pd.Series],
        entities: Mapping[str, str | None] | None = None,
        name_columns: Iterable[str] = (),
        every_value: bool = False,
        address_columns: Iterable[str] = (),
        split_name: Callable[[str], Sequence[str]] | None = None,
        numbered_only: Iterable[str] = (),
        part_columns: Iterable[str] = (),
        whole_keys: Mapping[str, tuple[str, str | None]] | None = None,
    ) -> None:
        """``every_value``: take short values and numbers too (a steward's deny terms).
        ``address_columns``: their values match only where the digits are grouped as in the
        value (泉二丁目1-5 is not 泉二丁目15番14号: folding alone makes both 泉2丁目15…).
        ``split_name``: the parts of a name written without a space (林翔太 → 林, 翔太;
        :func:`anonymizer.match.split.surname_split`), when the name has no space to split at.
        ``numbered_only``: columns whose values count only with a street number
        (:func:`numbered_address`: an address kept as a quasi-identifier, whose 町字 alone is
        what a generalized column publishes).
        ``part_columns``: name columns holding one part of a name (申請者姓; see
        :mod:`anonymizer.match.names`): a value is a part, matched in its own row only, never
        as a whole value anywhere (the caller adds the joined names as a name column).
        ``whole_keys``: whole values of rows not given, already folded (key → column, entity,
        as the whole table's matcher has them: a Spark batch is given the other rows' values
        found in its texts), matched in every row."""
        entities = entities or {}
        names = set(name_columns)
        addresses = set(address_columns)
        numbered = set(numbered_only)
        part_of = set(part_columns)
        names |= part_of
        #: address keys → the digit groupings their values have (see _digit_gaps)
        self._gaps: dict[str, set[frozenset[int]]] = {}
        # key → (column, entity, rows it may be matched in; ANY_ROW: every row)
        found: dict[str, tuple[str, str | None, set[int]]] = {}
        #: one-character name parts → (column, entity, their rows): matched where they stand
        #: as a name only (stands_as_name)
        short: dict[str, tuple[str, str | None, set[int]]] = {}
        for column, series in columns.items():
            entity = entities.get(column)
            for row, value in series.dropna().astype(str).items():
                if column in numbered and not numbered_address(value):
                    continue
                key = fold_key(value)
                whole = identifying(key) or (every_value and bool(key))
                if whole and column not in part_of:  # a part alone is no one's name
                    found[key] = (column, entity, {ANY_ROW})
                    if column in addresses:
                        self._gaps.setdefault(key, set()).add(_digit_gaps(value, key, 0, len(key)))
                if column not in names:
                    continue
                if column in part_of:
                    parts = name_parts(value) or [value.strip()]
                else:
                    parts = name_parts(value) or (list(split_name(value)) if split_name else [])
                for part in parts:
                    pkey = fold_key(part)
                    if len(pkey) == 1 and _KANJI.fullmatch(pkey):
                        short.setdefault(pkey, (column, entity, set()))[2].add(int(row))  # type: ignore[arg-type]
                        continue
                    if _KANA_ONLY.fullmatch(pkey) and 2 <= len(pkey) < MIN_KANA_PART:
                        # a short reading (オカ, セキ): where it stands as a name, in either kana
                        for form in (pkey, pkey.translate(_TO_KATAKANA)):
                            short.setdefault(form, (column, entity, set()))[2].add(int(row))  # type: ignore[arg-type]
                        continue
                    if len(pkey) < MIN_PART or not identifying(pkey):
                        continue
                    if _KANA_ONLY.fullmatch(pkey) and len(pkey) < MIN_KANA_PART:
                        continue
                    slot = found.setdefault(pkey, (column, entity, set()))
                    if ANY_ROW not in slot[2]:
                        slot[2].add(int(row))  # type: ignore[arg-type]
        for key, (column, entity) in (whole_keys or {}).items():
            found[key] = (column, entity, {ANY_ROW})
        short = {k: v for k, v in short.items() if k not in found}
        self.size = len(found) + len(short)
        self._short_rules = load_record_match_rules().short_part if short else None
        self._automaton = _automaton(found)
        self._short = _automaton(short)

    @classmethod
    def of_keys(
        cls, keys: Mapping[str, str], gaps: Mapping[str, set[frozenset[int]]] | None = None
    ) -> RecordMatcher:
        """A matcher of values already folded (key → column), each a whole value matched in
        any row; ``gaps``: the address keys' digit groupings. The gate's raw-value check where
        the keys are held in parts (a Spark engine's executors: one matcher per part)."""
        self = cls.__new__(cls)
        self._gaps = {k: set(v) for k, v in (gaps or {}).items()}
        self.size = len(keys)
        self._short_rules = None
        self._automaton = _automaton({k: (c, None, {ANY_ROW}) for k, c in keys.items()})
        self._short = None
        return self

    def __len__(self) -> int:
        return self.size

    def keys_in(self, key: str, row: int | None) -> list[tuple[int, int, str, str | None]]:
        """Matches in a folded key: (start, end, column, entity), for ``row`` (None: any)."""
        if self._automaton is None or not key:
            return []
        out = []
        for end, (length, column, entity, rows) in self._automaton.iter(key):
            if ANY_ROW in rows or (row is not None and row in rows):
                out.append((end - length + 1, end + 1, column, entity))
        return out

    def _short_hits(self, text: str, row: int | None) -> list[tuple[int, int, str, str | None]]:
        """One-character name parts of ``row`` where they stand as a name in ``text``
        (original offsets)."""
        if self._short is None or row is None or self._short_rules is None:
            return []
        norm = unicodedata.normalize("NFKC", text)
        if len(norm) != len(text):  # offsets would not map: search the original as it is
            norm = text
        out = []
        for end, (length, column, entity, rows) in self._short.iter(norm):
            start = end - length + 1
            if row in rows and stands_as_name(norm, start, end + 1, self._short_rules):
                out.append((start, end + 1, column, entity))
        return out

    def find(self, text: str, row: int | None = None) -> list[Match]:
        """Spans of ``text`` (original offsets) that hold an identifier value."""
        hits = self.keys_in(fold_key(text), row)
        short = self._short_hits(text, row)
        if not hits:
            return [Match(s, e, c, ent) for s, e, c, ent in short]
        _, where = fold_with_offsets(text)
        # overlapping matches (a name and its parts) become one span, typed by the longest
        merged: list[list[Any]] = []
        for s, e, column, entity in sorted(hits, key=lambda h: (h[0], -h[1])):
            if merged and s < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e, column, entity])
        found = [Match(where[s][0], where[e - 1][1], c, ent) for s, e, c, ent in merged]
        taken = [(m.start, m.end) for m in found]
        found += [
            Match(s, e, c, ent)
            for s, e, c, ent in short
            if not any(a < e and s < b for a, b in taken)
        ]
        return sorted(found, key=lambda m: m.start)

    def crossing(
        self, left: str, right: str, row: int | None = None, keys: tuple[str, str] | None = None
    ) -> tuple[tuple[int, int] | None, tuple[int, int] | None, str | None]:
        """A value split over two cells of one row (a My Number, half in 相談内容 and half in
        備考): when ``left`` followed by ``right`` holds a value that neither holds whole,
        ``(span at the end of left, span at the start of right, entity)`` in original offsets;
        else ``(None, None, None)``. ``keys``: the two folded keys, when already computed."""
        lk, rk = keys if keys is not None else (fold_key(left), fold_key(right))
        if not lk or not rk:
            return None, None, None
        cut = len(lk)
        hits = [h for h in self.keys_in(lk + rk, row) if h[0] < cut < h[1]]
        if not hits:
            return None, None, None
        start = min(h[0] for h in hits)
        end = max(h[1] for h in hits) - cut
        entity = max(hits, key=lambda h: h[1] - h[0])[3]
        _, lw = fold_with_offsets(left)
        _, rw = fold_with_offsets(right)
        return (lw[start][0], lw[-1][1]), (rw[0][0], rw[end - 1][1]), entity

    def columns_in(
        self, keys: Sequence[str], texts: Sequence[str] | None = None
    ) -> dict[int, set[str]]:
        """For folded keys (any row), {index of a key holding a whole value: its columns}: one
        automaton pass over all keys joined by NUL (no key holds one, so no match spans two).

        With ``texts`` (the originals of ``keys``), a value that ends (or starts) with a digit
        does not count inside a longer number: 泉二丁目8-1 is not in 泉二丁目8-19, nor 1-5 in
        15番14号, when the digits touch in the original text (folding drops the separators, so
        only the original can tell 8-1 9階 — a value, then a floor — from 8-19)."""
        if self._automaton is None or not keys:
            return {}
        joined = "\0".join(keys)
        ends = np.cumsum(np.fromiter((len(k) + 1 for k in keys), dtype=np.int64, count=len(keys)))
        starts = ends - np.fromiter((len(k) + 1 for k in keys), dtype=np.int64, count=len(keys))
        out: dict[int, set[str]] = {}
        offsets: dict[int, list[tuple[int, int]]] = {}
        for end, (length, column, _entity, rows) in self._automaton.iter(joined):
            if ANY_ROW not in rows:
                continue
            i = int(np.searchsorted(ends, end + 1))
            if texts is not None:
                key = keys[i]
                a, b = end - length + 1 - int(starts[i]), end + 1 - int(starts[i])
                if not whole_value(key, a, b, texts[i], self._gaps.get(key[a:b]), offsets, i):
                    continue
            out.setdefault(i, set()).add(column)
        return out

    def rows_with_values(
        self, texts: Sequence[str | None], rows: Sequence[int] | None = None
    ) -> list[bool]:
        """Which of ``texts`` hold a value (whole values anywhere, parts in their own row)."""
        out = []
        for i, text in enumerate(texts):
            if not isinstance(text, str) or not text:
                out.append(False)
                continue
            out.append(bool(self.keys_in(fold_key(text), rows[i] if rows is not None else None)))
        return out


def whole_value(
    key: str,
    a: int,
    b: int,
    text: str,
    grouped: set[frozenset[int]] | None,
    cache: dict[int, list[tuple[int, int]]],
    i: int,
) -> bool:
    """Does the value at ``key[a:b]`` (``text`` folded) stand whole: not inside a longer number,
    and — an address value (``grouped``: its digit groupings) — with its digits grouped as in
    the value? ``cache``: offset maps by text ``i``. The one test wherever values are matched
    (an automaton pass here, a join on a Spark engine)."""
    if _inside_number(key, a, b, text, cache, i):
        return False
    return grouped is None or _digit_gaps(text, key, a, b, cache, i) in grouped


def digit_gaps(value: str, key: str) -> frozenset[int]:
    """An address value's digit grouping (what :func:`whole_value` compares)."""
    return _digit_gaps(value, key, 0, len(key))


def _inside_number(
    key: str, a: int, b: int, text: str, cache: dict[int, list[tuple[int, int]]], i: int
) -> bool:
    """Is ``key[a:b]`` part of a longer run of digits in ``text`` (a digit touching it, with no
    separator between them in the original)?"""
    after = b < len(key) and key[b - 1].isdigit() and key[b].isdigit()
    before = a > 0 and key[a].isdigit() and key[a - 1].isdigit()
    if not (after or before):
        return False
    if i not in cache:
        cache[i] = fold_with_offsets(text)[1]
    where = cache[i]
    if len(where) != len(key):  # a different folding: judge conservatively (a match)
        return False
    return (after and where[b - 1][1] == where[b][0]) or (before and where[a - 1][1] == where[a][0])


def _digit_gaps(
    text: str,
    key: str,
    a: int,
    b: int,
    cache: dict[int, list[tuple[int, int]]] | None = None,
    i: int = -1,
) -> frozenset[int]:
    """Where, in ``key[a:b]``, two digits were apart in ``text`` (a separator between them:
    the 1|5 of 1-5, not of 15), as positions relative to ``a``."""
    if cache is not None and i in cache:
        where = cache[i]
    else:
        where = fold_with_offsets(text)[1]
        if cache is not None:
            cache[i] = where
    if len(where) != len(key):
        return frozenset()
    return frozenset(
        j - a
        for j in range(a + 1, b)
        if key[j - 1].isdigit() and key[j].isdigit() and where[j - 1][1] != where[j][0]
    )

