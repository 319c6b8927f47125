"""異動届 of FY2024 (2024-04-01 … 2025-03-31) for the synthetic 国立市 (samples/_city.py).

Events are tied to the resident list: 死亡 and 転出 are residents (same 住民票コード, name,
birth date, address); households that moved in before the extract date, and babies born
before it, are residents too (so a death or move before 2025-01-01 still has its jumin.csv
row: a simplification, see samples/README.md). Arrivals and births after the extract date
are new people.
Moves follow the mover propensity of the head's age (young singles and families) and a
monthly seasonality with March/April peaks; deaths follow a Gompertz curve (mostly 75+).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from samples._city import (
    EXTRACT_DATE,
    FY_END,
    FY_START,
    IDO_COLUMNS,
    MOVER,
    PER_52000,
    Profile,
    date_text,
    given_names,
    residents,
    unique_codes,
)
from samples._city_places import MOVES, elsewhere

#: relative daily intensity per month (moves peak in March/April, deaths in winter)
MOVE_MONTHS = {4: 1.7, 5: 1.0, 6: .85, 7: .85, 8: .85, 9: .9, 10: .9, 11: .8, 12: .85, 1: .85,
               2: 1.0, 3: 2.3}
DEATH_MONTHS = {4: .95, 5: .9, 6: .85, 7: .9, 8: .95, 9: .9, 10: .95, 11: 1.0, 12: 1.15, 1: 1.3,
                2: 1.1, 3: 1.05}
REASONS = ("出生", "転入", "転出", "死亡")
PERSON = ("住民票コード", "氏名", "生年月日", "性別", "町丁", "住所")
ONE_DAY = np.timedelta64(1, "D")


@functools.cache
def _calendar(months: tuple[tuple[int, float], ...]) -> tuple[np.ndarray, np.ndarray]:
    days = np.arange(FY_START, FY_END + ONE_DAY)
    month = days.astype("datetime64[M]").astype(int) % 12 + 1
    w = np.array([dict(months)[m] for m in month])
    return days, np.concatenate([[0.0], np.cumsum(w)])


def draw_days(rng: np.random.Generator, n: int, months: dict[int, float],
              lo: np.ndarray | np.datetime64 = FY_START,
              hi: np.ndarray | np.datetime64 = FY_END) -> np.ndarray:
    """``n`` days in [lo, hi] (per row or one for all) with the months' relative intensity."""
    days, cum = _calendar(tuple(months.items()))
    lo_i = np.broadcast_to((np.asarray(lo, "datetime64[D]") - FY_START).astype(int), n)
    hi_i = np.broadcast_to((np.asarray(hi, "datetime64[D]") - FY_START).astype(int), n)
    u = cum[lo_i] + rng.random(n) * (cum[hi_i + 1] - cum[lo_i])
    return days[np.clip(np.searchsorted(cum, u, side="right") - 1, lo_i, hi_i)]


def _mover(age: np.ndarray) -> np.ndarray:
    w = np.zeros(len(age))
    for (lo, hi), v in MOVER.items():
        w[(age >= lo) & (age <= hi)] = v
    return w


def _take(rng: np.random.Generator, weight: np.ndarray, size: np.ndarray, target: int
          ) -> np.ndarray:
    """Units drawn without replacement ∝ ``weight`` until their sizes reach ``target``."""
    ok = np.flatnonzero(weight > 0)
    keys = np.log(rng.random(len(ok))) / weight[ok]  # Efraimidis–Spirakis: largest keys first
    order = ok[np.argsort(-keys, kind="stable")]
    k = int(np.searchsorted(np.cumsum(size[order]), target)) + 1
    return np.sort(order[:k]) if target > 0 else order[:0]


def _households(p: pd.DataFrame) -> pd.DataFrame:
    hh = p["hh"].to_numpy()
    fy_baby = np.bincount(hh, weights=(p["dob"] >= FY_START).to_numpy(), minlength=hh.max() + 1)
    head_age = np.zeros(hh.max() + 1, dtype=np.int64)
    heads = p["seq"].to_numpy() == 0
    head_age[hh[heads]] = p["age"].to_numpy()[heads]
    return pd.DataFrame({"size": np.bincount(hh), "head_age": head_age, "fy_baby": fy_baby > 0})


def _events(rows: np.ndarray, reason: str, dates: np.ndarray, unit: np.ndarray,
            prev: np.ndarray | str = "", dest: np.ndarray | str = "") -> pd.DataFrame:
    n = len(rows)
    return pd.DataFrame({"row": rows, "reason": reason, "date": np.broadcast_to(dates, n),
                         "unit": np.broadcast_to(unit, n),
                         "prev": np.broadcast_to(np.asarray(prev, dtype=object), n),
                         "dest": np.broadcast_to(np.asarray(dest, dtype=object), n)})


def generate_ido(rng: np.random.Generator, res: pd.DataFrame, prof: Profile) -> pd.DataFrame:
    """One row per event; ``res`` is the internal resident frame behind jumin.csv."""
    n = len(res)
    want = {k: round(v * n / 52_000) for k, v in PER_52000.items()}
    hh = _households(res)
    _, cum = _calendar(tuple(MOVE_MONTHS.items()))
    pre_share = cum[int((EXTRACT_DATE - FY_START).astype(int)) + 1] / cum[-1]
    arrived, arr_day, moved_in = _moved_in(rng, res, hh, round(want["in"] * pre_share))
    came = np.isin(res["hh"].to_numpy(), arrived)
    born = np.flatnonzero((res["dob"].to_numpy() >= FY_START) & ~came
                          | came & (res["dob"].to_numpy() > arr_day[res["hh"].to_numpy()]))
    dead = _deaths(rng, res, came, want["deaths"])
    movers, moved_out = _moved_out(rng, res, hh, arrived, arr_day, dead, want["out"])
    # after the extract date: new households moving in, and babies born to residents
    taken = set(res["住民票コード"])
    later, later_ev = _newcomers(rng, prof, want["in"] - len(moved_in), n, taken)
    gone = np.isin(res["hh"].to_numpy(), np.concatenate([movers, res["hh"].to_numpy()[dead]]))
    after = round(want["births"] * (FY_END - EXTRACT_DATE).astype(int) / 365)
    babies, baby_ev = _newborns(rng, res, gone, after,
                                n + len(later), taken | set(later["住民票コード"]))
    events = pd.concat([
        moved_in, _events(born, "出生", res["dob"].to_numpy()[born], res["hh"].to_numpy()[born]),
        _events(dead, "死亡", draw_days(rng, len(dead), DEATH_MONTHS), res["hh"].to_numpy()[dead]),
        *moved_out, later_ev, baby_ev], ignore_index=True)
    return _frame(pd.concat([res[list(PERSON)], later, babies], ignore_index=True), events)


def _moved_in(rng: np.random.Generator, res: pd.DataFrame, hh: pd.DataFrame, target: int
              ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Resident households that moved in before the extract date, young ones first: their
    arrival day (NaT for the others) and 転入 events (babies born after the move are 出生)."""
    arrived = _take(rng, _mover(hh["head_age"].to_numpy()), hh["size"].to_numpy(), target)
    arr_day = np.full(len(hh), np.datetime64("NaT"), dtype="datetime64[D]")
    arr_day[arrived] = draw_days(rng, len(arrived), MOVE_MONTHS, FY_START, EXTRACT_DATE)
    hh_of = res["hh"].to_numpy()
    rows = np.flatnonzero(np.isin(hh_of, arrived) & (res["dob"].to_numpy() <= arr_day[hh_of]))
    prev = pd.Series(elsewhere(rng, len(arrived), MOVES), index=arrived)
    return arrived, arr_day, _events(rows, "転入", arr_day[hh_of[rows]], hh_of[rows],
                                     prev[hh_of[rows]].to_numpy(dtype=object))


def _deaths(rng: np.random.Generator, res: pd.DataFrame, came: np.ndarray, k: int
            ) -> np.ndarray:
    """Residents who were here all year, drawn ∝ a Gompertz hazard (×e every 10 years)."""
    cand = ~came & (res["dob"].to_numpy() < FY_START)
    w = np.where(cand, np.exp(0.1 * res["age"].to_numpy()), 0.0)
    return np.sort(rng.choice(len(res), size=min(k, int(cand.sum())), replace=False,
                              p=w / w.sum()))


def _moved_out(rng: np.random.Generator, res: pd.DataFrame, hh: pd.DataFrame,
               arrived: np.ndarray, arr_day: np.ndarray, dead: np.ndarray, target: int
               ) -> tuple[np.ndarray, list[pd.DataFrame]]:
    """転出: some newcomers leave again, then whole households (young ones first), then grown
    children alone. Returns the households that left and the events."""
    hh_of, dob = res["hh"].to_numpy(), res["dob"].to_numpy()
    came = np.isin(hh_of, arrived)
    settled = arr_day + 30 * ONE_DAY  # at least a month in the city, and after any birth there
    np.maximum.at(settled, hh_of[came], dob[came] + ONE_DAY)
    early = arrived[settled[arrived] <= np.datetime64("2025-01-31")]
    again = early[rng.random(len(early)) < 0.08]
    out_day = np.full(len(hh), np.datetime64("NaT"), dtype="datetime64[D]")
    out_day[again] = draw_days(rng, len(again), MOVE_MONTHS, settled[again])
    size = hh["size"].to_numpy()
    w = _mover(hh["head_age"].to_numpy())
    w[np.concatenate([arrived, np.flatnonzero(hh["fy_baby"].to_numpy()), hh_of[dead]])] = 0
    whole = _take(rng, w, size, round((target - size[again].sum()) * 0.7))
    out_day[whole] = draw_days(rng, len(whole), MOVE_MONTHS)
    movers = np.concatenate([again, whole])
    dest = pd.Series(elsewhere(rng, len(movers), MOVES), index=movers)
    rows = np.flatnonzero(np.isin(hh_of, movers))
    age = res["age"].to_numpy()
    young = (res["role"].to_numpy() == "子") & (age >= 18) & (age <= 34) & ~came
    young &= ~np.isin(hh_of, whole) & ~np.isin(np.arange(len(res)), dead)
    alone = np.sort(rng.permutation(np.flatnonzero(young))[:max(target - len(rows), 0)])
    return movers, [
        _events(rows, "転出", out_day[hh_of[rows]], hh_of[rows],
                dest=dest[hh_of[rows]].to_numpy(dtype=object)),
        _events(alone, "転出", draw_days(rng, len(alone), MOVE_MONTHS), hh_of[alone],
                dest=elsewhere(rng, len(alone), MOVES))]


def _newcomers(rng: np.random.Generator, prof: Profile, target: int, offset: int,
               taken: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Households arriving after the extract date (not in jumin.csv): fresh people."""
    pool = residents(rng, max(4 * target, 200), prof, cover=False)
    hh = _households(pool)
    chosen = _take(rng, _mover(hh["head_age"].to_numpy()), hh["size"].to_numpy(), target)
    people = pool[pool["hh"].isin(chosen)].reset_index(drop=True)
    people["住民票コード"] = unique_codes(rng, len(people), taken)
    day = draw_days(rng, len(chosen), MOVE_MONTHS, EXTRACT_DATE + ONE_DAY)
    prev = elsewhere(rng, len(chosen), MOVES)
    at = np.searchsorted(chosen, people["hh"].to_numpy())
    ev = _events(offset + np.arange(len(people)), "転入", day[at], 10**7 + chosen[at], prev[at])
    return people[list(PERSON)], ev


def _newborns(rng: np.random.Generator, res: pd.DataFrame, gone: np.ndarray, k: int,
              offset: int, taken: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Babies born after the extract date to resident mothers aged 22–44 who stayed."""
    age, role = res["age"].to_numpy(), res["role"].to_numpy()
    mother = (res["female"].to_numpy() & (age >= 22) & (age <= 44) & ~gone
              & np.isin(role, ("妻", "世帯主")))
    hh = np.unique(res["hh"].to_numpy()[mother])
    hh = np.sort(rng.permutation(hh)[:k])
    head = res[(res["seq"] == 0) & res["hh"].isin(hh)].reset_index(drop=True)
    female = rng.random(len(hh)) < 0.488
    first = given_names(rng, female)
    day = draw_days(rng, len(hh), {m: 1.0 for m in MOVE_MONTHS}, EXTRACT_DATE + ONE_DAY)
    babies = pd.DataFrame({
        "住民票コード": unique_codes(rng, len(hh), taken),
        "氏名": head["last"].to_numpy(dtype=object) + "\u3000" + first[:, 0],
        "生年月日": date_text(day), "性別": np.where(female, "女", "男").astype(object),
        "町丁": head["町丁"].to_numpy(dtype=object), "住所": head["住所"].to_numpy(dtype=object)})
    return babies, _events(offset + np.arange(len(hh)), "出生", day, head["hh"].to_numpy())


def _frame(people: pd.DataFrame, ev: pd.DataFrame) -> pd.DataFrame:
    """Events in date order (households together), numbered 2024-000001 …"""
    rank = ev["reason"].map({r: i for i, r in enumerate(REASONS)}).to_numpy()
    ev = ev.iloc[np.lexsort((ev["row"].to_numpy(), ev["unit"].to_numpy(), rank,
                             ev["date"].to_numpy()))].reset_index(drop=True)
    p = people.iloc[ev["row"].to_numpy()].reset_index(drop=True)
    out = pd.DataFrame({
        "届出番号": [f"2024-{i:06d}" for i in range(1, len(ev) + 1)],
        **{c: p[c].to_numpy(dtype=object) for c in ("住民票コード", "氏名", "生年月日", "性別")},
        "異動事由": ev["reason"].to_numpy(dtype=object),
        "異動日": date_text(ev["date"].to_numpy()),
        "町丁": p["町丁"].to_numpy(dtype=object), "住所": p["住所"].to_numpy(dtype=object),
        "前住所": ev["prev"].to_numpy(dtype=object), "転出先": ev["dest"].to_numpy(dtype=object),
    })
    assert tuple(out.columns) == IDO_COLUMNS
    return out.astype(str)
