"""The files of a release besides the data: report.json, report.html, the catalogue records
(datapackage.json, metadata.json, ckan.json, dcat.jsonld: :mod:`anonymizer.portal`) and
manifest.json. All built from typed records; no raw value enters them.

The release folder gets the *public* report (:func:`anonymizer.report.public.public_report`:
nothing from input cells). The internal report — masked examples, values by shape, row
numbers — is written outside it, to ``OUT/<name>.internal/`` (:func:`internal_dir`), and the
manifest names it only by its hash.

A ``pseudonymized`` release (仮名加工情報, internal use only) gets no open-data metadata and no
licence: no datapackage.json, metadata.json, ckan.json or dcat.jsonld; its manifest and report
say 仮名加工情報.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from anonymizer.fsutil import atomic_write_bytes
from anonymizer.pipeline.release import (
    ReleaseWriter,
    csv_bytes,
    data_files,
    json_bytes,
    neutralize_formulas,
    neutralize_headers,
)
from anonymizer.portal.ckan import build_ckan
from anonymizer.portal.datapackage import FieldFacts, build_datapackage, column_hints
from anonymizer.portal.dcat import build_dcat
from anonymizer.portal.record import ENCODING_LABEL as _ENCODING_LABEL
from anonymizer.portal.record import File, make_record
from anonymizer.report import render_html
from anonymizer.report.public import public_report

if TYPE_CHECKING:
    from anonymizer.io import Table
    from anonymizer.pipeline.plan import Plan, RunOptions

#: how a 仮名加工情報 release is labelled wherever it is described
PSEUDONYMIZED_LABEL = "仮名加工情報（社内での利用に限る。第三者提供・公開はできません）"


def internal_dir(out_dir: Path, name: str) -> Path:
    """Where a release's internal report goes: beside the release folder, never in it."""
    return out_dir / f"{name}.internal"


def write(
    writer: ReleaseWriter,
    plan: Plan,
    table: Table,
    out: pd.DataFrame,
    rep: dict[str, Any],
    opts: RunOptions,
) -> None:
    """``rep`` is the run's full (internal) report. ``out``: the released table, or one an
    engine holds elsewhere (:class:`anonymizer.engine.spark.released.SparkReleased`: its
    executors write the data file's parts, streamed into the release here)."""
    spec = plan.spec
    if isinstance(out, pd.DataFrame):
        safe, neutralized = neutralize_formulas(out)
        limit = spec.output.max_rows_per_file
        files: list[_File] = []
        for i, name in enumerate(data_files(spec.output.file, len(safe), limit)):
            part = safe.iloc[i * limit : (i + 1) * limit]
            data = csv_bytes(part, spec.output.encoding)
            files.append(_File(name, len(data), writer.add(name, data), len(part)))
        written = _Data(tuple(files), [str(c) for c in safe.columns], safe, None)
    else:
        written, neutralized = _write_remote(writer, spec, out, rep)
    rep["output"]["formulas_neutralized"] = neutralized
    if len(written.files) == 1:
        rep["output"]["sha256"] = written.files[0].sha256
    else:  # part files: each one's name, rows and hash
        rep["output"]["parts"] = [
            {"file": f.name, "rows": f.rows, "sha256": f.sha256} for f in written.files
        ]
    internal = json_bytes(rep)
    internal_html = render_html(rep).encode("utf-8")
    public = public_report(rep)
    if spec.purpose == "anonymized":
        _open_data_metadata(writer, spec, written, out, public)
    writer.add("report.json", json_bytes(public))
    writer.add("report.html", render_html(public).encode("utf-8"))
    manifest = {
        "anonymizer": rep["provenance"]["versions"].get("anonymizer"),
        "generated_at": rep["provenance"]["generated_at"],
        "purpose": spec.purpose,
        "classification": "匿名加工情報（オープンデータ）" if spec.purpose == "anonymized" else PSEUDONYMIZED_LABEL,
        "pipeline": public["pipeline"],
        "input": {"file": plan.input_path.name, "sha256": rep["input"]["sha256"], "encoding": table.encoding, "rows": rep["input"]["rows"]},
        "outputs": dict(writer.hashes),
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


@dataclasses.dataclass(frozen=True)
class _File:
    """One data file as written: its name, size, hash and rows."""

    name: str
    size: int
    sha256: str
    rows: int


@dataclasses.dataclass(frozen=True)
class _Data:
    """The data as written: its file (or part files, in order), its headers, and the table as
    written (``safe``) or — where an engine holds the rows elsewhere — each column's field
    facts."""

    files: tuple[_File, ...]
    headers: list[str]
    safe: pd.DataFrame | None
    facts: dict[str, FieldFacts] | None


def _write_remote(
    writer: ReleaseWriter, spec: Any, out: Any, rep: dict[str, Any]
) -> tuple[_Data, int]:
    """The data file of a table the engine's executors hold: its parts streamed in order."""
    from anonymizer.engine.spark.released import write_csv

    headers, renamed = neutralize_headers([str(c) for c in out.columns])
    names = dict(zip(map(str, out.columns), headers, strict=True))
    hints = column_hints(spec, public_report(rep), names)
    names_ = data_files(spec.output.file, len(out), spec.output.max_rows_per_file)
    files, changed, facts = write_csv(
        out, writer, names_, spec.output.max_rows_per_file, spec.output.encoding, headers,
        hints.missing,
    )  # fmt: skip
    written = tuple(
        _File(n, size, sha, rows) for n, (sha, size, rows) in zip(names_, files, strict=True)
    )
    return _Data(written, headers, None, facts), renamed + changed


def _open_data_metadata(
    writer: ReleaseWriter,
    spec: Any,
    written: _Data,
    out: Any,
    rep: dict[str, Any],
) -> None:
    """The catalogue records of an open-data release (anonymized only): datapackage.json
    (Frictionless), metadata.json (our summary), ckan.json (CKAN package_create payload) and
    dcat.jsonld (DCAT). All from one :class:`~anonymizer.portal.record.Record`."""
    encoding = spec.output.encoding
    split = len(written.files) > 1
    data_files_ = tuple(
        File(
            name=f.name, size=f.size, sha256=f.sha256, format="CSV", media_type="text/csv",
            encoding=encoding,
            description=(
                f"データ本体 {i}/{len(written.files)}（CSV、{_ENCODING_LABEL[encoding]}、"
                f"{f.rows}行、見出し行つき。全{len(out)}行を分割）"
                if split
                else f"データ本体（CSV、{_ENCODING_LABEL[encoding]}、{len(out)}行）"
            ),
        )
        for i, f in enumerate(written.files, start=1)
    )  # fmt: skip
    headers = dict(zip([str(c) for c in out.columns], written.headers, strict=True))
    base = make_record(spec, rep, data_files_[0], (), len(out), data_files_[1:])
    hints = column_hints(spec, rep, headers)
    package_bytes = json_bytes(build_datapackage(base, written.safe, hints, written.facts))
    documents = (
        File.of("datapackage.json", package_bytes, format="JSON", media_type="application/json",
                encoding="utf-8", description="列の型と制約（Frictionless Tabular Data Package）"),
        # its bytes show when it was made: no hash here (publish takes it from the manifest)
        File(name="report.html", size=None, sha256=None, format="HTML", media_type="text/html",
             encoding="utf-8", description="公開用リスク報告書（加工の方法と公開前検査の結果）"),
    )  # fmt: skip
    record = dataclasses.replace(base, documents=documents)
    lic = record.license_info
    metadata = {
        "title": record.title,
        "description": record.description,
        "publisher": record.publisher,
        "contact": record.contact,
        "license": {"id": lic["name"], "title": lic["title"], "url": lic["path"]},
        "spatial": {"local_government_code": record.municipality_code},
        "temporal": record.temporal,
        "issued": record.issued.isoformat(),
        "keywords": list(record.keywords),
        "conforms_to": record.standard,
        "distribution": [{
            "file": f.name,
            "format": "CSV",
            "media_type": "text/csv",
            "encoding": _ENCODING_LABEL[encoding],
            "byte_size": f.size,
            "sha256": f.sha256,
            "rows": f.rows,
        } for f in written.files],
        "protection": {
            "method": record.method,
            "columns": record.operators,
            "steps": list(record.steps),
            "gate": "passed",
        },
    }  # fmt: skip
    writer.add("datapackage.json", package_bytes)
    writer.add("metadata.json", json_bytes(metadata))
    writer.add("ckan.json", json_bytes(build_ckan(record)))
    writer.add("dcat.jsonld", json_bytes(build_dcat(record)))
