"""ckan.json: a package_create payload with the fields a municipal CKAN needs.

CKAN's own schema code checks it in a virtual environment of its own
(benchmarks/ckan_schema/check.py); the slow test below runs that check when the environment
exists (benchmarks/ckan_schema/run.sh makes it)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from anonymizer.portal.ckan import CKAN_LICENSE, OWNER_ORG_PLACEHOLDER, tag_names
from tests.report._releases import copy_pipeline, run_cli

ROOT = Path(__file__).resolve().parents[2]
CKAN_VENV = Path(os.environ.get("CKAN_VENV", "/tmp/ckanvenv"))


def _payload(release: Path) -> dict[str, Any]:
    return json.loads((release / "ckan.json").read_text(encoding="utf-8"))


def test_payload_names_the_dataset_its_licence_and_organization(soudan_fast_release):
    payload = _payload(soudan_fast_release)
    assert payload["name"] == "132152-soudan"
    assert payload["title"] == "住民相談記録（個人情報除去済み）" and payload["notes"]
    assert payload["license_id"] == "cc-by" and payload["owner_org"] == OWNER_ORG_PLACEHOLDER
    assert [t["name"] for t in payload["tags"]] == ["住民相談", "市民相談", "オープンデータ"]
    extras = {e["key"]: e["value"] for e in payload["extras"]}
    assert extras["全国地方公共団体コード"] == "132152" and extras["spatial_text"] == "東京都国立市"
    assert (
        extras["加工方法"].startswith("個人情報保護法の匿名加工")
        and "k-匿名化" in extras["加工方法"]
    )
    assert extras["公開前ゲート判定"].startswith("公開前ゲート検査 合格")
    assert (extras["temporal_start"], extras["temporal_end"]) == ("2024-04", "2025-03")
    assert extras["license_url"] == "https://creativecommons.org/licenses/by/4.0/"


def test_one_resource_per_file_with_its_hash_size_and_encoding(soudan_fast_release):
    payload = _payload(soudan_fast_release)
    manifest = json.loads((soudan_fast_release / "manifest.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in payload["resources"]]
    assert names == ["soudan.csv", "datapackage.json", "report.html"]
    for r in payload["resources"]:
        data = (soudan_fast_release / r["url"]).read_bytes()
        assert r["url"] == r["name"]  # relative: replaced by the portal's own at upload
        if r["name"] == "report.html":  # it shows when it was made: hashed at upload only
            assert "hash" not in r and "size" not in r and r["encoding"] == "UTF-8"
            continue
        assert r["hash"] == hashlib.sha256(data).hexdigest() == manifest["outputs"][r["url"]]
        assert r["size"] == len(data) and r["hash_algorithm"] == "sha256"
    csv = payload["resources"][0]
    assert (csv["format"], csv["mimetype"], csv["encoding"]) == ("CSV", "text/csv", "UTF-8")


def test_pdl_contact_and_cp932(tmp_path):
    path = copy_pipeline(
        "kaigo",
        tmp_path,
        metadata={
            **yaml.safe_load((ROOT / "pipelines" / "kaigo.yaml").read_text("utf-8"))["metadata"],
            "license": "PDL-1.0",
            "contact": "opendata@city.kunitachi.example.jp",
            "keywords": ["介護", "道路・交通", "税", "介護"],
        },
        output={"file": "kaigo.csv", "encoding": "cp932"},
    )
    result = run_cli("run", path, "--out", tmp_path / "out", "--no-progress")
    assert result.exit_code == 0, result.stderr
    payload = _payload(tmp_path / "out" / "kaigo")
    assert payload["license_id"] == CKAN_LICENSE["PDL-1.0"] == "other-at"
    extras = {e["key"]: e["value"] for e in payload["extras"]}
    assert "公共データ利用規約" in extras["license_title"]
    assert (
        payload["maintainer_email"]
        == extras["contact_email"]
        == "opendata@city.kunitachi.example.jp"
    )
    assert [t["name"] for t in payload["tags"]] == ["介護", "道路 交通"]
    assert payload["resources"][0]["encoding"] == "Windows-31J"


@pytest.mark.parametrize(
    ("keywords", "tags"),
    [
        (["住民相談"], ["住民相談"]),
        (["道路・交通"], ["道路 交通"]),  # ・ is not a character a CKAN tag may hold
        (["子育て／教育"], ["子育て 教育"]),
        (["open-data", "v1.0"], ["open-data", "v1.0"]),
        (["税", "x"], []),  # shorter than CKAN's 2 characters
        (["介護", "介護"], ["介護"]),
        (["・・・"], []),
        (["あ" * 120], ["あ" * 100]),
    ],
)
def test_tag_names(keywords, tags):
    assert tag_names(keywords) == tags


def test_no_open_data_package_for_a_pseudonymized_release(tmp_path):
    from tests.report._releases import write_key

    path = copy_pipeline("soudan_kamei", tmp_path, mode="fast")
    key = write_key(tmp_path / "city.key")
    result = run_cli("run", path, "--out", tmp_path / "out", "--no-progress", "--key-file", key)
    assert result.exit_code == 0, result.stderr
    files = {p.name for p in (tmp_path / "out" / "soudan-kamei").iterdir()}
    assert not files & {"datapackage.json", "metadata.json", "ckan.json", "dcat.jsonld"}


@pytest.mark.slow
def test_ckan_json_passes_ckans_own_package_schema(kaigo_release, dp_release, soudan_fast_release):
    python = CKAN_VENV / "bin" / "python"
    if not python.exists():
        pytest.skip(f"no CKAN environment at {CKAN_VENV} (make it: benchmarks/ckan_schema/run.sh)")
    files = [r / "ckan.json" for r in (kaigo_release, dp_release, soudan_fast_release)]
    check = ROOT / "benchmarks" / "ckan_schema" / "check.py"
    done = subprocess.run([python, check, *files], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("OK: ") == 3


def test_catalogue_records_are_byte_identical_for_the_same_input_and_seed(tmp_path):
    path = copy_pipeline("soudan", tmp_path, mode="fast")
    records = ("datapackage.json", "metadata.json", "ckan.json", "dcat.jsonld")
    seen = []
    for out in ("a", "b"):
        result = run_cli(
            "run", path, "--out", tmp_path / out, "--no-progress", "--insecure-seed", "7"
        )
        assert result.exit_code == 0, result.stderr
        seen.append({n: (tmp_path / out / "soudan" / n).read_bytes() for n in records})
    assert seen[0] == seen[1]
