"""dcat.jsonld: a dcat:Dataset that rdflib parses, that round-trips, and that says what a
catalogue needs (licence, publisher, coverage, distribution)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import rdflib.namespace as ns
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from anonymizer.portal.dcat import build_dcat
from anonymizer.portal.record import File, Record, temporal_range

# rdflib's own JSON-LD parser still builds a ConjunctiveGraph (deprecated in rdflib 7)
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

RDF, RDFS, DCTERMS, FOAF = ns.RDF, ns.RDFS, ns.DCTERMS, ns.FOAF
SPDX = Namespace("http://spdx.org/rdf/terms#")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")


def _graph(release: Path) -> Graph:
    return Graph().parse(
        data=(release / "dcat.jsonld").read_text(encoding="utf-8"), format="json-ld"
    )


def test_parses_and_round_trips(soudan_fast_release):
    graph = _graph(soudan_fast_release)
    assert len(graph) > 30
    for fmt in ("json-ld", "turtle", "xml"):
        again = Graph().parse(data=graph.serialize(format=fmt), format=fmt)
        assert isomorphic(graph, again), fmt


def test_key_triples(soudan_fast_release):
    g = _graph(soudan_fast_release)
    (ds,) = g.subjects(RDF.type, ns.DCAT.Dataset)
    assert g.value(ds, DCTERMS.title) == Literal("住民相談記録（個人情報除去済み）", lang="ja")
    assert g.value(ds, DCTERMS.license) == CC_BY
    assert g.value(ds, DCTERMS.issued) == Literal(dt.date(2026, 4, 1))
    assert set(g.objects(ds, ns.DCAT.keyword)) == {
        Literal(k, lang="ja") for k in ("住民相談", "市民相談", "オープンデータ")
    }
    publisher = g.value(ds, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Organization) in g
    assert g.value(publisher, FOAF.name) == Literal("国立市 市民協働推進課（サンプル）", lang="ja")
    spatial = g.value(ds, DCTERMS.spatial)
    assert g.value(spatial, DCTERMS.identifier) == Literal("132152")
    assert g.value(spatial, RDFS.label) == Literal("東京都国立市", lang="ja")
    temporal = g.value(ds, DCTERMS.temporal)
    assert g.value(temporal, ns.DCAT.startDate) == Literal("2024-04", datatype=ns.XSD.gYearMonth)
    assert g.value(temporal, ns.DCAT.endDate) == Literal("2025-03", datatype=ns.XSD.gYearMonth)
    (dist,) = g.objects(ds, ns.DCAT.distribution)
    data = (soudan_fast_release / "soudan.csv").read_bytes()
    assert (dist, RDF.type, ns.DCAT.Distribution) in g
    assert int(g.value(dist, ns.DCAT.byteSize)) == len(data)
    assert g.value(dist, ns.DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/text/csv"
    )
    checksum = g.value(dist, SPDX.checksum)
    manifest = json.loads((soudan_fast_release / "manifest.json").read_text(encoding="utf-8"))
    value = g.value(checksum, SPDX.checksumValue)
    assert str(value).lower() == manifest["outputs"]["soudan.csv"]
    assert g.value(dist, DCTERMS.license) == CC_BY
    assert "匿名加工" in str(g.value(g.value(ds, DCTERMS.provenance), RDFS.label))


def _record(**changes: object) -> Record:
    data = File(name="a.csv", size=3, sha256="ab" * 32, format="CSV", media_type="text/csv",
                description="d", encoding="utf-8")  # fmt: skip
    fields = dict(
        name="a", title="t", description="", publisher="p", license="PDL-1.0",
        municipality_code="132152", municipality=None, issued=dt.date(2026, 4, 1),
        temporal=None, keywords=(), contact=None, standard=None, data=data, documents=(),
        rows=1, method="m", verdict="v", operators={}, steps=(),
    )  # fmt: skip
    fields.update(changes)
    return Record(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("temporal", "start", "end", "kind"),
    [
        ("2024-04/2025-03", "2024-04", "2025-03", "gYearMonth"),
        ("2024/2025", "2024", "2025", "gYear"),
        ("2024-04-01/2025-03-31", "2024-04-01", "2025-03-31", "date"),
        ("2024", "2024", "2024", "gYear"),
    ],
)
def test_temporal_forms(temporal, start, end, kind):
    doc = build_dcat(_record(temporal=temporal))
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    period = g.value(next(g.subjects(RDF.type, ns.DCAT.Dataset)), DCTERMS.temporal)
    assert g.value(period, ns.DCAT.startDate) == Literal(start, datatype=ns.XSD[kind])
    assert g.value(period, ns.DCAT.endDate) == Literal(end, datatype=ns.XSD[kind])


@pytest.mark.parametrize("text", ["令和6年度", "2025-03/2024-04", "2024/2025-03", "2024年"])
def test_other_temporal_text_stays_a_label(text):
    assert temporal_range(text) is None
    doc = build_dcat(_record(temporal=text))
    assert doc["dct:temporal"]["rdfs:label"]["@value"] == text


def test_pdl_contact_email_and_standard():
    doc = build_dcat(_record(contact="od@example.jp", standard="自治体標準オープンデータセット"))
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    (ds,) = g.subjects(RDF.type, ns.DCAT.Dataset)
    assert g.value(ds, DCTERMS.license) == URIRef(
        "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
    )
    contact = g.value(ds, ns.DCAT.contactPoint)
    assert g.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail")) == URIRef(
        "mailto:od@example.jp"
    )
    assert g.value(g.value(ds, DCTERMS.conformsTo), DCTERMS.title) == Literal(
        "自治体標準オープンデータセット", lang="ja"
    )
