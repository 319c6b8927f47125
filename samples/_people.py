"""Synthetic people: names with readings, gender, birth dates, ages and 和暦 strings.

Japanese names come from gimei's lists (500 family names and ~13,000 given names, each with
its hiragana and katakana reading). Foreign residents get Faker's most common en_US names,
transliterated to katakana by e2k (an English→katakana model shipped inside its wheel;
greedy decoding, so the output is deterministic). Era boundaries (明治…令和) come from
japanera's era table rather than a hand-typed one. Everything is vectorized over rows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import jaconv
import numpy as np
import pandas as pd

#: Columns of a people frame (see :func:`people`).
COLUMNS = ("gender", "foreign", "last", "first", "last_kana", "first_kana",
           "last_latin", "first_latin", "dob", "age")


def cp932_ok(text: str) -> bool:
    """True when ``text`` survives the CP932 export every sample must also exist in."""
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def japanese_names() -> dict[str, np.ndarray]:
    """gimei's (kanji, katakana, hiragana) triples: ``last``, ``male``, ``female``."""
    from gimei import Gimei

    def table(rows: list[list[str]]) -> np.ndarray:
        return np.array([(k, kata, hira) for k, hira, kata in rows if cp932_ok(k)], dtype=object)

    first = Gimei.NAMES["first_name"]
    return {
        "last": table(Gimei.NAMES["last_name"]),
        "male": table(first["male"]),
        "female": table(first["female"]),
    }


@functools.cache
def foreign_names() -> dict[str, np.ndarray]:
    """(katakana, Latin) pairs for the commonest en_US given and family names."""
    from e2k import C2K
    from faker.providers.person.en_US import Provider

    c2k = C2K(model="turbo")  # the distilled model: 10x faster, as good on common names

    def top(weighted: dict[str, float], k: int) -> np.ndarray:
        names = sorted(weighted, key=lambda n: (-weighted[n], n))[:k]
        return np.array([(c2k(n.lower()), n) for n in names], dtype=object)

    return {
        "last": top(Provider.last_names, 25),
        "male": top(Provider.first_names_male, 15),
        "female": top(Provider.first_names_female, 15),
    }


def num_text(values: np.ndarray | pd.Series, width: int = 0) -> np.ndarray:
    """Small non-negative integers as (zero-padded) strings, through a lookup table."""
    v = np.asarray(values, dtype=np.int64)
    table = np.array([str(i).zfill(width) for i in range(int(v.max(initial=0)) + 1)], dtype=object)
    return table[v]


def obj(values: object) -> pd.Series:
    """An object-dtype column: pandas would otherwise convert str arrays to Arrow and back."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def romanize(hiragana: np.ndarray) -> np.ndarray:
    """Hepburn-ish romaji (jaconv), computed once per distinct reading."""
    distinct, inverse = np.unique(hiragana.astype(str), return_inverse=True)
    return np.array([jaconv.kana2alphabet(h) for h in distinct], dtype=object)[inverse]


def _pick(rng: np.random.Generator, table: np.ndarray, n: int) -> np.ndarray:
    return table[rng.integers(0, len(table), size=n)]


def people(
    rng: np.random.Generator,
    ref: pd.Series,
    ages: np.ndarray,
    female_share: float = 0.5,
    foreign_share: float = 0.03,
) -> pd.DataFrame:
    """One person per element of ``ages``, born so they are about that age at ``ref``."""
    n = len(ages)
    female = rng.random(n) < female_share
    foreign = rng.random(n) < foreign_share
    jp, fo = japanese_names(), foreign_names()
    last_jp, last_fo = _pick(rng, jp["last"], n), _pick(rng, fo["last"], n)
    first_jp = np.where(female[:, None], _pick(rng, jp["female"], n), _pick(rng, jp["male"], n))
    first_fo = np.where(female[:, None], _pick(rng, fo["female"], n), _pick(rng, fo["male"], n))
    out = pd.DataFrame({
        "gender": obj(np.where(female, "女", "男")),
        "foreign": foreign,
        "last": obj(np.where(foreign, last_fo[:, 0], last_jp[:, 0])),
        "first": obj(np.where(foreign, first_fo[:, 0], first_jp[:, 0])),
        "last_kana": obj(np.where(foreign, last_fo[:, 0], last_jp[:, 1])),
        "first_kana": obj(np.where(foreign, first_fo[:, 0], first_jp[:, 1])),
        "last_latin": obj(np.where(foreign, last_fo[:, 1], romanize(last_jp[:, 2]))),
        "first_latin": obj(np.where(foreign, first_fo[:, 1], romanize(first_jp[:, 2]))),
    })
    out["dob"] = birth_dates(rng, ref, ages)
    out["age"] = age_at(out["dob"], ref)
    return out


def share_family_name(p2: pd.DataFrame, p1: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """Give ``p2`` the family name of ``p1`` where ``mask`` (relatives); Japanese pairs only."""
    m = mask & ~p1["foreign"].to_numpy() & ~p2["foreign"].to_numpy()
    out = p2.copy()
    for col in ("last", "last_kana", "last_latin"):
        out.loc[m, col] = p1.loc[m, col].to_numpy()
    return out


def birth_dates(rng: np.random.Generator, ref: pd.Series, ages: np.ndarray) -> pd.Series:
    """A birth date about ``ages`` years and a random part of a year before ``ref``."""
    years = np.asarray(ages, dtype=float) + rng.uniform(0.01, 0.99, size=len(ages))
    days = np.round(years * 365.2425).astype("int64")
    ref_days = pd.to_datetime(pd.Series(ref)).to_numpy().astype("datetime64[D]")
    return pd.Series(ref_days - days.astype("timedelta64[D]")).astype("datetime64[s]")


def age_at(dob: pd.Series, ref: pd.Series) -> np.ndarray:
    """Completed years at ``ref`` (the age a register prints)."""
    d, r = pd.DatetimeIndex(dob), pd.DatetimeIndex(pd.Series(ref))
    before_birthday = (r.month * 100 + r.day) < (d.month * 100 + d.day)
    return np.asarray(r.year - d.year - before_birthday.astype(int))


@functools.cache
def _eras() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """明治…令和 from japanera: start dates, start years, kanji names, one-letter heads."""
    import japanera

    eras = sorted(
        (e for e in japanera.ERA_DATA_GENERAL if e.since.year >= 1868),
        key=lambda e: e.since,
    )
    since = np.array([e.since for e in eras], dtype="datetime64[D]")
    return (since, np.array([e.since.year for e in eras]),
            np.array([e.kanji for e in eras], dtype=object),
            np.array([e.english_head for e in eras], dtype=object))


#: date styles understood by :func:`date_strings`
DATE_STYLES = ("wareki", "wareki0", "abbr", "abbr0", "slash", "iso", "kanji", "wareki_year", "year")


def date_strings(dates: pd.Series) -> StyleTable:
    """Every style of the dates (昭和45年3月2日, S45.03.02, 1970/03/02, 平成元年…), each computed
    only for the rows that ask for it (see :func:`choose`, :func:`date_column`)."""
    since, since_year, kanji, head = _eras()
    idx = pd.DatetimeIndex(dates)
    days = idx.to_numpy().astype("datetime64[D]")
    era = np.searchsorted(since, days, side="right") - 1
    rel = np.asarray(idx.year) - since_year[era] + 1
    y, m, d = (num_text(v) for v in (idx.year, idx.month, idx.day))
    m0, d0, rel_s = num_text(idx.month, 2), num_text(idx.day, 2), num_text(rel)
    gan = np.where(rel != 1, rel_s, "元").astype(object)  # 平成元年, never 平成1年
    e_k, e_h = kanji[era], head[era]
    rel0 = num_text(rel, 2)
    return {
        "wareki": lambda r: e_k[r] + gan[r] + "年" + m[r] + "月" + d[r] + "日",
        "wareki0": lambda r: e_k[r] + gan[r] + "年" + m0[r] + "月" + d0[r] + "日",
        "abbr": lambda r: e_h[r] + rel_s[r] + "." + m[r] + "." + d[r],
        "abbr0": lambda r: e_h[r] + rel0[r] + "." + m0[r] + "." + d0[r],
        "slash": lambda r: y[r] + "/" + m0[r] + "/" + d0[r],
        "iso": lambda r: y[r] + "-" + m0[r] + "-" + d0[r],
        "kanji": lambda r: y[r] + "年" + m[r] + "月" + d[r] + "日",
        "wareki_year": lambda r: e_k[r] + gan[r] + "年",
        "year": lambda r: y[r] + "年",
    }


def date_column(dates: pd.Series, style: str) -> np.ndarray:
    """All dates in one style."""
    return choose(np.full(len(dates), style, dtype=object), date_strings(dates))


def pick_styles(rng: np.random.Generator, n: int, weights: dict[str, float]) -> np.ndarray:
    """``n`` style names drawn with the given weights (normalized here)."""
    names = list(weights)
    p = np.array([weights[k] for k in names], dtype=float)
    return np.array(names, dtype=object)[rng.choice(len(names), size=n, p=p / p.sum())]


#: a style's strings for all rows, or a function computing them for the selected rows only
StyleTable = dict[str, "np.ndarray | Callable[[np.ndarray], np.ndarray]"]


def choose(styles: np.ndarray, table: StyleTable) -> np.ndarray:
    """Per row, the string of the row's style (``table[style][row]``)."""
    out = np.empty(len(styles), dtype=object)
    for style in dict.fromkeys(styles):
        rows = styles == style
        col = table[style]
        out[rows] = col(rows) if callable(col) else col[rows]
    return out


def full_names(p: pd.DataFrame, styles: np.ndarray) -> np.ndarray:
    """As written: 山田太郎 / 山田 太郎 / 山田　太郎; foreign マイケル・ジョンソン, Latin, upper."""
    last, first = p["last"].to_numpy(dtype=object), p["first"].to_numpy(dtype=object)
    foreign = p["foreign"].to_numpy()
    latin = p["first_latin"].to_numpy(dtype=object) + " " + p["last_latin"].to_numpy(dtype=object)
    table = {
        "joined": np.where(foreign, first + "・" + last, last + first),
        "space": np.where(foreign, last + " " + first, last + " " + first),
        "wide": np.where(foreign, first + "・" + last, last + "\u3000" + first),
        "latin": np.where(foreign, latin, last + "\u3000" + first),
        # 在留カード order and case, as a 住民基本台帳 export prints foreign residents
        "upper": np.where(foreign, pd.Series(p["last_latin"] + " " + p["first_latin"])
                          .str.upper().to_numpy(dtype=object), last + "\u3000" + first),
    }
    return choose(styles, table)


def kana_names(p: pd.DataFrame, halfwidth: np.ndarray) -> np.ndarray:
    """フリガナ: ヤマダ　タロウ, or half-width ﾔﾏﾀﾞ ﾀﾛｳ as older 基幹系 exports print it."""
    last, first = p["last_kana"].to_numpy(dtype=object), p["first_kana"].to_numpy(dtype=object)
    wide = last + "\u3000" + first
    out = wide.copy()
    for i in np.flatnonzero(halfwidth):
        out[i] = jaconv.z2h(f"{last[i]} {first[i]}", kana=True, ascii=False, digit=False)
    return out
