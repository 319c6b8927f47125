"""住所 (JP_ADDRESS): the whole address, prefecture to room number.

A municipality, 町字, station or facility name alone is a public place, so an address needs
a street part (番地/番/号, 丁目 + 番地, digit-digit[-digit]). The recognizer therefore
scans for street parts first (one C regex pass; most texts have none) and only then looks
*backwards* from each one for what anchors it, with the gazetteer's hash indexes — a suffix
index, instead of running a 1,900-way alternation or an automaton (pyahocorasick) over every
text, so no extra dependency is needed:

1. a municipality (longest spelling: 大阪市北区 over 北区), followed by a 町字 of that
   municipality (after 大字/字 or a Kyoto 通り designation), nothing, or an unlisted
   kanji/katakana name that is not a facility (国立市役所) → ``city_and_town``/``city``
   score, with the prefecture before it included when written;
2. else a 町字 of any municipality (富士見台2-47-1) → ``town_only`` score; one-letter 町字
   (中) need a word boundary before them and 丁目/番/号 in the street part;
3. in accurate mode, a GiNZA place span (``mode: seed`` in rules/ner_labels.yaml, with
   the 市/町/村 GiNZA often leaves out) ending right before the street part or the 町字 of
   (2) anchors the start → ``ner_seed`` score (保谷市ひばりが丘北1-2-3: a former city).

Numbers that look like street parts are rejected by what surrounds them (第3-2-1号議案,
1-23号線, 電話 042-…; dates and codes with a leading zero: 2024-04-01, 186-0003). After the
street part, a building name and a room (コーポ富士見203号室, 梅田ビル5F, #203, and a name
with no building word when a room number follows it: シティ京町 205) are added;
particles and punctuation (に住む, 、) end the address. Words and scores are rules data
(``rules/recognizers/ja.address.v1.yaml``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from pydantic import Field

from anonymizer.config import Frozen, Regex
from anonymizer.entities import JP_ADDRESS
from anonymizer.gazetteer import Gazetteer, load_gazetteer
from anonymizer.nlp.artifacts import JaNlpArtifacts
from anonymizer.recognizers.base import JaRecognizer, register
from anonymizer.recognizers.ner_labels import load_ner_labels
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.text.normalize import NormalizedText

_SCORE = Field(ge=0.0, le=1.0)
_MUNICIPALITY_SUFFIXES = frozenset("都道府県郡市区町村")
_CITY_FINAL = frozenset("市区町村")  # every municipality name ends with one of these
_WORDISH = re.compile(r"[\u4e00-\u9fff々ヶ\u30a1-\u30faー]")


class AddressScores(Frozen):
    city_and_town: float = _SCORE
    city: float = _SCORE
    town_only: float = _SCORE
    ner_seed: float = _SCORE


class AddressParams(Frozen):
    street: Regex
    not_street: Regex
    marked: Regex
    room: Regex
    room_after_building: Regex
    building: Regex
    building_kana: Regex
    room_marked: Regex
    #: a name with no building word that a room number after it makes a building's
    #: (シティ京町 205): how the name starts, and the room
    named_building: Regex = r"(?!)"
    room_after_name: Regex = r"(?!)"
    building_words: tuple[str, ...]
    building_stops: tuple[str, ...]
    segment: Regex
    segment_vetoes: tuple[str, ...]
    segment_veto_suffixes: tuple[str, ...]
    not_before: tuple[str, ...]
    not_after: tuple[str, ...]
    town_only_deny: frozenset[str]
    town_only_min_length: int = Field(ge=1)
    #: labels right before a one-character 町字 that make it one (新住所泉1-36-27)
    short_town_labels: tuple[str, ...] = ()
    head_window: int = Field(ge=4, le=200)
    breaks: str
    scores: AddressScores


@dataclass(frozen=True, slots=True)
class _Anchor:
    start: int
    score: float
    why: str


@register("ja.address.v1")
class JaAddressRecognizer(JaRecognizer):
    Params = AddressParams
    USES_NER = True  # a GiNZA place span may anchor an address the gazetteer lacks

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        p: AddressParams = self.params
        self._street = re.compile(p.street)
        self._not_street = re.compile(p.not_street)
        self._marked = re.compile(p.marked)
        self._three_part = re.compile(r"[0-9]{1,4}-[0-9]{1,4}-[0-9]{1,4}")
        self._room = re.compile(p.room)
        self._room_after_building = re.compile(p.room_after_building)
        self._building = re.compile(p.building)
        self._building_kana = re.compile(p.building_kana)
        self._room_marked = re.compile(p.room_marked)
        self._named_building = re.compile(p.named_building)
        self._room_after_name = re.compile(p.room_after_name)
        self._segment = re.compile(p.segment)
        long_stops = [w for w in p.building_stops if len(w) > 1]
        self._stops = re.compile("|".join(map(re.escape, long_stops)) or r"(?!)")
        self._first_stops = tuple(p.building_stops)
        self._breaks = frozenset(p.breaks)
        self._rules_dir = _rules_dir_of(source)
        self._seed_labels = load_ner_labels(self._rules_dir).seeds(JP_ADDRESS)

    @cached_property
    def gazetteer(self) -> Gazetteer:
        """Loaded on first use (≈ 1 s, once per process): building recognizers stays cheap."""
        return load_gazetteer(self._rules_dir)

    def __getstate__(self) -> dict[str, object]:
        """Pickle without the gazetteer: a worker process loads its own."""
        state = dict(self.__dict__)
        state.pop("gazetteer", None)
        return state

    def find(
        self, nt: NormalizedText, artifacts: NlpArtifacts | None
    ) -> Iterable[RecognizerResult]:
        text = nt.text
        seeds: dict[int, int] | None = None
        last_end = 0
        for m in self._street.finditer(text):
            s, e = m.span()
            if s < last_end or not self._plausible_street(text, s, e):
                continue
            if seeds is None:
                seeds = self._seeds(nt, artifacts)
            anchor = self._anchor(text, s, e, seeds, last_end)
            if anchor is None:
                continue
            end = self._tail(text, e)
            score = anchor.score
            if self.context_word(nt, anchor.start, end):
                score += self.spec.context.boost
                why = anchor.why + " with context"
            else:
                why = anchor.why
            yield self.result(nt, anchor.start, end, round(score, 4), why=why)
            last_end = end

    # -- the street part -----------------------------------------------------------------
    def _plausible_street(self, text: str, s: int, e: int) -> bool:
        """Reject numbers that only look like street parts."""
        p = self.params
        if self._not_street.search(text[s:e]):
            return False
        before = text[max(0, s - 4) : s].rstrip(" ")
        if before.endswith(p.not_before):
            return False
        return not text.startswith(p.not_after, e)

    # -- what anchors it -----------------------------------------------------------------
    def _anchor(
        self, text: str, s: int, e: int, seeds: dict[int, int], floor: int
    ) -> _Anchor | None:
        """Where the address of the street part text[s:e] starts, and how sure we are;
        it never starts before ``floor`` (the end of the previous address)."""
        g = self.gazetteer
        p = self.params
        j = s - 1 if s > 0 and text[s - 1] == " " else s
        lo = max(floor, j - p.head_window)
        for i in range(j - 1, lo - 1, -1):
            if text[i] in self._breaks:
                lo = i + 1
                break
        best: tuple[int, int, int, str] | None = None  # (rank, city end, city start, why)
        for end in range(j, lo, -1):
            if text[end - 1] not in _CITY_FINAL:  # cheap test before the lookup
                continue
            hit = g.city_ending_at(text, end)
            if hit is None or hit[0] < lo:
                continue
            rank, why = self._segment_rank(text, end, j, hit[1])
            if rank and (best is None or rank > best[0]):
                best = (rank, end, hit[0], why)
        if best is not None:
            rank, _, start, why = best
            start = self._with_prefecture(text, start)
            score = p.scores.city_and_town if rank == 3 else p.scores.city
            return _Anchor(start, score, why)
        town = g.town_ending_at(text, j, lo)
        if town is not None and self._town_only_ok(text, town.end, j, town.town, s, e):
            start = max(floor, seeds.get(town.end, town.end))
            score = p.scores.town_only
            if town.end in seeds:
                score = max(score, p.scores.ner_seed)
            return _Anchor(start, score, "町字 + street")
        if j in seeds and seeds[j] >= floor:
            return _Anchor(seeds[j], p.scores.ner_seed, "NER place + street")
        return None

    def _segment_rank(
        self, text: str, start: int, end: int, codes: tuple[str, ...]
    ) -> tuple[int, str]:
        """How well text[start:end] (between municipality and street) reads as a 町字:
        3 a listed 町字, 2 nothing, 1 an unlisted name, 0 not an address."""
        spaced = start < end and text[start] == " "
        if spaced:
            start += 1
        if start >= end:
            return 2, "municipality + street"
        town = self.gazetteer.match_town(text, start, codes, end)
        if town is not None and (town.end == end or text.startswith("字", town.end)):
            return 3, "municipality + 町字 + street"
        seg = text[start:end]
        if spaced:  # 国立市 一般会計予算 3-1: an unlisted name is written right after it
            return 0, ""
        p = self.params
        if (
            self._segment.fullmatch(seg)
            and not any(w in seg for w in p.segment_vetoes)
            and not seg.endswith(p.segment_veto_suffixes)
        ):
            return 1, "municipality + street"
        return 0, ""

    def _town_only_ok(self, text: str, start: int, end: int, town: str, s: int, e: int) -> bool:
        p = self.params
        if text[start:end] in p.town_only_deny or town in p.town_only_deny:
            return False
        if end - start >= p.town_only_min_length:
            return True
        # a one-character 町字 (泉, 中): after a word boundary or an address label (新住所泉),
        # with a street part marked by 丁目/番/号 or written in three numbers (1-36-27)
        labelled = text.endswith(p.short_town_labels, 0, start)
        boundary = start == 0 or not _WORDISH.match(text, start - 1) or labelled
        if self._marked.search(text, s, e) is not None:
            return boundary
        # at the start of a sentence that goes on (東3-37-30の…), after a space, a separator or
        # a sentence's end (37歳　中3-9-18, さん、東3-12-7、, 来所。西1-20-29 …); not a bare
        # 中3-2-1 (a cell that is only that), not inside a word (市中3-2-1)
        opens = start == 0 and e < len(text.rstrip())
        spaced = opens or (
            start > 0 and (text[start - 1].isspace() or text[start - 1] in "、,，:：(（。．！？「」")
        )
        return (labelled or spaced) and self._three_part.fullmatch(text, s, e) is not None

    def _with_prefecture(self, text: str, start: int) -> int:
        at = start - 1 if start > 0 and text[start - 1] == " " else start
        pref = self.gazetteer.prefecture_ending_at(text, at)
        return pref[0] if pref is not None else start

    def _seeds(self, nt: NormalizedText, artifacts: NlpArtifacts | None) -> dict[int, int]:
        """GiNZA place spans as normalized ``end → start`` (empty without NER)."""
        if not isinstance(artifacts, JaNlpArtifacts) or artifacts.text != nt.original:
            return {}
        out: dict[int, int] = {}
        for span in artifacts.ner:
            if span.label in self._seed_labels and span.end > span.start:
                start, end = _to_normalized(nt, span.start), _to_normalized(nt, span.end)
                out[end] = start
                if nt.text[end : end + 1] in _MUNICIPALITY_SUFFIXES:  # GiNZA tags 保谷 of 保谷市
                    out[end + 1] = start
        return out

    # -- building and room ---------------------------------------------------------------
    def _tail(self, text: str, e: int) -> int:
        room = self._room.match(text, e)
        if room is not None:
            return room.end()
        kana = self._building_kana.match(text, e)
        if kana is not None:
            if self._is_building(kana.group(1)):
                room = self._room_marked.match(text, kana.end())
            elif self._named(kana.group(1)):  # シャルム宮の森三条 307
                room = self._room_after_name.match(text, kana.end())
            else:
                room = None
            if room is not None:
                return room.end()
        b = self._building.match(text, e)
        if b is None or b.group(1).startswith(self._first_stops):
            return e
        name = b.group(1)
        stop = self._stops.search(name)
        if stop is not None:
            name = name[: stop.start()]
        name_end = b.start(1) + len(name)
        building = self._is_building(name)
        if stop is None:  # bare digits only after a real building name
            room = (self._room_after_building if building else self._room_marked).match(
                text, name_end
            )
            if room is None and not building and self._named(name):
                room = self._room_after_name.match(text, name_end)
            if room is not None:
                return room.end()
        return name_end if building else e

    def _stopped(self, name: str) -> bool:
        """The name starts with, or holds, a word that ends an address (在住, 方 …)."""
        return name.startswith(self._first_stops) or self._stops.search(name) is not None

    def _named(self, name: str) -> bool:
        """A name that a room number after it makes a building's (no building word needed)."""
        return self._named_building.match(name) is not None and not self._stopped(name)

    def _is_building(self, name: str) -> bool:
        return any(w in name for w in self.params.building_words) and not self._stopped(name)


def _rules_dir_of(source: str) -> Path | None:
    """The rules directory a ``<rules>/recognizers/<name>.yaml`` came from (else the default)."""
    path = Path(source)
    if path.suffix == ".yaml" and path.parent.name == "recognizers" and path.is_file():
        return path.parent.parent
    return None


def _to_normalized(nt: NormalizedText, original: int) -> int:
    """Original offset → normalized offset (``starts`` is non-decreasing)."""
    if nt.starts is None:
        return original
    return bisect.bisect_left(nt.starts, original)
