"""Contact-detail recognizers (phone, postal code, e-mail, URL, IP) on their own.

- ``throughput``: texts/s per recognizer over Japanese Wikipedia sentences
  (../shared/benchmarks/ner-wikipedia-ja), normalized once as the detector does.
- ``wikipedia_findings``: findings ≥ 0.5 in those sentences (encyclopedic text holds almost no
  contact details, so nearly all would be false positives; each is listed for review).
- ``variant_recall``: share of written variants (全角/半角, every hyphen, spaces, parentheses,
  +81, with and without a context word) found with score ≥ 0.5 and the exact span.

``python -m benchmarks contact`` (all 5,343 sentences) or ``--quick`` (1,000).
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from benchmarks.__main__ import SHARED

WIKI = SHARED / "ner-wikipedia-ja" / "ner.json"
NAMES = ("ja.phone_number.v1", "ja.postal_code.v1", "ja.email.v1", "ja.url.v1", "ja.ip_address.v1")
THRESHOLD = 0.5
HYPHENS = ("-", "‐", "－", "―", "−", "ー")
WIDE = str.maketrans("0123456789()+", "０１２３４５６７８９（）＋")


def _variants() -> list[tuple[str, str, str]]:
    """(recognizer, text, expected span text) for each written form."""
    phones = [
        "03{h}1234{h}5678", "042{h}576{h}2111", "0422{h}12{h}3456", "090{h}1234{h}5678",
        "050{h}1234{h}5678", "0120{h}123{h}456", "0800{h}123{h}4567", "+81{h}90{h}1234{h}5678",
        "03(1234)5678", "(03)1234{h}5678", "+81 3 1234 5678", "09012345678",
    ]  # fmt: skip
    cases: list[tuple[str, str, str]] = []
    for form, h, wide, ctx in itertools.product(phones, HYPHENS, (False, True), ("", "電話 ")):
        value = form.format(h=h)
        value = value.translate(WIDE) if wide else value
        cases.append(("ja.phone_number.v1", f"{ctx}{value}まで", value))
    for h, wide, ctx in itertools.product(HYPHENS, (False, True), ("〒", "郵便番号 ", "")):
        value = f"186{h}0004".translate(WIDE) if wide else f"186{h}0004"
        cases.append(("ja.postal_code.v1", f"{ctx}{value} 東京都国立市", value))
    emails = (
        "taro@example.jp",
        "taro.yamada@city.kunitachi.tokyo.jp",
        "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ",
    )
    for addr in emails:
        for ctx in ("", "メール："):
            cases.append(("ja.email.v1", f"{ctx}{addr}です", addr))
    for url in (
        "https://example.jp/a?b=1",
        "www.example.co.jp",
        "city.kunitachi.tokyo.jp/kurashi/",
    ):
        for ctx in ("", "ホームページ "):
            cases.append(("ja.url.v1", f"{ctx}{url}について", url))
    for ip in ("192.168.0.1", "１９２．１６８．０．１", "2001:db8::1", "10.0.0.1"):
        for ctx in ("", "接続元IP："):
            cases.append(("ja.ip_address.v1", f"{ctx}{ip}からのアクセス", ip))
    return list(dict.fromkeys(cases))  # forms without a hyphen repeat across HYPHENS


def run(quick: bool = False) -> dict[str, Any]:
    from anonymizer.recognizers import build_recognizers
    from anonymizer.text.normalize import normalize

    recs = {r.NAME: r for r in build_recognizers() if r.NAME in NAMES}
    texts = [d["text"] for d in json.loads(WIKI.read_text(encoding="utf-8"))]
    texts = texts[:1000] if quick else texts
    t0 = time.perf_counter()
    normalized = [normalize(t) for t in texts]
    result: dict[str, Any] = {
        "sentences": len(texts),
        "normalize_texts_per_s": round(len(texts) / (time.perf_counter() - t0)),
        "throughput_texts_per_s": {},
        "wikipedia_findings": {},
    }
    for name, rec in recs.items():
        rec.analyze("warm-up 03-1234-5678 taro@example.jp 〒186-0004 192.168.0.1", [])
        t0 = time.perf_counter()
        found = [
            (t, r)
            for t, nt in zip(texts, normalized, strict=True)
            for r in rec.analyze_normalized(nt)
        ]
        result["throughput_texts_per_s"][name] = round(len(texts) / (time.perf_counter() - t0))
        result["wikipedia_findings"][name] = [
            f"{round(r.score, 2)} {t[max(0, r.start - 10) : r.end + 5]}"
            for t, r in found
            if r.score >= THRESHOLD
        ]
    per: dict[str, list[int]] = {n: [0, 0] for n in NAMES}
    missed: list[str] = []
    for name, text, value in _variants():
        start = text.index(value)
        ok = any(
            (r.start, r.end) == (start, start + len(value)) and r.score >= THRESHOLD
            for r in recs[name].analyze(text, [])
        )
        per[name][0] += ok
        per[name][1] += 1
        if not ok:
            missed.append(text)
    result["variant_recall"] = {n: f"{k}/{m}" for n, (k, m) in per.items()}
    result["variant_misses"] = missed
    return result
