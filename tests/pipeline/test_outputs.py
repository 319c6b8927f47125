"""The files beside the data: datapackage.json, metadata.json, ckan.json, dcat.jsonld,
manifest.json, report.json/html (the catalogue records themselves: tests/portal)."""

from __future__ import annotations

import hashlib
import json

import pytest

from anonymizer.keys import key_id
from tests.pipeline.conftest import (
    KEY,
    RELEASED,
    ROWS,
    Work,
    base_pipeline,
    kamei_pipeline,
    released_texts,
    visible,
)

FILES = [
    "ckan.json",
    "datapackage.json",
    "dcat.jsonld",
    "manifest.json",
    "metadata.json",
    "report.html",
    "report.json",
    "soudan.csv",
]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json(work: Work, name: str) -> dict:
    return json.loads((work.release / name).read_text(encoding="utf-8"))


@pytest.fixture
def released(work: Work) -> Work:
    result = work.setup().run()
    assert result.exit_code == 0, result.stderr
    return work


def test_release_files(released):
    assert sorted(p.name for p in released.release.iterdir()) == FILES
    # a link to the complete release, and the internal report beside it (never inside)
    assert visible(released.out) == ["soudan-test", "soudan-test.internal"]
    internal = released.out / "soudan-test.internal"
    assert sorted(p.name for p in internal.iterdir()) == ["report.html", "report.json"]
    manifest = _json(released, "manifest.json")
    assert manifest["internal_report"] == {
        "report.json": _sha((internal / "report.json").read_bytes())
    }
    assert json.loads((internal / "report.json").read_text(encoding="utf-8"))["audience"] == "internal"
    assert _json(released, "report.json")["audience"] == "public"


def test_manifest_hashes_inputs_pipeline_and_outputs(released):
    manifest = _json(released, "manifest.json")
    assert manifest["input"]["sha256"] == _sha(released.input.read_bytes())
    assert manifest["input"]["rows"] == len(ROWS) and manifest["input"]["file"] == "in.csv"
    assert manifest["pipeline"]["sha256"] == _sha(released.pipeline.read_bytes())
    assert manifest["pipeline"]["name"] == "soudan-test" and manifest["pipeline"]["mode"] == "fast"
    outputs = manifest["outputs"]
    assert sorted(outputs) == sorted(set(FILES) - {"manifest.json"})
    for name, digest in outputs.items():
        assert digest == _sha((released.release / name).read_bytes()), name
    assert manifest["gate"]["passed"] is True
    assert [a["operator"] for a in manifest["operators"]["氏名"]] == ["pseudonymize"]
    assert manifest["rules_sha256"] and manifest["versions"]["anonymizer"]


def test_an_anonymized_release_names_its_per_release_key_and_no_key_id(released):
    manifest = _json(released, "manifest.json")
    assert manifest["purpose"] == "anonymized" and manifest["key_id"] is None
    assert manifest["pseudonym_key"] == "per_release"
    action = manifest["operators"]["氏名"][0]
    assert action["by"] == "person" and action["key"] == "per_release" and "key_id" not in action
    assert _json(released, "report.json")["transformations"] == {
        "key_id": None,
        "pseudonym_key": "per_release",
        "pseudonym_domain": None,
    }


def test_key_id_is_recorded_never_the_key(work):
    assert work.setup(kamei_pipeline()).run().exit_code == 0
    expected = key_id(KEY.encode("ascii"))
    manifest = _json(work, "manifest.json")
    assert manifest["key_id"] == expected and manifest["pseudonym_key"] == "persistent"
    assert manifest["operators"]["氏名"][0]["key_id"] == expected
    assert _json(work, "report.json")["transformations"] == {
        "key_id": expected,
        "pseudonym_key": "persistent",
        "pseudonym_domain": "test-domain",
    }
    for name, text in released_texts(work.release).items():
        assert KEY not in text and KEY[:16] * 2 not in text, name


def test_no_local_path_is_published(released):
    for name, text in released_texts(released.release).items():
        assert str(released.root) not in text, name


def test_datapackage_describes_the_csv(released):
    package = _json(released, "datapackage.json")
    data = (released.release / "soudan.csv").read_bytes()
    assert package["profile"] == "tabular-data-package" and package["name"] == "soudan-test"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["created"] == "2026-04-01T00:00:00+09:00"
    (resource,) = package["resources"]
    assert resource["path"] == "soudan.csv" and resource["encoding"] == "utf-8"
    assert resource["bytes"] == len(data) and resource["hash"] == f"sha256:{_sha(data)}"
    assert resource["dialect"]["lineTerminator"] == "\r\n"
    assert [f["name"] for f in resource["schema"]["fields"]] == RELEASED


def test_metadata_has_license_municipality_and_distribution(released):
    meta = _json(released, "metadata.json")
    data = (released.release / "soudan.csv").read_bytes()
    assert meta["license"]["id"] == "CC-BY-4.0" and meta["license"]["url"].startswith(
        "https://creativecommons.org/"
    )
    assert meta["spatial"] == {"local_government_code": "132152"}
    assert meta["publisher"] == "国立市（テスト）" and meta["issued"] == "2026-04-01"
    (dist,) = meta["distribution"]
    assert (
        dist["sha256"] == _sha(data)
        and dist["rows"] == len(ROWS)
        and dist["encoding"] == "UTF-8 (BOM付き)"
    )
    assert (
        meta["protection"]["columns"]["氏名"] == ["pseudonymize"]
        and meta["protection"]["gate"] == "passed"
    )


def test_pdl_license_and_cp932_labels(work):
    spec = base_pipeline()
    spec["metadata"]["license"] = "PDL-1.0"
    spec["output"]["encoding"] = "cp932"
    assert work.setup(spec).run().exit_code == 0
    meta, package = _json(work, "metadata.json"), _json(work, "datapackage.json")
    assert meta["license"]["id"] == "PDL-1.0" and "公共データ利用規約" in meta["license"]["title"]
    assert meta["distribution"][0]["encoding"] == "Shift_JIS (CP932)"
    assert package["resources"][0]["encoding"] == "cp932"


def test_report_json_records_what_was_done(released):
    report = _json(released, "report.json")
    assert report["verdict"]["released"] is True and report["verdict"]["reasons"] == []
    assert report["input"]["encoding"] == "utf_8" and report["input"]["rows"] == len(ROWS)
    columns = {c["name"]: c for c in report["input"]["columns"]}
    assert columns["電話番号"]["released"] is False and columns["氏名"]["released"] is True
    assert columns["電話番号"]["detected"].get("JP_PHONE_NUMBER") == len(ROWS)
    assert report["output"]["columns"] == RELEASED and report["output"]["rows"] == len(ROWS)
    masked = report["detection"]["masked_in_free_text"]["相談内容"]
    assert masked["PERSON"] >= 3 and masked["JP_PHONE_NUMBER"] == 2 and masked["JP_MY_NUMBER"] == 1
    assert [c["name"] for c in report["gate"]["checks"]] == [
        "rescan", "raw_values", "headers", "publication", "reidentification", "free_text_review"
    ]
    assert report["provenance"]["seed"] is None


def test_report_html_is_rendered_from_the_report(released):
    html = (released.release / "report.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    report = _json(released, "report.json")
    assert "匿名加工リスク報告書: 相談記録（テスト）" in html and report["verdict"]["summary"] in html
    assert "確認者の役職" in html and "検察官モデル" in html and "公開用レポート" in html
    assert report["pipeline"]["sha256"] in html


def test_appi_checklist_in_report(released):
    appi = {m["measure"]: m["status"] for m in _json(released, "report.json")["appi"]}
    # 4 (特異な記述): the policy passes only through waivers and free text goes out under a
    # review, so a person has to look: 要確認, not 実施
    assert appi == {"1": "done", "2": "done", "3": "done", "4": "review", "5": "done"}


def test_a_table_over_max_rows_per_file_is_released_in_part_files(work, tmp_path):
    """``output.max_rows_per_file: 4`` on 6 rows: soudan-0001.csv (4 rows) and -0002.csv (2),
    each with the header (and its own BOM), together the single file's rows; one multipart
    resource that the real frictionless validator reads whole; every part in the manifest,
    metadata.json, ckan.json (so publish uploads each), dcat.jsonld and the report."""
    import pandas as pd
    from frictionless import validate

    from tests.pipeline.conftest import Work

    (tmp_path / "single").mkdir()
    single = Work(tmp_path / "single")
    assert single.setup().run("--insecure-seed", "3").exit_code == 0
    spec = base_pipeline()
    spec["output"]["max_rows_per_file"] = 4
    result = work.setup(spec).run("--insecure-seed", "3")
    assert result.exit_code == 0, result.stderr
    parts = ["soudan-0001.csv", "soudan-0002.csv"]
    names = sorted(p.name for p in work.release.iterdir())
    assert names == sorted([*parts, *(set(FILES) - {"soudan.csv"})])
    whole = (single.release / "soudan.csv").read_bytes()
    head, *rows = whole.split(b"\r\n")[:-1]
    data = [(work.release / p).read_bytes() for p in parts]
    assert data == [b"\r\n".join([head, *part]) + b"\r\n" for part in (rows[:4], rows[4:])]

    manifest = _json(work, "manifest.json")
    for p in parts:
        assert manifest["outputs"][p] == _sha((work.release / p).read_bytes())
    (resource,) = _json(work, "datapackage.json")["resources"]
    assert resource["path"] == parts and "hash" not in resource and "bytes" not in resource
    report = validate(work.release / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:5]
    assert report.tasks[0].stats["rows"] == len(ROWS)
    meta = _json(work, "metadata.json")
    files = [(d["file"], d["rows"]) for d in meta["distribution"]]
    assert files == [(parts[0], 4), (parts[1], 2)]
    ckan = [r["url"] for r in _json(work, "ckan.json")["resources"]]
    assert ckan[:2] == parts
    dcat = json.dumps(_json(work, "dcat.jsonld"), ensure_ascii=False)
    assert all(p in dcat for p in parts)
    out = _json(work, "report.json")["output"]
    assert out["parts"] == [
        {"file": p, "rows": n, "sha256": manifest["outputs"][p]}
        for p, n in zip(parts, (4, 2), strict=True)
    ]
    assert "sha256" not in out or out["sha256"] is None
    html = (work.release / "report.html").read_text(encoding="utf-8")
    assert "2 ファイルに分割" in html and all(p in html for p in parts)
    frames = [pd.read_csv(work.release / p, dtype=str, encoding="utf-8-sig") for p in parts]
    assert len(pd.concat(frames)) == len(ROWS)
