"""The files of a release besides the data: report.json, datapackage.json, metadata.json,
manifest.json and report.html. All built from typed records; no raw value enters them.

The release folder gets the *public* report (:func:`anonymizer.report.public.public_report`:
nothing from input cells). The internal report — masked examples, values by shape, row
numbers — is written outside it, to ``OUT/<name>.internal/`` (:func:`internal_dir`), and the
manifest names it only by its hash.

A ``pseudonymized`` release (仮名加工情報, internal use only) gets no open-data metadata and no
licence: no datapackage.json, no metadata.json; its manifest and report say 仮名加工情報.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from anonymizer.pipeline.release import (
    LICENSES,
    ReleaseWriter,
    csv_bytes,
    json_bytes,
    neutralize_formulas,
)
from anonymizer.fsutil import atomic_write_bytes
from anonymizer.report import render_html
from anonymizer.report.public import public_report

if TYPE_CHECKING:
    from anonymizer.io import Table
    from anonymizer.pipeline.run import Plan, RunOptions

#: how a 仮名加工情報 release is labelled wherever it is described
PSEUDONYMIZED_LABEL = "仮名加工情報（社内での利用に限る。第三者提供・公開はできません）"
_ENCODING_LABEL = {"utf-8-sig": "UTF-8 (BOM付き)", "utf-8": "UTF-8", "cp932": "Shift_JIS (CP932)"}


def internal_dir(out_dir: Path, name: str) -> Path:
    """Where a release's internal report goes: beside the release folder, never in it."""
    return out_dir / f"{name}.internal"


def write(writer: ReleaseWriter, plan: Plan, table: Table, out: pd.DataFrame, rep: dict[str, Any], opts: RunOptions) -> None:
    """``rep`` is the run's full (internal) report."""
    spec = plan.spec
    safe, neutralized = neutralize_formulas(out)
    rep["output"]["formulas_neutralized"] = neutralized
    data = csv_bytes(safe, spec.output.encoding)
    data_sha = writer.add(spec.output.file, data)
    rep["output"]["sha256"] = data_sha
    internal = json_bytes(rep)
    internal_html = render_html(rep).encode("utf-8")
    public = public_report(rep)
    if spec.purpose == "anonymized":
        _open_data_metadata(writer, spec, safe, out, data, data_sha, public)
    writer.add("report.json", json_bytes(public))
    writer.add("report.html", render_html(public).encode("utf-8"))
    manifest = {
        "anonymizer": rep["provenance"]["versions"].get("anonymizer"),
        "generated_at": rep["provenance"]["generated_at"],
        "purpose": spec.purpose,
        "classification": "匿名加工情報（オープンデータ）" if spec.purpose == "anonymized" else PSEUDONYMIZED_LABEL,
        "pipeline": public["pipeline"],
        "input": {"file": plan.input_path.name, "sha256": rep["input"]["sha256"], "encoding": table.encoding, "rows": rep["input"]["rows"]},
        "outputs": {name: hashlib.sha256(blob).hexdigest() for name, blob in writer.files.items()},
        # the internal report lives outside the release folder; named here only by its hash
        "internal_report": {"report.json": hashlib.sha256(internal).hexdigest()},
        "versions": rep["provenance"]["versions"],
        "rules_sha256": rep["provenance"]["rules_sha256"],
        "operators": {c["name"]: c["actions"] for c in public["input"]["columns"]},
        "steps": public["steps"],
        "key_id": plan.key_id,
        "pseudonym_key": plan.key_kind,
        "seed": opts.seed,
        "gate": public["gate"],
    }
    writer.add("manifest.json", json_bytes(manifest))
    where = internal_dir(opts.out_dir, spec.name)
    atomic_write_bytes(where / "report.json", internal)
    atomic_write_bytes(where / "report.html", internal_html)


def _open_data_metadata(
    writer: ReleaseWriter,
    spec: Any,
    safe: pd.DataFrame,
    out: pd.DataFrame,
    data: bytes,
    data_sha: str,
    rep: dict[str, Any],
) -> None:
    """datapackage.json (Frictionless) and metadata.json (DCAT-like), open data only."""
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
