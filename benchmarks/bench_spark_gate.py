"""The gate's row-level checks, pandas beside Spark (#21 item 4), on one synthetic released
table: the re-scan and the raw-value check (with the split-value check over two free-text
columns) of :class:`anonymizer.engine.base.LocalChecks` and
:class:`anonymizer.engine.spark.checks.SparkChecks`, in this process, side by side, on the
same data — and whether they return the same checks (they must).

The table: 性別, 年代, 町丁 (categories), 相談内容 (≈ 60 characters, 3,000 distinct notes, as
``bench_spark``), 備考 (short notes); hunted: 氏名 (2,400 distinct), 電話番号 and 住所 (one per
row). Three names and one phone split over 相談内容 and 備考 are planted, so both refuse.
Spark runs ``local[2]`` on the executors' own table (as the engine hands it: made and
checkpointed before the clock starts) and on the driver's table given to it (``upload``).
``python -m benchmarks spark_gate`` 100,000 rows; ``--quick`` 20,000.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.bench_pipeline import METADATA, make_table

ROOT = Path(__file__).resolve().parent.parent

FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
          "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水",
          "山崎", "森", "池田", "橋本", "阿部", "石川", "山下", "中島", "石井", "小川",
          "前田", "岡田", "長谷川", "藤田", "後藤", "近藤", "村上", "遠藤", "青木",
          "坂本"]  # fmt: skip
GIVEN = [f"{a}{b}" for a in "健誠翔大悠美恵花陽結" for b in "太子斗菜人里香"][:60]
TOWNS = ["富士見台", "中", "東", "西", "北", "谷保", "青柳", "石田", "泉", "矢川"]

SPEC = """\
version: 1
name: gate-bench
mode: fast
input: {{path: in.csv}}
columns:
  氏名: {{role: direct_identifier, entity: PERSON, actions: [drop]}}
  電話番号: {{role: direct_identifier, entity: JP_PHONE_NUMBER, actions: [drop]}}
  住所: {{role: direct_identifier, entity: JP_ADDRESS, actions: [drop]}}
  性別: {{role: quasi_identifier, actions: [keep]}}
  年代: {{role: quasi_identifier, actions: [keep]}}
  町丁: {{role: quasi_identifier, actions: [keep]}}
  相談内容: {{role: free_text, actions: [keep]}}
  備考: {{role: free_text, actions: [keep]}}
output: {{file: out.csv}}
""" + METADATA


def tables(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the input's columns, the released table) of ``n`` rows, with planted leaks."""
    notes = make_table(3000)["相談内容"].tolist()
    names = [f"{FAMILY[i % 40]}　{GIVEN[(i // 40) % 60]}" for i in range(n)]
    frame = pd.DataFrame({
        "氏名": names,
        "電話番号": [f"090-{i // 10000:04d}-{i % 10000:04d}" for i in range(n)],
        "住所": [f"東京都国立市{TOWNS[i % 10]}{i % 4 + 1}丁目{i % 50 + 1}番{i % 20 + 1}号"
                 for i in range(n)],  # fmt: skip
        "性別": ["男女"[i % 2] for i in range(n)],
        "年代": [f"{(i % 9) * 10}～{(i % 9) * 10 + 9}歳" for i in range(n)],
        "町丁": [TOWNS[i % 10] for i in range(n)],
        "相談内容": [notes[i % len(notes)] for i in range(n)],
        "備考": [["継続", "終了", "", "要連絡"][i % 4] for i in range(n)],
    }).astype("string")
    out = frame[["性別", "年代", "町丁", "相談内容", "備考"]].copy()
    for i in (n // 7, n // 3, n // 2):
        out.loc[i, "相談内容"] = f"{names[i + 1].replace('　', '')}さんから電話"
    out.loc[n - 2, "相談内容"] = f"連絡先は{frame.loc[n - 5, '電話番号'][:8]}"
    out.loc[n - 2, "備考"] = f"{frame.loc[n - 5, '電話番号'][8:]}まで"
    return frame, out


def _checks(checks: Any, spec: Any, out: pd.DataFrame, fast: Any) -> tuple[list[str], float]:
    from anonymizer.pipeline import gate
    from anonymizer.pipeline.run import _place_names, deny_entries

    infos = {c: gate.OutputColumnInfo(c, c, spec.columns[c].role, False) for c in out.columns}
    free = [c for c, i in infos.items() if i.role == "free_text"]
    t = time.perf_counter()
    done = [
        checks.rescan(out, infos, spec.gate, fast, fast, deny_entries(spec), {},
                      _place_names(spec)),
        checks.raw_values(out, spec, {}, free, ["住所"],
                          sorted(spec.numbered_only())),
    ]  # fmt: skip
    return [json.dumps(c.to_dict(), ensure_ascii=False) for c in done], time.perf_counter() - t


def run(quick: bool = False) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from anonymizer.detect import Detector
    from anonymizer.engine.base import LocalChecks
    from anonymizer.engine.spark.checks import SparkChecks
    from anonymizer.engine.spark.gate import upload
    from anonymizer.engine.spark.session import get_session, quiet
    from anonymizer.pipeline.spec import load_pipeline

    n = 20_000 if quick else int(os.environ.get("BENCH_GATE_ROWS", "100000"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gate.yaml"
        path.write_text(SPEC.format(), encoding="utf-8")
        spec = load_pipeline(path)
    frame, out = tables(n)
    fast = Detector("fast")
    result: dict[str, Any] = {"rows": n, "master": "local[2]"}
    local, result["pandas_seconds"] = _checks(LocalChecks(frame), spec, out, fast)

    quiet()
    spark = get_session("local[2]", app="bench-gate")
    spark.conf.set("spark.sql.shuffle.partitions", "8")
    columns = tuple(frame.columns)
    data = upload(spark, frame)
    rows = data.selectExpr("__row", *[f"g{k} as i{k}" for k in range(len(columns))])
    rows = rows.localCheckpoint(eager=True)
    native = upload(spark, out).selectExpr(
        "__pos", "__row", *[f"g{k} as s{k}" for k in range(len(out.columns))]
    ).localCheckpoint(eager=True)
    warm = SparkChecks(spark, spec, rows, columns, native, tuple(out.columns))
    _checks(warm, spec, out.head(200), fast)  # the executors' detectors, once
    held = SparkChecks(spark, spec, rows, columns, native, tuple(out.columns))
    remote, result["spark_executors_table_seconds"] = _checks(held, spec, out, fast)
    given, result["spark_driver_table_seconds"] = _checks(
        SparkChecks(spark, spec, rows, columns), spec, out, fast
    )
    result["same_checks"] = remote == local and given == local
    result["passed"] = [json.loads(c)["passed"] for c in local]
    for key in ("pandas_seconds", "spark_executors_table_seconds", "spark_driver_table_seconds"):
        result[key] = round(result[key], 1)
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    run("--quick" in sys.argv)
