"""Exports in shapes other than the samples': other seeds, other headers, other column orders,
people with several rows, 和暦 event dates, ages written with 歳, extra quasi-identifiers.

They are built from the sample generators (synthetic people, real places) so the default path
(``init`` → ``run``) is tested on files the samples never showed it. Each export says which of
its columns are quasi-identifying (what the tests count classes over, independently of the
gate) and which column identifies a person, if any.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from samples.generate import generate_care, generate_consultations


@dataclass(frozen=True)
class Export:
    name: str
    frame: pd.DataFrame
    #: every column an attacker could know about a person (whatever the pipeline calls it)
    quasi: tuple[str, ...]
    #: the column identifying a person (None: one row per person)
    person: str | None
    #: columns released as they are that let a test line released rows up with input rows
    tracers: tuple[str, ...] = ()


def _wareki(dates: pd.Series) -> list[str]:
    out = []
    for d in pd.to_datetime(dates, format="%Y/%m/%d"):
        era, start = ("令和", 2019) if d >= pd.Timestamp(2019, 5, 1) else ("平成", 1989)
        out.append(f"{era}{d.year - start + 1}年{d.month}月{d.day}日")
    return out


def consultations(seed: int, n: int = 300) -> Export:
    """The sample's layout with another seed: one consultation per resident."""
    frame = generate_consultations(n, seed).frame
    return Export(
        f"soudan-{seed}",
        frame,
        ("受付日", "生年月日", "性別", "住所", "郵便番号"),
        None,
    )


def city_system(seed: int, rows: int = 2400, persons: int = 1500) -> Export:
    """A 基幹系 export: a 宛名番号 per resident, residents with several consultations, 和暦
    申請日, 男性/女性, a 国籍 column, headers and order of another vendor."""
    rng = np.random.default_rng(seed)
    people = generate_consultations(persons, seed).frame
    events = generate_consultations(rows, seed + 1).frame
    who = np.sort(rng.choice(persons, size=rows, replace=True))  # some residents come back
    p = people.iloc[who].reset_index(drop=True)
    ids = np.array([f"{100000 + i * 7:010d}" for i in range(persons)], dtype=object)[who]
    nationality = rng.choice(["日本", "日本", "日本", "日本", "中国", "韓国", "ベトナム"], size=rows,
                             p=[0.24, 0.24, 0.24, 0.24, 0.02, 0.01, 0.01])
    frame = pd.DataFrame({
        "宛名番号": ids,
        "申請日": _wareki(events["受付日"]),
        "世帯主氏名": p["氏名"],
        "生年月日": p["生年月日"],
        "性別": p["性別"].map({"男": "男性", "女": "女性"}),
        "現住所": p["住所"],
        "電話番号": p["電話番号"],
        "国籍": nationality,
        "相談区分": events["相談区分"],
        "相談時間（分）": rng.integers(5, 121, size=rows).astype(str),
        "相談内容": events["相談内容"],
        "担当課": events["担当課"],
    })
    return Export(
        f"city-{seed}",
        frame,
        ("申請日", "生年月日", "性別", "現住所", "国籍"),
        "宛名番号",
        ("相談区分", "相談時間（分）", "担当課"),
    )


def care(seed: int, n: int = 800) -> Export:
    """介護保険認定 in another order, ages written with 歳, an occupation and a 地区 column."""
    rng = np.random.default_rng(seed)
    src = generate_care(n, seed).frame
    frame = pd.DataFrame({
        "氏名": src["氏名"],
        "被保険者番号": src["被保険者番号"],
        "認定日": src["認定日"],
        "年齢": src["年齢"] + "歳",
        "性別": src["性別"],
        "住所": src["住所"],
        "郵便番号": src["郵便番号"],
        "世帯人数": src["世帯人数"],
        "職業": rng.choice(["無職", "農業", "自営業", "会社員", "その他"], size=n,
                         p=[0.7, 0.05, 0.1, 0.1, 0.05]),
        "要介護度": src["要介護度"],
        "主治医意見書": src["主治医意見書"],
    })
    return Export(
        f"care-{seed}",
        frame,
        ("認定日", "年齢", "性別", "住所", "郵便番号", "世帯人数", "職業"),
        "被保険者番号",
    )
