"""What every catalogue record of a release says, built once so that they agree.

datapackage.json, ckan.json, dcat.jsonld and metadata.json describe the same release: its
title, publisher, licence, 全国地方公共団体コード, coverage, files, and how it was protected.
:class:`Record` holds those facts, made from the pipeline's ``metadata:`` and the *public*
report (never from input cells), and each builder only arranges them in its own vocabulary.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from anonymizer.pipeline.municipalities import name_of
from anonymizer.pipeline.release import LICENSES

#: the time zone of a Japanese municipality's dates (``issued`` is a date in JST)
JST = dt.timezone(dt.timedelta(hours=9))
#: IANA charset names (CKAN, DCAT) of ``output.encoding``; the BOM of utf-8-sig is still
#: UTF-8 to every reader. Frictionless reads with Python's codecs: see datapackage.py
IANA_ENCODING = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp932": "Windows-31J"}
ENCODING_LABEL = {"utf-8-sig": "UTF-8 (BOM付き)", "utf-8": "UTF-8", "cp932": "Shift_JIS (CP932)"}
#: how each step protects a table, in the words of a catalogue record
_STEP_METHOD = {
    "kanonymity": "k-匿名化（準識別子の一般化と希少な組合せの抑制）",
    "dp_aggregate": "差分プライバシー（集計値への雑音付加）",
    "cell_suppression": "セル秘匿（小さいセルと逆算可能なセルの秘匿）",
}
_OPERATOR_METHOD = {
    "drop": "列の削除",
    "pseudonymize": "仮名ID（公開物ごとの鍵、保存しない）",
    "generalize": "一般化",
    "mask": "部分マスク",
    "mask_text": "自由記述中の個人情報の置換",
    "redact": "値の削除",
    "replace": "値の置換",
    "top_bottom_code": "トップ・ボトムコーディング",
}


@dataclass(frozen=True)
class File:
    """One file of the release folder as a catalogue lists it."""

    name: str
    #: None for a file whose bytes change on every run (report.html shows when it was made):
    #: a record that named its hash would change too; publish takes it from manifest.json
    size: int | None
    sha256: str | None
    format: str
    media_type: str
    description: str
    #: a text file's encoding as ``output.encoding`` names it (utf-8-sig, utf-8, cp932)
    encoding: str | None = None

    @classmethod
    def of(cls, name: str, data: bytes, **kw: Any) -> File:
        return cls(name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest(), **kw)


@dataclass(frozen=True)
class Record:
    name: str
    title: str
    description: str
    publisher: str
    license: str
    municipality_code: str
    municipality: str | None
    issued: dt.date
    temporal: str | None
    keywords: tuple[str, ...]
    contact: str | None
    standard: str | None
    #: the data file (first) and the files that document it
    data: File
    documents: tuple[File, ...]
    rows: int
    #: one sentence: how the release was protected
    method: str
    #: the public report's verdict (公開可: …) and how many gate checks passed
    verdict: str
    #: released columns' source → operators, and the table steps (as in metadata.json)
    operators: dict[str, list[str]]
    steps: tuple[str, ...]
    #: the data's further part files, in order, when it is split (``output.max_rows_per_file``):
    #: ``data`` is then its first part
    parts: tuple[File, ...] = ()

    @property
    def license_info(self) -> dict[str, str]:
        return LICENSES[self.license]

    @property
    def created(self) -> str:
        """``issued`` at midnight JST: a datetime that stays the same for the same input."""
        return dt.datetime.combine(self.issued, dt.time(), JST).isoformat()

    @property
    def catalogue_name(self) -> str:
        """The dataset's name in a shared catalogue: ``<全国地方公共団体コード>-<pipeline>``.

        One CKAN (BODIK's, a prefecture's) hosts many municipalities' datasets under
        site-wide unique names; the code keeps 国立市's ``soudan`` apart from another city's."""
        return f"{self.municipality_code}-{self.name}"[:100]

    @property
    def data_files(self) -> tuple[File, ...]:
        """The data: one file, or its part files in order."""
        return (self.data, *self.parts)

    @property
    def files(self) -> tuple[File, ...]:
        return (*self.data_files, *self.documents)


def protection_method(report: dict[str, Any]) -> str:
    """個人情報保護法の匿名加工 plus what was done, from the public report."""
    used: list[str] = []
    for column in report["input"]["columns"]:
        for action in column["actions"]:
            label = _OPERATOR_METHOD.get(action["operator"])
            if label and label not in used:
                used.append(label)
    for step in report["steps"]:
        label = _STEP_METHOD.get(str(step.get("type")))
        if label and label not in used:
            used.append(label)
    return "個人情報保護法の匿名加工（匿名加工情報）: " + "、".join(used)


def gate_verdict(report: dict[str, Any]) -> str:
    checks = report["gate"]["checks"]
    passed = sum(1 for c in checks if c["passed"])
    state = "合格" if report["gate"]["passed"] else "不合格"
    return f"公開前ゲート検査 {state}（{passed}/{len(checks)}項目）"


def make_record(
    spec: Any, report: dict[str, Any], data: File, documents: tuple[File, ...], rows: int,
    parts: tuple[File, ...] = (),
) -> Record:
    """``spec`` is the pipeline (``metadata`` with a licence: an ``anonymized`` release);
    ``report`` its public report; ``parts``: the data's further part files."""
    meta = spec.metadata
    return Record(
        name=spec.name,
        title=meta.title,
        description=meta.description,
        publisher=meta.publisher,
        license=meta.license,
        municipality_code=meta.municipality_code,
        municipality=name_of(meta.municipality_code),
        issued=meta.issued,
        temporal=meta.temporal,
        keywords=tuple(meta.keywords),
        contact=meta.contact,
        standard=spec.standard,
        data=data,
        documents=documents,
        rows=rows,
        method=protection_method(report),
        verdict=gate_verdict(report),
        operators={
            c["name"]: [a["operator"] for a in c["actions"]] for c in report["input"]["columns"]
        },
        steps=tuple(str(s.get("type")) for s in report["steps"]),
        parts=parts,
    )


#: ``temporal:`` forms a catalogue can read as a range (the pipeline's field is free text)
_PERIOD = re.compile(
    r"(?P<start>[12][0-9]{3}(?:-[0-9]{2}(?:-[0-9]{2})?)?)"
    r"(?:\s*/\s*(?P<end>[12][0-9]{3}(?:-[0-9]{2}(?:-[0-9]{2})?)?))?"
)
#: XML Schema type of each form's length
PERIOD_TYPES = {4: "gYear", 7: "gYearMonth", 10: "date"}


def temporal_range(text: str | None) -> tuple[str, str] | None:
    """``2024-04/2025-03`` → (``2024-04``, ``2025-03``); a single period is both ends; a
    form of another kind (和暦, 令和6年度) gives None and stays text."""
    m = _PERIOD.fullmatch((text or "").strip())
    if m is None:
        return None
    start, end = m["start"], m["end"] or m["start"]
    return (start, end) if len(start) == len(end) and start <= end else None


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def email_of(contact: str | None) -> str | None:
    """The contact's e-mail address when it is one (catalogues have a field for it)."""
    return contact if contact and _EMAIL.fullmatch(contact.strip()) else None


__all__ = [
    "ENCODING_LABEL", "IANA_ENCODING", "JST", "PERIOD_TYPES", "File", "Record", "email_of",
    "gate_verdict", "make_record", "protection_method", "temporal_range",
]  # fmt: skip
