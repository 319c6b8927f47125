"""``run_dp_aggregate``: one DP release, from a text table to a noisy table and a ledger entry.

Order matters and is the point of this module:

1. check the frame has the declared columns and load the public key sets (config errors);
2. ask the ledger whether the release fits — refused *before any data is parsed*;
3. parse measure columns and id cells (input errors name column and count, never values);
4. take the ledger's write lock and check the budget again (``BEGIN IMMEDIATE``; a concurrent
   run that took the last budget makes this refuse);
5. under one diffprivlib ``BudgetAccountant`` for the run (it refuses any over-spend of the
   declared ε/δ by our own glue) and with ``PrivacyLeakWarning`` as an error: bound
   contributions, discover keys if asked, map rows to public cells, add noise per measure;
6. post-process, flag and serialize; only then is the spend recorded (with the output's hash)
   and the lock released. A failure anywhere in 4–6 rolls the spend back: nothing was
   released, so nothing is spent (a release never exists without its spend).
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from diffprivlib.accountant import BudgetAccountant

from anonymizer.dp import measures as ms
from anonymizer.dp.bounding import bound_contributions
from anonymizer.dp.budget import ApproxDP
from anonymizer.dp.discovery import discover_keys
from anonymizer.dp.keys import KeySet, cell_index, key_frame, load_key_file
from anonymizer.dp.ledger import Ledger
from anonymizer.dp.mechanisms import leaks_are_errors
from anonymizer.dp.postprocess import consistent_counts, flag_cells
from anonymizer.dp.result import DpResult, table_csv
from anonymizer.dp.rng import DpRandom
from anonymizer.dp.spec import CountMeasure, DpAggregateSpec, HistogramMeasure
from anonymizer.dp.values import parse_numeric
from anonymizer.errors import ConfigError, InputError
from anonymizer.i18n import N_, _
from anonymizer.progress import ProgressFactory, no_progress


def data_columns(spec: DpAggregateSpec) -> list[str]:
    """The columns the release reads besides the id: group-by and measure columns, once each."""
    wanted = [g.column for g in spec.group_by]
    wanted += [m.column for m in spec.measures if not isinstance(m, CountMeasure)]
    return list(dict.fromkeys(wanted))


def _require_columns(frame: pd.DataFrame, spec: DpAggregateSpec, ids: bool = True) -> None:
    """``ids``: the id column too (not in a summary of rows already bounded)."""
    wanted = data_columns(spec)
    if spec.privacy_unit.id_column and ids:
        wanted.append(spec.privacy_unit.id_column)
    missing = [c for c in dict.fromkeys(wanted) if c not in frame.columns]
    if missing:
        raise InputError(
            _(
                "input has no column(s) {map}; it has {map2}"
            ).format(
                map=', '.join(map(repr, missing)),
                map2=', '.join(map(repr, map(str, frame.columns))),
            )
        )


def _public_keys(spec: DpAggregateSpec, rules_directory: Path | str | None) -> dict[str, KeySet]:
    out: dict[str, KeySet] = {}
    for g in spec.group_by:
        if g.keys_file is not None:
            out[g.column] = load_key_file(g.column, g.keys_file, rules_directory)
        elif g.keys is not None:
            out[g.column] = KeySet(g.column, g.keys, "inline")
    return out


def row_numbers(frame: pd.DataFrame) -> np.ndarray:
    """The rows' numbers the bounding hashes: the index when it numbers the input's rows (the
    engines' tables), else the positions."""
    if pd.api.types.is_integer_dtype(frame.index.dtype):
        return frame.index.to_numpy(dtype=np.int64)
    return np.arange(len(frame), dtype=np.int64)


def _check_cells(sizes: list[int], limit: int) -> int:
    n = math.prod(sizes)
    if n > limit:
        raise ConfigError(
            _("dp_aggregate: {n} cells exceed max_cells {limit}; use coarser keys").format(
                n=n, limit=limit
            )
        )
    return n


def run_dp_aggregate(
    frame: pd.DataFrame,
    spec: DpAggregateSpec,
    ledger: Ledger,
    population: str,
    dataset: str,
    rng: DpRandom | None = None,
    rules_directory: Path | str | None = None,
    progress: ProgressFactory = no_progress,
    weight: np.ndarray | None = None,
) -> DpResult:
    """Release ``spec`` over ``frame`` against ``population``'s budget in ``ledger``.

    ``progress``: a bar over the measures (and key discoveries) as their noise is drawn.
    ``weight``: ``frame`` is a summary of rows already bounded per person — its distinct
    rows, in the order of their first row, each standing for ``weight[i]`` rows (the Spark
    engine's, :mod:`anonymizer.engine.spark.dp`); the exact aggregates, and so the release,
    are those of the rows it summarizes."""
    rng = rng or DpRandom.secure()
    _require_columns(frame, spec, ids=weight is None)
    public = _public_keys(spec, rules_directory)
    _check_cells([len(k.keys) for k in public.values()], spec.max_cells)
    ledger.check(population, spec.budget)

    values: dict[tuple[str, str], np.ndarray] = {}
    for m in spec.measures:
        if not isinstance(m, CountMeasure) and (m.column, m.missing) not in values:
            values[(m.column, m.missing)] = parse_numeric(
                frame[m.column], m.column, m.missing, weight
            )
    unit = spec.privacy_unit
    if unit.id_column and weight is None:  # validates ids (empty cells) before the spend
        keep = bound_contributions(
            frame[unit.id_column], unit.rows_per_unit, rng.bounding_key, unit.id_column,
            row_numbers(frame),
        )  # fmt: skip
    else:
        keep = np.ones(len(frame), dtype=bool)

    key_sources = {c: k.source for c, k in public.items()}
    queries: dict[str, Any] = {"spec": spec.model_dump(mode="json"), "key_sources": key_sources}
    with ledger.spending(
        population, dataset, spec.budget, queries, insecure_seed=rng.insecure_seed
    ) as pending:
        drawn = _draw(frame, spec, public, values, keep, rng, progress, weight)
        pending.outputs["table.csv"] = hashlib.sha256(drawn.csv).hexdigest()
    assert pending.status is not None
    return DpResult(
        table=drawn.table,
        release_id=pending.release_id,
        population=population,
        dataset=dataset,
        spent=spec.budget,
        status=pending.status,
        measures=tuple(drawn.outputs[m.output_name()].report for m in spec.measures),
        cell_error_bounds=drawn.bounds,
        flagged=drawn.flagged,
        key_sources={c: public[c].source for c in (g.column for g in spec.group_by)},
        insecure_seed=rng.insecure_seed,
        discovery=drawn.discovery,
        csv=drawn.csv,
    )


class _Drawn(NamedTuple):
    table: pd.DataFrame
    outputs: dict[str, ms.Output]
    bounds: pd.DataFrame
    flagged: Any
    csv: bytes
    discovery: dict[str, Any] | None


def _draw(
    frame: pd.DataFrame,
    spec: DpAggregateSpec,
    public: dict[str, KeySet],
    values: dict[tuple[str, str], np.ndarray],
    keep: np.ndarray,
    rng: DpRandom,
    progress: ProgressFactory = no_progress,
    weight: np.ndarray | None = None,
) -> _Drawn:
    """Draw the noise and serialize the table (inside the ledger's spend)."""
    alloc = spec.allocation()
    unit = spec.privacy_unit
    accountant = BudgetAccountant(epsilon=spec.epsilon, delta=spec.delta)
    k, rs = unit.rows_per_unit, rng.random_state
    rows = np.flatnonzero(keep)
    discovery: dict[str, Any] | None = None
    discover = [g.column for g in spec.group_by if g.discover]
    steps = len(discover) + len(spec.measures)
    with leaks_are_errors(), progress(N_("differential privacy"), steps, N_("measures")) as bar:
        if discover:
            part = alloc["_key_discovery"]
            accountant.spend(part.epsilon, part.delta)
            each = ApproxDP(part.epsilon / len(discover), part.delta / len(discover))
            found_info: dict[str, dict[str, float]] = {}
            for col in discover:
                found, tau = discover_keys(
                    frame[col].iloc[rows], col, each, k, rs,
                    None if weight is None else weight[rows],
                )  # fmt: skip
                public[col] = found
                found_info[col] = {"keys": len(found.keys), "threshold": tau}
                bar.update(1)
            discovery = {"columns": found_info, "epsilon": part.epsilon, "delta": part.delta}
        key_sets = [public[g.column] for g in spec.group_by]
        n_cells = _check_cells([len(s.keys) for s in key_sets], spec.max_cells)
        codes = [s.codes(frame[s.column])[rows] for s in key_sets]
        flat, in_keys = cell_index(codes, [len(s.keys) for s in key_sets], len(rows))
        used = rows[in_keys]
        cells = ms.Cells(flat, n_cells, k, rs, None if weight is None else weight[used])

        outputs: dict[str, ms.Output] = {}
        shared = None
        ordered = sorted(spec.measures, key=lambda m: not isinstance(m, CountMeasure))
        for m in ordered:
            b = alloc[m.output_name()]
            accountant.spend(b.epsilon, b.delta)
            if isinstance(m, CountMeasure):
                outputs[m.output_name()], shared = ms.count(m, cells, b)
                bar.update(1)
                continue
            v = values[(m.column, m.missing)][used]
            if m.type == "sum":
                outputs[m.output_name()] = ms.sum_(m, cells, v, b)  # type: ignore[arg-type]
            elif m.type == "mean":
                outputs[m.output_name()] = ms.mean(m, cells, v, b, shared)  # type: ignore[arg-type]
            elif isinstance(m, HistogramMeasure):
                outputs[m.output_name()] = ms.histogram(m, cells, v, b)
            else:
                outputs[m.output_name()] = ms.quantile(m, cells, v, b)  # type: ignore[arg-type]
            bar.update(1)

    keys = key_frame(key_sets)
    table = keys.copy()
    bounds = pd.DataFrame(index=table.index)
    for m in spec.measures:
        out = outputs[m.output_name()]
        for name, values_ in out.columns.items():
            table[name] = _post(m, values_, spec)
        for name, b_arr in out.bounds.items():
            bounds[name] = b_arr
    flagged = flag_cells(keys, table, bounds, spec.flag_error_share)
    csv = table_csv(table)
    return _Drawn(table, outputs, bounds, flagged, csv, discovery)


def _post(m: Any, col: np.ndarray, spec: DpAggregateSpec) -> np.ndarray:
    """Post-processing per measure type (no privacy cost)."""
    pp = spec.post_processing
    if m.type == "count":
        if pp.total is not None:
            return consistent_counts(col, pp.total)
        return np.maximum(col, 0) if pp.non_negative else col
    if m.type == "histogram":
        return np.maximum(col, 0) if pp.non_negative else col
    if m.type == "sum":
        if pp.non_negative and m.lower >= 0:
            col = np.maximum(col, 0.0)
        return np.rint(col).astype(np.int64) if pp.integers else np.round(col, pp.decimals)
    return np.round(col, pp.decimals)


__all__ = ["data_columns", "row_numbers", "run_dp_aggregate"]
