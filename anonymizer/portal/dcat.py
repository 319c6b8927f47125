"""dcat.jsonld: the release as a W3C DCAT ``dcat:Dataset`` in JSON-LD.

The dataset (title, description, keywords in Japanese), its licence (the licence's own URI),
publisher (``foaf:Organization``) and contact point (``vcard``), spatial coverage (the
全国地方公共団体コード and name as a ``dct:Location``), temporal coverage (a
``dct:PeriodOfTime`` with typed ``dcat:startDate``/``endDate`` when ``temporal:`` is a
range such as ``2024-04/2025-03``, else its text), issue date, and how it was protected
(``dct:provenance``). One ``dcat:Distribution`` for the data file: media type (IANA URI),
size, encoding and SHA-256 (``spdx:checksum``, as DCAT-AP).

Nodes are blank: the release does not know the address a portal will give it, so it has no
download URL either — a portal that runs ckanext-dcat serves its own DCAT with its URLs.
"""

from __future__ import annotations

from typing import Any

from anonymizer.portal.record import (
    IANA_ENCODING,
    PERIOD_TYPES,
    File,
    Record,
    email_of,
    temporal_range,
)

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "spdx": "http://spdx.org/rdf/terms#",
    "cnt": "http://www.w3.org/2011/content#",
}
_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
_JAPANESE = "http://id.loc.gov/vocabulary/iso639-1/ja"


def _ja(text: str) -> dict[str, str]:
    return {"@value": text, "@language": "ja"}


def _typed(value: str, kind: str) -> dict[str, str]:
    return {"@value": value, "@type": f"xsd:{kind}"}


def _temporal(text: str) -> dict[str, Any]:
    period = temporal_range(text)
    if period is None:
        return {"@type": "dct:PeriodOfTime", "rdfs:label": _ja(text)}
    kind = PERIOD_TYPES[len(period[0])]
    return {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": _typed(period[0], kind),
        "dcat:endDate": _typed(period[1], kind),
    }


def _distribution(file: File, record: Record) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "dcat:Distribution",
        "dct:title": file.name,
        "dct:description": _ja(file.description),
        "dct:format": file.format,
        "dcat:mediaType": {"@id": _MEDIA_TYPES + file.media_type},
        "dct:license": {"@id": record.license_info["path"]},
        "dct:issued": _typed(record.issued.isoformat(), "date"),
    }
    if file.size is not None and file.sha256 is not None:
        node["dcat:byteSize"] = _typed(str(file.size), "nonNegativeInteger")
        node["spdx:checksum"] = {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
            "spdx:checksumValue": _typed(file.sha256, "hexBinary"),
        }
    if file.encoding:
        node["cnt:characterEncoding"] = IANA_ENCODING[file.encoding]
    return node


def build_dcat(record: Record) -> dict[str, Any]:
    """The JSON-LD document (a dict; :func:`anonymizer.pipeline.release.json_bytes` writes it)."""
    contact: dict[str, Any] = {"@type": "vcard:Organization", "vcard:fn": _ja(record.publisher)}
    email = email_of(record.contact)
    if email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{email}"}
    elif record.contact:
        contact["vcard:note"] = _ja(record.contact)
    spatial: dict[str, Any] = {
        "@type": "dct:Location",
        "dct:identifier": record.municipality_code,
    }
    if record.municipality:
        spatial["rdfs:label"] = _ja(record.municipality)
    dataset: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "dcat:Dataset",
        "dct:identifier": record.catalogue_name,
        "dct:title": _ja(record.title),
        "dct:description": _ja(record.description or record.title),
        "dct:issued": _typed(record.issued.isoformat(), "date"),
        "dct:language": {"@id": _JAPANESE},
        "dct:license": {"@id": record.license_info["path"]},
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": _ja(record.publisher)},
        "dcat:contactPoint": contact,
        "dct:spatial": spatial,
        "dct:provenance": {
            "@type": "dct:ProvenanceStatement",
            "rdfs:label": _ja(f"{record.method}。{record.verdict}"),
        },
        "dcat:distribution": [_distribution(f, record) for f in record.data_files],
    }
    if record.keywords:
        dataset["dcat:keyword"] = [_ja(k) for k in record.keywords]
    if record.temporal:
        dataset["dct:temporal"] = _temporal(record.temporal)
    if record.standard:
        dataset["dct:conformsTo"] = {"@type": "dct:Standard", "dct:title": _ja(record.standard)}
    return dataset


__all__ = ["CONTEXT", "build_dcat"]
