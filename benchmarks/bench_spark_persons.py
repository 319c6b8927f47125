"""k-anonymity by aggregation when some persons' records differ (#21): a visit register —
each person three times, and in one record of every fifth person 世帯人数 changed (a move
between visits) — through the Spark engine (``local[2]``, gate on the executors).

The register is ``bench_spark``'s (its QIs without the birth date, so persons share their
combinations as in a care register), ``mask_text`` and pseudonyms as there. Reported: the
tuples the search ran on (``kanonymity_tuples``: the persons whose records are alike counted
per combination, the others' one per person and combination), the persons those tuples name
(``kanonymity_named_persons``), the rows released, the seconds, and the driver's peak
resident memory (``VmHWM``). ``python -m benchmarks spark_persons`` runs 100,000 persons
(300,000 rows; ``BENCH_SPARK_PERSONS`` sets another number), ``--quick`` 5,000.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.bench_spark import PIPELINE as REGISTER
from benchmarks.bench_spark import _run, make_register

PERSONS = int(os.environ.get("BENCH_SPARK_PERSONS", "100000"))
#: the register's pipeline without the birth date (dropped, and no QI of the search)
PIPELINE = REGISTER.replace(
    "entity: DATE_OF_BIRTH, actions: [keep]", "entity: DATE_OF_BIRTH, actions: [drop]"
).replace("生年月日: birth_date, ", "")


def make_visits(persons: int, seed: int = 9) -> pd.DataFrame:
    """Each of ``persons`` residents three times, rows shuffled; in the third copy, 世帯人数
    of every fifth person (at random) is another."""
    base = make_register(persons)
    rng = np.random.default_rng(seed)
    third = base.copy()
    moved = rng.random(persons) < 0.2
    third.loc[moved, "世帯人数"] = ((third.loc[moved, "世帯人数"].astype(int) % 6) + 1).astype(str)
    rows = pd.concat([base, base, third], ignore_index=True)
    return rows.sample(frac=1.0, random_state=3).reset_index(drop=True)


def run(quick: bool = False) -> dict[str, Any]:
    assert PIPELINE != REGISTER
    persons = 5_000 if quick else PERSONS
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = work / "visits.csv"
        make_visits(persons).to_csv(data, index=False)
        pipe = work / "visits.yaml"
        spark = {"partitions": 8, "gate": "executors"}
        pipe.write_text(PIPELINE.format(input=data, spark=json.dumps(spark)), encoding="utf-8")
        result = _run("spark", pipe, work / "out", 3 * persons)
    return {"persons": persons, "rows": 3 * persons, "master": "local[2]", "run": result}
