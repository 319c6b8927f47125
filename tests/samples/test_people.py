import numpy as np
import pandas as pd
import pytest

from samples._people import (
    DATE_STYLES,
    age_at,
    cp932_ok,
    date_column,
    foreign_names,
    full_names,
    japanese_names,
    kana_names,
    people,
    share_family_name,
)


@pytest.mark.parametrize(
    ("day", "wareki", "abbr0", "year"),
    [
        ("1970-03-02", "昭和45年3月2日", "S45.03.02", "昭和45年"),
        ("1989-01-07", "昭和64年1月7日", "S64.01.07", "昭和64年"),  # last day of 昭和
        ("1989-01-08", "平成元年1月8日", "H01.01.08", "平成元年"),  # 元年, never 平成1年
        ("2019-04-30", "平成31年4月30日", "H31.04.30", "平成31年"),
        ("2019-05-01", "令和元年5月1日", "R01.05.01", "令和元年"),
        ("1926-12-24", "大正15年12月24日", "T15.12.24", "大正15年"),
        ("1926-12-25", "昭和元年12月25日", "S01.12.25", "昭和元年"),
        ("1912-07-29", "明治45年7月29日", "M45.07.29", "明治45年"),
    ],
)
def test_wareki_styles_at_era_boundaries(day: str, wareki: str, abbr0: str, year: str) -> None:
    dates = pd.Series(pd.to_datetime([day]))
    out = {s: date_column(dates, s)[0] for s in DATE_STYLES}
    y, m, d = day.split("-")
    assert out == {
        "wareki": wareki, "wareki0": wareki.replace(f"{int(m)}月{int(d)}日", f"{m}月{d}日"),
        "abbr": abbr0[0] + ".".join(str(int(x)) for x in abbr0[1:].split(".")),
        "abbr0": abbr0, "slash": f"{y}/{m}/{d}", "iso": day,
        "kanji": f"{int(y)}年{int(m)}月{int(d)}日", "wareki_year": year, "year": f"{y}年",
    }


@pytest.mark.parametrize(
    ("dob", "ref", "age"),
    [("1970-03-02", "2024-03-01", 53), ("1970-03-02", "2024-03-02", 54),
     ("2000-02-29", "2025-02-28", 24), ("2000-02-29", "2025-03-01", 25)],
)
def test_age_is_completed_years(dob: str, ref: str, age: int) -> None:
    assert age_at(pd.Series(pd.to_datetime([dob])), pd.Series(pd.to_datetime([ref])))[0] == age


def test_people_are_the_requested_age_and_cp932_safe() -> None:
    rng = np.random.default_rng(1)
    ref = pd.Series(pd.to_datetime(["2024-10-01"] * 400))
    ages = rng.integers(0, 106, 400)
    p = people(rng, ref, ages, foreign_share=0.3)
    assert (p["age"].to_numpy() == ages).all()
    assert p["foreign"].any() and (~p["foreign"]).any()
    for col in ("last", "first", "last_kana", "first_kana"):
        assert all(cp932_ok(x) for x in p[col])
    assert p["last_latin"].str.fullmatch(r"[A-Za-z]+").all()


def test_name_lists_come_from_the_generators() -> None:
    jp, fo = japanese_names(), foreign_names()
    assert len(jp["last"]) >= 400 and len(jp["female"]) > 10_000
    assert all(k.isascii() is False for k in jp["last"][:, 0])
    # e2k transliterations are katakana, the Latin original is kept beside them
    assert all("\u30a0" <= c <= "\u30ff" for k, _ in fo["last"] for c in k)
    assert "Johnson" in set(fo["last"][:, 1])


def test_name_styles_and_halfwidth_kana() -> None:
    p = pd.DataFrame({"last": ["山田", "ジョンソン"], "first": ["太郎", "マイケル"],
                      "last_kana": ["ヤマダ", "ジョンソン"], "first_kana": ["タロウ", "マイケル"],
                      "last_latin": ["yamada", "Johnson"], "first_latin": ["tarou", "Michael"],
                      "foreign": [False, True]})
    styles = {
        "joined": ["山田太郎", "マイケル・ジョンソン"],
        "wide": ["山田\u3000太郎", "マイケル・ジョンソン"],
        "latin": ["山田\u3000太郎", "Michael Johnson"],
        "upper": ["山田\u3000太郎", "JOHNSON MICHAEL"],
    }
    for style, expected in styles.items():
        assert list(full_names(p, np.array([style, style], dtype=object))) == expected
    assert list(kana_names(p, np.array([True, False]))) == ["ﾔﾏﾀﾞ ﾀﾛｳ", "ジョンソン\u3000マイケル"]


def test_relatives_share_the_family_name_only_when_both_are_japanese() -> None:
    rng = np.random.default_rng(2)
    ref = pd.Series(pd.to_datetime(["2024-10-01"] * 200))
    p1 = people(rng, ref, np.full(200, 50), foreign_share=0.2)
    p2 = share_family_name(people(rng, ref, np.full(200, 20), foreign_share=0.0), p1,
                           np.ones(200, dtype=bool))
    jp = ~p1["foreign"].to_numpy()
    assert (p2["last"][jp] == p1["last"][jp]).all()
    assert (p2["last"][~jp] != p1["last"][~jp]).all()
