"""The files of a release besides the data: report.json, datapackage.json, metadata.json,
manifest.json and report.html. All built from typed records; no raw value enters them.
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
from anonymizer.report import render_html

if TYPE_CHECKING:
    from anonymizer.io import Table
    from anonymizer.pipeline.run import Plan, RunOptions

_ENCODING_LABEL = {"utf-8-sig": "UTF-8 (BOM付き)", "utf-8": "UTF-8", "cp932": "Shift_JIS (CP932)"}


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
