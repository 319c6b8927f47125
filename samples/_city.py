"""The residents of the synthetic 国立市 (samples/city.py): households, people, jumin.csv.

People are built household by household (a household type per size — single, couple,
parents and children, three generations — with ages that fit the 続柄), so the age pyramid,
the household sizes and the 町丁 populations come out of one mechanism instead of being
drawn column by column. Names from gimei; 住民票コード with the check digit of the project's
recognizer. 異動 are in _city_ido.py, the 営業許可 register in _city_eigyo.py, places in
_city_places.py.

Random streams (samples/city.py): ``default_rng([seed, 11])`` residents, ``[seed, 12]``
異動, ``[seed, 13]`` 営業許可, so the register's size never shifts the residents.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import numpy as np
import pandas as pd

from samples._city_places import chocho, kunitachi_addresses
from samples._datasets import _banded_ages
from samples._ids import resident_codes
from samples._people import age_at, birth_dates, date_strings, japanese_names

EXTRACT_DATE = np.datetime64("2025-01-01")
FY_START, FY_END = np.datetime64("2024-04-01"), np.datetime64("2025-03-31")
#: yearly volumes per 52,000 residents (a Tokyo suburb: births 6.7‰, deaths 9.2‰, moves ~7%)
PER_52000 = {"births": 350, "deaths": 480, "in": 3600, "out": 3400, "eigyo": 900}

JUMIN_COLUMNS = ("住民票コード", "世帯番号", "氏名", "氏名カナ", "生年月日", "性別", "続柄", "町丁",
                 "住所", "郵便番号")
IDO_COLUMNS = ("届出番号", "住民票コード", "氏名", "生年月日", "性別", "異動事由", "異動日", "町丁",
               "住所", "前住所", "転出先")
EIGYO_COLUMNS = ("許可番号", "営業者氏名又は名称", "法人番号", "営業者住所", "施設の名称",
                 "施設所在地", "業種", "許可年月日", "有効期限")


#: household sizes of a Tokyo suburb (share of households; 6+ split 6 and 7)
SIZES = {1: 0.40, 2: 0.27, 3: 0.16, 4: 0.12, 5: 0.04, 6: 0.008, 7: 0.002}
SINGLE = {(18, 22): 11, (23, 29): 14, (30, 39): 11, (40, 49): 9, (50, 64): 13, (65, 74): 15,
          (75, 84): 18, (85, 89): 4.3, (90, 94): 1.5, (95, 99): 0.3, (100, 105): 0.1}
COUPLE = {(22, 29): 4, (30, 39): 7, (40, 49): 6, (50, 59): 10, (60, 69): 18, (70, 79): 36,
          (80, 89): 15, (90, 98): 1.5}
#: age of the youngest child (older siblings 1–5 years apart above it)
YOUNGEST = {(0, 0): 3.8, (1, 5): 17.5, (6, 12): 27, (13, 18): 24, (19, 25): 20, (26, 34): 10}
YOUNGEST_3GEN = {(0, 5): 25, (6, 12): 30, (13, 18): 25, (19, 25): 20}
#: mover propensity by the head's age (who moves in and out: young singles and families)
MOVER = {(0, 24): 3.0, (25, 29): 3.0, (30, 34): 2.2, (35, 39): 1.5, (40, 49): 0.5,
         (50, 64): 0.15, (65, 120): 0.08}


class _Members:
    """Household members as columns, appended type by type."""

    def __init__(self) -> None:
        self.cols: dict[str, list[np.ndarray]] = {k: [] for k in
                                                  ("hh", "seq", "role", "age", "female", "kin")}

    def add(self, hh: np.ndarray, seq: int, role: str | np.ndarray, age: np.ndarray,
            female: np.ndarray, kin: bool | np.ndarray = True) -> None:
        """Members of households ``hh``; ``kin`` share the head's family name."""
        n = len(hh)
        for k, v in (("hh", hh), ("seq", np.full(n, seq)),
                     ("role", np.broadcast_to(np.asarray(role, dtype=object), n)),
                     ("age", np.clip(age, 0, 105)), ("female", female),
                     ("kin", np.broadcast_to(np.asarray(kin), n))):
            self.cols[k].append(np.asarray(v))

    def frame(self) -> pd.DataFrame:
        out = pd.DataFrame({k: np.concatenate(v) for k, v in self.cols.items()})
        out["role"] = out["role"].astype(object)
        return out.sort_values(["hh", "seq", "age"], ascending=[True, True, False],
                               kind="stable").reset_index(drop=True)


def _sizes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Household sizes summing to exactly ``n`` persons (the last household cut to fit)."""
    keys, p = np.array(list(SIZES)), np.array(list(SIZES.values()))
    draw = keys[rng.choice(len(keys), size=n // 2 + 50, p=p / p.sum())]
    cum = np.cumsum(draw)
    last = int(np.searchsorted(cum, n))
    out = draw[: last + 1].copy()
    out[-1] -= cum[last] - n
    return out


def _spouse(rng: np.random.Generator, m: _Members, hh: np.ndarray, head: np.ndarray,
            head_female: np.ndarray) -> None:
    """妻 (or 夫) about 2.5 years younger (older) than the head."""
    gap = np.round(rng.normal(2.5, 3, len(hh))).astype(int)
    m.add(hh, 1, np.where(head_female, "夫", "妻").astype(object),
          np.maximum(head + np.where(head_female, gap, -gap), 18), ~head_female)


def _couple(rng: np.random.Generator, m: _Members, hh: np.ndarray,
            bands: Mapping[tuple[int, int], float]) -> np.ndarray:
    """A head (the husband in 92 %) and spouse; returns the head's age."""
    head = _banded_ages(rng, len(hh), dict(bands))
    head_female = rng.random(len(hh)) < 0.08
    m.add(hh, 0, "世帯主", head, head_female)
    _spouse(rng, m, hh, head, head_female)
    return head


def _children(rng: np.random.Generator, m: _Members, hh: np.ndarray, k: np.ndarray,
              youngest: np.ndarray, role: str, seq: int) -> np.ndarray:
    """``k`` children per household, 1–5 years apart (some twins); returns the eldest's age."""
    kmax = int(k.max(initial=1))
    gaps = rng.integers(1, 6, (len(hh), kmax))
    gaps[rng.random(gaps.shape) < 0.04] = 0
    gaps[:, 0] = 0
    ages = youngest[:, None] + np.cumsum(gaps, axis=1)
    rows, cols = np.nonzero(np.arange(kmax)[None, :] < k[:, None])
    m.add(hh[rows], seq, role, ages[rows, cols], rng.random(len(rows)) < 0.488)
    return ages[np.arange(len(hh)), np.maximum(k - 1, 0)]


def _parents(rng: np.random.Generator, m: _Members, hh: np.ndarray, k: np.ndarray,
             spouse: bool, youngest_bands: Mapping[tuple[int, int], float]) -> np.ndarray:
    """Head (+ spouse) + ``k`` children; the parents 20–45 years older than each child."""
    n = len(hh)
    youngest = _banded_ages(rng, n, dict(youngest_bands))
    eldest = _children(rng, m, hh, k, youngest, "子", 2)
    mother = np.minimum(eldest + rng.integers(25, 38, n), youngest + 44)
    father = np.clip(mother + np.clip(np.round(rng.normal(2, 3, n)), -3, 9).astype(int),
                     eldest + 20, youngest + 45)
    head_female = rng.random(n) < (0.08 if spouse else 0.85)
    head = np.where(head_female, mother, father)
    m.add(hh, 0, "世帯主", head, head_female)
    if spouse:
        m.add(hh, 1, np.where(head_female, "夫", "妻").astype(object),
              np.where(head_female, father, mother), ~head_female)
    return head


def _elder(rng: np.random.Generator, m: _Members, hh: np.ndarray, head: np.ndarray) -> None:
    """父/母 of the head, 24–36 years older; few parents live past 90, so ages above 88 are
    redrawn on an exponential tail (mean 4 years, at most 105)."""
    n = len(hh)
    female = rng.random(n) < 0.68
    age = head + rng.integers(24, 37, n)
    tail = np.minimum(88 + rng.exponential(4, n).astype(int), 105)
    age = np.maximum(np.minimum(age, tail), head + 24)
    m.add(hh, 5, np.where(female, "母", "父").astype(object), age, female, rng.random(n) < 0.85)


def _single_female(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    p = np.select([age < 30, age < 65, age < 80], [0.42, 0.36, 0.55], 0.70)
    return rng.random(len(age)) < p


def households(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """``n`` persons in households: hh, seq, role (続柄), age at the extract date, female, kin."""
    size = _sizes(rng, n)
    kind = np.full(len(size), "single", dtype=object)
    for sizes, kinds, p in (((2,), ("couple", "lone", "elder", "other"), (.66, .20, .10, .04)),
                            ((3, 4, 5), ("family", "lone", "threegen", "grand"),
                             (.80, .08, .09, .03)),
                            ((6, 7), ("threegen", "grand"), (.6, .4))):
        rows = np.isin(size, sizes)
        kind[rows] = np.array(kinds, dtype=object)[rng.choice(len(kinds), rows.sum(), p=p)]
    m = _Members()
    ids = np.arange(len(size))

    hh = ids[kind == "single"]
    age = _banded_ages(rng, len(hh), SINGLE)
    m.add(hh, 0, "世帯主", age, _single_female(rng, age))
    _couple(rng, m, ids[kind == "couple"], COUPLE)
    hh = ids[(kind == "threegen") & (size == 3)]  # a middle-aged couple and a parent
    _elder(rng, m, hh, _couple(rng, m, hh, {(45, 68): 1.0}))
    hh = ids[kind == "lone"]
    _parents(rng, m, hh, size[hh] - 1, False, YOUNGEST)
    hh = ids[kind == "family"]
    _parents(rng, m, hh, size[hh] - 2, True, YOUNGEST)
    hh = ids[(kind == "threegen") & (size > 3)]
    _elder(rng, m, hh, _parents(rng, m, hh, size[hh] - 3, True, YOUNGEST_3GEN))
    hh = ids[kind == "elder"]
    head = _banded_ages(rng, len(hh), {(45, 54): 45, (55, 64): 45, (65, 68): 10})
    m.add(hh, 0, "世帯主", head, rng.random(len(hh)) < 0.5)
    _elder(rng, m, hh, head)
    hh = ids[kind == "other"]
    for seq, role in ((0, "世帯主"), (6, "その他")):
        m.add(hh, seq, role, _banded_ages(rng, len(hh), {(20, 29): 6, (30, 44): 4}),
              rng.random(len(hh)) < 0.5, False)
    _grand(rng, m, ids[kind == "grand"], size[kind == "grand"])
    return m.frame()


def _grand(rng: np.random.Generator, m: _Members, hh: np.ndarray, size: np.ndarray) -> None:
    """Grandparent head (+ spouse) + an adult child (+ the child's spouse) + 孫."""
    n = len(hh)
    extra = size - 3
    g_sp = (extra >= 1) & (rng.random(n) < 0.8)
    c_sp = (extra - g_sp >= 1) & (rng.random(n) < 0.8)
    youngest = _banded_ages(rng, n, {(0, 5): 30, (6, 12): 35, (13, 20): 35})
    k = 1 + extra - g_sp - c_sp
    eldest = _children(rng, m, hh, k, youngest, "孫", 4)
    child = np.minimum(eldest + rng.integers(25, 36, n), youngest + 45)
    head = child + rng.integers(24, 35, n)
    head_female = rng.random(n) < np.where(g_sp, 0.1, 0.7)
    m.add(hh, 0, "世帯主", head, head_female)
    _spouse(rng, m, hh[g_sp], head[g_sp], head_female[g_sp])
    child_female = rng.random(n) < 0.25
    m.add(hh, 2, "子", child, child_female)
    m.add(hh[c_sp], 3, "その他", child[c_sp] + np.round(rng.normal(0, 3, c_sp.sum())).astype(int),
          ~child_female[c_sp])


@dataclass(frozen=True)
class Profile:
    """The city's shape, drawn once per seed: each 町丁's population share and how old it is
    (households with a head 65+ weigh exp(+aging), under 35 exp(-aging))."""

    share: np.ndarray
    aging: np.ndarray


def profile(rng: np.random.Generator) -> Profile:
    """Populations from ~0.12× to ~1.7× the mean (the small 町丁 drawn at random)."""
    k = len(chocho())
    n_small = max(1, round(k * 0.1))
    size = np.concatenate([np.linspace(0.12, 0.22, n_small), np.linspace(0.5, 1.8, k - n_small)])
    share = size[rng.permutation(k)]
    return Profile(share / share.sum(), rng.uniform(-0.6, 0.6, k))


def _choose_chocho(rng: np.random.Generator, prof: Profile, head_age: np.ndarray,
                   cover: bool) -> np.ndarray:
    """A 町丁 per household (with ``cover``, every 町丁 gets at least one)."""
    k = len(prof.share)
    z = np.select([head_age >= 65, head_age < 35], [1, -1], 0)
    out = np.empty(len(head_age), dtype=np.int64)
    for g in (-1, 0, 1):
        rows = np.flatnonzero(z == g)
        p = prof.share * np.exp(prof.aging * g)
        out[rows] = rng.choice(k, len(rows), p=p / p.sum())
    if cover:
        out[rng.permutation(len(out))[:k]] = np.arange(k)
    return out


def given_names(rng: np.random.Generator, female: np.ndarray) -> np.ndarray:
    """gimei given names by sex: one (kanji, katakana, hiragana) row per person."""
    jp, n = japanese_names(), len(female)
    return np.where(female[:, None], jp["female"][rng.integers(0, len(jp["female"]), n)],
                    jp["male"][rng.integers(0, len(jp["male"]), n)])


def family_names(rng: np.random.Generator, n: int) -> np.ndarray:
    last = japanese_names()["last"]
    return last[rng.integers(0, len(last), n)]


def residents(rng: np.random.Generator, n: int, prof: Profile, cover: bool = True
              ) -> pd.DataFrame:
    """Persons with names, birth dates and a 国立市 address; one row per person (internal)."""
    p = households(rng, n)
    heads = p["seq"].to_numpy() == 0
    head_age = p.loc[heads, "age"].to_numpy()
    cho = _choose_chocho(rng, prof, head_age, cover)
    addr = kunitachi_addresses(rng, cho)
    hh = p["hh"].to_numpy()
    table = chocho()
    p["町丁"] = table["chocho"].to_numpy(dtype=object)[cho][hh]
    p["住所"] = addr[hh]
    postal = table["postal"].to_numpy(dtype=object)[cho]
    p["郵便番号"] = (np.strings.slice(postal.astype(str), 0, 3) + "-"
                 + np.strings.slice(postal.astype(str), 3, 7)).astype(object)[hh]
    female = p["female"].to_numpy()
    last, first = family_names(rng, len(p)), given_names(rng, female)
    head_row = np.flatnonzero(heads)[hh]  # the household's 世帯主 row for every member
    same = p["kin"].to_numpy()
    last[same] = last[head_row[same]]
    p["氏名"] = last[:, 0] + "\u3000" + first[:, 0]
    p["氏名カナ"] = last[:, 1] + "\u3000" + first[:, 1]
    p["last"] = last[:, 0]
    ref = pd.Series(np.full(len(p), EXTRACT_DATE)).astype("datetime64[s]")
    dob = birth_dates(rng, ref, p["age"].to_numpy())
    p["age"] = age_at(dob, ref)
    p["dob"] = dob.to_numpy().astype("datetime64[D]")
    p["生年月日"] = np.datetime_as_string(p["dob"].to_numpy(), unit="D").astype(object)
    p["性別"] = np.where(female, "女", "男").astype(object)
    return p


def unique_codes(rng: np.random.Generator, n: int, taken: AbstractSet[str] = frozenset()
                 ) -> np.ndarray:
    """``n`` distinct 住民票コード (check digit by the recognizer), none of ``taken``: a
    repeat (a few in 50,000 draws of ten digits) is drawn again."""
    codes = resident_codes(rng, n)
    while True:
        seen = set(taken)
        dup = np.zeros(n, dtype=bool)
        for i, c in enumerate(codes):
            dup[i] = c in seen
            seen.add(c)
        if not dup.any():
            return codes
        codes[dup] = resident_codes(rng, int(dup.sum()))


def jumin_frame(p: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The public extract: one row per resident, households together (世帯番号 order)."""
    n_hh = int(p["hh"].max()) + 1
    # 世帯番号 as a 基幹系 numbers them: in order of creation, with gaps (dissolved households)
    serial = np.cumsum(rng.integers(1, 40, n_hh)) + 10**8
    setai = np.strings.zfill(serial.astype(str), 10).astype(object)
    p["世帯番号"] = setai[rng.permutation(n_hh)][p["hh"].to_numpy()]
    p["住民票コード"] = unique_codes(rng, len(p))
    p["続柄"] = p["role"]
    order = np.lexsort((p["seq"].to_numpy(), p["世帯番号"].to_numpy().astype(str)))
    return p.iloc[order].reset_index(drop=True)


def date_text(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(np.asarray(days, dtype="datetime64[D]"), unit="D").astype(object)


def wareki_head(days: np.ndarray) -> np.ndarray:
    """R6, H31 … (era letter + year) of each date, for permit numbers."""
    abbr = date_strings(pd.Series(np.asarray(days, dtype="datetime64[s]")))["abbr"]
    full = abbr(np.ones(len(days), dtype=bool)) if callable(abbr) else abbr
    return np.array([s.split(".")[0] for s in full], dtype=object)


__all__ = ["EIGYO_COLUMNS", "EXTRACT_DATE", "FY_END", "FY_START", "IDO_COLUMNS",
           "JUMIN_COLUMNS", "MOVER", "PER_52000", "Profile", "date_text", "family_names",
           "given_names", "households", "jumin_frame", "profile", "residents", "unique_codes",
           "wareki_head"]
