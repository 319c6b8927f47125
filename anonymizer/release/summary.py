"""What an output directory holds, read back from what each release wrote.

One :class:`ReleaseSummary` per release (``OUT/<name>/``: its manifest.json and public
report.json) and per refusal (``OUT/<name>.refused.json``). Nothing is recomputed and no
data file is opened, so a summary works after the fact, on any OUT, and shows what was
recorded at release time. Records carry names, counts, privacy parameters and paths: never
a cell value (the files read hold none outside the data file, which is not read).

A refused run leaves the previous release in place: both are listed, the release and the
refusal, under the same name. A ledger refusal (the privacy budget) writes nothing at all,
so it is not listed: what OUT holds for that name is still the earlier release.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from anonymizer.errors import UsageError
from anonymizer.fsutil import os_errors
from anonymizer.i18n import _
from anonymizer.release.writer import current_version

Status = Literal["released", "internal", "refused", "unreadable"]
REFUSED_SUFFIX = ".refused.json"


@dataclass(frozen=True)
class Protection:
    """One protection a release recorded: ``kind`` and its parameters.

    kinds: ``pseudonymized`` (仮名加工情報), ``k_anonymity`` (achieved k, ℓ, t),
    ``policy`` (the re-identification policy's k, and how many columns were waived from it,
    for microdata without a k-anonymity step),
    ``dp`` (ε, δ spent), ``cell_suppression`` (cells suppressed), ``standard_layout`` (a
    national layout, cells suppressed), ``holders`` (corporations listed, individuals protected)."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.params}


@dataclass(frozen=True)
class ReleaseSummary:
    name: str
    status: Status
    purpose: str | None = None
    title: str | None = None
    #: rows released (0 for a refusal: nothing was)
    rows: int | None = None
    protection: tuple[Protection, ...] = ()
    #: a refusal's failed gate checks (their titles, as the report names them)
    failed: tuple[str, ...] = ()
    folder: Path | None = None
    refusal_file: Path | None = None
    generated_at: str | None = None
    #: unreadable: which file and why (an OS or JSON reason, never content)
    problem: str | None = None

    @property
    def published(self) -> bool:
        return self.status in ("released", "internal")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "purpose": self.purpose,
            "title": self.title,
            "rows": self.rows,
            "protection": [p.to_dict() for p in self.protection],
            "failed_checks": list(self.failed),
            "folder": None if self.folder is None else str(self.folder),
            "refusal_file": None if self.refusal_file is None else str(self.refusal_file),
            "generated_at": self.generated_at,
            "problem": self.problem,
        }


class _Unreadable(Exception):
    pass


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise _Unreadable(f"{path.name}: {exc.strerror or type(exc).__name__}") from None
    except UnicodeDecodeError:
        raise _Unreadable(f"{path.name}: not UTF-8") from None
    except ValueError as exc:  # JSONDecodeError: its message is a position, not content
        raise _Unreadable(f"{path.name}: not JSON ({getattr(exc, 'msg', 'invalid')})") from None
    if not isinstance(data, dict):
        raise _Unreadable(f"{path.name}: not a JSON object")
    return data


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def protections(purpose: str | None, steps: list[Any], checks: list[Any]) -> tuple[Protection, ...]:
    """What protected the release, from its recorded steps and gate checks."""
    out: list[Protection] = []
    if purpose == "pseudonymized":
        out.append(Protection("pseudonymized"))
    for step in map(_dict, steps):
        kind = step.get("type")
        if kind == "kanonymity":
            achieved = _dict(step.get("achieved"))
            k = _number(achieved.get("k-anonymity"))
            params: dict[str, Any] = {"k": None if k is None else int(k)}
            for model, value in achieved.items():
                if model.endswith("-diversity") and _number(value) is not None:
                    params["l"], params["l_variant"] = value, model.removesuffix("-l-diversity")
            if _number(achieved.get("t-closeness")) is not None:
                params["t"] = achieved["t-closeness"]
            params["counted_in"] = step.get("counted_in")
            params["suppressed"] = step.get("suppressed")
            out.append(Protection("k_anonymity", params))
        elif kind == "dp_aggregate":
            spent = _dict(step.get("spent"))
            out.append(Protection("dp", {
                "epsilon": spent.get("epsilon"), "delta": spent.get("delta"),
                "population": step.get("population"),
            }))  # fmt: skip
        elif kind == "cell_suppression":
            out.append(Protection("cell_suppression", {
                "cells": step.get("suppressed"), "of": step.get("cells"),
            }))  # fmt: skip
        elif kind == "standard_layout":
            tables = [_dict(t) for t in _dict(step.get("tables")).values()]
            out.append(Protection("standard_layout", {
                "profile": step.get("profile"),
                "cells": sum(int(_number(t.get("suppressed")) or 0) for t in tables),
                "of": sum(int(_number(t.get("cells")) or 0) for t in tables),
            }))  # fmt: skip
        elif kind == "holders":
            out.append(Protection("holders", {
                "corporations": step.get("corporations"), "individuals": step.get("individuals"),
            }))  # fmt: skip
    if not any(p.kind == "k_anonymity" for p in out):
        for check in map(_dict, checks):
            data = _dict(check.get("data"))
            if check.get("name") == "reidentification" and data.get("k") is not None:
                out.append(Protection("policy", {
                    "k": data["k"], "min_class": data.get("min_class"),
                    # columns the pipeline exempted from the measure, with a reason
                    "waived": len(_list(data.get("waived"))),
                }))  # fmt: skip
    return tuple(out)


def read_release(folder: Path) -> ReleaseSummary:
    """A release folder (``OUT/<name>``, the link or the directory it points to)."""
    name = folder.name
    try:
        manifest = _load(folder / "manifest.json")
        report = _load(folder / "report.json")
    except _Unreadable as exc:
        return ReleaseSummary(name, "unreadable", folder=folder, problem=str(exc))
    purpose = manifest.get("purpose")
    gate = _dict(manifest.get("gate"))
    if gate.get("passed") is not True:  # never written by a run; `publish` refuses it too
        status: Status = "refused"
    else:
        status = "internal" if purpose == "pseudonymized" else "released"
    rows = _dict(report.get("output")).get("rows")
    return ReleaseSummary(
        name=name,
        status=status,
        purpose=purpose if isinstance(purpose, str) else None,
        title=_dict(manifest.get("pipeline")).get("title"),
        rows=rows if isinstance(rows, int) else None,
        protection=protections(purpose, _list(manifest.get("steps")), _list(gate.get("checks"))),
        failed=_failed(report, gate) if status == "refused" else (),
        folder=folder,
        generated_at=manifest.get("generated_at"),
    )


def read_refusal(path: Path) -> ReleaseSummary:
    """A refused run's ``OUT/<name>.refused.json`` (the report of what was not released)."""
    name = path.name.removesuffix(REFUSED_SUFFIX)
    try:
        report = _load(path)
    except _Unreadable as exc:
        return ReleaseSummary(name, "unreadable", refusal_file=path, problem=str(exc))
    pipeline = _dict(report.get("pipeline"))
    purpose = pipeline.get("purpose")
    gate = _dict(report.get("gate"))
    return ReleaseSummary(
        name=name,
        status="refused",
        purpose=purpose if isinstance(purpose, str) else None,
        title=pipeline.get("title"),
        rows=0,
        protection=protections(purpose, _list(report.get("steps")), _list(gate.get("checks"))),
        failed=_failed(report, gate),
        refusal_file=path,
        generated_at=_dict(report.get("provenance")).get("generated_at"),
    )


def _failed(report: dict[str, Any], gate: dict[str, Any]) -> tuple[str, ...]:
    """The failed checks' titles from the report's verdict, else the gate's check names."""
    titled = [
        c.get("title") or c.get("name")
        for c in map(_dict, _list(_dict(report.get("verdict")).get("checks")))
        if c.get("passed") is False
    ]
    if titled:
        return tuple(str(t) for t in titled)
    checks = map(_dict, _list(gate.get("checks")))
    return tuple(str(c.get("name")) for c in checks if c.get("passed") is False)


def read_out(out_dir: Path) -> list[ReleaseSummary]:
    """Every release and refusal in ``out_dir``, by name (a release before its refusal).

    Raises UsageError when ``out_dir`` is not a directory, FileSystemError when it cannot be
    listed. Other files and folders (internal reports, scans, versions) are not releases."""
    if not out_dir.is_dir():
        raise UsageError(
            _("{out_dir}: not a directory (give the --out directory of `run`)").format(
                out_dir=out_dir
            )
        )
    with os_errors(_("cannot list the output directory"), out_dir):
        names = sorted(os.listdir(out_dir))
    found: list[tuple[str, int, ReleaseSummary]] = []
    for entry in names:
        if entry.startswith("."):  # versions, partial writes, locks
            continue
        path = out_dir / entry
        if entry.endswith(REFUSED_SUFFIX) and path.is_file():
            refusal = read_refusal(path)
            found.append((refusal.name, 1, refusal))
        elif (path / "manifest.json").is_file() or current_version(out_dir, entry) is not None:
            # a release; or our link to one whose files are gone (listed as unreadable)
            found.append((entry, 0, read_release(path)))
    return [s for _, _, s in sorted(found, key=lambda t: (t[0], t[1]))]


__all__ = [
    "REFUSED_SUFFIX", "Protection", "ReleaseSummary", "protections", "read_out", "read_refusal",
    "read_release",
]  # fmt: skip
