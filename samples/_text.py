"""Fill templates with slot values and record the gold span of every personal slot.

Values are made per slot kind for all rows that need it at once (vectorized); only the final
assembly of each text is a per-row loop, and it records offsets while it concatenates, so a
gold span is right by construction (no searching for the value afterwards).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import jaconv
import numpy as np
import pandas as pd

from samples import _ids
from samples._people import StyleTable, choose, date_strings, full_names, pick_styles
from samples._places import address_strings, phone_strings, postal_strings
from samples._vocab import PERSONAL_SLOTS, Vocab


@dataclass(frozen=True)
class Context:
    """Per-row people and places the slots of a row refer to (all aligned on the row)."""

    p1: pd.DataFrame  # the subject of the text
    p2: pd.DataFrame  # a relative or helper
    child: pd.DataFrame  # a child of p1 (child, child_age)
    addr: pd.DataFrame  # p1's dwelling (samples._places.addresses)
    phone: pd.DataFrame  # p1's phone number groups (a, b, c)
    mobile: pd.DataFrame  # p1's mobile number groups
    email: np.ndarray  # p1's e-mail address
    my_number: np.ndarray  # p1's 個人番号 (12 ASCII digits)
    towns: np.ndarray  # 町 names of the home city (for public district/town slots)
    home_city: str


@dataclass(frozen=True)
class Filled:
    texts: list[str]
    spans: list[tuple[int, int, int, str]]  # (row, start, end, entity type)


Maker = Callable[[np.random.Generator, np.ndarray, Context, Vocab], np.ndarray]

NAME_STYLES = {"joined": 0.35, "space": 0.15, "wide": 0.3, "latin": 0.2}
DOB_STYLES = {"wareki": 0.35, "abbr": 0.2, "kanji": 0.15, "slash": 0.15, "wareki0": 0.05,
              "abbr0": 0.05, "iso": 0.05}
ADDRESS_STYLES = {"full": 0.35, "kanji": 0.15, "hyphen": 0.15, "nopref": 0.15, "short": 0.12,
                  "zenkaku": 0.08}
PHONE_STYLES = {"hyphen": 0.5, "plain": 0.1, "paren": 0.1, "zenkaku": 0.1, "zparen": 0.05,
                "dash": 0.05, "wide_dash": 0.05, "choon": 0.05}
MY_NUMBER_STYLES = {"plain": 0.4, "space4": 0.25, "hyphen4": 0.2, "zenkaku": 0.15}


def _one_of(values: Sequence[str]) -> Maker:
    arr = np.array(values, dtype=object)
    return lambda rng, rows, ctx, v: arr[rng.integers(0, len(arr), len(rows))]


def _vocab(field: str) -> Maker:
    def make(rng: np.random.Generator, rows: np.ndarray, ctx: Context, v: Vocab) -> np.ndarray:
        values: tuple[str, ...] = getattr(v, field)
        return np.array(values, dtype=object)[rng.integers(0, len(values), len(rows))]
    return make


def _col(frame: str, column: str) -> Maker:
    return lambda rng, rows, ctx, v: getattr(ctx, frame)[column].to_numpy(dtype=object)[rows]


def _name(frame: str) -> Maker:
    def make(rng: np.random.Generator, rows: np.ndarray, ctx: Context, v: Vocab) -> np.ndarray:
        p = getattr(ctx, frame).iloc[rows]
        return full_names(p, pick_styles(rng, len(rows), NAME_STYLES))
    return make


def _kana(rng: np.random.Generator, rows: np.ndarray, ctx: Context, v: Vocab) -> np.ndarray:
    p = ctx.p1.iloc[rows]
    sep = np.where(p["foreign"], "・", np.array(["\u3000", " ", ""], dtype=object)[
        rng.integers(0, 3, len(rows))])
    last, first = p["last_kana"].to_numpy(dtype=object), p["first_kana"].to_numpy(dtype=object)
    return np.where(p["foreign"], first + sep + last, last + sep + first)


def _age(frame: str) -> Maker:
    def make(rng: np.random.Generator, rows: np.ndarray, ctx: Context, v: Vocab) -> np.ndarray:
        age = getattr(ctx, frame)["age"].to_numpy()[rows].astype(str).astype(object) + "歳"
        wide = rng.random(len(rows)) < 0.2
        age[wide] = [jaconv.h2z(a, digit=True) for a in age[wide]]
        return age
    return make


def _dob(styles: dict[str, float]) -> Maker:
    def make(rng: np.random.Generator, rows: np.ndarray, ctx: Context, v: Vocab) -> np.ndarray:
        table = date_strings(ctx.p1["dob"].iloc[rows])
        return choose(pick_styles(rng, len(rows), styles), table)
    return make


def _surname(rng: np.random.Generator, rows: np.ndarray, ctx: Context, v: Vocab) -> np.ndarray:
    from samples._people import japanese_names

    last = japanese_names()["last"]
    return last[rng.integers(0, len(last), len(rows)), 0]


def _phone(frame: str) -> Maker:
    def make(rng: np.random.Generator, rows: np.ndarray, ctx: Context, v: Vocab) -> np.ndarray:
        groups = getattr(ctx, frame).iloc[rows]
        return phone_strings(groups, pick_styles(rng, len(rows), PHONE_STYLES))
    return make


def _license(rng: np.random.Generator, rows: np.ndarray, ctx: Context, v: Vocab) -> np.ndarray:
    born = pd.DatetimeIndex(ctx.p1["dob"].iloc[rows]).year.to_numpy()
    issued = np.minimum(born + rng.integers(18, 30, len(rows)), 2024)
    return _ids.license_numbers(rng, v.license_prefixes, issued)


def _public_date(rng: np.random.Generator, rows: np.ndarray, ctx: Context, v: Vocab) -> np.ndarray:
    """A day of 令和6年度 (meetings, deadlines): a DATE, never a birth date."""
    days = pd.Series(np.datetime64("2024-04-01") + rng.integers(0, 365, len(rows)))
    table = date_strings(days)
    idx = pd.DatetimeIndex(days)
    md = (pd.Series(idx.month).astype(str) + "月" + pd.Series(idx.day).astype(str) + "日")
    wd = pd.Series(np.array(list("月火水木金土日"))[idx.day_of_week])
    styles: StyleTable = {"wareki": table["wareki"], "kanji": table["kanji"],
                          "md": md.to_numpy(dtype=object),
                          "md_wd": (md + "（" + wd + "）").to_numpy(dtype=object)}
    weights = {"wareki": 0.35, "md": 0.3, "md_wd": 0.2, "kanji": 0.15}
    return choose(pick_styles(rng, len(rows), weights), styles)


def _district(rng: np.random.Generator, rows: np.ndarray, ctx: Context, v: Vocab) -> np.ndarray:
    town = ctx.towns[rng.integers(0, len(ctx.towns), len(rows))]
    suffixes = np.array(v.district_suffix, dtype=object)
    suffix = suffixes[rng.integers(0, len(suffixes), len(rows))]
    return town + suffix


def _budget(rng: np.random.Generator, rows: np.ndarray, ctx: Context, v: Vocab) -> np.ndarray:
    man = rng.integers(10, 500_000, len(rows))  # in 万円
    oku, rest = man // 10_000, man % 10_000
    small = pd.Series(man * 10_000).map("{:,}円".format).to_numpy(dtype=object)
    large = np.array([f"{o}億{r:,}万円" if r else f"{o}億円"
                      for o, r in zip(oku, rest, strict=True)], dtype=object)
    return np.where(oku > 0, large, small)


def _docno(rng: np.random.Generator, rows: np.ndarray, ctx: Context, v: Vocab) -> np.ndarray:
    num = rng.integers(1, 1000, len(rows)).astype(str).astype(object)
    forms = np.array(["第2024-{}号", "国市福第{}号", "国市発第{}号", "第{}号", "国市納第{}号"],
                     dtype=object)
    return np.array([f.format(x) for f, x in zip(forms[rng.integers(0, len(forms), len(rows))], num,
                                                   strict=True)], dtype=object)


def _company(rng: np.random.Generator, rows: np.ndarray, ctx: Context, v: Vocab) -> np.ndarray:
    from faker.providers.company.ja_JP import Provider

    pre = np.array(Provider.company_prefixes, dtype=object)
    cat = np.array(Provider.company_categories, dtype=object)
    n = len(rows)
    return (pre[rng.integers(0, len(pre), n)] + _surname(rng, rows, ctx, v)
            + cat[rng.integers(0, len(cat), n)])


MAKERS: dict[str, Maker] = {
    "name": _name("p1"), "last": _col("p1", "last"), "first": _col("p1", "first"), "kana": _kana,
    "name2": _name("p2"), "last2": _col("p2", "last"), "first2": _col("p2", "first"),
    "child": _col("child", "first"), "staff": _surname, "doctor": _surname,
    "age": _age("p1"), "age2": _age("p2"), "child_age": _age("child"),
    "dob": _dob(DOB_STYLES), "dob_year": _dob({"wareki_year": 0.5, "year": 0.5}),
    "address": lambda rng, rows, ctx, v: address_strings(
        ctx.addr.iloc[rows], pick_styles(rng, len(rows), ADDRESS_STYLES)),
    "postal": lambda rng, rows, ctx, v: postal_strings(
        ctx.addr["postal"].iloc[rows], pick_styles(rng, len(rows), {"hyphen": 0.75, "plain": 0.1,
                                                                    "zenkaku": 0.15})),
    "phone": _phone("phone"), "mobile": _phone("mobile"),
    "email": lambda rng, rows, ctx, v: ctx.email[rows],
    "url": lambda rng, rows, ctx, v: _ids.urls(rng, ctx.p1.iloc[rows], v.url_formats),
    "my_number": lambda rng, rows, ctx, v: _ids.grouped(
        ctx.my_number[rows], pick_styles(rng, len(rows), MY_NUMBER_STYLES)),
    "corp_number": lambda rng, rows, ctx, v: _ids.corporate_numbers(rng, len(rows)),
    "resident_code": lambda rng, rows, ctx, v: _ids.resident_codes(rng, len(rows)),
    "passport": lambda rng, rows, ctx, v: _ids.passports(rng, v.passport_prefixes, len(rows)),
    "license": _license,
    "pension": lambda rng, rows, ctx, v: _ids.pensions(rng, len(rows)),
    "insurance": lambda rng, rows, ctx, v: _ids.insurance_numbers(rng, len(rows)),
    "kaigo_number": lambda rng, rows, ctx, v: _ids.digits(rng, len(rows), 10, "0"),
    "account": lambda rng, rows, ctx, v: _ids.accounts(rng, len(rows)),
    "card": lambda rng, rows, ctx, v: _ids.cards(rng, len(rows)),
    "ip": lambda rng, rows, ctx, v: _ids.ips(rng, len(rows)),
    "code": lambda rng, rows, ctx, v: _ids.record_codes(rng, len(rows)),
    # public (never in the gold)
    "facility": _vocab("facility"), "station": _vocab("station"), "division": _vocab("division"),
    "official": _vocab("official"), "helper": _vocab("helper"), "medical": _vocab("medical"),
    "bank": _vocab("bank"),
    "kind": _vocab("account_kind"), "district": _district,
    "town": lambda rng, rows, ctx, v: ctx.towns[rng.integers(0, len(ctx.towns), len(rows))],
    "branch": lambda rng, rows, ctx, v: np.append(ctx.towns, ctx.home_city[:-1])[
        rng.integers(0, len(ctx.towns) + 1, len(rows))],
    "date": _public_date, "budget": _budget, "docno": _docno, "company": _company,
    "fy": _one_of(["令和6年度", "令和6年度", "令和7年度", "2024年度", "令和5年度"]),
    "time": _one_of(["14時30分", "午後2時", "10時", "13:30", "午前9時", "15時", "17時15分"]),
    "count": lambda rng, rows, ctx, v: rng.integers(2, 61, len(rows)).astype(str).astype(object),
}


def parse(template: str) -> list[tuple[str, str | None]]:
    """``"{last}様より"`` → ``[("", "last"), ("様より", None)]`` (literal, then slot)."""
    out: list[tuple[str, str | None]] = []
    for literal, field, _, _ in string.Formatter().parse(template):
        if literal:
            out.append((literal, None))
        if field is not None:
            out.append(("", field))
    return out


def fill(rng: np.random.Generator, templates: Sequence[str], chosen: np.ndarray, ctx: Context,
         vocab: Vocab) -> Filled:
    """Row ``i`` gets ``templates[chosen[i]]`` (-1: empty text) filled from ``ctx`` row ``i``."""
    parsed = [parse(t) for t in templates]
    kinds = sorted({k for p in parsed for _, k in p if k is not None})
    values: dict[str, np.ndarray] = {}
    for kind in kinds:
        uses = np.array([any(k == kind for _, k in p) for p in parsed] + [False])
        rows = np.flatnonzero(uses[chosen])
        full = np.empty(len(chosen), dtype=object)
        if len(rows):  # makers need at least one row (max() of nothing is NaN)
            full[rows] = MAKERS[kind](rng, rows, ctx, vocab)
        values[kind] = full
    texts: list[str] = []
    spans: list[tuple[int, int, int, str]] = []
    for row, t in enumerate(chosen.tolist()):
        if t < 0:
            texts.append("")
            continue
        out, pos = [], 0
        for literal, kind in parsed[t]:
            piece = literal if kind is None else values[kind][row]
            if kind in PERSONAL_SLOTS:
                spans.append((row, pos, pos + len(piece), PERSONAL_SLOTS[kind]))
            out.append(piece)
            pos += len(piece)
        texts.append("".join(out))
    return Filled(texts, spans)


def concat(head: Filled, tail: Filled) -> Filled:
    """Row-wise ``head + tail``; the tail's spans move right by the head's length."""
    spans = head.spans + [(r, s + len(head.texts[r]), e + len(head.texts[r]), t)
                          for r, s, e, t in tail.spans]
    spans.sort(key=lambda x: (x[0], x[1]))
    return Filled([a + b for a, b in zip(head.texts, tail.texts, strict=True)], spans)
