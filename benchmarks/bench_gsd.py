"""Human-written Japanese with named entities annotated by people: UD Japanese GSD (Megagon Labs).

Web sentences (Google UDT 2.0) with OntoNotes-style entities (``benchmarks/data/ud_japanese_gsd``,
CC BY-SA 4.0; see its README). ja_ginza 5.3 was trained on UD Japanese BCCWJ + GSK2014-A, not
on GSD, so no split was seen by the model; the rules may be tuned on ``train`` and ``dev``, and
the figures that count are ``test``'s.

Per split and detector (our fast and accurate modes, stock Presidio + ja_ginza with GiNZA's own
ENE → OntoNotes mapping, all in this run):

- per type — PERSON (gold PERSON), LOCATION (gold GPE, LOC, FAC; ours: JP_ADDRESS — by design
  we report addresses, not bare place names) and ORGANIZATION (gold ORG): overlap recall (a gold
  span counts when a predicted span of that type overlaps it), overlap precision, and false
  spans per 1,000 sentences (predicted spans of that type overlapping no gold span of it);
- PERSON reliability: predictions by score decile → how many, and the fraction right (scores
  are calibrated on ``dev``: ``python -m benchmarks calibrate``);
- PERSON trade-off: recall, precision and false names per 1,000 sentences per ``--min-score``,
  from the default (``default_min_score`` in ``rules/calibration.yaml``) up.

``python -m benchmarks gsd`` (``--quick``: the test split only, no stock Presidio).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.bench_detect import _overlaps

DATA = Path(__file__).resolve().parent / "data" / "ud_japanese_gsd"
#: gold label(s) per entity type we compare, and the predicted types that answer for it
TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "PERSON": (("PERSON",), ("PERSON",)),
    "LOCATION": (("GPE", "LOC", "FAC"), ("JP_ADDRESS", "LOCATION")),
    "ORGANIZATION": (("ORG",), ("ORGANIZATION",)),
}
#: score deciles (scores are calibrated probabilities: rules/calibration.yaml)
BINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)
#: the trade-off's thresholds after the default (default_min_score)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)

#: a prediction: (type, start, end, score)
Pred = tuple[str, int, int, float]


def load(split: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((DATA / f"{split}.json").read_text(encoding="utf-8"))
    return data


def _right(p: Pred, gold: Iterable[tuple[int, int]]) -> bool:
    return any(_overlaps((p[1], p[2]), g) for g in gold)


def score_types(data: Sequence[dict[str, Any]], preds: Sequence[Sequence[Pred]]) -> dict[str, Any]:
    """Overlap recall, precision and false spans per 1,000 sentences for each type in TYPES."""
    out: dict[str, Any] = {}
    n = len(data)
    for name, (gold_labels, pred_types) in TYPES.items():
        gold_n = gold_hit = pred_n = pred_right = 0
        for d, found in zip(data, preds, strict=True):
            gold = [(e["start"], e["end"]) for e in d["entities"] if e["type"] in gold_labels]
            mine = [p for p in found if p[0] in pred_types]
            gold_n += len(gold)
            gold_hit += sum(any(_overlaps(g, (p[1], p[2])) for p in mine) for g in gold)
            pred_n += len(mine)
            pred_right += sum(_right(p, gold) for p in mine)
        out[name] = {
            "gold": gold_n,
            "recall": round(gold_hit / max(gold_n, 1), 4),
            "predicted": pred_n,
            "precision": round(pred_right / max(pred_n, 1), 4),
            "false_per_1000_sentences": round(1000 * (pred_n - pred_right) / max(n, 1), 1),
        }
    return out


def _person(d: dict[str, Any], found: Sequence[Pred]) -> tuple[list[tuple[int, int]], list[Pred]]:
    return [(e["start"], e["end"]) for e in d["entities"] if e["type"] == "PERSON"], [p for p in found if p[0] == "PERSON"]


def reliability_rows(hits: Iterable[tuple[float, bool]]) -> list[dict[str, Any]]:
    """(score, right) pairs per score bin: how many, and the fraction right."""
    pairs = list(hits)
    rows = []
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        inside = [ok for score, ok in pairs if lo <= score < hi]
        if not inside:
            continue
        rows.append({"scores": f"[{lo:.2f}, {min(hi, 1.0):.2f}{']' if hi > 1 else ')'}", "hits": len(inside),
                     "fraction_right": round(sum(inside) / len(inside), 3)})
    return rows


def reliability(data: Sequence[dict[str, Any]], preds: Sequence[Sequence[Pred]]) -> list[dict[str, Any]]:
    """PERSON predictions per score bin: how many, and the fraction that overlap a gold name."""
    hits = []
    for d, found in zip(data, preds, strict=True):
        gold, mine = _person(d, found)
        hits += [(p[3], _right(p, gold)) for p in mine]
    return reliability_rows(hits)


def tradeoff(data: Sequence[dict[str, Any]], preds: Sequence[Sequence[Pred]]) -> list[dict[str, Any]]:
    """PERSON recall / precision / false names per 1,000 sentences at each min-score."""
    from anonymizer.detect.calibration import default_min_score

    low = default_min_score()
    rows = []
    for t in (low, *(t for t in THRESHOLDS if t > low)):
        kept = [[p for p in found if p[3] >= t] for found in preds]
        s = score_types(data, kept)["PERSON"]
        rows.append({"min_score": t, "recall": s["recall"], "precision": s["precision"],
                     "false_per_1000_sentences": s["false_per_1000_sentences"]})
    return rows


def misses_and_false(data: Sequence[dict[str, Any]], preds: Sequence[Sequence[Pred]]) -> dict[str, list[str]]:
    """PERSON misses and false names (surface forms) — corpus text, printed for the dev split only."""
    miss: list[str] = []
    false: list[str] = []
    for d, found in zip(data, preds, strict=True):
        gold, mine = _person(d, found)
        t = d["text"]
        miss += [t[max(0, g[0] - 4):g[1] + 4] for g in gold if not any(_overlaps(g, (p[1], p[2])) for p in mine)]
        false += [f"{t[p[1]:p[2]]} ({p[3]})" for p in mine if not _right(p, gold)]
    return {"misses": miss, "false": false}


def report(data: Sequence[dict[str, Any]], preds: Sequence[Sequence[Pred]]) -> dict[str, Any]:
    return {"sentences": len(data), "types": score_types(data, preds),
            "person_reliability": reliability(data, preds), "person_tradeoff": tradeoff(data, preds)}


def ours(mode: str, texts: list[str]) -> list[list[Pred]]:
    from anonymizer.detect import Detector

    with Detector(mode, workers=1) as det:
        return [[(f.type, f.start, f.end, f.score) for f in found] for found in det.detect_many(texts)]


def stock_presidio() -> Any:
    """Presidio's AnalyzerEngine over spaCy ja_ginza, GiNZA's ENE labels mapped by GiNZA's own
    ENE → OntoNotes table (Presidio's default mapping knows only OntoNotes-style labels: without
    it, ja_ginza's ``Person`` is dropped and stock Presidio finds no name at all)."""
    from ginza.ene_ontonotes_mapper import ENE_ONTONOTES_MAPPING
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    onto = {"PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION",
            "ORG": "ORGANIZATION", "NORP": "NRP", "DATE": "DATE_TIME", "TIME": "DATE_TIME"}
    mapping = {ene: onto[o] for ene, o in ENE_ONTONOTES_MAPPING.items() if o in onto}
    conf = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "ja", "model_name": "ja_ginza"}],
        "ner_model_configuration": {"model_to_presidio_entity_mapping": mapping},
    }
    engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
    return AnalyzerEngine(nlp_engine=engine, supported_languages=["ja"])


def stock(texts: list[str]) -> list[list[Pred]]:
    analyzer = stock_presidio()
    return [
        [(r.entity_type, r.start, r.end, float(r.score)) for r in analyzer.analyze(t, language="ja")]
        for t in texts
    ]


def run(quick: bool = False) -> dict[str, Any]:
    logging.disable(logging.WARNING)
    result: dict[str, Any] = {"source": "megagonlabs/UD_Japanese-GSD (see benchmarks/data/ud_japanese_gsd/README.md)"}
    splits = ("test",) if quick else ("test", "dev")
    detectors = ("fast", "accurate") if quick else ("fast", "accurate", "stock_presidio")
    for split in splits:
        data = load(split)
        texts = [d["text"] for d in data]
        for name in detectors:
            preds = stock(texts) if name == "stock_presidio" else ours(name, texts)
            out = report(data, preds)
            if split == "dev" and name != "stock_presidio":
                out["person_errors"] = misses_and_false(data, preds)  # for tuning: dev only
            result[f"{split}_{name}"] = out
    return result
