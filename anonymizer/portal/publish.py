"""``anonymizer publish``: a verified release onto a CKAN portal, all or nothing.

Through CKAN's action API (``ckanapi``). Read-only first: the key's user must be able to
create datasets in the organization (``organization_list_for_user``; CKAN treats an unknown
key as anonymous, so a rejected key shows here as "no organization"), the dataset is looked
up by its ckan.json ``name``, and the current copy of every file about to be replaced is
downloaded — so that it can be put back.

Then the changes, each with its undo in a journal:

- a new dataset is created **private**, gets its resources, and is made public last; a
  failure purges it (``dataset_purge``; ``package_delete`` where the key may not purge — a
  deleted dataset's name is reused by the next publish, which revives it);
- an existing dataset (same name, same organization) keeps its id and its resources' ids:
  a resource is matched by name; an unchanged file (same SHA-256 and size) is not uploaded
  again, a changed one is replaced in place, a new one created; the dataset's fields are
  patched last (extras and tags merged: a portal's own stay). A failure deletes what was
  created, uploads the previous files again and restores the fields.

So publishing twice gives one dataset with one resource per file. What no journal can
undo — the portal going away mid-rollback — is reported as an incomplete rollback naming
what is left (exit 2). The API key is sent only to the portal's host and never printed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from anonymizer.errors import AnonymizerError, InputError
from anonymizer.fsutil import os_errors
from anonymizer.i18n import _
from anonymizer.portal.ckan import PACKAGE_FIELDS, RESOURCE_FIELDS
from anonymizer.portal.client import Portal, PortalError
from anonymizer.portal.verify import Verified


@dataclass
class Outcome:
    name: str
    url: str
    created: bool
    #: file → uploaded | replaced | unchanged
    resources: dict[str, str] = field(default_factory=dict)


class _Journal:
    """What this publish changed, and how to undo each change (last first)."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, Callable[[], None]]] = []

    def did(self, what: str, undo: Callable[[], None]) -> None:
        self.steps.append((what, undo))

    def rollback(self) -> list[str]:
        """Undo everything; returns what could not be undone."""
        left = []
        for what, undo in reversed(self.steps):
            try:
                undo()
            except Exception as exc:  # keep undoing the rest; report each that failed
                reason = exc.message if isinstance(exc, AnonymizerError) else type(exc).__name__
                left.append(f"{what} ({reason})")
        self.steps.clear()
        return left


def _organization(portal: Portal, org: str) -> str:
    orgs = portal.call("organization_list_for_user", {"permission": "create_dataset"})
    for o in orgs:
        if org in (o.get("name"), o.get("id")):
            return str(o["id"])
    if not orgs:
        raise PortalError(
            _(
                "{name}: the API key was not accepted (CKAN treats an unknown key as anonymous), "
                "or its user may create datasets in no organization; {org!r} needs an editor's or "
                "admin's key"
            ).format(name=portal.name, org=org),
            "auth"
        )
    names = ", ".join(sorted(str(o.get("name")) for o in orgs))
    raise PortalError(
        _("{name}: this key's user may not create datasets in {org!r} (only in: {names})").format(
            name=portal.name, org=org, names=names
        ),
        "auth"
    )


def _show(portal: Portal, name: str) -> dict[str, Any] | None:
    from ckanapi import NotFound

    try:
        return dict(portal.call("package_show", {"id": name}))
    except NotFound:
        return None


def _merge(old: list[dict[str, Any]], new: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """``old`` entries (a portal's own extras or tags) with ``new`` ones put in by ``key``."""
    ours = {e[key] for e in new}
    kept = [{k: e[k] for k in (key, "value") if k in e} for e in old if e.get(key) not in ours]
    return kept + new


def _read(path: Path) -> bytes:
    with os_errors(_("cannot read the release"), path):
        return path.read_bytes()


class _Publish:
    def __init__(self, portal: Portal, release: Verified, org_id: str, license_id: str | None):
        self.portal = portal
        self.release = release
        self.org_id = org_id
        self.payload = dict(release.payload)
        if license_id:
            self.payload["license_id"] = license_id
        self.journal = _Journal()

    def _undo(self, what: str, action: str, data: dict[str, Any], upload: Any = None) -> None:
        self.journal.did(what, partial(self.portal.call, action, data, upload=upload))

    def _meta(self, resource: dict[str, Any]) -> dict[str, Any]:
        """ckan.json's fields of a resource, with the SHA-256 and size of the verified file."""
        sha256, size = self.release.digests[resource["url"]]
        meta = {k: resource[k] for k in RESOURCE_FIELDS if k in resource}
        return {**meta, "hash": sha256, "hash_algorithm": "sha256", "size": size}

    def _upload(self, action: str, data: dict[str, Any], file: str) -> dict[str, Any]:
        path = self.release.files[file]
        content = _read(path)
        if hashlib.sha256(content).hexdigest() != self.release.digests[file][0]:
            raise InputError(_("{path}: changed while it was being published").format(path=path))
        try:
            return dict(self.portal.call(action, data, upload=(file, content)))
        except PortalError as exc:
            raise PortalError(
                _("{message} (uploading {file})").format(message=exc.message, file=file),
                exc.kind
            ) from None

    def create(self, outcome: Outcome) -> None:
        data = {k: v for k, v in self.payload.items() if k != "resources"}
        data.update(owner_org=self.org_id, private=True)  # public only once it is complete
        pid = self.portal.call("package_create", data)["id"]
        self.journal.did(_("dataset {name} (created)").format(name=self.payload["name"]), partial(self._remove, pid))
        for resource in self.payload["resources"]:
            meta = self._meta(resource)
            self._upload("resource_create", {"package_id": pid, **meta}, resource["url"])
            outcome.resources[resource["url"]] = "uploaded"
        public = {"id": pid, "private": bool(self.payload.get("private", False))}
        self.portal.call("package_patch", public)

    def _remove(self, pid: str) -> None:
        try:
            self.portal.call("dataset_purge", {"id": pid})
        except PortalError as exc:
            if exc.kind != "auth":
                raise
            self.portal.call("package_delete", {"id": pid})

    def update(self, existing: dict[str, Any], outcome: Outcome) -> None:
        if existing.get("owner_org") != self.org_id:
            raise PortalError(
                _(
                    "{name}: dataset {get!r} exists in another organization; publish does not move "
                    "datasets between organizations"
                ).format(name=self.portal.name, get=existing.get('name')),
                "rejected"
            )
        current = {r.get("name"): r for r in existing.get("resources", [])}
        plan = []
        for resource in self.payload["resources"]:  # read-only: keep what may have to go back
            old = current.get(resource["name"])
            same, kept = False, None
            if old is not None and old.get("url_type") == "upload":
                ours = tuple(str(v) for v in self.release.digests[resource["url"]])
                same = (str(old.get("hash")), str(old.get("size"))) == ours
                kept = None if same else self.portal.download(str(old["url"]))
            plan.append((resource, old, same, kept))
        for resource, old, same, kept in plan:
            outcome.resources[resource["url"]] = self._resource(
                existing["id"], resource, old, same, kept
            )
        self._fields(existing)

    def _resource(
        self,
        pid: str,
        resource: dict[str, Any],
        old: dict[str, Any] | None,
        same: bool,
        kept: bytes | None,
    ) -> str:
        """Create, replace or keep one resource; returns which."""
        file = resource["url"]
        meta = self._meta(resource)
        if old is None:
            made = self._upload("resource_create", {"package_id": pid, **meta}, file)
            self._undo(_("resource {file} (created)").format(file=file), "resource_delete", {"id": made["id"]})
            return "uploaded"
        rid = old["id"]
        before = {k: "" if old.get(k) is None else old[k] for k in meta}
        if same:
            diff = {k: v for k, v in meta.items() if str(old.get(k)) != str(v)}
            if diff:
                self.portal.call("resource_patch", {"id": rid, **diff})
                undo = {"id": rid, **{k: before[k] for k in diff}}
                self._undo(_("resource {file} (fields changed)").format(file=file), "resource_patch", undo)
            return "unchanged"
        self._upload("resource_patch", {"id": rid, **meta}, file)
        if kept is not None:
            name = Path(urlsplit(str(old["url"])).path).name or file
            undo = {"id": rid, **before}
            self._undo(_("resource {file} (file replaced)").format(file=file), "resource_patch", undo, (name, kept))
        else:  # it was a link: point it back
            undo = {"id": rid, **before, "url": old.get("url") or "", "url_type": ""}
            self._undo(_("resource {file} (link replaced)").format(file=file), "resource_patch", undo)
        return "replaced"

    def _fields(self, existing: dict[str, Any]) -> None:
        new = {k: self.payload[k] for k in PACKAGE_FIELDS if k in self.payload}
        new["extras"] = _merge(existing.get("extras", []), new.get("extras", []), "key")
        new["tags"] = _merge(existing.get("tags", []), new.get("tags", []), "name")
        if existing.get("state", "active") != "active":
            new["state"] = "active"  # a dataset an earlier failed publish left deleted
        before = {k: existing.get(k) or "" for k in new}
        before["extras"] = _merge(existing.get("extras", []), [], "key")
        before["tags"] = _merge(existing.get("tags", []), [], "name")
        self.portal.call("package_patch", {"id": existing["id"], **new})
        what = _("dataset {name} (fields changed)").format(name=existing.get("name"))
        self._undo(what, "package_patch", {"id": existing["id"], **before})


def publish(release: Verified, portal: Portal, org: str, license_id: str | None = None) -> Outcome:
    """Upload ``release`` into ``org`` on ``portal``: all of it, or nothing changed."""
    org_id = _organization(portal, org)
    name = str(release.payload["name"])
    existing = _show(portal, name)
    job = _Publish(portal, release, org_id, license_id)
    outcome = Outcome(name=name, url=f"{portal.name}/dataset/{name}", created=existing is None)
    try:
        if existing is None:
            job.create(outcome)
        else:
            job.update(existing, outcome)
    except BaseException as exc:
        left = job.journal.rollback()
        if not isinstance(exc, Exception):  # Ctrl-C: undone as far as possible, then stop
            raise
        message = (
            exc.message
            if isinstance(exc, AnonymizerError)
            else _("{portal}: publish failed ({error_type})").format(
                portal=portal.name, error_type=type(exc).__name__
            )
        )
        undone = (
            _("; ROLLBACK INCOMPLETE — left on the portal: {left}").format(left="; ".join(left))
            if left
            else _("; nothing was left changed on the portal")
        )
        raise PortalError(message + undone, getattr(exc, "kind", "error")) from None
    return outcome


__all__ = ["Outcome", "publish"]
