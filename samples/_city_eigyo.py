"""食品等営業許可 register of the synthetic 国立市 (samples/_city.py), as of 2025-03-31.

About 55 % of rows are held by individuals (a resident of the city — the same name and address
as in jumin.csv — or of a neighbouring city) and 45 % by corporations with a 法人格 and a
法人番号 (check digit by the project's recognizer). 業種 are the 32 許可業種 of 食品衛生法施行令
第35条 (since 2021-06), weighted as in a residential city; 屋号 and company names are made up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from samples._city import (
    EIGYO_COLUMNS,
    FY_END,
    PER_52000,
    date_text,
    family_names,
    given_names,
    wareki_head,
)
from samples._city_places import chocho, elsewhere, kunitachi_addresses
from samples._ids import corporate_numbers
from samples._people import pick_styles

#: 食品衛生法施行令 第35条の許可業種 → permits per 1,000 in a residential city (made up)
GYOSHU = {
    "飲食店営業": 760,
    "調理の機能を有する自動販売機により食品を調理し、調理された食品を販売する営業": 8,
    "食肉販売業": 30, "魚介類販売業": 20, "魚介類競り売り営業": 0.2, "集乳業": 0.2, "乳処理業": 0.3,
    "特別牛乳搾取処理業": 0.1, "食肉処理業": 2, "食品の放射線照射業": 0.1, "菓子製造業": 75,
    "アイスクリーム類製造業": 8, "乳製品製造業": 2, "清涼飲料水製造業": 4, "食肉製品製造業": 3,
    "水産製品製造業": 3, "氷雪製造業": 1, "液卵製造業": 0.5, "食用油脂製造業": 1,
    "みそ又はしょうゆ製造業": 2, "酒類製造業": 2, "豆腐製造業": 3, "納豆製造業": 1, "麺類製造業": 8,
    "そうざい製造業": 20, "複合型そうざい製造業": 5, "冷凍食品製造業": 3, "複合型冷凍食品製造業": 1,
    "漬物製造業": 4, "密封包装食品製造業": 4, "食品の小分け業": 6, "添加物製造業": 1,
}
#: 法人格 → (share of corporate holders, how the name is written: X is the company's stem)
LEGAL = {
    "株式会社": (55, ("株式会社X", "X株式会社", "(株)X", "X㈱", "㈱X")),
    "有限会社": (15, ("有限会社X", "X有限会社", "（有）X")),
    "合同会社": (8, ("合同会社X", "X合同会社")),
    "一般社団法人": (3, ("一般社団法人X協会", "一般社団法人Xネットワーク")),
    "社会福祉法人": (5, ("社会福祉法人X会", "社会福祉法人X福祉会")),
    "医療法人社団": (3, ("医療法人社団X会",)),
    "特定非営利活動法人": (4, ("特定非営利活動法人Xの会", "特定非営利活動法人Xサポート")),
    "学校法人": (2, ("学校法人X学園",)),
    "生活協同組合": (2, ("X生活協同組合",)),
    "農事組合法人": (2, ("農事組合法人Xファーム", "農事組合法人X農産")),
}
#: how often each written form is used (abbreviations are rare)
FORM_P = {"株式会社": (.52, .41, .03, .02, .02), "有限会社": (.75, .15, .10), "合同会社": (.8, .2)}
WORDS = ("さくら", "ひまわり", "みどり", "あおば", "ひかり", "たんぽぽ", "こもれび", "はなみずき",
         "つばめ", "ことり", "こむぎ", "ゆず", "やまぶき", "一橋", "大学通り", "富士見", "多摩",
         "武蔵野", "くにたち", "月と星", "まるや", "一福", "吉祥", "松風")
KANA = ("ルポ", "ブラン", "ソレイユ", "リーフ", "ポム", "モカ", "ノワール", "カナール",
        "オリーブ", "ハーモニー", "スマイル", "グラン", "エール", "ミライ", "ベル", "アンジュ",
        "ラパン", "トロワ")
TAILS = ("フーズ", "フードサービス", "ダイニング", "商事", "食品", "製菓", "ベーカリー", "キッチン",
         "企画", "物産", "ケータリング", "クリエイト")
FAMILY_TAILS = ("商店", "製菓", "食品", "屋", "本店")
#: 屋号 patterns by 業種 group: {s} the holder's surname, {w} a word, {k} a katakana word
SHOPS = {
    "飲食": ("{s}食堂", "そば処{s}", "{s}寿司", "{s}亭", "喫茶{w}", "カフェ{k}", "居酒屋{w}",
           "{w}亭", "中華料理{w}", "ラーメン{w}", "{w}珈琲", "バー{k}", "{w}弁当", "焼鳥{w}",
           "ビストロ{k}", "{k}カフェ", "お好み焼き{w}"),
    "菓子": ("{s}菓子店", "パティスリー{k}", "{w}ベーカリー", "パン工房{w}", "和菓子{w}",
           "{s}製菓"),
    "肉": ("{s}精肉店", "肉の{s}", "{w}ミート"),
    "魚": ("{s}鮮魚店", "魚{s}", "{w}水産"),
    "他": ("{s}商店", "{w}工房", "{s}製麺所", "{s}豆腐店", "{w}惣菜", "{k}キッチン"),
}
HEAD_OFFICES = {"近隣": .1, "東京都": .4, "神奈川県": .08, "埼玉県": .05, "千葉県": .04, "他": .13}
NEW_LAW = np.datetime64("2021-06-01")  # 改正食品衛生法: the 32 許可業種 apply from this day
#: facilities of the non-company 法人格 (companies run shops: brand + branch)
FACILITIES = {
    "社会福祉法人": ("{w}保育園", "特別養護老人ホーム{w}", "{w}こども園"),
    "医療法人社団": ("{w}病院", "介護老人保健施設{w}"),
    "学校法人": ("{w}学園 食堂", "{w}幼稚園"),
    "特定非営利活動法人": ("コミュニティカフェ{w}", "{w}食堂"),
    "一般社団法人": ("{w}キッチン", "{w}食堂"),
    "生活協同組合": ("コープ{w}", "生協{w}店"),
    "農事組合法人": ("{w}加工所", "{w}直売所"),
}
#: another 業種 for a facility's second or third permit
SECOND = ("飲食店営業", "菓子製造業", "そうざい製造業", "食品の小分け業", "アイスクリーム類製造業")
BRANCHES = ("国立店", "国立駅前店", "国立南口店", "国立北口店", "谷保店", "矢川店", "富士見台店",
            "国立大学通り店")


def _group(gyoshu: np.ndarray) -> np.ndarray:
    g = np.full(len(gyoshu), "他", dtype=object)
    g[gyoshu == "飲食店営業"] = "飲食"
    g[np.isin(gyoshu, ("菓子製造業", "アイスクリーム類製造業"))] = "菓子"
    g[np.isin(gyoshu, ("食肉販売業", "食肉処理業", "食肉製品製造業"))] = "肉"
    g[np.isin(gyoshu, ("魚介類販売業", "魚介類競り売り営業", "水産製品製造業"))] = "魚"
    return g


def _pick(rng: np.random.Generator, values: tuple[str, ...], n: int) -> np.ndarray:
    return np.array(values, dtype=object)[rng.integers(0, len(values), n)]


def _fill(patterns: np.ndarray, **slots: np.ndarray) -> np.ndarray:
    """``patterns[i].format(s=slots["s"][i], …)`` per row."""
    keys = list(slots)
    return np.array([p.format(**dict(zip(keys, vals, strict=True)))
                     for p, *vals in zip(patterns, *slots.values(), strict=True)], dtype=object)


def _holders(rng: np.random.Generator, n_holders: int, counts: tuple[float, ...], rows: int
             ) -> np.ndarray:
    """Holder index per row: each holder has 1…len(counts) permits, ``rows`` in all."""
    k = rng.choice(len(counts), n_holders, p=np.array(counts) / sum(counts)) + 1
    return np.repeat(np.arange(n_holders), k)[:rows]


@dataclass(frozen=True)
class _Holders:
    name: np.ndarray
    number: np.ndarray  # 法人番号, "" for individuals
    home: np.ndarray  # 営業者住所
    stem: np.ndarray  # the family name (individuals) or the company's stem (corporations)
    legal: np.ndarray  # 法人格, "" for individuals
    code: np.ndarray  # 住民票コード of a resident holder, else ""


def _individuals(rng: np.random.Generator, res: pd.DataFrame, n: int) -> _Holders:
    """70 % residents of the city (their jumin name and address), the rest from next door."""
    local = rng.random(n) < 0.7
    age = res["age"].to_numpy()
    who = rng.choice(np.flatnonzero((age >= 25) & (age <= 79)), size=n, replace=False)
    last = np.where(local, res["last"].to_numpy(dtype=object)[who], family_names(rng, n)[:, 0])
    first = given_names(rng, rng.random(n) < 0.4)[:, 0]
    return _Holders(
        name=np.where(local, res["氏名"].to_numpy(dtype=object)[who], last + "\u3000" + first),
        number=np.full(n, "", dtype=object),
        home=np.where(local, res["住所"].to_numpy(dtype=object)[who],
                      elsewhere(rng, n, {"隣接": 1.0})),
        stem=last, legal=np.full(n, "", dtype=object),
        code=np.where(local, res["住民票コード"].to_numpy(dtype=object)[who], ""))


def _corporations(rng: np.random.Generator, n: int) -> _Holders:
    """A 法人格, a stem (a family business or made-up words), a head office anywhere."""
    legal = pick_styles(rng, n, {k: v[0] for k, v in LEGAL.items()})
    company = np.isin(legal, ("株式会社", "有限会社", "合同会社"))
    family = company & (legal != "合同会社") & (rng.random(n) < 0.35)
    words = np.where(rng.random(n) < 0.5, _pick(rng, WORDS, n), _pick(rng, KANA, n))
    stem = np.where(family, family_names(rng, n)[:, 0] + _pick(rng, FAMILY_TAILS, n),
                    np.where(company & (legal != "有限会社"), words + _pick(rng, TAILS, n), words))
    form = np.empty(n, dtype=object)
    for kind in dict.fromkeys(legal):
        rows = legal == kind
        forms = LEGAL[kind][1]
        p = np.array(FORM_P.get(kind, (1.0,) * len(forms)))
        form[rows] = np.array(forms, dtype=object)[rng.choice(len(forms), rows.sum(),
                                                              p=p / p.sum())]
    name = np.array([f.replace("X", s) for f, s in zip(form, stem, strict=True)], dtype=object)
    here = kunitachi_addresses(rng, rng.integers(0, len(chocho()), n), floor=True)
    away = elsewhere(rng, n, HEAD_OFFICES)
    return _Holders(name=name, number=corporate_numbers(rng, n),
                    home=np.where(rng.random(n) < 0.3, here, away), stem=stem, legal=legal,
                    code=np.full(n, "", dtype=object))


def _facilities(rng: np.random.Generator, h: _Holders, holder: np.ndarray, individual: np.ndarray,
                gyoshu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """施設の名称 and 施設所在地 per row: an individual's 屋号 (often with the family name), a
    company's brand and branch, a nursery's or hospital's own name; always in 国立市."""
    n = len(holder)
    kana, words = _pick(rng, KANA, n), _pick(rng, WORDS, n)
    patterns = np.empty(n, dtype=object)
    group = _group(gyoshu)
    for g in dict.fromkeys(group):
        rows = group == g
        patterns[rows] = _pick(rng, SHOPS[g], int(rows.sum()))
    brand = np.where(rng.random(n) < 0.5, h.stem[holder], kana + _pick(rng, TAILS[:3], n))
    patterns = np.where(individual, patterns, brand + " " + _pick(rng, BRANCHES, n))
    legal = h.legal[holder]
    for kind, own in FACILITIES.items():
        rows = legal == kind
        patterns[rows] = _pick(rng, own, int(rows.sum()))
    name = _fill(patterns, s=h.stem[holder], w=words, k=kana)
    place = kunitachi_addresses(rng, rng.integers(0, len(chocho()), n), floor=True)
    # a shop in the holder's own house (not a flat): the same address twice, as registers show
    home = h.home[holder]
    house = individual & (h.code[holder] != "") & (np.strings.find(home.astype(str), " ") < 0)
    place = np.where(house & (rng.random(n) < 0.3), home, place)
    return name, place


def _validity(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Granted since the 2021-06-01 reform (the 32 業種), valid 5–8 years, so all current."""
    granted = NEW_LAW + rng.integers(0, int((FY_END - NEW_LAW).astype(int)) + 1, n)
    years = rng.choice(4, n, p=[.3, .3, .2, .2]) + 5
    expires = np.empty(n, dtype="datetime64[D]")
    for y in range(5, 9):
        rows = years == y
        expires[rows] = (pd.DatetimeIndex(granted[rows]) + pd.DateOffset(years=y)
                         - pd.Timedelta(days=1)).to_numpy().astype("datetime64[D]")
    return granted, expires


def generate_eigyo(rng: np.random.Generator, res: pd.DataFrame, rows: int | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The public register and, per row, the holder's kind (個人/法人) and 住民票コード."""
    n = max(round(PER_52000["eigyo"] * len(res) / 52_000) if rows is None else rows, 4)
    n_ind = round(n * 0.55)
    ind = _holders(rng, n_ind, (0.9, 0.1), n_ind)
    corp = _holders(rng, n - n_ind, (0.75, 0.17, 0.08), n - n_ind)
    people = _individuals(rng, res, int(ind.max()) + 1)
    firms = _corporations(rng, int(corp.max()) + 1)
    h = _Holders(*(np.concatenate([getattr(people, f), getattr(firms, f)])
                   for f in _Holders.__dataclass_fields__))
    individual = np.r_[np.ones(n_ind, bool), np.zeros(n - n_ind, bool)]
    holder = np.r_[ind, len(people.name) + corp]
    gyoshu = pick_styles(rng, n, GYOSHU)
    name, place = _facilities(rng, h, holder, individual, gyoshu)
    granted, expires = _validity(rng, n)
    # a holder's further permits: the same facility with another 業種 (individuals always,
    # corporations half the time; else another branch), applied for together
    same = np.r_[False, holder[1:] == holder[:-1]] & (individual | (rng.random(n) < 0.5))
    start = np.maximum.accumulate(np.where(same, 0, np.arange(n)))  # the facility's first row
    for i in np.flatnonzero(same):  # few rows: a loop keeps the chain readable
        for column in (name, place, granted, expires):
            column[i] = column[i - 1]
        used = set(gyoshu[start[i]:i])
        if gyoshu[i] in used:
            gyoshu[i] = next(g for g in SECOND if g not in used)

    order = np.lexsort((rng.random(n), granted))
    h_row, granted = holder[order], granted[order]
    era = wareki_head(granted)
    serial = np.zeros(n, dtype=np.int64)
    for e in dict.fromkeys(era):  # the 保健所 numbers the permits of several cities: gaps
        in_year = np.flatnonzero(era == e)
        serial[in_year] = np.cumsum(rng.integers(1, 9, len(in_year)))
    frame = pd.DataFrame({
        "許可番号": era + "多立生食第" + np.strings.zfill(serial.astype(str), 5).astype(object)
        + "号",
        "営業者氏名又は名称": h.name[h_row], "法人番号": h.number[h_row],
        "営業者住所": h.home[h_row], "施設の名称": name[order], "施設所在地": place[order],
        "業種": gyoshu[order], "許可年月日": date_text(granted),
        "有効期限": date_text(expires[order]),
    })
    gold = pd.DataFrame({"区分": np.where(individual[order], "個人", "法人"),
                         "住民票コード": h.code[h_row]})
    assert tuple(frame.columns) == EIGYO_COLUMNS
    frame, gold = frame.astype(str), gold.astype(str)
    _apart(rng, frame, gold["区分"].to_numpy() == "個人")
    return frame, gold


def _apart(rng: np.random.Generator, frame: pd.DataFrame, individual: np.ndarray) -> None:
    """Random 番地 collide: a facility or a head office drawn at another holder's home
    address. Real registers have that only when two really share a building, and then the
    gate refuses (rightly: it cannot tell); here such addresses are drawn again, except a shop
    in its holder's own house, which is meant."""
    from anonymizer.match import RecordMatcher, fold_key

    homes = pd.Series(frame.loc[individual, "営業者住所"].to_numpy(), dtype="string")
    matcher = RecordMatcher({"home": homes}, address_columns=["home"])
    own = individual & np.array(
        [fold_key(h) in fold_key(p) for h, p in zip(frame["営業者住所"], frame["施設所在地"], strict=True)]
    )
    for column, movable in (("施設所在地", ~own), ("営業者住所", ~individual)):
        for _ in range(50):
            texts = frame[column].tolist()
            hits = matcher.columns_in([fold_key(t) for t in texts], texts)
            bad = sorted(i for i in hits if movable[i])
            if not bad:
                break
            for value in dict.fromkeys(frame[column].iloc[bad]):  # a facility's rows move together
                new = kunitachi_addresses(rng, rng.integers(0, len(chocho()), 1), floor=True)[0]
                frame.loc[movable & (frame[column] == value).to_numpy(), column] = new
