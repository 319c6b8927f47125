"""The files of a release besides the data: report.json, datapackage.json, metadata.json,
manifest.json and report.html. All built from typed records; no raw value enters them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from anonymizer.pipeline.appi import appi_checklist
from anonymizer.pipeline.release import LICENSES, ReleaseWriter, csv_bytes, json_bytes, neutralize_formulas, sha256_file
from anonymizer.rules import rules_dir
from anonymizer.labels import load_labels
from anonymizer.scan import scan_frame
from anonymizer.scan.examples import shape

if TYPE_CHECKING:
    from anonymizer.io import Table
    from anonymizer.pipeline.gate import GateResult
    from anonymizer.pipeline.run import Plan, RunOptions
    from anonymizer.steps import StepResult

SCHEMA_VERSION = "1.0"
REPORT_SAMPLE = 200
_ENCODING_LABEL = {"utf-8-sig": "UTF-8 (BOM付き)", "utf-8": "UTF-8", "cp932": "Shift_JIS (CP932)"}


def rules_hashes() -> dict[str, str]:
    base = rules_dir()
    return {
        str(p.relative_to(base)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(base.rglob("*")) if p.is_file() and p.suffix in (".yaml", ".yml", ".csv", ".txt")
    }


def versions(plan: Plan) -> dict[str, str]:
    out = {"anonymizer": version("anonymizer"), "pandas": version("pandas"), "diffprivlib": version("diffprivlib")}
    out.update(plan.detector.versions())
    return out


def report(
    plan: Plan,
    table: Table,
    frame: pd.DataFrame,
    out: pd.DataFrame,
    dropped: list[str],
    steps: list[StepResult],
    gate: GateResult,
    aggregate: bool,
    opts: RunOptions,
) -> dict[str, Any]:
    spec = plan.spec
    free = [c for c, cs in spec.columns.items() if cs.role == "free_text" and c not in dropped]
    profiles = {p.name: p for p in scan_frame(frame.drop(columns=free), plan.light, sample=REPORT_SAMPLE)}
    # free-text examples are shown as masked text: mask them with the detector that masked the
    # data (in accurate mode a name only NER finds would otherwise be published in the report)
    profiles.update({p.name: p for p in scan_frame(frame[free], plan.detector, sample=REPORT_SAMPLE)})
    columns = []
    for col, cs in spec.columns.items():
        prof = profiles.get(col)
        columns.append({
            "name": col,
            "role": cs.role,
            "entity": cs.entity,
            "actions": [op.describe() for op in plan.operators[col]],
            "released": col not in dropped,
            "detected": prof.entities if prof else {},
            "examples": _examples(prof.examples, cs.role == "free_text" and col not in dropped) if prof else [],
            "scanned_cells": prof.sampled if prof else 0,
        })
    masked = {
        col: dict(op.stats)
        for col, ops in plan.operators.items() for op in ops if getattr(op, "stats", None)
    }
    released = gate.passed
    reasons = gate.reasons()
    summary = (
        f"公開可: {len(out)}行・{len(out.columns)}列をゲートの全検査に合格して公開しました。"
        if released else f"公開不可: ゲート検査 {len(reasons)} 件に不合格のため、何も公開していません。"
    )
    return {
        "schema_version": SCHEMA_VERSION,
        # file names only: a local path (a home directory is often a staff name) is not published
        "pipeline": {"name": spec.name, "path": plan.path.name, "sha256": sha256_file(plan.path), "mode": spec.mode},
        "verdict": {"released": released, "summary": summary, "reasons": reasons},
        "input": {
            "file": plan.input_path.name,
            "sha256": sha256_file(plan.input_path),
            "encoding": table.encoding,
            "rows": len(frame),
            "columns": columns,
        },
        "detection": {"sampled_cells_per_column": REPORT_SAMPLE, "masked_in_free_text": masked, "residual": gate.checks[0].data if gate.checks else {}},
        "transformations": {
            "key_id": plan.key_id,
            "pseudonym_domain": (spec.pseudonym.domain or spec.name) if plan.key_id else None,
        },
        "steps": [dict(s.report) for s in steps],
        "gate": gate.to_dict(),
        "appi": appi_checklist(spec, plan.operators, steps, gate, aggregate),
        "output": {
            "file": spec.output.file,
            "rows": len(out),
            "columns": list(map(str, out.columns)),
            "encoding": spec.output.encoding,
            "aggregate": aggregate,
        },
        "provenance": {
            "versions": versions(plan),
            "rules_sha256": rules_hashes(),
            "seed": opts.seed,
            "key_id": plan.key_id,
            "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        },
    }


def _examples(examples: list[str], free_text: bool) -> list[str]:
    """Free text is shown as the scan masked it; any other column (and a dropped free-text
    column) only by its shape. The scan guesses free text from the header, so without this a
    column declared ``other`` but headed 備考… would show raw values — in a refusal, the very
    values that were refused."""
    if free_text:
        return examples
    placeholders = {load_labels().placeholder(e) for e in load_labels().labels}
    split = re.compile("(" + "|".join(map(re.escape, sorted(placeholders))) + ")")
    return [
        "".join(p if p in placeholders else shape(p) for p in split.split(e)) for e in examples
    ]


def write(writer: ReleaseWriter, plan: Plan, table: Table, out: pd.DataFrame, rep: dict[str, Any], opts: RunOptions) -> None:
    spec = plan.spec
    safe, neutralized = neutralize_formulas(out)
    rep["output"]["formulas_neutralized"] = neutralized
    data = csv_bytes(safe, spec.output.encoding)
    data_sha = writer.add(spec.output.file, data)
    rep["output"]["sha256"] = data_sha
    lic = LICENSES[spec.metadata.license]
    fields = [{"name": str(c), "type": "string"} for c in safe.columns]
    datapackage = {
        "profile": "tabular-data-package",
        "name": spec.name,
        "title": spec.metadata.title,
        "description": spec.metadata.description,
        "licenses": [lic],
        "created": spec.metadata.issued.isoformat(),
        "resources": [{
            "name": Path(spec.output.file).stem.lower().replace("_", "-"),
            "path": spec.output.file,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8" if spec.output.encoding.startswith("utf-8") else "cp932",
            "bytes": len(data),
            "hash": f"sha256:{data_sha}",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
            "schema": {"fields": fields},
        }],
    }
    metadata = {
        "title": spec.metadata.title,
        "description": spec.metadata.description,
        "publisher": spec.metadata.publisher,
        "contact": spec.metadata.contact,
        "license": {"id": lic["name"], "title": lic["title"], "url": lic["path"]},
        "spatial": {"local_government_code": spec.metadata.municipality_code},
        "temporal": spec.metadata.temporal,
        "issued": spec.metadata.issued.isoformat(),
        "keywords": list(spec.metadata.keywords),
        "conforms_to": spec.standard,
        "distribution": [{
            "file": spec.output.file,
            "format": "CSV",
            "media_type": "text/csv",
            "encoding": _ENCODING_LABEL[spec.output.encoding],
            "byte_size": len(data),
            "sha256": data_sha,
            "rows": len(out),
        }],
        "protection": {
            "method": "個人情報保護法の匿名加工（加工基準の各措置）と公開前ゲート検査",
            "columns": {c["name"]: [a["operator"] for a in c["actions"]] for c in rep["input"]["columns"]},
            "steps": [s.get("type") for s in rep["steps"]],
            "gate": "passed",
        },
    }
    writer.add("datapackage.json", json_bytes(datapackage))
    writer.add("metadata.json", json_bytes(metadata))
    writer.add("report.json", json_bytes(rep))
    from anonymizer.report import render_html

    writer.add("report.html", render_html(rep).encode("utf-8"))
    manifest = {
        "anonymizer": rep["provenance"]["versions"].get("anonymizer"),
        "generated_at": rep["provenance"]["generated_at"],
        "pipeline": rep["pipeline"],
        "input": {"file": plan.input_path.name, "sha256": rep["input"]["sha256"], "encoding": table.encoding, "rows": rep["input"]["rows"]},
        "outputs": {name: hashlib.sha256(blob).hexdigest() for name, blob in writer.files.items()},
        "versions": rep["provenance"]["versions"],
        "rules_sha256": rep["provenance"]["rules_sha256"],
        "operators": {c["name"]: c["actions"] for c in rep["input"]["columns"]},
        "steps": rep["steps"],
        "key_id": plan.key_id,
        "seed": opts.seed,
        "gate": rep["gate"],
    }
    writer.add("manifest.json", json_bytes(manifest))
