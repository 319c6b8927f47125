"""``python -m benchmarks.rescore``: would a learned re-scorer of PERSON findings buy precision?

An experiment (#20), not a shipped model. Accurate mode's PERSON findings on UD Japanese GSD
(``benchmarks/data/ud_japanese_gsd``) get features — the recognizer's reasons (its raw results'
explanations, through ``Detector.analyzer_engine()``), the evidence, the span's script, length,
characters and neighbouring characters — and a logistic regression (scikit-learn) is fitted on
**train**'s findings (right: the finding overlaps a gold name), then measured on **dev + test**:
recall, precision and findings kept per threshold of its probability, beside the detector's own
scores at the same thresholds. Also the candidates' ceiling: the recall of every raw PERSON
result at any evidence, which no re-scorer of these candidates can pass.

Writes ``benchmarks/results/rescore.json``.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from benchmarks.bench_detect import _overlaps
from benchmarks.bench_gsd import load

RESULTS = Path(__file__).resolve().parent / "results" / "rescore.json"
THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
SCRIPTS = (
    ("katakana", re.compile(r"[ァ-ヴー・＝=]+")),
    ("kanji", re.compile(r"[一-龥々〆ヶ]+")),
    ("hiragana", re.compile(r"[ぁ-ゖー]+")),
    ("latin", re.compile(r"[A-Za-zＡ-Ｚａ-ｚ .・]+")),
)


def _script(s: str) -> str:
    if not s:
        return "none"
    return next((name for name, rx in SCRIPTS if rx.fullmatch(s)), "mixed")


def findings(split: str) -> tuple[list[dict[str, Any]], float]:
    """Each sentence's gold names, PERSON findings and raw results (with their reasons), and
    the raw results' recall (the ceiling)."""
    from anonymizer.detect import Detector

    data = load(split)
    rows = []
    gold_n = reached = 0
    with Detector("accurate", workers=1) as det:
        engine = det.analyzer_engine()
        found = det.detect_many([d["text"] for d in data])
        for d, fs in zip(data, found, strict=True):
            gold = [(e["start"], e["end"]) for e in d["entities"] if e["type"] == "PERSON"]
            raw = [
                (r.start, r.end, r.analysis_explanation.textual_explanation or "")
                for r in engine.analyze(
                    d["text"], language="ja", entities=["PERSON"], return_decision_process=True
                )
            ]
            gold_n += len(gold)
            reached += sum(any(_overlaps(g, (s, e)) for s, e, _ in raw) for g in gold)
            persons = [(f.start, f.end, f.score) for f in fs if f.type == "PERSON"]
            rows.append({"text": d["text"], "gold": gold, "found": persons, "raw": raw})
    return rows, reached / max(gold_n, 1)


def features(row: dict[str, Any], start: int, end: int, score: float) -> dict[str, float]:
    t = row["text"]
    span = t[start:end]
    fs: dict[str, float] = {"score": score, "start": float(start == 0)}
    for s, e, why in row["raw"]:
        if _overlaps((s, e), (start, end)):
            head, *qualifiers = why.split(",")
            fs["why=" + head] = 1.0
            for q in qualifiers:
                fs["but=" + q.strip()] = 1.0
    fs["script=" + _script(span)] = 1.0
    fs[f"len={min(len(span), 8)}"] = 1.0
    for name, piece in (
        ("n1", t[end : end + 1]),
        ("n2", t[end : end + 2]),
        ("p1", t[max(0, start - 1) : start]),
        ("p2", t[max(0, start - 2) : start]),
    ):
        fs[f"{name}={piece}"] = 1.0  # fmt: skip
    fs["next=" + _script(t[end : end + 1])] = 1.0
    fs["before=" + _script(t[max(0, start - 1) : start])] = 1.0
    fs["span=" + span] = 1.0
    for i in range(len(span) - 1):
        fs["bigram=" + span[i : i + 2]] = 1.0
    return fs


def _table(rows: list[dict[str, Any]], scores: list[list[float]]) -> list[dict[str, Any]]:
    gold_n = sum(len(r["gold"]) for r in rows)
    out = []
    for t in THRESHOLDS:
        kept = right = hit = 0
        for row, ss in zip(rows, scores, strict=True):
            spans = [(s, e) for (s, e, _), p in zip(row["found"], ss, strict=True) if p >= t]
            kept += len(spans)
            right += sum(any(_overlaps(sp, g) for g in row["gold"]) for sp in spans)
            hit += sum(any(_overlaps(g, sp) for sp in spans) for g in row["gold"])
        out.append({"threshold": t, "recall": round(hit / max(gold_n, 1), 3),
                    "precision": round(right / max(kept, 1), 3), "kept": kept})  # fmt: skip
    return out


def run() -> dict[str, Any]:
    from sklearn.feature_extraction import FeatureHasher
    from sklearn.linear_model import LogisticRegression

    logging.disable(logging.WARNING)
    train, _ = findings("train")
    dev, dev_ceiling = findings("dev")
    test, test_ceiling = findings("test")
    measured = dev + test

    def matrix(rows: list[dict[str, Any]]) -> tuple[list[dict[str, float]], list[bool]]:
        xs, ys = [], []
        for row in rows:
            for s, e, score in row["found"]:
                xs.append(features(row, s, e, score))
                ys.append(any(_overlaps((s, e), g) for g in row["gold"]))
        return xs, ys

    hasher = FeatureHasher(2**18)
    x_train, y_train = matrix(train)
    x_measured, _ = matrix(measured)
    result: dict[str, Any] = {
        "fitted_on": "GSD train findings (accurate)", "measured_on": "GSD dev + test",
        "findings_fitted": len(y_train), "ceiling_recall": {"dev": round(dev_ceiling, 3),
                                                            "test": round(test_ceiling, 3)},
        "detector_scores": _table(measured, [[f[2] for f in r["found"]] for r in measured]),
    }  # fmt: skip
    for c in (0.3, 1.0, 3.0):
        model = LogisticRegression(C=c, max_iter=2000).fit(hasher.transform(x_train), y_train)
        p = iter(model.predict_proba(hasher.transform(x_measured))[:, 1])
        result[f"learned_C{c}"] = _table(
            measured, [[next(p) for _ in r["found"]] for r in measured]
        )
    return result


def main() -> None:
    result = run()
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
