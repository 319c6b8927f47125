"""Build report.json (the page's JSON twin) from the typed results of one pipeline run.

Every section is assembled from typed records — column profiles, operator descriptions, gate
checks, step results, the risk report — and the result is validated against the documented
schema (:mod:`anonymizer.report.schema`) before anyone renders or writes it. No raw value
enters: examples are masked, risky combinations show generalized values or shapes only.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from anonymizer.entities import SENSITIVE
from anonymizer.labels import load_labels
from anonymizer.pipeline.appi import appi_checklist
from anonymizer.pipeline.provenance import rules_hashes, versions
from anonymizer.pipeline.release import sha256_file, sha256_input
from anonymizer.policy.measure import HeldTable
from anonymizer.report.labels import vocabulary
from anonymizer.report.risk import released_names, risk_section
from anonymizer.report.schema import SCHEMA_VERSION
from anonymizer.report.steps import step_sections
from anonymizer.report.verdict import verdict
from anonymizer.scan.examples import shape
from anonymizer.scan.profile import ColumnFacts, ColumnProfile, profile_columns

if TYPE_CHECKING:
    from anonymizer.io import Table
    from anonymizer.pipeline.gate import GateResult
    from anonymizer.pipeline.plan import Plan, RunOptions
    from anonymizer.steps import StepResult

#: cells per column the detection profile samples (deterministically)
REPORT_SAMPLE = 200


def profile_input(
    plan: Plan, facts: list[ColumnFacts], dropped: list[str]
) -> dict[str, ColumnProfile]:
    """Scan profiles of the input columns (``facts``: counted where the engine holds the rows),
    read by the policy (which columns look quasi-identifying) and by the report (entities
    found, masked examples)."""
    free = {
        c for c, cs in plan.spec.columns.items() if cs.role == "free_text" and c not in dropped
    }
    structured = [f for f in facts if f.name not in free]
    profiles = {p.name: p for p in profile_columns(structured, plan.light)}
    # free-text examples are shown as masked text: mask them with the detector that masked the
    # data (in accurate mode a name only NER finds would otherwise be published in the report)
    profiles.update(
        {p.name: p for p in profile_columns([f for f in facts if f.name in free], plan.detector)}
    )
    return profiles


def build_report(
    plan: Plan,
    table: Table,
    before: HeldTable,
    out: HeldTable,
    dropped: list[str],
    steps: list[StepResult],
    gate: GateResult,
    aggregate: bool,
    opts: RunOptions,
    *,
    profiles: dict[str, ColumnProfile],
    measured: list[str],
    missing: dict[str, int] | None = None,
    invalid: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    spec = plan.spec
    words = vocabulary()
    released_as = {s: r for r, s in released_names(spec, out.columns).items()}
    columns = []
    for col, cs in spec.columns.items():
        prof = profiles.get(col)
        columns.append(
            {
                "name": col,
                "role": cs.role,
                "entity": cs.entity,
                "actions": [op.describe() for op in plan.operators[col]],
                "released": col not in dropped,
                "released_as": None if aggregate else released_as.get(col),
                "detected": prof.entities if prof else {},
                "examples": _examples(prof.examples, cs.role == "free_text" and col not in dropped)
                if prof
                else [],
                "scanned_cells": prof.sampled if prof else 0,
                # cells that said "no value" (不明, 住所不定 …) and were read as empty
                "missing_values": (missing or {}).get(col, 0),
                # cells no operator could read, and what on_invalid did with them
                "invalid_values": (invalid or {}).get(col, {}).get("cells", 0),
                "on_invalid": cs.invalid_policy(spec.input.on_invalid),
            }
        )
    masked = {
        col: dict(getattr(op, "stats"))  # noqa: B009 - mask_text's counts; other operators lack it
        for col, ops in plan.operators.items()
        for op in ops
        if getattr(op, "stats", None)
    }
    checks = {c.name: c for c in gate.checks}
    rescan, raw = checks.get("rescan"), checks.get("raw_values")
    residual = {
        "passed": bool(rescan and rescan.passed),
        "findings": rescan.data.get("findings", {}) if rescan else {},
        "scanned_with": rescan.data.get("scanned_with", {}) if rescan else {},
        "allow_listed": rescan.data.get("allow_listed", {}) if rescan else {},
        "raw_values": {
            "passed": bool(raw and raw.passed),
            "values_checked": int(raw.data.get("values_checked", 0)) if raw else 0,
            "problems": raw.data.get("problems", {}) if raw else {},
        },
    }
    # 要配慮個人情報 per category: replaced in free text, and still found in the output
    # (counts only: the public report carries them as they are)
    found = residual["findings"].values()
    in_output = {e: sum(int(t[e].get("cells", 0)) for t in found if e in t) for e in SENSITIVE}
    sensitive = {
        e: {"masked": sum(types.get(e, 0) for types in masked.values()), "in_output": in_output[e]}
        for e in SENSITIVE
    }
    rep = {
        "schema_version": SCHEMA_VERSION,
        # everything the run knows; the release folder gets report.public.public_report(rep)
        "audience": "internal",
        # file names only: a local path (a home directory is often a staff name) is not published
        "pipeline": {
            "name": spec.name,
            "title": spec.metadata.title,
            "purpose": spec.purpose,
            "path": plan.path.name,
            "sha256": sha256_file(plan.path),
            "mode": spec.mode,
        },
        "verdict": verdict(
            gate.passed, [c.to_dict() for c in gate.checks], len(out), len(out.columns), words
        ),
        "input": {
            "file": plan.input_path.name,
            "sha256": sha256_input(plan.input_uri or plan.input_path),
            "encoding": table.encoding,
            "rows": len(before),
            "columns": columns,
        },
        "detection": {
            "sampled_cells_per_column": REPORT_SAMPLE,
            "masked_in_free_text": masked,
            "sensitive": sensitive,
            "residual": residual,
        },
        "transformations": {
            "key_id": plan.key_id,
            "pseudonym_key": plan.key_kind,
            "pseudonym_domain": (spec.pseudonym.domain or spec.name) if plan.key_id else None,
        },
        "risk": risk_section(
            spec, plan.operators, before, out, steps, aggregate, measured,
            next((c for c in gate.checks if c.name == "reidentification"), None),
            next((c for c in gate.checks if c.name == "free_text_review"), None),
        ),
        "steps": step_sections(plan.steps, steps, plan.path),
        "gate": gate.to_dict(),
        "appi": appi_checklist(
            spec, plan.operators, steps, gate, aggregate,
            released={s for c, s in released_names(spec, out.columns).items()},
        ),
        "output": {
            "file": spec.output.file,
            "rows": len(out),
            "columns": out.columns,
            "encoding": spec.output.encoding,
            "aggregate": aggregate,
        },
        "provenance": {
            "versions": versions(plan.detector),
            "rules_sha256": rules_hashes(),
            "seed": opts.seed,
            "key_id": plan.key_id,
            "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
    }
    from anonymizer.report import validate_report

    validate_report(rep)  # the documented schema, or an error naming the field, not a page
    return rep


def _examples(examples: list[str], free_text: bool) -> list[str]:
    """Free text is shown as the scan masked it; any other column (and a dropped free-text
    column) only by its shape. The scan guesses free text from the header, so without this a
    column declared ``other`` but headed 備考… would show raw values — in a refusal, the very
    values that were refused."""
    if free_text:
        return examples
    placeholders = {load_labels().placeholder(e) for e in load_labels().labels}
    split = re.compile("(" + "|".join(map(re.escape, sorted(placeholders))) + ")")
    return ["".join(p if p in placeholders else shape(p) for p in split.split(e)) for e in examples]
