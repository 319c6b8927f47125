"""Run a pipeline: validate everything, read, transform, gate, release (or refuse).

Order matters for failing closed: the pipeline, its operators, steps, key and output target
are all checked before any data is read; the input's columns are checked against the
declarations before any transformation; nothing is written to the release directory until
the gate has passed, and then it appears in one rename.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

import pandas as pd

from anonymizer.detect import Detector
from anonymizer.engine import engine_of, transform
from anonymizer.engine.base import LocalChecks
from anonymizer.errors import ConfigError, GateRefused, InputError, UsageError
from anonymizer.fsutil import atomic_write_bytes
from anonymizer.i18n import N_, _
from anonymizer.io.parts import file_name, is_uri
from anonymizer.io.rows import begin as begin_rows
from anonymizer.io.rows import describe_rows
from anonymizer.io.rows import end as end_rows
from anonymizer.match import DenyEntry
from anonymizer.match.names import joined_names
from anonymizer.operators import Operator, OperatorContext, build_operator, drops_column
from anonymizer.operators._common import MAX_ROWS_IN_ERROR, InvalidCells, row_numbers
from anonymizer.pipeline import gate as gates
from anonymizer.pipeline import headers as gate_headers
from anonymizer.pipeline import outputs as build_outputs
from anonymizer.pipeline.plan import Plan, RunOptions, RunResult
from anonymizer.pipeline.publication import publication_check
from anonymizer.pipeline.release import ReleaseWriter, in_released_order, json_bytes
from anonymizer.pipeline.spec import PipelineSpec, load_pipeline
from anonymizer.policy import Released, free_text_review, policy_of, reidentification
from anonymizer.policy.measure import LocalTable
from anonymizer.profiles import load_profile, profile_check
from anonymizer.progress import labelled, terminal_progress
from anonymizer.release import ReleaseLock
from anonymizer.report.build import REPORT_SAMPLE, build_report, profile_input
from anonymizer.steps import StepResult, build_step

log = logging.getLogger(__name__)


def hunted_values(
    spec: PipelineSpec, frame: pd.DataFrame, public: dict[str, gates.PublicCells]
) -> dict[str, list[str]]:
    """The identifier values the gate looks for in every released cell: each hunted column's
    values outside its public rows (published as they are), a name held in two columns as the
    row's joined name (a part alone is no one's name: :mod:`anonymizer.match.names`)."""
    pairs = spec.name_pairs()
    out = {c: gates.private_values(frame[c], public.get(c)) for c in spec.whole_value_columns()}
    joined = joined_names({c: frame[c] for pair in pairs for c in pair}, pairs)
    for (family, _given), (label, values) in zip(pairs, joined.items(), strict=True):
        out[label] = gates.private_values(values, public.get(family))
    return out


def _input(
    spec: PipelineSpec, opts: RunOptions, path: Path, src: str
) -> tuple[Path, str | None]:
    """(the input's path — for an input at a URI, its name only —, the URI or None). A
    directory of part files or a URI is read by the Spark engine only; a local input must
    exist (ConfigError naming ``src``'s input.path)."""
    spark = engine_of(spec, opts) == "spark"
    if is_uri(spec.input.path):
        if not spark:
            raise ConfigError(
                _(
                    "{src}: input.path: {path} is a URI; an input at a URI is read by the "
                    "Spark engine (engine: spark, or anonymizer run --engine spark)"
                ).format(src=src, path=spec.input.path)
            )
        name = file_name(spec.input.path)
        return Path(name or "input"), spec.input.path  # listed and read by the engine
    input_path = (path.parent / spec.input.path).resolve()
    if input_path.is_dir() and not spark:
        raise ConfigError(
            _(
                "{src}: input.path: {path} is a directory; a directory of part files is read "
                "by the Spark engine (engine: spark, or anonymizer run --engine spark)"
            ).format(src=src, path=spec.input.path)
        )
    if not input_path.is_file() and not input_path.is_dir():
        raise ConfigError(
            _("{src}: input.path: file not found ({path})").format(src=src, path=spec.input.path)
        )
    return input_path, None


def prepare(opts: RunOptions) -> Plan:
    path = opts.pipeline
    spec = load_pipeline(path)
    src = str(path)
    input_path, input_uri = _input(spec, opts, path, src)
    needs_key = any(
        name == "pseudonymize" for cs in spec.columns.values() for name, _ in cs.operator_calls()
    )
    key = key_id = None
    key_kind = "none"
    if spec.purpose == "anonymized" and opts.key_file is not None:
        raise UsageError(
            _(
                "{src}: --key-file: a persistent pseudonym key is for purpose pseudonymized "
                "(仮名加工情報, internal use) only; an anonymized release (匿名加工情報) uses a per-release "
                "key that is never stored, so its pseudonyms link nothing outside it"
            ).format(src=src)
        )
    if needs_key and spec.purpose == "anonymized":
        from anonymizer.keys import release_key

        key = release_key(opts.seed)
        key_kind = "per_release" if opts.seed is None else "per_release_insecure_seed"
    elif needs_key:
        from anonymizer.keys import key_id as make_key_id
        from anonymizer.keys import load_key

        key = load_key(opts.key_file, env=spec.pseudonym.key_env)
        key_id = make_key_id(key)
        key_kind = "persistent"
    detector = Detector(spec.mode, workers=opts.workers)
    light = detector if spec.mode == "fast" else Detector("fast")
    operators = build_operators(spec, src, key, key_kind, opts.seed, detector, light)
    steps = [build_step(s.type, s.params(), f"{src}: steps[{i}]") for i, s in enumerate(spec.steps)]
    for col, ops in operators.items():
        for i, op in enumerate(ops):
            unknown = [r for r in op.references() if r not in spec.columns]
            if unknown:
                raise ConfigError(
                    _(
                        "{src}: columns.{column}.actions[{i}]: reference column(s) {unknown} are "
                        "not declared columns"
                    ).format(src=src, column=col, i=i, unknown=unknown)
                )
    for i, c in enumerate(spec.output.columns or ()):
        name = c if isinstance(c, str) else c.source
        if drops_column(operators[name]):
            raise ConfigError(
                _("{src}: output.columns[{i}]: {name!r} is dropped by its actions").format(
                    src=src, i=i, name=name
                )
            )
    for step in steps:
        step.preflight(path)
    profile = (
        load_profile(spec.output.profile, f"{src}: output.profile") if spec.output.profile else None
    )
    for i, step in enumerate(steps):
        own = getattr(step, "profile", None)  # a step that writes a standard layout
        if own is not None and (profile is None or own.id != profile.id):
            raise ConfigError(
                _(
                    "{src}: output.profile: steps[{i}] writes the layout {id!r}; declare "
                    "output.profile: {id} so the gate checks it"
                ).format(src=src, i=i, id=own.id)
            )
    if (opts.out_dir / spec.name).exists() and not opts.force:
        ReleaseWriter(opts.out_dir, spec.name, force=False)  # raises the clear error
    return Plan(
        spec, path, input_path, operators, steps, key, key_id, detector, light, key_kind, profile,
        input_uri,
    )  # fmt: skip


def build_operators(
    spec: PipelineSpec,
    src: str,
    key: bytes | None,
    key_kind: str,
    seed: int | None,
    detector: Detector,
    light: Detector,
) -> dict[str, list[Operator]]:
    """Every column's operators, validated (errors name ``src``'s YAML path); an engine
    builds them again where it processes rows (a Spark executor), from the same inputs."""
    operators: dict[str, list[Operator]] = {}
    identifiers = spec.hunted_columns()
    deny = deny_entries(spec)
    for col, cs in spec.columns.items():
        ctx = OperatorContext(
            column=col,
            entity=cs.entity,
            key=key,
            domain=spec.pseudonym.domain or spec.name,
            # no reference date: ages are taken at the record's own date (reference_column)
            # or at a date the pipeline states, never at the publication date
            detector=detector,
            seed=seed,
            # mask_text looks for the record's own identifier values in free text
            extras={
                "rescan_detector": light,
                "identifiers": identifiers,
                "numbered_only": spec.numbered_only(),
                "name_pairs": tuple(spec.name_pairs()),
                "deny": deny.get(col, ()),
                # a value may be split over two free-text cells of one row
                "free_text_columns": tuple(
                    c for c, other in spec.columns.items() if other.role == "free_text"
                ),
                # anonymized: one pseudonym per person (the person column), not per value
                "person_column": spec.person_column if spec.purpose == "anonymized" else None,
                "key_kind": key_kind,
            },
        )
        operators[col] = [
            build_operator(name, params, ctx, f"{src}: columns.{col}.actions[{i}]")
            for i, (name, params) in enumerate(cs.operator_calls())
        ]
    return operators


def deny_entries(spec: PipelineSpec) -> dict[str, list[DenyEntry]]:
    """``gate.deny`` by column."""
    out: dict[str, list[DenyEntry]] = {}
    for d in spec.gate.deny:
        out.setdefault(d.column, []).append(DenyEntry(d.column, d.entity, d.terms, d.patterns))
    return out


def check_columns(plan: Plan, columns: list[str]) -> None:
    src = str(plan.path)
    undeclared = [c for c in columns if c not in plan.spec.columns]
    if undeclared:  # headers are data: never quote one that looks like a value
        raise gate_headers.undeclared_error(plan.path, plan.input_path, columns, plan.spec.columns, plan.light)
    missing = [c for c in plan.spec.columns if c not in columns]
    if missing:
        raise ConfigError(
            _("{src}: columns: {map} not in the input file").format(
                src=src, map=', '.join(map(repr, missing))
            )
        )
    kept = [c for c in columns if not drops_column(plan.operators[c])]
    for step in plan.steps:
        step.check_columns(kept)
        kept = step.columns_after(kept)


def person_ids(plan: Plan, frame: pd.DataFrame) -> pd.Series | None:
    """The person identifier of every input row (None: no person column, a row is a person).

    A row without one cannot be counted (it may be anyone's), so it stops the run."""
    col = plan.spec.person_column
    if col is None:
        return None
    ids = frame[col].astype("string").str.strip()
    missing = (ids.isna() | (ids == "")).to_numpy(dtype=bool)
    if missing.any():
        rows = describe_rows(row_numbers(frame.index, missing), int(missing.sum()) > MAX_ROWS_IN_ERROR)
        raise InputError(
            _(
                "{path}: person_column: {column!r} is empty in {count} row(s) ({rows}); every "
                "row needs the identifier of its person"
            ).format(path=plan.path, column=col, count=int(missing.sum()), rows=rows)
        )
    return ids


def _apply(
    plan: Plan,
    col: str,
    frame: pd.DataFrame,
    values: pd.Series,
    invalid: dict[str, pd.Index] | None = None,
) -> pd.Series:
    """The column's operators in order; an operator that reads other columns of the row gets
    their raw input values. Cells an operator cannot read stop the run, or — by the column's
    ``on_invalid`` — are read as empty (and counted in ``invalid``) or their rows suppressed."""
    policy = plan.spec.columns[col].invalid_policy(plan.spec.input.on_invalid)
    for i, op in enumerate(plan.operators[col]):
        refs = op.references()
        while True:
            try:
                if not refs:
                    values = op.apply(values)
                else:
                    values = op.apply_with(values, {r: frame[r].astype("string") for r in refs})
                break
            except InvalidCells as err:
                if policy == "error" or invalid is None or not len(err.cells):
                    hint = _(" (or set columns.{column}.on_invalid: missing | suppress_row)").format(
                        column=col
                    )
                    where = _("{path}: columns.{column}.actions[{i}]: ").format(
                        path=plan.path, column=col, i=i
                    ) if refs else ""
                    raise InvalidCells(where + err.message + hint, err.cells) from None
                values = values.copy()
                values.loc[err.cells] = pd.NA  # read as empty, then the operator again
                invalid[col] = invalid.get(col, pd.Index([])).union(err.cells)
            except (InputError, ConfigError) as err:
                if not refs:
                    raise
                raise type(err)(f"{plan.path}: columns.{col}.actions[{i}]: {err.message}") from None
    return values


def run_pipeline(opts: RunOptions) -> RunResult:
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    plan = prepare(opts)
    spec = plan.spec
    # bars on stderr when asked (the CLI decides): labels and counts only, never a header
    progress = terminal_progress(opts.progress)
    lock = ReleaseLock(opts.out_dir, spec.name)
    # the engine names rows as the steward sees them once it has read the table (io.rows);
    # this run's numbering ends with it
    rows_token = begin_rows(None)
    try:
        lock.acquire(wait=opts.wait)  # one run per pipeline and directory; cleans stale temporaries
        # the engine reads, applies the operators and runs the steps (anonymizer/engine)
        done = transform(plan, opts, progress, timings)
        table, frame, missing, persons = done.table, done.frame, done.missing, done.persons
        out, before_steps, dropped = done.out, done.before_steps, done.dropped
        ner_done, generated, pseudonym = done.ner_done, done.generated, done.pseudonym
        invalid_report, step_results, sources = done.invalid_report, done.step_results, done.sources
        public, generalized_by_steps, aggregate = done.public, done.generalized_by_steps, done.aggregate

        out, sources, ner_done = _select_output_columns(spec, out, sources, ner_done)

        t = time.perf_counter()
        infos = {
            c: gates.OutputColumnInfo(
                c,
                sources[c],
                spec.columns[sources[c]].role if sources[c] in spec.columns else "other",
                ner_done.get(c, False),
                generated.get(sources[c], False),
            )
            for c in out.columns
        }
        result = gates.GateResult()
        plan.detector.progress = plan.light.progress = labelled(progress, N_("re-scan"))
        # the checks that read every released cell run where the engine holds the rows
        rows = done.checks if done.checks is not None else LocalChecks(frame)
        result.checks.append(
            rows.rescan(
                out, infos, spec.gate, plan.detector, plan.light, deny_entries(spec), public,
                place=_place_names(spec),
            )
        )
        numbered = sorted(spec.numbered_only())
        free = [c for c, i in infos.items() if i.role == "free_text"]
        addresses = [c for c, cs in spec.columns.items() if cs.entity == "JP_ADDRESS"]
        timings["gate_rescan"] = time.perf_counter() - t
        result.checks.append(rows.raw_values(out, spec, public, free, addresses, numbered))
        timings["gate_raw_values"] = time.perf_counter() - t - timings["gate_rescan"]
        result.checks.append(
            gate_headers.headers_check(
                out, spec.gate.fail_on, spec.gate.min_score, plan.detector, {}, numbered,
                raw=lambda f: rows.raw_values(
                    f, spec, public, numbered_only=numbered, headers=True
                ),
            )
        )
        # no placeholder title, publisher or 全国地方公共団体コード in what the city publishes
        result.checks.append(publication_check(spec, plan.input_path, str(plan.path)))
        t_policy = time.perf_counter()
        profiles = profile_input(plan, rows.facts(REPORT_SAMPLE), dropped)
        # the released table where the engine holds its rows: counted there
        released_table = rows.held(out, persons)
        policy = policy_of(spec)
        measured: list[str] = []
        if not aggregate:
            released = {
                c: Released(c, i.source, i.role, generated.get(i.source, False), pseudonym.get(i.source, False))
                for c, i in infos.items()
            }
            # before the steps: where the engine left it (the executors', or this process's)
            before = (
                LocalTable(before_steps, persons)
                if isinstance(before_steps, pd.DataFrame)
                else rows.held(before_steps, persons)
            )
            # the rows a select_rows step leaves out are outside what is published (its
            # report lists them), not records suppressed to reach k
            unselected = sum(
                int(r.report["rows_in"]) - int(r.report["rows_kept"])
                for r in step_results if r.report.get("type") == "select_rows"
            )  # fmt: skip
            check, chosen = reidentification(
                released_table, before, released, profiles, policy, len(frame) - unselected,
                sorted(generalized_by_steps), unselected=unselected,
            )  # fmt: skip
            measured = [m.column for m in chosen]
            result.checks.append(check)
            result.checks.append(free_text_review(spec, released, profiles))
        timings["gate_policy"] = time.perf_counter() - t_policy
        for res in step_results:
            result.checks.extend(res.checks)
        if spec.output.profile is not None:
            # the national layout the release declares, column for column
            # (a table the engine holds elsewhere is judged there: engine.spark.released)
            cells_of = None if isinstance(out, pd.DataFrame) else out.bad_cells
            result.checks.append(profile_check(out, plan.profile, _mark(step_results), cells_of))
        timings["gate"] = time.perf_counter() - t

        t = time.perf_counter()
        report = build_report(
            plan, table, rows.held_input(persons), released_table, dropped, step_results,
            result, aggregate, opts, profiles=profiles, measured=measured, missing=missing,
            invalid=invalid_report,
        )  # fmt: skip
        timings["report"] = time.perf_counter() - t
        if not result.passed:
            from anonymizer.report import render_html

            refusal = opts.out_dir / f"{spec.name}.refused.json"
            report = gate_headers.hide(report, result.checks)  # a header holding personal information
            atomic_write_bytes(refusal, json_bytes(report))
            # the reviewer's page for the refusal too (reasons, counts, rows — no values)
            atomic_write_bytes(refusal.with_suffix(".html"), render_html(report).encode("utf-8"))
            raise GateRefused(
                _("{path}: release refused, nothing was published:{reasons}\n  (details: {file})")
                .format(
                    path=plan.path,
                    reasons="".join(
                        "\n  - " + r for r in gate_headers.hide(result.reasons(), result.checks)
                    ),
                    file=refusal,
                ),
                refusal_file=refusal,
            )
        writer = ReleaseWriter(opts.out_dir, spec.name, opts.force)
        if not aggregate and spec.output.order == "released":
            # the input's row order is no one's to publish (a table the executors hold is
            # sorted there as it is written)
            if isinstance(out, pd.DataFrame):
                out = in_released_order(out)
            else:
                out = out.in_released_order()
        try:
            build_outputs.write(writer, plan, table, out, report, opts)
            target = writer.commit()
        except BaseException:
            writer.abort()
            raise
        # an earlier refusal of this pipeline no longer describes what is published
        for stale in (f"{spec.name}.refused.json", f"{spec.name}.refused.html"):
            (opts.out_dir / stale).unlink(missing_ok=True)
        return RunResult(True, target, result, report, time.perf_counter() - t0, len(frame), len(out), timings=timings)
    finally:
        end_rows(rows_token)
        plan.detector.close()
        lock.release()


def _select_output_columns(
    spec: PipelineSpec, out: pd.DataFrame, sources: dict[str, str], ner_done: dict[str, bool]
) -> tuple[pd.DataFrame, dict[str, str], dict[str, bool]]:
    if spec.output.columns is None:
        return out, sources, ner_done
    chosen: list[tuple[str, str]] = []
    for c in spec.output.columns:
        src, name = (c, c) if isinstance(c, str) else (c.source, c.name)
        if src not in out.columns:
            raise ConfigError(
                _(
                    "output.columns: {src!r} is not in the output (dropped or aggregated away)"
                ).format(src=src)
            )
        chosen.append((src, name))
    if isinstance(out, pd.DataFrame):
        new = pd.DataFrame({name: out[src] for src, name in chosen}, index=out.index)
    else:  # a table the engine holds elsewhere (engine.spark.released)
        new = out.chosen(chosen)
    return new, {name: sources[src] for src, name in chosen}, {name: ner_done.get(src, False) for src, name in chosen}


def _place_names(spec: PipelineSpec):  # type: ignore[no-untyped-def]
    """Is a cell a place name of (or within) the publishing municipality? (the gate's re-scan
    does not take 石田 in a 町丁 column for a surname)"""
    from anonymizer.gazetteer import load_gazetteer
    from anonymizer.pipeline.municipalities import name_of

    within = name_of(spec.metadata.municipality_code)
    gazetteer = load_gazetteer()
    return lambda value: gazetteer.is_place(value, within)


def _mark(results: list[StepResult]) -> str:
    """The mark suppressed cells are written as (the last step's legend), else the default."""
    for res in reversed(results):
        legend = res.report.get("legend") if isinstance(res.report, dict) else None
        if legend:
            return str(next(iter(legend)))
    from anonymizer.tables.spec import load_defaults

    return load_defaults().mark


def today() -> str:
    return dt.date.today().isoformat()
