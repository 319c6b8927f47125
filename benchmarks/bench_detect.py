"""Detection benchmark: recall/precision on the samples' gold, PERSON recall on Japanese
Wikipedia (../shared/benchmarks/ner-wikipedia-ja), false detections on clean administrative
texts, and throughput against stock Presidio + ja_ginza measured side by side in this run, on
distinct administrative texts and on human-written (Wikipedia) sentences.

``python -m benchmarks detect`` (full) or ``--quick`` (fewer Wikipedia sentences and texts).
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from benchmarks.__main__ import SHARED

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
WIKI = SHARED / "ner-wikipedia-ja" / "ner.json"


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_spans(gold: list[dict[str, Any]], pred: dict[Any, list[Any]], key: Any) -> dict[str, Any]:
    """Masked recall (any detection overlaps), typed recall per type, precision."""
    masked = 0
    typed: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    misses: Counter[str] = Counter()
    for g in gold:
        found = pred.get(key(g), [])
        span = (g["start"], g["end"])
        totals[g["type"]] += 1
        if any(_overlaps(span, (f.start, f.end)) for f in found):
            masked += 1
        else:
            misses[g["type"]] += 1
        if any(f.type == g["type"] and _overlaps(span, (f.start, f.end)) for f in found):
            typed[g["type"]] += 1
    gold_by_key: dict[Any, list[tuple[int, int]]] = defaultdict(list)
    for g in gold:
        gold_by_key[key(g)].append((g["start"], g["end"]))
    from anonymizer.entities import FREE_TEXT_ONLY

    n_pred = tp_pred = 0
    for k, found in pred.items():
        for f in found:
            if f.type in ("DATE", "JP_CORPORATE_NUMBER"):
                continue  # not personal: not in the gold by design
            if f.type in FREE_TEXT_ONLY:
                continue  # 要配慮 and workplaces: not planted in the samples' gold yet
            n_pred += 1
            if any(_overlaps((f.start, f.end), s) for s in gold_by_key.get(k, [])):
                tp_pred += 1
    return {
        "gold_spans": len(gold),
        "masked_recall": round(masked / max(len(gold), 1), 4),
        "typed_recall": {t: round(typed[t] / totals[t], 4) for t in sorted(totals)},
        "min_typed_recall": round(min((typed[t] / totals[t] for t in totals), default=1.0), 4),
        "precision_overlap": round(tp_pred / max(n_pred, 1), 4),
        "misses_by_type": dict(misses),
    }


def samples_gold(detector: Any) -> dict[str, Any]:
    from anonymizer.io import read_table

    out: dict[str, Any] = {}
    texts_path = SAMPLES / "texts.jsonl"
    if texts_path.exists():
        recs = [json.loads(x) for x in texts_path.read_text(encoding="utf-8").splitlines() if x.strip()]
        gold = [json.loads(x) for x in (SAMPLES / "gold" / "texts.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
        found = dict(zip([r["id"] for r in recs], detector.detect_many(r["text"] for r in recs), strict=True))
        out["texts.jsonl"] = score_spans(gold, found, key=lambda g: g["id"])
    for gold_file in sorted((SAMPLES / "gold").glob("*.jsonl")):
        if gold_file.stem == "texts":
            continue
        gold = [json.loads(x) for x in gold_file.read_text(encoding="utf-8").splitlines() if x.strip()]
        if not gold or "file" not in gold[0]:
            continue  # clean_texts: no PII by construction (measured by clean_false_positives)
        data_file = SAMPLES / Path(gold[0]["file"]).name
        frame = read_table(data_file).frame
        pred: dict[Any, list[Any]] = {}
        for col in frame.columns:
            cells = frame[col].astype(str).tolist()
            for row, found in enumerate(detector.detect_cells(cells, header=str(col))):
                pred[(row, col)] = found
        out[data_file.name] = score_spans(gold, pred, key=lambda g: (g["row"], g["column"]))
    all_gold = sum(v["gold_spans"] for v in out.values())
    if all_gold:
        out["overall_masked_recall"] = round(
            sum(v["masked_recall"] * v["gold_spans"] for v in out.values() if isinstance(v, dict)) / all_gold, 4
        )
    return out


def clean_false_positives(detector: Any) -> dict[str, Any]:
    path = SAMPLES / "clean_texts.jsonl"
    if not path.exists():
        return {"skipped": "samples/clean_texts.jsonl missing"}
    texts = [json.loads(x)["text"] for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    fps: Counter[str] = Counter()
    for found in detector.detect_many(texts):
        for f in found:
            if f.type not in ("DATE", "JP_CORPORATE_NUMBER", "URL"):
                fps[f.type] += 1
    n = sum(fps.values())
    return {"texts": len(texts), "false_detections": n, "per_40_texts": round(40 * n / max(len(texts), 1), 3), "by_type": dict(fps)}


def wiki_person_recall(detector: Any, n: int) -> dict[str, Any]:
    from benchmarks.bench_gsd import reliability_rows

    data = json.loads(WIKI.read_text(encoding="utf-8"))[:n]
    gold = hit = exact = n_pred = 0
    scored: list[tuple[float, bool]] = []  # every PERSON hit: (score, overlaps a gold 人名)
    for d, found in zip(data, detector.detect_many((d["text"] for d in data), batch_size=256), strict=True):
        spans = [(f.start, f.end) for f in found if f.type == "PERSON"]
        n_pred += len(spans)
        names = [tuple(e["span"]) for e in d["entities"] if e["type"] == "人名"]
        scored += [(f.score, any(_overlaps((f.start, f.end), g) for g in names)) for f in found if f.type == "PERSON"]
        for s in names:
            gold += 1
            hit += any(_overlaps(s, p) for p in spans)
            exact += s in spans
    return {"sentences": len(data), "person_spans": gold, "overlap_recall": round(hit / gold, 4),
            "exact_precision": round(exact / max(n_pred, 1), 4),
            "overlap_precision": round(sum(ok for _, ok in scored) / max(len(scored), 1), 4),
            "person_reliability": reliability_rows(scored)}


#: seeds the samples were not generated with: texts the rules were not tuned on
NEW_SEEDS = (99, 12345)


def new_seed_recall(detector: Any, n: int) -> dict[str, Any]:
    """Masked recall on administrative texts generated with other seeds than the samples'."""
    from samples.generate import generate_texts

    out: dict[str, Any] = {}
    for seed in NEW_SEEDS:
        t = generate_texts(n, seed)
        ids = [r["id"] for r in t.records]
        found = dict(zip(ids, detector.detect_many(r["text"] for r in t.records), strict=True))
        gold = t.gold.to_dict("records")
        out[f"seed_{seed}"] = score_spans(gold, found, key=lambda g: g["id"])
        out[f"seed_{seed}"]["person_reliability"] = _person_reliability(gold, found)
    return out


def _person_reliability(gold: list[dict[str, Any]], found: dict[Any, list[Any]]) -> list[dict[str, Any]]:
    """PERSON hits in generated texts per score bin: right when they overlap any gold span
    (a name found inside a gold address is masked either way)."""
    from benchmarks.bench_gsd import reliability_rows

    spans: dict[Any, list[tuple[int, int]]] = defaultdict(list)
    for g in gold:
        spans[g["id"]].append((g["start"], g["end"]))
    return reliability_rows(
        (f.score, any(_overlaps((f.start, f.end), s) for s in spans[k]))
        for k, fs in found.items() for f in fs if f.type == "PERSON"
    )


def stock_presidio() -> Any:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "ja", "model_name": "ja_ginza"}]})
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["ja"])


def admin_texts(n: int) -> list[str]:
    texts: list[str] = []
    for name in ("texts.jsonl", "clean_texts.jsonl"):
        p = SAMPLES / name
        if p.exists():
            texts += [json.loads(x)["text"] for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]
    return texts[:n]


def wiki_texts() -> list[str]:
    return [d["text"] for d in json.loads(WIKI.read_text(encoding="utf-8"))]


def _chunks(texts: list[str], n: int) -> list[list[str]]:
    size = -(-len(texts) // n)
    return [texts[i : i + size] for i in range(0, len(texts), size)]


#: stock and ours alternate in this many rounds per set, so both see the same machine load
ROUNDS = 5


def throughput(n_stock: int, n_ours: int) -> dict[str, Any]:
    """Stock Presidio + ja_ginza against the detector on two sets of distinct texts.

    ``distinct_admin``: the samples' administrative texts (each once); ``wikipedia``:
    human-written sentences (Japanese Wikipedia), where no template repeats. Stock and each
    one-process detector run in alternating rounds (a slice of each set per round, every text
    once), so a change of the shared machine's load hits both; ``w2`` (two worker processes)
    takes its whole set in the first round. ``*_ratio_vs_stock``: texts per second
    of wall time against stock's; ``*_cpu_ratio_vs_stock``: the same in CPU seconds of this
    process (one process against one process; only for ``w1``, whose work is all here).
    """
    from anonymizer.detect import Detector

    wiki = wiki_texts()
    n = max(n_stock, n_ours)
    sets = {"distinct_admin": admin_texts(n), "wikipedia": wiki[:n]}
    # warm-up texts share nothing with the timed ones, so neither the text cache nor the NER
    # sentence cache can flatter the result
    warm = wiki[-300:]
    stock = stock_presidio()
    stock.analyze("ウォームアップ", language="ja")
    runs: dict[str, Any] = {"stock": lambda x: [stock.analyze(t, language="ja") for t in x]}
    dets = []
    for mode, workers in (("fast", 1), ("fast", 2), ("accurate", 1), ("accurate", 2)):
        det = Detector(mode, workers=workers)
        dets.append(det)
        list(det.detect_many(warm))  # load models, start workers
        runs[f"{mode}_w{workers}"] = lambda x, det=det: list(det.detect_many(x))
    out: dict[str, Any] = {}
    try:
        for name, texts in sets.items():
            spent = {k: [0.0, 0.0, 0] for k in runs}  # wall, cpu, texts
            slices = {
                k: _chunks(texts[: n_stock if k == "stock" else n_ours], ROUNDS) for k in runs
            }
            for k in runs:  # workers start only on a batch of 256 texts or more: all at once
                if k.endswith("_w2"):
                    slices[k] = [texts[:n_ours]]
            for r in range(ROUNDS):
                for k, fn in runs.items():
                    part = slices[k][r] if r < len(slices[k]) else []
                    w0, c0 = time.perf_counter(), time.process_time()
                    fn(part)
                    spent[k][0] += time.perf_counter() - w0
                    spent[k][1] += time.process_time() - c0
                    spent[k][2] += len(part)
            wall = {k: n / w for k, (w, _c, n) in spent.items()}
            cpu = {k: n / c for k, (_w, c, n) in spent.items()}
            sample = texts[:n_ours]
            res: dict[str, Any] = {
                "texts": len(sample),
                "mean_chars": round(sum(map(len, sample)) / max(len(sample), 1), 1),
            }
            res["stock_presidio_texts_per_s"] = round(wall["stock"], 2)
            for k in runs:
                if k == "stock":
                    continue
                res[f"{k}_texts_per_s"] = round(wall[k], 2)
                res[f"{k}_ratio_vs_stock"] = round(wall[k] / wall["stock"], 2)
                if k.endswith("_w1"):
                    res[f"{k}_cpu_ratio_vs_stock"] = round(cpu[k] / cpu["stock"], 2)
            out[name] = res
    finally:
        for det in dets:
            det.close()
    return out


def run(quick: bool = False) -> dict[str, Any]:
    logging.disable(logging.WARNING)
    from anonymizer.detect import Detector

    result: dict[str, Any] = {}
    # first, in a process that holds nothing else yet (as `anonymizer detect` runs): after
    # the recall parts below, the heap full of their models and findings makes every
    # in-process collection of the cyclic GC slower and halved the one-process figure
    result["throughput"] = throughput(100 if quick else 200, 300 if quick else 1000)
    for mode in ("fast", "accurate"):
        with Detector(mode, workers=2) as det:
            result[f"samples_{mode}"] = samples_gold(det)
            result[f"clean_{mode}"] = clean_false_positives(det)
            result[f"new_seeds_{mode}"] = new_seed_recall(det, 300 if quick else 1000)
            result[f"wikipedia_{mode}"] = wiki_person_recall(det, 1000 if quick else 5343)
    return result
