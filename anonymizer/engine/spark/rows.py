"""Row-wise work in partitions: missing-value tokens, the person column's check and every
column's operators (drop, keep, mask, generalize, pseudonymize, mask_text …), per Arrow batch
in ``mapInPandas`` — the same code the pandas engine runs over the whole column
(:func:`anonymizer.pipeline.run._apply`).

What an executor needs is shipped once as a small :class:`RowJob` (the validated pipeline,
the key, the seed); the operators and the detector are built from it once per executor
process and cached under the job's hash — never pickled per row. Each partition ends with one
stats row (``__stats``: missing and unreadable cells per column, what ``mask_text`` masked) that
the driver adds up, so the report counts what every executor did.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from anonymizer.engine.spark.remote import carry_errors

if TYPE_CHECKING:
    from anonymizer.pipeline.plan import Plan
    from anonymizer.pipeline.spec import PipelineSpec

#: one executor state per job (a worker process may serve several runs of a session)
_CACHE: dict[str, Plan] = {}
#: detectors by mode, kept across jobs: loading the GiNZA model is the expensive part, and a
#: detector's results depend on the cell and its header only
_DETECTORS: dict[str, Any] = {}


@dataclass(frozen=True)
class RowJob:
    """What executors are given (once per task, never per row)."""

    spec: PipelineSpec
    path: Path
    input_path: Path
    key: bytes | None
    key_kind: str
    seed: int | None
    #: the input's columns, in order (``c0 … cN`` in the Spark frame)
    columns: tuple[str, ...]
    #: the columns the operators keep (``o0 …``), in input order
    released: tuple[str, ...]

    def digest(self) -> str:
        blob = pickle.dumps(
            (self.spec.model_dump_json(), str(self.path), self.key, self.key_kind, self.seed, self.columns)
        )
        return hashlib.sha256(blob).hexdigest()


def schema(job: RowJob):  # type: ignore[no-untyped-def]
    """``o*`` (released text), ``i*`` (input after missing tokens), ``__row``, ``__keep``
    (False: a suppressed row), ``__person``, ``__stats`` (only on a partition's stats row)."""
    from pyspark.sql.types import BooleanType, LongType, StringType, StructField, StructType

    fields = [StructField(f"o{i}", StringType()) for i in range(len(job.released))]
    fields += [StructField(f"i{i}", StringType()) for i in range(len(job.columns))]
    fields += [
        StructField("__row", LongType()),
        StructField("__keep", BooleanType()),
        StructField("__person", StringType()),
        StructField("__stats", StringType()),
    ]
    return StructType(fields)


def detector(mode: str) -> Any:
    """This executor process's detector of ``mode`` (built once, shared by the operators and
    the gate's re-scan)."""
    if mode not in _DETECTORS:
        from anonymizer.detect import Detector

        _DETECTORS[mode] = Detector(mode, workers=1)
    return _DETECTORS[mode]


def _plan(job: RowJob) -> Plan:
    """The executor's operators and detector, built once per process and job."""
    key = job.digest()
    if key not in _CACHE:
        from anonymizer.pipeline.plan import Plan
        from anonymizer.pipeline.run import build_operators

        full, light = detector(job.spec.mode), detector("fast")
        operators = build_operators(
            job.spec, str(job.path), job.key, job.key_kind, job.seed, full, light
        )
        _CACHE.clear()  # the previous run's detector and key go
        _CACHE[key] = Plan(
            job.spec, job.path, job.input_path, operators, [], job.key, None, full, light,
            job.key_kind,
        )  # fmt: skip
    return _CACHE[key]


def mapper(job: RowJob):  # type: ignore[no-untyped-def]
    """The ``mapInPandas`` function for ``job``."""

    @carry_errors
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        plan = _plan(job)
        stats: dict[str, Any] = {"missing": Counter(), "invalid": Counter(), "masked": {}}
        for batch in batches:
            if len(batch):
                yield _batch(job, plan, batch, stats)
        yield _stats_row(job, stats)

    return run


def _batch(job: RowJob, plan: Plan, batch: pd.DataFrame, stats: dict[str, Any]) -> pd.DataFrame:
    from anonymizer.engine.spark.foreign import found_in
    from anonymizer.operators.mask_text import MaskText
    from anonymizer.pipeline.missing import read_as_missing
    from anonymizer.pipeline.run import _apply, person_ids

    spec = plan.spec
    frame = batch[[f"c{i}" for i in range(len(job.columns))]].astype("string")
    frame.columns = list(job.columns)
    frame.index = pd.Index(batch["__row"].to_numpy(dtype=np.int64))
    frame, missing = read_as_missing(frame, spec)
    stats["missing"].update(missing)
    persons = person_ids(plan, frame)
    # the other rows' values this batch's texts hold: mask_text finds what it would find with
    # every row's values (.foreign)
    foreign = found_in(batch, spec)
    for ops in plan.operators.values():
        for op in ops:
            if getattr(op, "stats", None) is not None:
                op.stats.clear()  # type: ignore[attr-defined]
            if isinstance(op, MaskText):
                op.foreign = foreign
    invalid: dict[str, pd.Index] = {}
    result = pd.DataFrame(index=frame.index)
    for i, col in enumerate(job.released):
        result[f"o{i}"] = _apply(plan, col, frame, frame[col].astype("string"), invalid)
    for col, ops in plan.operators.items():
        for j, op in enumerate(ops):
            counts = getattr(op, "stats", None)
            if counts:
                slot = stats["masked"].setdefault(f"{col}\x1f{j}", Counter())
                slot.update(counts)
    keep = np.ones(len(frame), dtype=bool)
    for col, cells in invalid.items():
        stats["invalid"][col] += len(cells)
        if spec.columns[col].invalid_policy(spec.input.on_invalid) == "suppress_row":
            keep &= ~frame.index.isin(cells)
    for i, col in enumerate(job.columns):
        result[f"i{i}"] = frame[col]
    result["__row"] = frame.index.to_numpy()
    result["__keep"] = keep
    result["__person"] = persons if persons is not None else pd.NA
    result["__stats"] = None
    # plain objects, missing as None: pandas' Arrow-backed strings can reach PySpark as chunked
    # arrays, which its Arrow writer refuses
    result = result.astype(object)
    return result.where(result.notna(), None).reset_index(drop=True)


def _stats_row(job: RowJob, stats: dict[str, Any]) -> pd.DataFrame:
    row: dict[str, Any] = {f"o{i}": [None] for i in range(len(job.released))}
    row.update({f"i{i}": [None] for i in range(len(job.columns))})
    row.update({"__row": [-1], "__keep": [False], "__person": [None]})
    row["__stats"] = [json.dumps({k: dict(v) if k != "masked" else {c: dict(n) for c, n in v.items()}
                                  for k, v in stats.items()}, ensure_ascii=False)]
    return pd.DataFrame(row)


def merge_stats(rows: list[str]) -> dict[str, Any]:
    """The partitions' stats rows, added up."""
    total: dict[str, Any] = {"missing": Counter(), "invalid": Counter(), "masked": {}}
    for text in rows:
        part = json.loads(text)
        total["missing"].update(part["missing"])
        total["invalid"].update(part["invalid"])
        for slot, counts in part["masked"].items():
            total["masked"].setdefault(slot, Counter()).update(counts)
    return total
