"""``anonymizer publish`` against a CKAN-API-compatible server on 127.0.0.1 (ckan_server.py;
what it reproduces of CKAN: CKAN_SERVER.md): idempotence, all or nothing, and the refusals."""

from __future__ import annotations

import copy
import json
import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from anonymizer.cli.main import cli
from tests.portal.ckan_server import (
    EDITOR_KEY,
    ORG,
    OTHER_ORG,
    OUTSIDER_KEY,
    SYSADMIN_KEY,
    FakeCkan,
)
from tests.report._releases import copy_pipeline, run_cli

FILES = ["kaigo.csv", "datapackage.json", "report.html"]


def _publish(
    ckan: FakeCkan | str, release: Path, *args: str, key: str | None = EDITOR_KEY
) -> Result:
    url = ckan if isinstance(ckan, str) else ckan.url
    env = {"CKAN_API_KEY": key} if key else {"CKAN_API_KEY": ""}
    result = CliRunner().invoke(
        cli,
        ["publish", str(release), "--ckan", url, "--org", ORG, "--timeout", "20", *args],
        env=env,
        catch_exceptions=False,
    )
    for k in (EDITOR_KEY, SYSADMIN_KEY, OUTSIDER_KEY):  # never echoed, whatever happened
        assert k not in result.output + result.stderr
    return result


def _copy(release: Path, where: Path) -> Path:
    """The release folder's files (the link followed), somewhere a test may change them."""
    shutil.copytree(release, where, symlinks=False)
    return where


@pytest.fixture
def release(kaigo_release: Path, tmp_path: Path) -> Path:
    return _copy(kaigo_release, tmp_path / "kaigo")


@pytest.fixture(scope="module")
def release_2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """kaigo again with another description: the same data file, new metadata and report."""
    d = tmp_path_factory.mktemp("portal-kaigo-2")
    path = copy_pipeline("kaigo", d)
    text = path.read_text(encoding="utf-8").replace(
        "マイクロデータ（サンプル", "マイクロデータ（第2版・サンプル"
    )
    path.write_text(text, encoding="utf-8")
    result = run_cli("run", path, "--out", d / "out", "--no-progress")
    assert result.exit_code == 0, result.stderr
    return d / "out" / "kaigo"


def _files(ckan: FakeCkan) -> dict[str, bytes]:
    (package,) = ckan.active()
    return {r["name"]: ckan.files[r["id"]] for r in package["resources"]}


# -- publishing ------------------------------------------------------------------------------


def test_publish_creates_one_public_dataset_with_every_file(ckan, release):
    result = _publish(ckan, release)
    assert result.exit_code == 0, result.stderr
    assert f"created {ckan.url}/dataset/132152-kaigo" in result.output
    (package,) = ckan.active()
    assert package["name"] == "132152-kaigo" and package["owner_org"] == f"id-{ORG}"
    assert package["private"] is False and package["license_id"] == "cc-by"
    assert [r["name"] for r in package["resources"]] == FILES
    assert _files(ckan) == {f: (release / f).read_bytes() for f in FILES}
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["全国地方公共団体コード"] == "132152" and "加工方法" in extras
    assert set(ckan.keys_seen) == {EDITOR_KEY}


def test_publishing_twice_gives_one_dataset_and_uploads_nothing_again(ckan, release):
    assert _publish(ckan, release).exit_code == 0
    (first,) = ckan.active()
    ids = [r["id"] for r in first["resources"]]
    uploads = ckan.uploads
    result = _publish(ckan, release)
    assert result.exit_code == 0, result.stderr
    assert "updated" in result.output and "kaigo.csv unchanged" in result.output
    (package,) = ckan.active()
    assert len(ckan.packages) == 1 and [r["id"] for r in package["resources"]] == ids
    assert ckan.uploads == uploads


def test_a_new_release_updates_the_same_dataset_and_resources_in_place(ckan, release, release_2):
    assert _publish(ckan, release).exit_code == 0
    (package,) = ckan.active()
    ids = [r["id"] for r in package["resources"]]
    result = _publish(ckan, release_2)
    assert result.exit_code == 0, result.stderr
    assert "kaigo.csv unchanged" in result.output and "report.html replaced" in result.output
    (package,) = ckan.active()
    assert [r["id"] for r in package["resources"]] == ids
    assert _files(ckan) == {f: (release_2 / f).read_bytes() for f in FILES}
    assert "第2版" in package["notes"]


def test_the_portals_own_extras_and_tags_are_kept(ckan, release, release_2):
    assert _publish(ckan, release).exit_code == 0
    (package,) = ckan.active()
    package["extras"].append({"key": "frequency", "value": "年1回"})
    package["tags"].append({"name": "福祉"})
    assert _publish(ckan, release_2).exit_code == 0
    (package,) = ckan.active()
    assert {"key": "frequency", "value": "年1回"} in package["extras"]
    assert {"name": "福祉"} in package["tags"]


# -- all or nothing ----------------------------------------------------------------------------


def test_a_failed_upload_removes_the_new_dataset(ckan, release):
    ckan.fail_upload_at = 2
    result = _publish(ckan, release, key=SYSADMIN_KEY)
    assert result.exit_code == 2
    assert "resource_create" in result.stderr and "nothing was left changed" in result.stderr
    assert ckan.packages == {} and ckan.files == {}
    assert ckan.writes()[-1] == "dataset_purge"


def test_without_purge_rights_the_dataset_is_deleted_and_revived_by_the_next_publish(ckan, release):
    ckan.fail_upload_at = 2
    assert _publish(ckan, release).exit_code == 2
    (package,) = ckan.packages.values()  # the editor may not purge: deleted, not public
    assert package["state"] == "deleted" and package["private"] is True and ckan.active() == []
    ckan.fail_upload_at = None
    result = _publish(ckan, release)
    assert result.exit_code == 0, result.stderr
    (package,) = ckan.active()
    assert len(ckan.packages) == 1 and [r["name"] for r in package["resources"]] == FILES


def test_a_failed_update_restores_the_previous_files_and_fields(ckan, release, release_2):
    assert _publish(ckan, release).exit_code == 0
    (before,) = copy.deepcopy(ckan.active())
    files = _files(ckan)
    ckan.fail_upload_at = ckan.uploads + 2  # datapackage.json is replaced, report.html fails
    result = _publish(ckan, release_2)
    assert result.exit_code == 2 and "nothing was left changed" in result.stderr
    (after,) = ckan.active()
    assert after == before and _files(ckan) == files


def test_a_rollback_that_cannot_finish_says_what_is_left(ckan, release):
    ckan.fail_upload_at = 2
    ckan.fail_actions = {"dataset_purge", "package_delete"}
    result = _publish(ckan, release, key=SYSADMIN_KEY)
    assert result.exit_code == 2
    assert "ROLLBACK INCOMPLETE" in result.stderr and "dataset 132152-kaigo" in result.stderr
    (package,) = ckan.packages.values()
    assert package["private"] is True  # never made public


# -- refusals: nothing is sent ---------------------------------------------------------------


def test_a_file_that_does_not_match_the_manifest_is_named(ckan, release):
    with (release / "kaigo.csv").open("ab") as fh:
        fh.write(b"\xe5\xa5\xb3,80\r\n")
    result = _publish(ckan, release)
    assert result.exit_code == 2 and "kaigo.csv" in result.stderr and "SHA-256" in result.stderr
    assert ckan.calls == []


def test_a_missing_file_is_named(ckan, release):
    (release / "report.html").unlink()
    result = _publish(ckan, release)
    assert result.exit_code == 2 and "report.html" in result.stderr
    assert ckan.calls == []


def test_a_release_whose_gate_did_not_pass_is_refused(ckan, release):
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    manifest["gate"]["passed"] = False
    (release / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    result = _publish(ckan, release)
    assert result.exit_code == 1 and "gate" in result.stderr
    assert ckan.calls == []


def test_a_pseudonymized_release_is_never_published(ckan, tmp_path):
    from tests.report._releases import write_key

    path = copy_pipeline("soudan_kamei", tmp_path, mode="fast")
    key = write_key(tmp_path / "city.key")
    made = run_cli("run", path, "--out", tmp_path / "out", "--no-progress", "--key-file", key)
    assert made.exit_code == 0, made.stderr
    result = _publish(ckan, tmp_path / "out" / "soudan-kamei")
    assert result.exit_code == 2 and "仮名加工情報" in result.stderr
    assert ckan.calls == []


def test_not_a_release_folder(ckan, tmp_path):
    assert _publish(ckan, tmp_path / "nowhere").exit_code == 2
    result = _publish(ckan, tmp_path)
    assert result.exit_code == 2 and "manifest.json" in result.stderr


# -- the portal and the key --------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_portal(release):
    result = _publish(f"http://127.0.0.1:{_closed_port()}", release)
    assert result.exit_code == 2 and "cannot reach the portal" in result.stderr


def test_a_rejected_key_changes_nothing(ckan, release):
    result = _publish(ckan, release, key="not-a-key-" + "x" * 30)
    assert result.exit_code == 2 and "API key was not accepted" in result.stderr
    assert "not-a-key" not in result.stderr and ckan.writes() == []


def test_a_key_of_another_organization(ckan, release):
    result = _publish(ckan, release, key=OUTSIDER_KEY)
    assert result.exit_code == 2 and f"may not create datasets in '{ORG}'" in result.stderr
    assert OTHER_ORG in result.stderr and ckan.writes() == []


def test_no_key(ckan, release):
    result = _publish(ckan, release, key=None)
    assert result.exit_code == 2 and "--api-key-file" in result.stderr and ckan.calls == []


def test_the_key_from_a_file(ckan, release, tmp_path):
    key_file = tmp_path / "ckan.key"
    key_file.write_text(EDITOR_KEY + "\n", encoding="utf-8")
    result = _publish(ckan, release, "--api-key-file", str(key_file), key=None)
    assert result.exit_code == 0, result.stderr
    assert set(ckan.keys_seen) == {EDITOR_KEY}


def test_a_dataset_of_the_same_name_in_another_organization_is_left_alone(ckan, release):
    assert _publish(ckan, release, key=SYSADMIN_KEY).exit_code == 0
    (package,) = ckan.active()
    package["owner_org"] = f"id-{OTHER_ORG}"
    result = _publish(ckan, release)
    assert result.exit_code == 2 and "another organization" in result.stderr


def test_a_portal_that_is_not_ckan(ckan, release):
    result = _publish(ckan.url + "/not-ckan", release)
    assert result.exit_code == 2 and "not a CKAN API result" in result.stderr


@pytest.mark.parametrize(
    "url", ["ftp://user:secret@example.jp", "https://", "http://example.jp:port99", "example.jp"]
)
def test_not_an_http_url(release, url):
    result = _publish(url, release)
    assert result.exit_code == 2 and "not an http(s) URL" in result.stderr
    assert "secret" not in result.stderr


def test_a_redirecting_portal_is_named(release):
    """ckanapi does not follow a POST's redirect (it would drop the body): say so."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Redirect(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            self.send_response(301)
            self.send_header("Location", "https://example.jp" + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = _publish(f"http://127.0.0.1:{server.server_address[1]}", release)
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 2 and "redirects" in result.stderr


def test_help_has_an_example():
    result = run_cli("publish", "--help")
    assert (
        result.exit_code == 0 and "Example" in result.output and "--api-key-file" in result.output
    )
