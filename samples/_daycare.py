"""保育所入所申請: an export in shapes the other samples never have, for the leak benchmark.

Two persons per row (the child and the guardian, mostly one family name), another region's
addresses (札幌市中央区, 北九州市小倉北区) written with building names that carry no building
word (シティ京町 205), birth dates as bare ``yyyymmdd`` numbers, a guardian's reading in its own
column, mobile numbers without hyphens, and free text that names either person by full or
given name, a LINE ID and a car's number plate. ``generate_daycare(n, seed)`` → :class:`~samples._datasets.TableSample`; it is not
written to ``samples/`` (benchmarks build it in memory).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from samples._datasets import TableSample, plant_note
from samples._people import people, share_family_name
from samples._places import address_strings, addresses, mobiles, towns
from samples._vocab import City

CITIES = (
    City(prefecture="北海道", city="札幌市中央区", weight=1, area_code="011", exchanges=("2", "5")),
    City(prefecture="福岡県", city="北九州市小倉北区", weight=1, area_code="093", exchanges=("5",)),
)
FACILITIES = ("中央保育園", "すずらん保育所", "ひまわりこども園", "第二保育所", "さくら保育園")
#: free-text notes: {p} guardian, {pk} guardian's reading, {c} child (full or given name)
NOTES = (
    "{p}（{pk}）より申請。{c}ちゃんは食物アレルギー（卵）あり。",
    "母{p}は就労中。連絡は{tel}まで。",
    "{c}くんの兄も在園。{p}様の住所{addr}に変更あり。",
    "特記事項なし。",
    "連絡はLINE（ID：{line}）希望。送迎の車両は{plate}。",
    "ひとり親世帯。{p}さんから電話あり、{c}の入所を急ぎたいとのこと。",
    "父は単身赴任中。保護者{p}、児童{c}。",
)
_KEYS = {
    "p": "PERSON", "pk": "PERSON", "c": "PERSON", "tel": "JP_PHONE_NUMBER", "addr": "JP_ADDRESS",
    "line": "ONLINE_ACCOUNT", "plate": "JP_VEHICLE_NUMBER",
}
#: 運輸支局 names of the two regions and kana a private car's plate may carry
PLATE_OFFICES = ("札幌", "北九州", "福岡", "筑豊")
PLATE_KANA = "さすせそたちつてとなにぬねのはひふほまみむめもやゆよらりるろ"


def _name(p: pd.DataFrame, sep: np.ndarray) -> np.ndarray:
    foreign = p["foreign"].to_numpy()
    first, last = p["first"].to_numpy(dtype=object), p["last"].to_numpy(dtype=object)
    return np.where(foreign, first + "・" + last, last + np.where(foreign, "", sep) + first)


def generate_daycare(n: int = 600, seed: int = 20261123) -> TableSample:
    rng = np.random.default_rng([seed, 7])
    t = towns(CITIES)
    a = addresses(rng, t.iloc[rng.integers(0, len(t), n)], building_share=0.4)
    ref = pd.Series(np.full(n, np.datetime64("2026-04-01"))).astype("datetime64[s]")
    guardian = people(rng, ref, rng.integers(24, 45, n), female_share=0.7, foreign_share=0.05)
    child = people(rng, ref, rng.integers(1, 6, n), foreign_share=0.05)
    child = share_family_name(child, guardian, rng.random(n) < 0.9)
    styles = np.array([" ", "\u3000", ""], dtype=object)[rng.integers(0, 3, n)]
    child_name = _name(child, styles)
    guardian_name = _name(guardian, np.full(n, "\u3000", dtype=object))
    g_foreign = guardian["foreign"].to_numpy()
    reading = np.where(
        g_foreign,
        guardian["first_kana"].to_numpy(dtype=object) + "・" + guardian["last_kana"].to_numpy(dtype=object),
        guardian["last_kana"].to_numpy(dtype=object) + " " + guardian["first_kana"].to_numpy(dtype=object),
    )
    m = mobiles(rng, ("090", "080", "070"), n)
    mobile = (m["a"] + m["b"] + m["c"]).to_numpy(dtype=object)
    addr = address_strings(
        a, np.array(["full", "hyphen", "nopref", "short"], dtype=object)[rng.integers(0, 4, n)]
    )
    notes, gold = [], []
    for i in range(n):
        template = NOTES[rng.integers(0, len(NOTES))]
        values = {
            "p": guardian_name[i], "pk": reading[i], "tel": mobile[i], "addr": addr[i],
            "line": f"{guardian['last_latin'].iloc[i].lower()}_{rng.integers(10, 9999)}",
            "plate": (
                f"{PLATE_OFFICES[rng.integers(0, len(PLATE_OFFICES))]} {rng.integers(300, 599)} "
                f"{PLATE_KANA[rng.integers(0, len(PLATE_KANA))]} "
                f"{rng.integers(1, 99)}-{rng.integers(10, 99)}"
            ),
            "c": child_name[i] if rng.random() < 0.5 or child["foreign"].iloc[i] else child["first"].iloc[i],
        }
        text = plant_note(template, values, _KEYS, i, "特記事項", gold)
        notes.append(text)
    frame = pd.DataFrame({
        "受付番号": [f"H{seed % 100:02d}-{i:05d}" for i in range(n)],
        "申請日": "2026/01/10",
        "児童氏名": child_name,
        "児童生年月日": pd.Series(child["dob"]).dt.strftime("%Y%m%d").to_numpy(dtype=object),
        "児童性別": np.where(child["gender"] == "女", "2", "1"),
        "保護者氏名": guardian_name,
        "保護者カナ": reading,
        "現住所": addr,
        "携帯電話": mobile,
        "第一希望園": np.array(FACILITIES, dtype=object)[rng.integers(0, len(FACILITIES), n)],
        "世帯所得区分": np.array(["A", "B1", "B2", "C1", "C2", "D1"], dtype=object)[rng.integers(0, 6, n)],
        "特記事項": notes,
    }).astype(object)
    for col, kind in (("児童氏名", "PERSON"), ("保護者氏名", "PERSON"), ("保護者カナ", "PERSON"),
                      ("現住所", "JP_ADDRESS"), ("携帯電話", "JP_PHONE_NUMBER")):
        for i, v in enumerate(frame[col]):
            gold.append({"row": i, "column": col, "start": 0, "end": len(v), "type": kind})
    return TableSample(frame, pd.DataFrame(gold, columns=["row", "column", "start", "end", "type"]))
