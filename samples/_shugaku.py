"""就学援助申請: a workbook export in shapes the other samples never have, for the leak benchmark.

A name in two columns (申請者姓 / 申請者名, 児童姓 / 児童名) with a half-width reading
(ﾔﾏﾀﾞ ﾀﾛｳ) and a bank account holder in the same kana; an address in three columns (住所 up
to the 丁目, 番地, 方書); 和暦 birth dates abbreviated (H30.5.3); landlines written with
brackets (072(222)1234); a school whose name may hold a family name of the table
(市立上杉山中学校); another two regions (堺市堺区, 仙台市青葉区); a workbook whose first sheet is
a cover. The notes name the guardian, the child by given or full name, a teacher, a bank
account with its holder, a DV narrative with the full address, 療育手帳.
``generate_shugaku(n, seed)`` → :class:`~samples._datasets.TableSample`; benchmarks write it as a
workbook with its cover sheet (``write_workbook``).
"""

from __future__ import annotations

from pathlib import Path

import jaconv
import numpy as np
import pandas as pd

from samples._datasets import TableSample, plant_note
from samples._people import date_column, people, share_family_name
from samples._places import addresses, landlines, mobiles, towns
from samples._vocab import City

CITIES = (
    City(prefecture="大阪府", city="堺市堺区", weight=1, area_code="072", exchanges=("2", "3")),
    City(prefecture="宮城県", city="仙台市青葉区", weight=1, area_code="022", exchanges=("2",)),
)
SCHOOLS = ("市立三国丘小学校", "市立東六番丁小学校", "市立上杉山中学校", "市立五条西小学校")
TEACHERS = ("佐藤", "高橋", "渡辺", "伊藤", "中村", "小林")
#: {p} guardian, {tel} a phone of the row, {c} child (given or full name), {t} a teacher,
#: {bank} an account of the row, {kana} its holder, {addr} the row's full address
NOTES = (
    "{p}より電話（{tel}）。{c}くんの給食費について相談。",
    "担任の{t}先生から連絡あり。{c}の欠席が続いている。",
    "振込先を{bank}に変更（名義{kana}）。",
    "特になし",
    "離婚調停中。元夫からのDVあり、住所{addr}は秘匿すること。",
    "{p}さん来庁、生活保護受給中のため認定。",
    "{c}さんは特別支援学級在籍。療育手帳B2。",
)
_KEYS = {
    "p": "PERSON", "tel": "JP_PHONE_NUMBER", "c": "PERSON", "t": "PERSON",
    "bank": "JP_BANK_ACCOUNT", "kana": "PERSON", "addr": "JP_ADDRESS",
}


def generate_shugaku(n: int = 600, seed: int = 20261204) -> TableSample:
    rng = np.random.default_rng([seed, 13])
    t = towns(CITIES)
    a = addresses(rng, t.iloc[rng.integers(0, len(t), n)], building_share=0.35)
    ref = pd.Series(np.full(n, np.datetime64("2026-04-01"))).astype("datetime64[s]")
    g = people(rng, ref, rng.integers(28, 50, n), female_share=0.6, foreign_share=0.06)
    c = people(rng, ref, rng.integers(6, 15, n), foreign_share=0.04)
    c = share_family_name(c, g, rng.random(n) < 0.85)
    has_ch = a["has_chome"].to_numpy()
    chome = np.where(has_ch, a["chome"].astype(str) + "丁目", "")
    town = (a["city"] + a["town"] + chome).to_numpy(dtype=object)
    banchi = (a["ban"].astype(str) + "-" + a["go"].astype(str)).to_numpy(dtype=object)
    katagaki = np.where(a["building"] != "", a["building"] + " " + a["room"] + "号", "")
    ph = landlines(rng, CITIES, a["city_index"].to_numpy())
    tel = (ph["a"] + "(" + ph["b"] + ")" + ph["c"]).to_numpy(dtype=object)
    m = mobiles(rng, ("090", "080"), n)
    mobile = (m["a"] + "-" + m["b"] + "-" + m["c"]).to_numpy(dtype=object)
    account = np.array([f"{x:07d}" for x in rng.integers(0, 10**7, n)], dtype=object)
    kana = np.array(
        [jaconv.z2h(f"{last} {first}", kana=True, ascii=False, digit=False)
         for last, first in zip(g["last_kana"], g["first_kana"], strict=True)],
        dtype=object,
    )  # fmt: skip
    foreign, c_foreign = g["foreign"].to_numpy(), c["foreign"].to_numpy()
    full = np.where(foreign, g["first"] + "・" + g["last"], g["last"] + g["first"]).astype(object)
    c_full = np.where(c_foreign, c["first"] + "・" + c["last"], c["last"] + " " + c["first"])
    notes, gold = [], []
    for i in range(n):
        template = NOTES[rng.integers(0, len(NOTES))]
        values = {
            "p": full[i], "tel": mobile[i] if rng.random() < 0.5 else tel[i],
            "c": c["first"].iloc[i] if rng.random() < 0.6 and not c_foreign[i] else c_full[i],
            "t": TEACHERS[rng.integers(0, len(TEACHERS))],
            "bank": f"ゆうちょ銀行 普通 {account[i]}", "kana": kana[i],
            "addr": town[i] + banchi[i],
        }
        text = plant_note(template, values, _KEYS, i, "備考", gold)
        notes.append(text)
    frame = pd.DataFrame({
        "No.": [str(i + 1) for i in range(n)],
        "受付日": "令和8年4月10日",
        "申請者姓": g["last"], "申請者名": g["first"], "申請者ﾌﾘｶﾞﾅ": kana,
        "児童姓": c["last"], "児童名": c["first"],
        "児童生年月日": date_column(pd.Series(c["dob"]), "abbr"),
        "性別": np.where(c["gender"] == "女", "女", "男"),
        "学校名": np.array(SCHOOLS, dtype=object)[rng.integers(0, len(SCHOOLS), n)],
        "学年": rng.integers(1, 7, n).astype(str),
        "住所": town, "番地": banchi, "方書": katagaki,
        "電話番号": tel, "携帯": mobile,
        "口座番号": account, "口座名義": kana,
        "認定区分": np.array(["要保護", "準要保護"], dtype=object)[rng.integers(0, 2, n)],
        "備考": notes,
    }).astype(object)
    # a name in two columns is planted as the row's joined name (a part alone, マーク or 上杉,
    # is no one's name: it may be in any text); ``value`` holds what to look for
    for family, given in (("申請者姓", "申請者名"), ("児童姓", "児童名")):
        for i, (f, g_) in enumerate(zip(frame[family], frame[given], strict=True)):
            gold.append({"row": i, "column": family, "start": 0, "end": 0, "type": "PERSON",
                         "value": f + g_})
    for col, kind in (
        ("申請者ﾌﾘｶﾞﾅ", "PERSON"), ("方書", "JP_ADDRESS"),  # a bare 番地 (9-1) names no one
        ("電話番号", "JP_PHONE_NUMBER"), ("携帯", "JP_PHONE_NUMBER"),
        ("口座番号", "JP_BANK_ACCOUNT"), ("口座名義", "PERSON"),
    ):
        for i, v in enumerate(frame[col]):
            if v:
                gold.append({"row": i, "column": col, "start": 0, "end": len(v), "type": kind})
    columns = ["row", "column", "start", "end", "type", "value"]
    return TableSample(frame, pd.DataFrame(gold, columns=columns))


def write_workbook(frame: pd.DataFrame, path: Path) -> Path:
    """The export as a city's system writes it: a cover sheet first, then the list."""
    cover = pd.DataFrame({"項目": ["就学援助申請一覧", "作成課", "教育委員会学務課"]})
    with pd.ExcelWriter(path) as w:
        cover.to_excel(w, sheet_name="表紙", index=False)
        frame.to_excel(w, sheet_name="一覧", index=False)
    return path
