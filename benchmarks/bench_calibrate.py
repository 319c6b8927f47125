"""Fit ``rules/calibration.yaml`` and check it on held-out texts of both kinds.

``python -m benchmarks calibrate`` (one command, deterministic: rerun it whenever a recognizer's
evidence changes). It

1. runs both modes with raw evidence (``calibrated=False``, every score) over the FIT texts:
   UD Japanese GSD ``train`` and ``dev`` (human-written: 7,557 sentences, 2,074 names) and
   administrative texts generated with seeds 3 and 4 (1,000 texts and 200 clean texts each;
   ``benchmarks/calibration_data.py``);
2. fits one curve per mode, entity type and recognizer with scikit-learn's
   ``IsotonicRegression`` (evidence → right or not; never decreasing). The two kinds weigh the
   same: each hit of an entity type weighs 1 / (hits of that type in its kind), so a level's
   probability mixes the kinds by how common the level is in each (NER alone is common in
   human-written text and rare in forms: its probability is mostly human-written text's);
3. chooses the default threshold, recall first: the highest probability at which no FIT set
   loses recall against evidence 0.5 (the old default), in either mode; the fallback curve of
   the classes without labelled data maps evidence 0.5 onto it;
4. writes the table, then measures on held-out texts — GSD ``test``, Wikipedia, administrative
   seeds 99 and 12345 — before (evidence, threshold 0.5) and after (probability, the default):
   recall, precision, the reliability table (score bin → hits, fraction right, mean score) and
   the expected calibration error, per mode; and the trade-off per ``--min-score`` on GSD test.

``--quick``: 300 administrative texts per seed and 1,000 Wikipedia sentences when checking.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from benchmarks import calibration_data as cd
from benchmarks.calibration_data import Found, LabelledSet

MODES = ("fast", "accurate")
#: evidence the old default kept: the threshold's reference point
FLOOR = 0.5
BINS = tuple(i / 10 for i in range(11))
TRADEOFF = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


Curves = dict[str, dict[str, list[dict[str, Any]]]]


def fit_curves(sets: Sequence[tuple[LabelledSet, list[list[Found]]]]) -> Curves:
    """entity → recognizer → points (evidence, probability, hits), isotonic per class."""
    import numpy as np
    from sklearn.isotonic import IsotonicRegression

    per_kind: dict[tuple[str, str], int] = defaultdict(int)  # (kind, entity) → hits
    rows: dict[tuple[str, str], list[tuple[float, bool, float]]] = defaultdict(list)
    labelled = [(s, cd.hits(s, found)) for s, found in sets]
    for s, hs in labelled:
        for entity, _r, _score, _ok in hs:
            per_kind[(s.kind, entity)] += 1
    kinds_of: dict[str, set[str]] = defaultdict(set)
    for kind, entity in per_kind:
        kinds_of[entity].add(kind)
    for s, hs in labelled:
        for entity, recognizer, score, ok in hs:
            weight = 1.0 / (len(kinds_of[entity]) * per_kind[(s.kind, entity)])
            rows[(entity, recognizer)].append((score, ok, weight))
    out: Curves = {}
    for (entity, recognizer), data in sorted(rows.items()):
        x = np.array([d[0] for d in data])
        y = np.array([float(d[1]) for d in data])
        w = np.array([d[2] for d in data])
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
        iso.fit(x, y, sample_weight=w)
        levels = sorted(set(x.tolist()))
        fitted = iso.predict(np.array(levels))
        out.setdefault(entity, {})[recognizer] = [
            {"evidence": lv, "probability": round(float(p), 3), "hits": int((x == lv).sum())}
            for lv, p in zip(levels, fitted, strict=True)
        ]
    return out


def _calibrator(curves: dict[str, Any], threshold: float, mode: str) -> Any:
    from anonymizer.detect.calibration import Calibration, Calibrator

    table = Calibration.model_validate(_table(curves, threshold))
    return Calibrator(table, mode)


def _table(curves: dict[str, Any], threshold: float) -> dict[str, Any]:
    return {
        "version": 1,
        "fitted": "python -m benchmarks calibrate",
        "default_min_score": threshold,
        "fallback": fallback(threshold),
        "modes": curves,
    }


def fallback(threshold: float) -> list[dict[str, float]]:
    """Evidence 0 → 0, the floor → the default threshold, 1 → 1 (linear between)."""
    return [{"evidence": 0.0, "probability": 0.0}, {"evidence": FLOOR, "probability": threshold},
            {"evidence": 1.0, "probability": 1.0}]


def _rescored(found: list[list[Found]], cal: Any) -> list[list[Found]]:
    return [[(f[0], f[1], f[2], cal(f[0], f[4], f[3]), f[4]) for f in fs] for fs in found]


def choose_threshold(fit: dict[str, list[tuple[LabelledSet, list[list[Found]]]]],
                     curves: dict[str, Any]) -> float:
    """The highest probability (to 0.01) at which no FIT set loses recall against evidence 0.5."""
    best = 0.0
    for step in range(1, 100):
        t = step / 100
        ok = True
        for mode, sets in fit.items():
            cal = _calibrator(curves, t, mode)
            for s, found in sets:
                if cd.recall(s, _rescored(found, cal), t) < cd.recall(s, found, FLOOR) - 1e-12:
                    ok = False
        if not ok:
            break
        best = t
    return best


def write_table(curves: dict[str, Any], threshold: float, path: Any) -> None:
    lines = [
        "# Calibrated scores: what a finding's score means (anonymizer/detect/calibration.py).",
        "# WRITTEN BY `python -m benchmarks calibrate` — refit, do not edit by hand.",
        "# Per mode, entity type and recognizer: evidence (the recognizer's score) → the",
        "# fraction of such hits that were right on the FIT texts (UD Japanese GSD train + dev;",
        "# generated administrative texts, seeds 3 and 4), isotonic (scikit-learn), the two kinds",
        "# weighted the same; `hits`: how many fitted it.",
        "version: 1",
        "fitted: >-",
        "  python -m benchmarks calibrate: IsotonicRegression per mode, entity and recognizer on",
        "  GSD train + dev and administrative texts (seeds 3, 4; 1,000 + 200 clean each), each",
        "  hit weighted 1 / (its entity's hits in its kind × the kinds that have the entity)",
        "# recall first: the highest probability at which no FIT set loses recall against",
        "# evidence 0.5 (the old default threshold)",
        f"default_min_score: {threshold}",
        "# classes without labelled data (DATE, ORGANIZATION, 要配慮 …): evidence 0.5 → the",
        "# default threshold, so the default keeps what it kept",
        "fallback:",
    ]
    lines += [
        f"  - {{evidence: {p['evidence']}, probability: {p['probability']}}}"
        for p in fallback(threshold)
    ]
    lines.append("modes:")
    for mode in MODES:
        lines.append(f"  {mode}:")
        for entity, by_rec in curves[mode].items():
            lines.append(f"    {entity}:")
            for rec, points in by_rec.items():
                lines.append(f"      {rec}:")
                lines += [
                    f"        - {{evidence: {p['evidence']}, probability: {p['probability']}, "
                    f"hits: {p['hits']}}}"
                    for p in points
                ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def reliability(scored: Sequence[tuple[float, bool]]) -> tuple[list[dict[str, Any]], float]:
    """Score decile → hits, fraction right, mean score; and the expected calibration error."""
    rows = []
    ece = 0.0
    n = max(len(scored), 1)
    for i, (lo, hi) in enumerate(zip(BINS, BINS[1:], strict=False)):
        last = i == len(BINS) - 2
        inside = [(s, ok) for s, ok in scored if lo <= s < hi or (last and s == hi)]
        if not inside:
            continue
        right = sum(ok for _s, ok in inside) / len(inside)
        mean = sum(s for s, _ok in inside) / len(inside)
        ece += len(inside) / n * abs(right - mean)
        rows.append({"scores": f"[{lo:.1f}, {hi:.1f}{']' if last else ')'}", "hits": len(inside),
                     "fraction_right": round(right, 3), "mean_score": round(mean, 3)})
    return rows, round(ece, 4)


def measure(s: LabelledSet, found: list[list[Found]], t: float) -> dict[str, Any]:
    scored = [(score, ok) for _e, _r, score, ok in cd.hits(s, found) if score >= t]
    table, ece = reliability(scored)
    prec, false = cd.precision(s, found, t)
    return {"recall": round(cd.recall(s, found, t), 4), "precision": round(prec, 4),
            "false_per_1000_texts": round(1000 * false / max(len(s.texts), 1), 1),
            "ece": ece, "reliability": table}


def run(quick: bool = False) -> dict[str, Any]:
    logging.disable(logging.WARNING)
    from anonymizer.detect.calibration import load_calibration
    from anonymizer.rules import _load, rules_dir

    fit_sets = [cd.gsd("train"), cd.gsd("dev"), cd.admin(cd.FIT_SEEDS, 1000, 200)]
    fit = {mode: [(s, cd.detect(mode, s, False, 0.0)) for s in fit_sets] for mode in MODES}
    curves = {mode: fit_curves(fit[mode]) for mode in MODES}
    threshold = choose_threshold(fit, curves)
    path = rules_dir() / "calibration.yaml"
    write_table(curves, threshold, path)
    _load.cache_clear()
    assert load_calibration().default_min_score == threshold  # the written file loads

    n_admin, n_wiki = (300, 1000) if quick else (1000, None)
    checks = [cd.gsd("test"), cd.wikipedia(n_wiki), cd.admin(cd.CHECK_SEEDS, n_admin, 200)]
    result: dict[str, Any] = {"table": str(path), "default_min_score": threshold,
                              "fit": {s.name: len(s.texts) for s in fit_sets}}
    for mode in MODES:
        for s in checks:
            before = cd.detect(mode, s, False, FLOOR)
            after = cd.detect(mode, s, True, threshold)
            result[f"{s.name}_{mode}"] = {
                "texts": len(s.texts), "before": measure(s, before, FLOOR),
                "after": measure(s, after, threshold),
            }
            if s.name == "gsd_test":
                result[f"{s.name}_{mode}"]["tradeoff"] = [
                    {"min_score": t, **{k: v for k, v in measure(s, after, t).items()
                                        if k != "reliability"}}
                    for t in (threshold, *(t for t in TRADEOFF if t > threshold))
                ]
    return result
