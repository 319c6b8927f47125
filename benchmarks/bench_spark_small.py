"""What a run of a small table costs on the Spark engine (#21: the engine's tests run the sample
pipelines, and a run's time there is Spark's per-job cost, not its rows).

Each sample pipeline (``kaigo``, ``soudan``: k-anonymity by aggregation, the gate on the
executors) runs on one ``local[2]`` session: once to warm it, then ``RUNS`` times; reported
per pipeline: the median wall time of those runs, the phases' median seconds (``timings``),
the Spark jobs one run submits (the status tracker's count; with adaptive execution a query
with shuffles is several jobs) and the call sites that submit most of them — the pandas
engine's run of the same pipeline beside it. ``python -m benchmarks spark_small``.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3


def _one(name: str, engine: str, out: Path) -> tuple[float, dict[str, float]]:
    from anonymizer.pipeline.plan import RunOptions
    from anonymizer.pipeline.run import run_pipeline

    opts = RunOptions(
        ROOT / "pipelines" / f"{name}.yaml", out, seed=7, progress=False, engine=engine,
        master="local[2]" if engine == "spark" else None,
    )  # fmt: skip
    t0 = time.perf_counter()
    result = run_pipeline(opts)
    timings = {k: float(v) for k, v in result.timings.items() if not k.startswith("kanonymity_")}
    return time.perf_counter() - t0, timings


def run(quick: bool) -> dict[str, Any]:
    from anonymizer.engine.spark.session import get_session, quiet

    quiet()
    spark = get_session("local[2]", app="bench-spark-small")
    tracker = spark.sparkContext.statusTracker()
    out: dict[str, Any] = {"master": "local[2]", "runs": 1 if quick else RUNS, "pipelines": {}}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_STATE_HOME"] = str(Path(tmp) / "state")
        for name in ("kaigo", "soudan"):
            _one(name, "spark", Path(tmp) / f"{name}-warm")
            walls, phases, jobs = [], [], []
            sites: Counter[str] = Counter()
            for i in range(out["runs"]):
                before = set(tracker.getJobIdsForGroup(None))
                wall, timings = _one(name, "spark", Path(tmp) / f"{name}-{i}")
                new = sorted(set(tracker.getJobIdsForGroup(None)) - before)
                walls.append(wall)
                phases.append(timings)
                jobs.append(len(new))
                for job in new:
                    info = tracker.getJobInfo(job)
                    stages = [tracker.getStageInfo(s) for s in (info.stageIds if info else [])]
                    names = [s.name for s in stages if s is not None]
                    site = names[-1] if names else "?"
                    sites[site.split(" at ")[-1].replace(str(ROOT) + "/", "")] += 1
            pandas_wall, _ = _one(name, "pandas", Path(tmp) / f"{name}-pandas")
            out["pipelines"][name] = {
                "spark_seconds_median": round(statistics.median(walls), 2),
                "spark_seconds": [round(w, 2) for w in walls],
                "phases_median": {
                    k: round(statistics.median(p.get(k, 0.0) for p in phases), 2)
                    for k in phases[0]
                    if statistics.median(p.get(k, 0.0) for p in phases) >= 0.2
                },
                "spark_jobs_per_run": jobs,
                "jobs_by_call_site": dict(sites.most_common(8)),
                "pandas_seconds": round(pandas_wall, 2),
            }
    return out
