"""A small CKAN-API-compatible server for the publish tests: 127.0.0.1, a random port, a thread.

It answers the actions ``anonymizer publish`` calls, through the same wire format as CKAN's
``/api/action/<name>`` (JSON or multipart in, ``{"success", "result" | "error"}`` out, the
error ``__type`` names ckanapi maps back to exceptions) and serves uploaded files at CKAN's
download path. Which of CKAN's behaviours it reproduces, and which not: CKAN_SERVER.md.

Tests make it fail on purpose: ``fail_upload_at = n`` (the n-th file upload answers HTTP 500
and stores nothing), ``fail_actions`` (those actions answer HTTP 500).
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

EDITOR_KEY = "editor-token-" + "e" * 40
SYSADMIN_KEY = "sysadmin-token-" + "s" * 40
OUTSIDER_KEY = "outsider-token-" + "o" * 40
ORG, OTHER_ORG = "kunitachi", "hachioji"
_NAME = re.compile(r"[a-z0-9_-]{2,100}")
_TAG = re.compile(r"[\w \-.]{2,100}")
_DOWNLOAD = re.compile(r"/dataset/([^/]+)/resource/([^/]+)/download/([^/]+)")


class ActionError(Exception):
    def __init__(self, status: int, kind: str, message: str, fields: dict[str, Any] | None = None):
        super().__init__(message)
        self.status, self.kind, self.message, self.fields = status, kind, message, fields or {}


def _not_found() -> ActionError:
    return ActionError(404, "Not Found Error", "Not found")


def _denied(what: str) -> ActionError:
    return ActionError(403, "Authorization Error", f"Access denied: {what}")


class FakeCkan:
    def __init__(self) -> None:
        self.orgs = {
            f"id-{ORG}": {"id": f"id-{ORG}", "name": ORG, "title": "国立市"},
            f"id-{OTHER_ORG}": {"id": f"id-{OTHER_ORG}", "name": OTHER_ORG, "title": "八王子市"},
        }
        self.users = {
            EDITOR_KEY: {"name": "editor", "sysadmin": False, "orgs": {f"id-{ORG}": "editor"}},
            SYSADMIN_KEY: {"name": "admin", "sysadmin": True, "orgs": {}},
            OUTSIDER_KEY: {
                "name": "outsider", "sysadmin": False, "orgs": {f"id-{OTHER_ORG}": "editor"}
            },
        }  # fmt: skip
        self.packages: dict[str, dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}
        #: (action, user name or None) of every call, in order
        self.calls: list[tuple[str, str | None]] = []
        #: every Authorization header received
        self.keys_seen: list[str] = []
        self.uploads = 0
        self.fail_upload_at: int | None = None
        self.fail_actions: set[str] = set()
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.url = ""

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> FakeCkan:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                fake._http(self, "GET")

            def do_POST(self) -> None:
                fake._http(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # -- what tests look at ------------------------------------------------------------------
    def active(self) -> list[dict[str, Any]]:
        return [p for p in self.packages.values() if p["state"] == "active"]

    def writes(self) -> list[str]:
        reads = {"organization_list_for_user", "package_show"}
        return [a for a, _ in self.calls if a not in reads]

    # -- HTTP --------------------------------------------------------------------------------
    def _http(self, req: BaseHTTPRequestHandler, method: str) -> None:
        key = req.headers.get("Authorization", "")
        if key:
            self.keys_seen.append(key)
        user = self.users.get(key)  # an unknown key is anonymous, as in CKAN >= 2.10
        path = urlsplit(req.path)
        download = _DOWNLOAD.fullmatch(path.path)
        if method == "GET" and download:
            self._download(req, user, download.group(1), download.group(2))
            return
        if not path.path.startswith("/api/action/"):
            self._send(req, 404, b"<html>Not Found</html>", "text/html")
            return
        action = path.path.rsplit("/", 1)[1]
        try:
            data = self._data(req, method, path.query)
            with self.lock:
                self.calls.append((action, user["name"] if user else None))
                if action in self.fail_actions:
                    raise ActionError(500, "", "")
                result = self._act(action, data, user)
            body = {"help": f"{self.url}/api/3/action/help_show?name={action}",
                    "success": True, "result": result}  # fmt: skip
            self._send(req, 200, json.dumps(body).encode())
        except ActionError as err:
            if err.status == 500:  # as a proxy or a crashed worker answers: not JSON
                self._send(req, 500, b"<html>Internal Server Error</html>", "text/html")
                return
            error = {"__type": err.kind, "message": err.message, **err.fields}
            self._send(req, err.status, json.dumps({"success": False, "error": error}).encode())

    def _send(self, req: BaseHTTPRequestHandler, status: int, body: bytes,
              ctype: str = "application/json;charset=utf-8") -> None:  # fmt: skip
        req.send_response(status)
        req.send_header("Content-Type", ctype)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    def _data(self, req: BaseHTTPRequestHandler, method: str, query: str) -> dict[str, Any]:
        if method == "GET":
            return dict(parse_qsl(query))
        body = req.rfile.read(int(req.headers.get("Content-Length", 0)))
        ctype = req.headers.get("Content-Type", "")
        if ctype.startswith("multipart/form-data"):
            msg = BytesParser(policy=HTTP).parsebytes(
                f"Content-Type: {ctype}\r\n\r\n".encode() + body
            )
            data: dict[str, Any] = {}
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                content = part.get_payload(decode=True) or b""
                filename = part.get_filename()
                data[name] = (filename, content) if filename else content.decode("utf-8")
            return data
        return json.loads(body or b"{}")

    def _download(self, req: BaseHTTPRequestHandler, user: Any, pid: str, rid: str) -> None:
        package = self.packages.get(pid)
        if package is None or rid not in self.files:
            self._send(req, 404, b"Not found", "text/plain")
            return
        if (package["private"] or package["state"] != "active") and not self._may_edit(
            user, package
        ):
            self._send(req, 403, b"Forbidden", "text/plain")
            return
        self._send(req, 200, self.files[rid], "application/octet-stream")

    # -- actions -----------------------------------------------------------------------------
    def _may_edit(self, user: Any, package: dict[str, Any]) -> bool:
        return bool(user) and (user["sysadmin"] or package["owner_org"] in user["orgs"])

    def _package(self, ref: Any) -> dict[str, Any]:
        for p in self.packages.values():
            if ref in (p["id"], p["name"]):
                return p
        raise _not_found()

    def _editable(self, ref: Any, user: Any) -> dict[str, Any]:
        package = self._package(ref)
        if not self._may_edit(user, package):
            raise _denied("package_update")
        return package

    def _resource(self, rid: Any, user: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        for p in self.packages.values():
            for r in p["resources"]:
                if r["id"] == rid:
                    if not self._may_edit(user, p):
                        raise _denied("resource_update")
                    return p, r
        raise _not_found()

    def _org_id(self, ref: Any) -> str | None:
        for o in self.orgs.values():
            if ref in (o["id"], o["name"]):
                return o["id"]
        return None

    def _validate(self, data: dict[str, Any]) -> None:
        errors: dict[str, list[str]] = {}
        if "name" in data and not (_NAME.fullmatch(str(data["name"])) and data["name"] not in
                                   ("new", "edit", "search")):  # fmt: skip
            errors["name"] = ["Must be purely lowercase alphanumeric (ascii) characters and -_"]
        for tag in data.get("tags") or []:
            if not _TAG.fullmatch(str(tag.get("name", ""))):
                errors.setdefault("tags", []).append(f"Tag {tag.get('name')!r} is not allowed")
        keys = [e.get("key") for e in data.get("extras") or []]
        if len(keys) != len(set(keys)):
            errors["extras_validation"] = ["Duplicate key"]
        if errors:
            raise ActionError(409, "Validation Error", "Validation error", errors)

    def _store(
        self, data: dict[str, Any], resource: dict[str, Any], package: dict[str, Any]
    ) -> None:
        upload = data.get("upload")
        for k, v in data.items():
            if k not in ("upload", "id", "package_id"):
                resource[k] = int(v) if k == "size" and str(v).isdigit() else v
        if isinstance(upload, tuple):
            self.uploads += 1
            if self.fail_upload_at is not None and self.uploads == self.fail_upload_at:
                raise ActionError(500, "", "")
            filename, content = upload
            self.files[resource["id"]] = content
            resource["url"] = (
                f"{self.url}/dataset/{package['id']}/resource/{resource['id']}/download/{filename}"
            )
            resource["url_type"] = "upload"

    def _act(self, action: str, data: dict[str, Any], user: Any) -> Any:
        if action == "organization_list_for_user":
            if not user:
                return []
            return [o for o in self.orgs.values() if user["sysadmin"] or o["id"] in user["orgs"]]
        if action == "package_show":
            package = self._package(data.get("id"))
            hidden = package["private"] or package["state"] != "active"
            if hidden and not self._may_edit(user, package):
                raise _denied("package_show")
            return package
        if action == "package_create":
            if not user:
                raise _denied("package_create")
            org = self._org_id(data.get("owner_org"))
            if org is None or not (user["sysadmin"] or org in user["orgs"]):
                raise ActionError(409, "Validation Error", "Validation error",
                                  {"owner_org": ["Organization does not exist"]})  # fmt: skip
            self._validate(data)
            if any(
                p["name"] == data["name"] and p["state"] == "active" for p in self.packages.values()
            ):
                raise ActionError(409, "Validation Error", "Validation error",
                                  {"name": ["That URL is already in use."]})  # fmt: skip
            if any(p["name"] == data["name"] for p in self.packages.values()):
                raise ActionError(500, "", "")  # CKAN: the name's unique index (IntegrityError)
            pid = str(uuid.uuid4())
            package = {
                "title": data["name"], "notes": "", "license_id": "", "tags": [], "extras": [],
                **{k: v for k, v in data.items() if k != "resources"},
                "id": pid, "owner_org": org, "organization": dict(self.orgs[org]),
                "private": bool(data.get("private", False)), "state": "active", "resources": [],
            }  # fmt: skip
            self.packages[pid] = package
            return package
        if action == "package_patch":
            package = self._editable(data.get("id"), user)
            self._validate(data)
            package.update({k: v for k, v in data.items() if k not in ("id", "resources")})
            return package
        if action == "package_delete":
            self._editable(data.get("id"), user)["state"] = "deleted"
            return None
        if action == "dataset_purge":
            package = self._package(data.get("id"))
            if not (user and user["sysadmin"]):
                raise _denied("dataset_purge")
            for r in package["resources"]:
                self.files.pop(r["id"], None)
            del self.packages[package["id"]]
            return None
        if action == "resource_create":
            package = self._editable(data.get("package_id"), user)
            resource = {"id": str(uuid.uuid4()), "package_id": package["id"], "url": "",
                        "url_type": None, "position": len(package["resources"])}  # fmt: skip
            self._store(data, resource, package)
            package["resources"].append(resource)
            return resource
        if action == "resource_patch":
            package, resource = self._resource(data.get("id"), user)
            changed = dict(resource)
            self._store(data, changed, package)
            resource.update(changed)
            return resource
        if action == "resource_delete":
            package, resource = self._resource(data.get("id"), user)
            package["resources"].remove(resource)
            self.files.pop(resource["id"], None)
            return None
        raise ActionError(400, "Bad Request", f"Action name not known: {unquote(action)}")
