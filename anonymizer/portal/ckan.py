"""ckan.json: a CKAN ``package_create`` payload, ready for a municipal portal.

What CKAN's own schema (``default_create_package_schema``) accepts: the dataset's ``name``
(``<全国地方公共団体コード>-<pipeline>``: site-wide unique on a CKAN shared by many cities),
``title``, ``notes``, ``license_id``, ``owner_org`` (a placeholder that ``anonymizer publish
--org`` replaces), tags, extras and one resource per file a reader downloads — the data, its
Table Schema (datapackage.json) and the public risk report — each with format, media type,
size, SHA-256 and encoding. A resource's ``url`` is its file name, relative:
:mod:`anonymizer.portal.publish` uploads the file, and CKAN replaces the url with its own.

Licences: CKAN's default register (``ckan/model/license.py``) has unversioned ids only.
CC-BY-4.0 is ``cc-by`` ("Creative Commons Attribution"); 公共データ利用規約 (PDL 1.0) is in no
register, and ``other-at`` ("Other (Attribution)") is the register's class for a licence that
asks for attribution only, as PDL 1.0 does. The exact licence is named in the extras
(``license_url``, ``license_title``); a portal whose register has its own ids takes
``publish --license-id``.

Extras use ckanext-dcat's keys where it has one (``issued``, ``temporal_start``/``_end``,
``spatial_text``, ``publisher_name``, ``contact_email``), so a portal running it exports
them as DCAT, and Japanese keys for what it has no key for: 全国地方公共団体コード,
加工方法, 公開前ゲート判定.
"""

from __future__ import annotations

import re
from typing import Any

from anonymizer.portal.record import IANA_ENCODING, File, Record, email_of, temporal_range

CKAN_LICENSE = {"CC-BY-4.0": "cc-by", "PDL-1.0": "other-at"}
#: ``owner_org`` until ``anonymizer publish --org ORG`` names the portal's organization
OWNER_ORG_PLACEHOLDER = "set-by-anonymizer-publish-org"
#: CKAN's tag rules (``tag_name_validator``, ``tag_length_validator``)
_TAG_CHARS = re.compile(r"[^\w \-.]+")
TAG_MIN, TAG_MAX = 2, 100
#: the fields of ckan.json's dataset that ``publish`` sets on a portal's dataset
PACKAGE_FIELDS = (
    "title", "notes", "license_id", "author", "maintainer", "maintainer_email", "tags", "extras",
)  # fmt: skip
RESOURCE_FIELDS = (
    "name", "description", "format", "mimetype", "hash", "hash_algorithm", "size", "encoding",
)  # fmt: skip


def tag_names(keywords: tuple[str, ...] | list[str]) -> list[str]:
    """Keywords as CKAN tags: characters a tag cannot hold (・, 、, /) become spaces, tags
    shorter than 2 characters are left out, longer than 100 cut; each once. The keywords
    stay whole in datapackage.json and dcat.jsonld."""
    tags: list[str] = []
    for keyword in keywords:
        tag = " ".join(_TAG_CHARS.sub(" ", keyword).split())[:TAG_MAX].strip()
        if len(tag) >= TAG_MIN and tag not in tags:
            tags.append(tag)
    return tags


def _resource(file: File) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "name": file.name,
        "url": file.name,
        "description": file.description,
        "format": file.format,
        "mimetype": file.media_type,
    }
    if file.sha256 is not None and file.size is not None:
        resource.update(hash=file.sha256, hash_algorithm="sha256", size=file.size)
    if file.encoding:
        resource["encoding"] = IANA_ENCODING[file.encoding]
    return resource


def _extras(record: Record) -> list[dict[str, str]]:
    lic = record.license_info
    pairs: list[tuple[str, str | None]] = [
        ("全国地方公共団体コード", record.municipality_code),
        ("spatial_text", record.municipality),
        ("publisher_name", record.publisher),
        ("issued", record.issued.isoformat()),
    ]
    period = temporal_range(record.temporal)
    if period:
        pairs += [("temporal_start", period[0]), ("temporal_end", period[1])]
    else:
        pairs.append(("対象期間", record.temporal))
    email = email_of(record.contact)
    pairs += [
        ("contact_email", email),
        ("連絡先", None if email else record.contact),
        ("準拠する標準", record.standard),
        ("license_url", lic["path"]),
        ("license_title", lic["title"]),
        ("加工方法", record.method),
        ("公開前ゲート判定", record.verdict),
    ]
    return [{"key": k, "value": v} for k, v in pairs if v]


def build_ckan(record: Record) -> dict[str, Any]:
    """The ``package_create`` payload of a release (an ``anonymized`` one: it has a licence)."""
    payload: dict[str, Any] = {
        "name": record.catalogue_name,
        "title": record.title,
        "notes": record.description or record.title,
        "license_id": CKAN_LICENSE[record.license],
        "owner_org": OWNER_ORG_PLACEHOLDER,
        "author": record.publisher,
        "maintainer": record.publisher,
        "tags": [{"name": t} for t in tag_names(record.keywords)],
        "extras": _extras(record),
        "resources": [_resource(f) for f in record.files],
    }
    email = email_of(record.contact)
    if email:
        payload["maintainer_email"] = email
    return payload


__all__ = [
    "CKAN_LICENSE", "OWNER_ORG_PLACEHOLDER", "PACKAGE_FIELDS", "RESOURCE_FIELDS", "build_ckan",
    "tag_names",
]  # fmt: skip
