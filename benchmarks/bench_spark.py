"""The Spark engine beside the pandas engine (#21): a synthetic register through a release
with masking (``mask_text`` on a ≈ 60-character note), pseudonyms (by person) and
k-anonymity over 7 of its 8 quasi-identifiers (k = 5; 郵便番号 is dropped).

Runs the pipeline in a subprocess (``run_pipeline``, what ``anonymizer run`` calls): ``--engine pandas`` and
``--engine spark --master local[2]`` on the same CSV; wall time, rows/s, seconds per
million rows, peak PSS of the whole process tree (driver, JVM, Python workers). Sizes:
``python -m benchmarks spark`` 100,000 and 1,000,000 rows (``BENCH_SPARK_SIZES=1000000``:
these sizes instead); ``--quick`` 20,000; ``BENCH_SPARK_ROWS=3000000,10000000`` adds
Spark-only sizes, read from CSV or, with ``BENCH_SPARK_FORMAT=parquet``, from Parquet (row
groups of 500,000); ``BENCH_SPARK_DRIVER_MEMORY=8g`` sets the pipeline's
``spark.driver.memory`` (the JVM's heap: on ``local`` it is driver and executors at once).
The driver's own peak RSS is reported too (``driver_peak_rss_mb``: the run's process's
``VmHWM``, the kernel's high-water mark of its resident memory since it started). Not
``getrusage``'s ``ru_maxrss``: Linux carries the parent's resident memory across
``fork``/``exec`` into it, so it reported this benchmark's own peak while it generated the
register (≈ 6.5 GB at 10M rows), not the driver's.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.bench_pipeline import METADATA, make_table, timed_run

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
#: where the Spark runs' gate checks run: ``executors`` (the input's cells stay there) or
#: ``driver`` (``BENCH_SPARK_GATE=driver``)
GATE = os.environ.get("BENCH_SPARK_GATE", "executors")
#: the side-by-side sizes, the Spark-only ones and their format, the JVM's heap
SIZES = [int(s) for s in os.environ.get("BENCH_SPARK_SIZES", "100000,1000000").split(",") if s]
EXTRA = [int(s) for s in os.environ.get("BENCH_SPARK_ROWS", "").split(",") if s]
FORMAT = os.environ.get("BENCH_SPARK_FORMAT", "csv")
DRIVER_MEMORY = os.environ.get("BENCH_SPARK_DRIVER_MEMORY")

PIPELINE = """\
version: 1
name: register
mode: fast
input: {{path: {input}}}
columns:
  住民番号: {{role: direct_identifier, actions: [drop]}}
  氏名: {{role: direct_identifier, entity: PERSON, actions: [pseudonymize]}}
  性別: {{role: quasi_identifier, actions: [keep]}}
  生年月日: {{role: quasi_identifier, entity: DATE_OF_BIRTH, actions: [keep]}}
  住所: {{role: quasi_identifier, entity: JP_ADDRESS, actions: [{{generalize: {{to: address_town}}}}]}}
  郵便番号: {{role: quasi_identifier, entity: JP_POSTAL_CODE, actions: [drop]}}
  世帯人数: {{role: quasi_identifier, actions: [keep]}}
  受付日: {{role: quasi_identifier, actions: [{{generalize: {{to: fiscal_year}}}}]}}
  婚姻: {{role: quasi_identifier, actions: [keep]}}
  国籍: {{role: quasi_identifier, actions: [keep]}}
  備考: {{role: free_text, actions: [mask_text]}}
steps:
  - type: kanonymity
    qis: {{性別: sex, 生年月日: birth_date, 住所: address, 世帯人数: household_size, 受付日: flat, 婚姻: flat, 国籍: flat}}
    k: 5
    suppression: 0.05
    metric: loss
person_column: 住民番号
review:
  - {{column: 備考, role: ベンチマーク担当, reason: 合成データの処理速度の計測（公開しない）}}
output: {{file: register.csv}}
""" + METADATA + "spark: {spark}\n"


def make_register(n: int, seed: int = 5) -> pd.DataFrame:
    """``n`` residents: QI values drawn from the sample 住民相談 file, notes from the
    benchmark's generated texts (≈ 60 characters)."""
    rng = np.random.default_rng(seed)
    sample = pd.read_csv(ROOT / "samples" / "soudan_utf8.csv", dtype=str, keep_default_na=False)
    # 3,000 distinct notes (a larger pool holds a few the fast detector masks only in part,
    # which the gate then refuses — on both engines alike)
    notes = make_table(3_000, seed)["相談内容"].to_numpy()

    def draw(col: str) -> np.ndarray:
        return sample[col].to_numpy()[rng.integers(0, len(sample), n)]

    return pd.DataFrame({
        "住民番号": [f"J{i:09d}" for i in range(n)],
        "氏名": draw("氏名"),
        "性別": draw("性別"),
        "生年月日": draw("生年月日"),
        "住所": draw("住所"),
        "郵便番号": draw("郵便番号"),
        "世帯人数": rng.integers(1, 7, n).astype(str),
        "受付日": draw("受付日"),
        "婚姻": np.array(["未婚", "既婚", "離別", "死別"])[rng.integers(0, 4, n)],
        "国籍": np.array(["日本", "外国"])[(rng.random(n) < 0.03).astype(int)],
        "備考": notes[rng.integers(0, len(notes), n)],
    })  # fmt: skip


#: ``anonymizer run`` as the CLI does it (the CLI is thin over run_pipeline), printing the
#: run's own timings (read, operators, steps, gate) as the last line
RUN = """
import json, sys
from pathlib import Path
from anonymizer.pipeline.plan import RunOptions
from anonymizer.pipeline.run import run_pipeline
pipe, out, engine = sys.argv[1:4]
r = run_pipeline(RunOptions(Path(pipe), Path(out), force=True, seed=1, progress=False,
                            engine=engine, master="local[2]"))
# this process (the driver): its resident high-water mark since it started
driver = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
print(json.dumps({"rows_out": r.rows_out, "driver_peak_rss_mb": round(driver, 1),
                  "timings": {k: round(v, 1) for k, v in r.timings.items()}}))
"""


def _run(engine: str, pipe: Path, out: Path, rows: int) -> dict[str, Any]:
    args = [PYTHON, "-c", RUN, str(pipe), str(out), engine]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": str(out / ".state")}
    proc, secs, peak = timed_run(args, env, sample_every=1.0)
    stdout, stderr = proc.stdout, proc.stderr
    return {
        "engine": engine, "rows": rows, "exit": proc.returncode, "seconds": round(secs, 1),
        "rows_per_s": round(rows / secs, 1), "seconds_per_million": round(secs / rows * 1e6, 1),
        "peak_pss_mb_process_tree": round(peak / 1024, 1),
        "result": stdout.strip().splitlines()[-1] if stdout.strip() else None,
        "stderr_tail": stderr.strip()[-300:],
    }  # fmt: skip


def run(quick: bool = False) -> dict[str, Any]:
    sizes = [20_000] if quick else SIZES
    result: dict[str, Any] = {"cores": os.cpu_count(), "master": "local[2]", "runs": []}
    if EXTRA and not SIZES and not quick:  # the Spark-only sizes alone: saved beside the side-by-side run
        result["_file"] = "spark_" + "_".join(f"{n // 1_000_000}M" if n % 1_000_000 == 0 else str(n) for n in EXTRA)
    spark = {"partitions": 8, "gate": GATE}
    if DRIVER_MEMORY:
        spark["conf"] = {"spark.driver.memory": DRIVER_MEMORY}  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n in sizes + EXTRA:
            parquet = n not in sizes and FORMAT == "parquet"  # (the pandas engine reads CSV)
            data = work / f"register-{n}.{'parquet' if parquet else 'csv'}"
            if parquet:
                make_register(n).to_parquet(data, index=False, row_group_size=500_000)
            else:
                make_register(n).to_csv(data, index=False)
            pipe = work / f"register-{n}.yaml"
            pipe.write_text(PIPELINE.format(input=data, spark=json.dumps(spark)), encoding="utf-8")
            for engine in ("pandas", "spark") if n in sizes else ("spark",):
                run_ = {**_run(engine, pipe, work / f"out-{engine}-{n}", n),
                        "gate": GATE if engine == "spark" else "local",
                        "input": data.suffix[1:]}  # fmt: skip
                print(run_, file=sys.stderr, flush=True)
                result["runs"].append(run_)
            data.unlink()
    return result
