"""The three synthetic datasets: 住民相談記録, 介護保険認定, administrative free texts.

Each generator takes ``(n, seed)`` and is deterministic: its random stream is
``numpy.random.default_rng([seed, <dataset number>])``, so one dataset's size never shifts
another's values. Gold spans come back as a DataFrame (row/column or id, start, end, type).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from samples import _ids
from samples._people import (
    choose,
    date_column,
    date_strings,
    full_names,
    kana_names,
    people,
    pick_styles,
    share_family_name,
)
from samples._places import (
    address_strings,
    addresses,
    landlines,
    mobiles,
    phone_strings,
    postal_strings,
    towns,
)
from samples._text import Context, concat, fill
from samples._vocab import SoudanTemplate, Vocab, load_templates, load_vocab

#: the fiscal year every record falls in (令和6年度) and the 介護 register's reference date
FY_START = np.datetime64("2024-04-01")
CARE_BASE_DATE = np.datetime64("2025-04-01")


@dataclass(frozen=True)
class TableSample:
    frame: pd.DataFrame  # all-text columns, Japanese headers
    gold: pd.DataFrame  # row, column, start, end, type


def plant_note(
    template: str, values: dict[str, str], kinds: dict[str, str], row: int, column: str,
    gold: list[dict[str, object]],
) -> str:
    """``template`` with its ``{slot}``s filled from ``values``; each planted value's span goes
    to ``gold`` as (row, column, start, end, kinds[slot])."""
    head, *pieces = template.split("{")
    text = head
    for piece in pieces:
        key, rest = piece.split("}", 1)
        start = len(text)
        text += values[key]
        gold.append({"row": row, "column": column, "start": start, "end": len(text),
                     "type": kinds[key]})
        text += rest
    return text


@dataclass(frozen=True)
class TextSample:
    records: list[dict[str, str]]  # {"id", "text"}
    gold: pd.DataFrame  # id, start, end, type


def _banded_ages(rng: np.random.Generator, n: int, bands: dict[tuple[int, int], float]
                 ) -> np.ndarray:
    """Ages drawn band by band (weights per band, uniform inside it; bounds inclusive)."""
    keys = list(bands)
    p = np.array([bands[k] for k in keys], dtype=float)
    band = rng.choice(len(keys), size=n, p=p / p.sum())
    lo = np.array([k[0] for k in keys])[band]
    hi = np.array([k[1] for k in keys])[band]
    return lo + np.floor(rng.random(n) * (hi - lo + 1)).astype(int)


def _fy_days(rng: np.random.Generator, n: int, weekdays_only: bool = True) -> pd.Series:
    days = FY_START + rng.integers(0, 365, n).astype("timedelta64[D]")
    if weekdays_only:  # 1970-01-01 was a Thursday: Monday = 0
        dow = (days.astype("int64") + 3) % 7
        days = days - (dow == 5) * np.timedelta64(1, "D") + (dow == 6) * np.timedelta64(1, "D")
    return pd.Series(np.sort(days)).astype("datetime64[s]")


def _context(rng: np.random.Generator, vocab: Vocab, ref: pd.Series, p1: pd.DataFrame,
             town_rows: pd.DataFrame, building_share: float = 0.25) -> Context:
    """People and places around each row's subject ``p1`` (who lives in ``town_rows``)."""
    n = len(p1)
    p2 = people(rng, ref, _banded_ages(rng, n, {(20, 59): 0.6, (60, 95): 0.4}),
                foreign_share=0.02)
    p2 = share_family_name(p2, p1, rng.random(n) < 0.6)
    child = share_family_name(people(rng, ref, rng.integers(0, 13, n), foreign_share=0.0), p1,
                              np.ones(n, dtype=bool))
    addr = addresses(rng, town_rows, building_share)
    land = landlines(rng, vocab.cities, addr["city_index"].to_numpy())
    mob = mobiles(rng, vocab.mobile_prefixes, n)
    home = towns(vocab.cities)
    home_towns = home.loc[home["city_index"] == vocab.home, "town"].to_numpy(dtype=object)
    use_mobile = rng.random(n) < 0.4
    phone = pd.DataFrame(np.where(use_mobile[:, None], mob.to_numpy(), land.to_numpy()),
                         columns=["a", "b", "c"])
    return Context(p1=p1, p2=p2, child=child, addr=addr, phone=phone, mobile=mob,
                   email=_ids.emails(rng, p1, vocab.email_domains),
                   my_number=_ids.my_numbers(rng, n), towns=home_towns,
                   home_city=vocab.home_city)


def _town_rows(rng: np.random.Generator, vocab: Vocab, n: int) -> pd.DataFrame:
    """A 町域 per row: the city by its weight, then a town of that city uniformly."""
    t = towns(vocab.cities)
    w = np.array([c.weight for c in vocab.cities])
    city = rng.choice(len(w), size=n, p=w / w.sum())
    counts = t.groupby("city_index").size().to_numpy()
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    pick = starts[city] + np.floor(rng.random(n) * counts[city]).astype(int)
    return t.iloc[pick].reset_index(drop=True)


def _cell_spans(frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    """One span covering each non-empty cell of the structured personal columns."""
    parts = []
    for column, kind in types.items():
        lengths = frame[column].str.len()
        rows = np.flatnonzero(lengths.to_numpy() > 0)
        parts.append(pd.DataFrame({"row": rows, "column": column, "start": 0,
                                   "end": lengths.to_numpy()[rows], "type": kind}))
    return pd.concat(parts, ignore_index=True)


def _text_spans(spans: list[tuple[int, int, int, str]], column: str) -> pd.DataFrame:
    out = pd.DataFrame(spans, columns=["row", "start", "end", "type"])
    out.insert(1, "column", column)
    return out


def _gold(frame: pd.DataFrame, parts: list[pd.DataFrame]) -> pd.DataFrame:
    gold = pd.concat(parts, ignore_index=True)
    order = {c: i for i, c in enumerate(frame.columns)}
    gold = gold.assign(_c=gold["column"].map(order))
    gold = gold.sort_values(["row", "_c", "start"], kind="stable").drop(columns="_c")
    return gold.astype({"row": "int64", "start": "int64", "end": "int64"}).reset_index(drop=True)


SOUDAN_PII = {"氏名": "PERSON", "フリガナ": "PERSON", "生年月日": "DATE_OF_BIRTH",
              "住所": "JP_ADDRESS", "郵便番号": "JP_POSTAL_CODE",
              "電話番号": "JP_PHONE_NUMBER", "メールアドレス": "EMAIL_ADDRESS",
              "個人番号": "JP_MY_NUMBER"}


def generate_consultations(n: int = 200, seed: int = 20261123) -> TableSample:
    """住民相談記録 as a 基幹系 system exports it (mixed date styles, half-width kana rows…)."""
    rng = np.random.default_rng([seed, 1])
    vocab, tmpl = load_vocab(), load_templates()
    received = _fy_days(rng, n)
    ages = _banded_ages(rng, n, {(18, 39): 0.25, (40, 64): 0.35, (65, 79): 0.25, (80, 95): 0.15})
    p1 = people(rng, received, ages, female_share=0.55, foreign_share=0.04)
    ctx = _context(rng, vocab, received, p1, _town_rows(rng, vocab, n))
    t_idx = _fitting_templates(rng, tmpl.soudan, p1["age"].to_numpy())
    tails = np.where(rng.random(n) < 0.35, rng.integers(0, len(tmpl.soudan_tail), n), -1)
    content = concat(fill(rng, [t.text for t in tmpl.soudan], t_idx, ctx, vocab),
                     fill(rng, tmpl.soudan_tail, tails, ctx, vocab))
    biko = fill(rng, tmpl.biko, np.where(rng.random(n) < 0.45,
                                         rng.integers(0, len(tmpl.biko), n), -1), ctx, vocab)
    has_phone, has_mail, has_mn = (rng.random(n) < s for s in (0.95, 0.35, 0.25))
    frame = pd.DataFrame({
        "相談番号": [f"R06-{i:06d}" for i in range(1, n + 1)],
        "受付日": date_column(received, "slash"),
        "氏名": full_names(p1, np.where(p1["foreign"], "upper", pick_styles(
            rng, n, {"wide": 0.85, "space": 0.1, "joined": 0.05}))),
        "フリガナ": kana_names(p1, rng.random(n) < 0.25),
        "生年月日": _pick_date(rng, p1["dob"], {"wareki": 0.4, "abbr0": 0.15, "slash": 0.3,
                                               "kanji": 0.1, "iso": 0.05}),
        "性別": p1["gender"].to_numpy(dtype=object),
        "住所": address_strings(ctx.addr, pick_styles(rng, n, {"full": 0.6, "kanji": 0.2,
                                                              "hyphen": 0.15, "nopref": 0.05})),
        "郵便番号": postal_strings(ctx.addr["postal"], pick_styles(rng, n, {"hyphen": 0.8,
                                                                          "plain": 0.2})),
        "電話番号": np.where(has_phone, phone_strings(ctx.phone, pick_styles(
            rng, n, {"hyphen": 0.85, "plain": 0.1, "paren": 0.05})), ""),
        "メールアドレス": np.where(has_mail, ctx.email, ""),
        "個人番号": np.where(has_mn, _ids.grouped(ctx.my_number, pick_styles(
            rng, n, {"plain": 0.85, "space4": 0.15})), ""),
        "相談区分": [tmpl.soudan[i].kubun for i in t_idx],
        "相談内容": content.texts,
        "対応状況": pick_styles(rng, n, {"完了": 0.55, "対応中": 0.25, "受付": 0.1,
                                        "他課へ引継ぎ": 0.1}),
        "担当課": [tmpl.soudan[i].division for i in t_idx],
        "備考": biko.texts,
    }).astype(str)
    gold = _gold(frame, [_cell_spans(frame, SOUDAN_PII), _text_spans(content.spans, "相談内容"),
                         _text_spans(biko.spans, "備考")])
    return TableSample(frame, gold)


def _fitting_templates(rng: np.random.Generator, templates: tuple[SoudanTemplate, ...],
                       ages: np.ndarray) -> np.ndarray:
    """Per row, a template whose age range holds the 相談者's age (uniform among those)."""
    lo = np.array([t.ages[0] for t in templates])
    hi = np.array([t.ages[1] for t in templates])
    fits = (ages[:, None] >= lo) & (ages[:, None] <= hi)
    if not fits.any(axis=1).all():
        raise ValueError("samples/templates.yaml: soudan: no template fits some 相談者 age")
    return np.argmax(rng.random(fits.shape) * fits, axis=1)


def _pick_date(rng: np.random.Generator, dates: pd.Series, weights: dict[str, float]) -> np.ndarray:
    return choose(pick_styles(rng, len(dates), weights), date_strings(dates))


#: share of 要支援1…要介護5 among certified people, by age band (older → heavier care)
CARE_LEVELS = ("要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5")
_LEVEL_P = {75: (0.20, 0.17, 0.21, 0.16, 0.11, 0.09, 0.06),
            90: (0.14, 0.14, 0.21, 0.17, 0.13, 0.12, 0.09),
            200: (0.07, 0.09, 0.19, 0.18, 0.17, 0.17, 0.13)}
CARE_PII = {"被保険者番号": "JP_HEALTH_INSURANCE_NUMBER", "氏名": "PERSON",
            "生年月日": "DATE_OF_BIRTH", "年齢": "AGE", "住所": "JP_ADDRESS",
            "郵便番号": "JP_POSTAL_CODE"}


def generate_care(n: int = 500, seed: int = 20261123) -> TableSample:
    """介護保険認定: one person per row in the 町丁目 of the home city (k-anonymity material)."""
    rng = np.random.default_rng([seed, 2])
    vocab, tmpl = load_vocab(), load_templates()
    base = pd.Series(np.full(n, CARE_BASE_DATE)).astype("datetime64[s]")
    ages = _banded_ages(rng, n, {(65, 69): 3, (70, 74): 7, (75, 79): 13, (80, 84): 22,
                                 (85, 89): 27, (90, 94): 18, (95, 99): 8.5, (100, 106): 1.5})
    p1 = people(rng, base, ages, female_share=0.66, foreign_share=0.005)
    # 町丁目 cells of the home city with uneven populations, so some cells are small
    t = towns(vocab.cities)
    t = t[t["city_index"] == vocab.home]
    cells = t.loc[t.index.repeat(np.maximum(t["max_chome"], 1))].copy()
    cells["chome"] = cells.groupby(level=0).cumcount() + cells["has_chome"].astype(int)
    weight = rng.gamma(1.2, size=len(cells))
    cells = cells.iloc[rng.choice(len(cells), size=n, p=weight / weight.sum())]
    ctx = _context(rng, vocab, base, p1, cells.reset_index(drop=True), building_share=0.12)
    band = np.searchsorted(np.array(sorted(_LEVEL_P)), p1["age"].to_numpy(), side="right")
    level = np.empty(n, dtype=object)
    for b, key in enumerate(sorted(_LEVEL_P)):
        rows = band == b
        level[rows] = np.array(CARE_LEVELS, dtype=object)[
            rng.choice(len(CARE_LEVELS), size=rows.sum(), p=_LEVEL_P[key])]
    iken = fill(rng, tmpl.iken, rng.integers(0, len(tmpl.iken), n), ctx, vocab)
    frame = pd.DataFrame({
        "被保険者番号": _ids.kaigo_numbers(rng, n),
        "氏名": full_names(p1, np.where(p1["foreign"], "upper", "wide").astype(object)),
        "性別": p1["gender"].to_numpy(dtype=object),
        "生年月日": date_column(p1["dob"], "wareki"),
        "年齢": p1["age"].astype(str).to_numpy(dtype=object),
        "住所": address_strings(ctx.addr, np.full(n, "kanji", dtype=object)),
        "郵便番号": postal_strings(ctx.addr["postal"], np.full(n, "hyphen", dtype=object)),
        "世帯人数": pick_styles(rng, n, {"1": 0.35, "2": 0.38, "3": 0.14, "4": 0.07, "5": 0.04,
                                        "6": 0.02}),
        "要介護度": level,
        "認定日": date_column(_fy_days(rng, n), "slash")[rng.permutation(n)],
        "主治医意見書": iken.texts,
    }).astype(str)
    gold = _gold(frame, [_cell_spans(frame, CARE_PII), _text_spans(iken.spans, "主治医意見書")])
    return TableSample(frame, gold)


def generate_texts(n: int = 300, seed: int = 20261123) -> TextSample:
    """Short administrative texts with personal information; every template used evenly."""
    rng = np.random.default_rng([seed, 3])
    vocab, tmpl = load_vocab(), load_templates()
    ref = _fy_days(rng, n, weekdays_only=False)
    p1 = people(rng, ref, _banded_ages(rng, n, {(18, 64): 0.6, (65, 95): 0.4}), foreign_share=0.05)
    ctx = _context(rng, vocab, ref, p1, _town_rows(rng, vocab, n))
    chosen = rng.permutation(np.resize(np.arange(len(tmpl.texts)), n))
    filled = fill(rng, tmpl.texts, chosen, ctx, vocab)
    ids = [f"t{i:04d}" for i in range(1, n + 1)]
    gold = pd.DataFrame(filled.spans, columns=["row", "start", "end", "type"])
    gold.insert(0, "id", np.array(ids, dtype=object)[gold.pop("row").to_numpy()])
    return TextSample([{"id": i, "text": t} for i, t in zip(ids, filled.texts, strict=True)], gold)


def generate_clean_texts(n: int = 200, seed: int = 20261123) -> list[dict[str, str]]:
    """Administrative texts without personal information (false-detection material)."""
    rng = np.random.default_rng([seed, 4])
    vocab, tmpl = load_vocab(), load_templates()
    ref = _fy_days(rng, n, weekdays_only=False)
    p1 = people(rng, ref, np.full(n, 40), foreign_share=0.0)
    ctx = _context(rng, vocab, ref, p1, _town_rows(rng, vocab, n))
    chosen = rng.permutation(np.resize(np.arange(len(tmpl.clean)), n))
    filled = fill(rng, tmpl.clean, chosen, ctx, vocab)
    assert not filled.spans, "clean templates are validated to have no personal slot"
    return [{"id": f"c{i:04d}", "text": t} for i, t in enumerate(filled.texts, start=1)]
