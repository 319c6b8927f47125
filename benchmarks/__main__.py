"""``python -m benchmarks [AREA ...] [--quick]``: run the benchmarks, print and save results.

Each module ``benchmarks/bench_<area>.py`` defines ``run(quick: bool) -> dict``. Results are
written to ``benchmarks/results/<area>.json`` so closing notes can cite them (or to the
name the result gives as ``_file``, for a run of another configuration).
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "benchmarks"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("areas", nargs="*", help="e.g. detect kanon dp pipeline (default: all)")
    parser.add_argument("--quick", action="store_true", help="smaller workloads")
    args = parser.parse_args()
    names = sorted(m.name[6:] for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    chosen = args.areas or names
    unknown = [a for a in chosen if a not in names]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; available: {names}", file=sys.stderr)
        return 2
    (HERE / "results").mkdir(exist_ok=True)
    for area in chosen:
        module = importlib.import_module(f"benchmarks.bench_{area}")
        t0 = time.perf_counter()
        result = module.run(quick=args.quick)
        result["_wall_seconds"] = round(time.perf_counter() - t0, 2)
        out = HERE / "results" / f"{result.pop('_file', area)}.json"
        out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"== {area} → {out.relative_to(HERE.parent)}")
        print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
