"""``python -m benchmarks.misses [--half even|odd|all] [--mode fast|accurate] [--n N]``: the
Wikipedia 人名 spans (../shared/benchmarks/ner-wikipedia-ja) no PERSON finding overlaps at the
default threshold, with context, grouped by the script they are written in.

Tuning looks only at the even half (sentences 0, 2, 4 …); the odd half is held out and is
measured with ``--half odd`` (figures only, add ``--quiet``).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
from collections import defaultdict
from typing import Any

from benchmarks.bench_detect import WIKI, _overlaps

KINDS = (
    ("katakana", re.compile(r"^[\u30a0-\u30ff・･＝=\s]+$")),
    ("kanji", re.compile(r"^[\u3400-\u9fff々〆ヶ\s]+$")),
    ("latin", re.compile(r"^[A-Za-z.\-'\s]+$")),
)


def kind_of(name: str) -> str:
    return next((k for k, rx in KINDS if rx.match(name)), "mixed")


def sentences(half: str) -> list[dict[str, Any]]:
    data = json.loads(WIKI.read_text(encoding="utf-8"))
    return data if half == "all" else data[0 if half == "even" else 1 :: 2]


def misses(mode: str, half: str, n: int | None = None) -> tuple[int, list[tuple[str, str]]]:
    """(gold 人名 spans, [(kind, context)] of those no PERSON finding overlaps)."""
    from anonymizer.detect import Detector

    data = sentences(half)[:n]
    gold = 0
    out: list[tuple[str, str]] = []
    with Detector(mode, workers=1) as det:
        for d, found in zip(
            data, det.detect_many((d["text"] for d in data), batch_size=256), strict=True
        ):
            spans = [(f.start, f.end) for f in found if f.type == "PERSON"]
            for e in d["entities"]:
                if e["type"] != "人名":
                    continue
                gold += 1
                s, t = e["span"]
                if not any(_overlaps((s, t), p) for p in spans):
                    text = d["text"]
                    out.append(
                        (
                            kind_of(e["name"]),
                            f"{text[max(0, s - 12) : s]}【{text[s:t]}】{text[t : t + 12]}",
                        )
                    )
    return gold, out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.misses")
    parser.add_argument("--half", choices=("even", "odd", "all"), default="even")
    parser.add_argument("--mode", choices=("fast", "accurate"), action="append")
    parser.add_argument("--n", type=int, default=None)
    parser.add_argument("--quiet", action="store_true", help="figures only")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    for mode in args.mode or ["accurate", "fast"]:
        gold, missed = misses(mode, args.half, args.n)
        print(
            f"== {mode}, {args.half} half: {gold} names, {len(missed)} missed, "
            f"overlap recall {1 - len(missed) / max(gold, 1):.4f}"
        )
        by_kind: dict[str, list[str]] = defaultdict(list)
        for k, ctx in missed:
            by_kind[k].append(ctx)
        for k, ctxs in sorted(by_kind.items(), key=lambda kv: -len(kv[1])):
            print(f"-- {k}: {len(ctxs)}")
            if not args.quiet:
                for c in ctxs:
                    print("   ", c.replace("\n", " "))


if __name__ == "__main__":
    main()
