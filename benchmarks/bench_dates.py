"""Date / birth-date and age recognizers (ja.date.v1, ja.age.v1) on their own.

- ``throughput``: texts/s per recognizer over Japanese Wikipedia sentences
  (../shared/benchmarks/ner-wikipedia-ja), normalized once as the detector does.
- ``wikipedia_findings``: DATE_OF_BIRTH and AGE findings ≥ 0.5 in those sentences, each listed
  for review (encyclopedic text has real ages and births of public figures, so these are not
  all false positives), and the count of DATE findings.
- ``variant_recall``: share of written forms of a set of real dates — 和暦 names, initials and
  ligatures (㍼), 元年, kanji numerals, 西暦, every separator and hyphen, 全角/半角 — found with
  the exact span and the expected entity (DATE_OF_BIRTH with birth context, DATE without).

``python -m benchmarks dates`` (all 5,343 sentences) or ``--quick`` (1,000).
"""

from __future__ import annotations

import itertools
import json
import time
from datetime import date
from typing import Any

from kanjize import number2kanji

from benchmarks.__main__ import SHARED

WIKI = SHARED / "ner-wikipedia-ja" / "ner.json"
NAMES = ("ja.date.v1", "ja.age.v1")
THRESHOLD = 0.5
ERAS = (("昭和", "S", "㍼", 1926), ("平成", "H", "㍻", 1989), ("令和", "R", "㋿", 2019))
DATES = (date(1970, 3, 2), date(1989, 1, 8), date(1999, 12, 31), date(2019, 5, 1))
SEPARATORS = (".", "/", "-", "‐", "－", "ー")
WIDE = str.maketrans("0123456789./-SHR", "０１２３４５６７８９．／－ＳＨＲ")
CONTEXTS = (("生年月日：{}", "DATE_OF_BIRTH"), ("{}生まれ", "DATE_OF_BIRTH"), ("{}に開催", "DATE"))


def _forms(d: date) -> list[tuple[str, bool]]:
    """(written form, needs birth context) for one date."""
    name, initial, lig, first = next(e for e in reversed(ERAS) if d.year >= e[3])
    n = d.year - first + 1
    y = "元" if n == 1 else str(n)
    forms = [(f"{era}{y}年{d.month}月{d.day}日", False) for era in (name, lig, initial)] + [
        (f"{initial}{y}{s}{d.month}{s}{d.day}", False) for s in SEPARATORS
    ]
    forms.append((f"{name}{'元' if n == 1 else number2kanji(n)}年"
                  f"{number2kanji(d.month)}月{number2kanji(d.day)}日", False))  # fmt: skip
    forms.append((f"{d.year}年{d.month}月{d.day}日", False))
    forms += [(f"{d.year}{s}{d.month:02d}{s}{d.day:02d}", False) for s in SEPARATORS]
    forms.append((f"{d:%Y%m%d}", True))
    return forms


def _variants() -> list[tuple[str, str, str]]:
    """(text, expected span text, expected entity)."""
    cases = []
    for d, wide, (ctx, entity) in itertools.product(DATES, (False, True), CONTEXTS):
        for form, needs_context in _forms(d):
            value = form.translate(WIDE) if wide else form
            if needs_context and entity == "DATE":
                continue
            cases.append((ctx.format(value), value, entity))
    return list(dict.fromkeys(cases))


def run(quick: bool = False) -> dict[str, Any]:
    from anonymizer.recognizers import build_recognizers
    from anonymizer.text.normalize import normalize

    recs = {r.NAME: r for r in build_recognizers() if r.NAME in NAMES}
    texts = [d["text"] for d in json.loads(WIKI.read_text(encoding="utf-8"))]
    texts = texts[:1000] if quick else texts
    normalized = [normalize(t) for t in texts]
    result: dict[str, Any] = {
        "sentences": len(texts),
        "throughput_texts_per_s": {},
        "wikipedia_date_findings": 0,
        "wikipedia_findings": [],
    }
    for name, rec in recs.items():
        t0 = time.perf_counter()
        found = [rec.analyze_normalized(nt) for nt in normalized]
        result["throughput_texts_per_s"][name] = round(len(texts) / (time.perf_counter() - t0))
        for text, results in zip(texts, found, strict=True):
            for r in results:
                if r.entity_type == "DATE":
                    result["wikipedia_date_findings"] += 1
                elif r.score >= THRESHOLD:
                    result["wikipedia_findings"].append(
                        f"{r.entity_type} {r.score:.2f} [{text[r.start : r.end]}] {text[:80]}"
                    )
    cases = _variants()
    misses = []
    for text, value, entity in cases:
        start = text.index(value)
        got = [(r.start, r.end, r.entity_type) for r in recs["ja.date.v1"].analyze(text, [])]
        if (start, start + len(value), entity) not in got:
            misses.append(f"{entity}: {text}")
    result["variant_recall"] = f"{len(cases) - len(misses)}/{len(cases)}"
    result["variant_misses"] = misses
    return result
