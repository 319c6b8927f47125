"""k-anonymity on UCI Adult with ARX's hierarchies: ARX's optimum, ANJANA side by side, scale.

* For every configuration in ``shared/benchmarks/README.md`` (k ∈ {2, 5, 10, 50} × suppression
  {0, 5%}, and k=5 + distinct 2-diversity on salary-class): levels, loss, suppressed records,
  classes, time (median of warm runs, ``anonymize()`` end to end) and match/mismatch against
  ARX 3.9.2's figures, plus pycanon's k/ℓ of the release as an independent check.
* ANJANA 1.2.3 (the Python peer) on the same data, hierarchies and configuration in the same
  run, and the speed ratio. ANJANA pins numpy 2.0 / pandas 2.3, which would downgrade this
  project's pins, so it lives in its own virtualenv (``$ANJANA_PYTHON``, default
  ``/tmp/anjana-venv/bin/python``; create it with ``python3 -m venv /tmp/anjana-venv &&
  /tmp/anjana-venv/bin/pip install anjana==1.2.3``) and is called via subprocess.
* Scale: Adult resampled with numpy to 1,000,000 rows × 8 QIs (k=5, 5% suppression) — which
  keeps Adult's ≈18,000 distinct QI tuples — and a harder variant with ages jittered and 30%
  of rows' education/country/workclass/occupation redrawn (≈190,000 distinct tuples; k=10),
  each in a fresh process so its peak RSS is its own; target < 60 s and < 4 GB.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from anonymizer.io import read_table
from anonymizer.kanon import KAnonConfig, anonymize

HERE = Path(__file__).resolve().parent
ADULT = HERE.parent.parent / "shared" / "benchmarks" / "adult"
QIS = ["sex", "age", "race", "marital-status", "education", "native-country", "workclass",
       "occupation"]
ANJANA_PYTHON = Path(os.environ.get("ANJANA_PYTHON", "/tmp/anjana-venv/bin/python"))

#: ARX 3.9.2 (shared/benchmarks/README.md): (k, suppression, l) → levels, loss, suppressed,
#: classes, min, mean, warm seconds
ARX = {
    (2, 0.0, None): ("0,4,0,1,3,2,2,1", 0.5266, 0, 60, 3, 502.7, 0.16),
    (2, 0.05, None): ("0,3,0,0,2,1,0,1", 0.1671, 1240, 1334, 2, 21.7, 1.1),
    (5, 0.0, None): ("0,4,0,2,3,2,2,1", 0.5916, 0, 30, 16, 1005.4, 0.08),
    (5, 0.05, None): ("0,3,0,0,1,1,1,2", 0.2519, 1458, 399, 5, 71.9, 1.15),
    (10, 0.0, None): ("0,4,0,2,3,2,2,1", 0.5916, 0, 30, 16, 1005.4, 0.08),
    (10, 0.05, None): ("0,3,0,1,1,1,1,2", 0.3055, 1484, 200, 10, 143.4, 0.84),
    (50, 0.0, None): ("0,4,1,1,3,2,2,1", 0.6648, 0, 12, 397, 2513.5, 0.03),
    (50, 0.05, None): ("0,4,0,1,3,1,0,2", 0.4283, 1306, 45, 53, 641.2, 0.39),
    (5, 0.05, 2): ("0,4,0,2,1,1,0,1", 0.3283, 1389, 268, 5, 107.4, 0.90),
}
#: ANJANA 1.2.3 as measured for the README (k=5 and k=10, 5% suppression)
ANJANA_README = {5: (0.2994, "4.7-6.5 s"), 10: (0.3157, "6.3-6.8 s")}


def config(k: int, suppression: float, l_: int | None = None, **kw: object) -> KAnonConfig:
    extra = {"sensitive": ("salary-class",), "l": l_} if l_ else {}
    return KAnonConfig(
        qis={q: str(ADULT / f"adult_hierarchy_{q}.csv") for q in QIS},
        k=k, suppression=suppression, **extra, **kw,  # type: ignore[arg-type]
    )


def adult() -> pd.DataFrame:
    return read_table(ADULT / "adult.csv").frame


def _timed(frame: pd.DataFrame, cfg: KAnonConfig, repeats: int, cpu: bool = False):
    """(result, median wall seconds) — or median CPU seconds of this process with ``cpu``,
    which other jobs on a shared machine disturb much less."""
    clock = time.process_time if cpu else time.perf_counter
    times, result = [], None
    for _ in range(repeats):
        t0 = clock()
        result = anonymize(frame, cfg)
        times.append(clock() - t0)
    assert result is not None
    return result, statistics.median(times)


def _pycanon(result, l_: int | None) -> dict[str, float]:
    from pycanon import anonymity

    out = result.frame.reset_index(drop=True)
    checks = {"k": float(anonymity.k_anonymity(out, QIS))}
    if l_:
        checks["l"] = float(anonymity.l_diversity(out, QIS, ["salary-class"]))
    return checks


def arx_table(frame: pd.DataFrame, repeats: int) -> list[dict[str, object]]:
    rows = []
    for (k, supp, l_), ref in ARX.items():
        result, secs = _timed(frame, config(k, supp, l_), repeats)
        assert result.levels is not None
        levels = ",".join(str(v) for v in result.levels.values())
        ours = (levels, round(result.metric_value, 4), result.suppressed, result.classes.count,
                result.classes.min, round(result.classes.mean, 1))
        rows.append({
            "k": k, "suppression": supp, "l": l_,
            "levels": levels, "loss": ours[1], "suppressed": ours[2], "classes": ours[3],
            "min": ours[4], "mean": ours[5], "seconds": round(secs, 4),
            "checked": result.checked, "lattice": result.lattice_size,
            "arx": {"levels": ref[0], "loss": ref[1], "suppressed": ref[2], "classes": ref[3],
                    "min": ref[4], "mean": ref[5], "seconds": ref[6]},
            "match": ours == ref[:6],
            "ratio_to_arx_time": round(secs / ref[6], 2),
            "pycanon": _pycanon(result, l_),
        })
    return rows


_ANJANA_SCRIPT = r"""
import json, sys, time
import pandas as pd
from anjana.anonymity import k_anonymity
d, k, supp = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
qis = sys.argv[4].split(",")
df = pd.read_csv(f"{d}/adult.csv", sep=";", dtype=str, keep_default_na=False)
hier = {}
for q in qis:
    h = pd.read_csv(f"{d}/adult_hierarchy_{q}.csv", sep=";", header=None, dtype=str,
                    keep_default_na=False)
    hier[q] = {i: h[i].values for i in range(h.shape[1])}
t0, c0 = time.perf_counter(), time.process_time()
out = k_anonymity(df, [], qis, k, supp * 100, hier)
secs, cpu = time.perf_counter() - t0, time.process_time() - c0
levels = []
for q in qis:
    h = pd.read_csv(f"{d}/adult_hierarchy_{q}.csv", sep=";", header=None, dtype=str,
                    keep_default_na=False)
    vals = set(out[q])
    levels.append(next(i for i in range(h.shape[1]) if vals <= set(h[i])))
print(json.dumps({"seconds": secs, "cpu": cpu, "rows_out": len(out), "levels": levels}))
"""


def anjana(frame: pd.DataFrame, cases: list[tuple[int, float]], repeats: int) -> dict[str, object]:
    if not ANJANA_PYTHON.is_file():
        return {"skipped": f"{ANJANA_PYTHON} not found (see this module's docstring)"}
    rows = []
    for k, supp in cases:
        proc = subprocess.run(
            [str(ANJANA_PYTHON), "-c", _ANJANA_SCRIPT, str(ADULT), str(k), str(supp),
             ",".join(QIS)],
            capture_output=True, text=True, check=False, timeout=1800,
        )
        if proc.returncode != 0:
            rows.append({"k": k, "suppression": supp, "error": proc.stderr.strip()[-500:]})
            continue
        got = json.loads(proc.stdout.strip().splitlines()[-1])
        ours, secs = _timed(frame, config(k, supp), repeats)
        _, cpu = _timed(frame, config(k, supp), repeats, cpu=True)
        removed = len(frame) - got["rows_out"]
        rows.append({
            "k": k, "suppression": supp,
            "anjana": {"levels": ",".join(map(str, got["levels"])), "removed": removed,
                       "loss": round(_anjana_loss(frame, got["levels"], k), 4),
                       "seconds": round(got["seconds"], 3), "cpu_seconds": round(got["cpu"], 3),
                       "readme": ANJANA_README.get(k)},
            "ours": {"loss": round(ours.metric_value, 4), "suppressed": ours.suppressed,
                     "seconds": round(secs, 4), "cpu_seconds": round(cpu, 4)},
            "speedup_wall": round(got["seconds"] / secs, 1),
            "speedup_cpu": round(got["cpu"] / cpu, 1),
        })
    return {"cases": rows}


def _anjana_loss(frame: pd.DataFrame, levels: list[int], k: int) -> float:
    """ARX's Loss of ANJANA's release: its level vector, classes below k suppressed."""
    from anonymizer.kanon.classes import from_tuples
    from anonymizer.kanon.engine import prepare
    from anonymizer.kanon.metrics import CellMetric

    enc = prepare(frame, config(k, 0.0))
    c = from_tuples(enc, levels)
    return CellMetric("loss", enc).value(levels, c.sizes, c.reps, c.sizes < k)


_SCALE_SCRIPT = r"""
import json, resource, sys, time
import numpy as np
from benchmarks.bench_kanon import adult, config
from anonymizer.kanon import anonymize
from anonymizer.kanon.engine import prepare
n, perturb, k = int(sys.argv[1]), sys.argv[2] == "perturbed", int(sys.argv[3])
base = adult()
rng = np.random.default_rng(0)
frame = base.iloc[rng.integers(0, len(base), n)].reset_index(drop=True)
if perturb:  # more distinct tuples: age ± 5 years, 30% of rows with 4 QIs redrawn
    age = frame["age"].astype(int).to_numpy() + rng.integers(-5, 6, n)
    frame["age"] = np.clip(age, 1, 100).astype(str)
    mix = rng.random(n) < 0.3
    for c in ["native-country", "occupation", "workclass", "education"]:
        values = frame[c].to_numpy(copy=True)
        values[mix] = rng.choice(base[c].to_numpy(), int(mix.sum()))
        frame[c] = values
t0 = time.perf_counter()
res = anonymize(frame, config(k, 0.05))
secs = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
tuples = len(prepare(frame, config(k, 0.05)).tuples)
print(json.dumps({"rows": n, "qis": 8, "k": k, "suppression": 0.05, "distinct_tuples": tuples,
                  "seconds": round(secs, 2), "peak_rss_mb": round(peak),
                  "levels": ",".join(map(str, res.levels.values())),
                  "loss": round(res.metric_value, 4), "suppressed": res.suppressed,
                  "classes": res.classes.count, "checked": res.checked}))
"""


def scale(rows: int, variant: str, k: int) -> dict[str, object]:
    """One fresh process (its own peak RSS): ``variant`` is "resampled" or "perturbed"."""
    proc = subprocess.run(
        [sys.executable, "-c", _SCALE_SCRIPT, str(rows), variant, str(k)],
        capture_output=True, text=True, check=False, cwd=HERE.parent, timeout=1800,
    )
    if proc.returncode != 0:
        return {"variant": variant, "error": proc.stderr.strip()[-800:]}
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    got["variant"] = variant
    got["met_60s_4GB"] = got["seconds"] < 60 and got["peak_rss_mb"] < 4096
    return got


def run(quick: bool) -> dict[str, object]:
    frame = adult()
    table = arx_table(frame, repeats=1 if quick else 5)
    local = {
        f"k={k}": round(anonymize(frame, config(k, 0.0, local_recoding=True)).metric_value, 4)
        for k in (5, 10)
    }
    return {
        "arx_table": table,
        "all_match_arx": all(r["match"] for r in table),
        "anjana": anjana(
            frame, [(5, 0.05)] if quick else [(5, 0.05), (10, 0.05)], 1 if quick else 3
        ),
        "mondrian_loss_no_suppression": local,
        "scale": [
            scale(200_000 if quick else 1_000_000, "resampled", 5),
            scale(200_000 if quick else 1_000_000, "perturbed", 10),
        ],
        "arx_published_anonbench": "Adult k=5 0%: Flash 0.028 s (4-core i5, Java 7)",
    }
