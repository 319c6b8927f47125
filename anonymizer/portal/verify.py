"""Is this release folder fit to upload? Checked before anything is sent to a portal.

A release folder is trusted only as far as its ``manifest.json`` vouches for it: the
manifest must say ``purpose: anonymized`` (a 仮名加工情報 release is never published: exit 2)
and that the gate passed (else exit 1, as a refused run), and every file it lists must be
there with the SHA-256 it recorded (a file edited, truncated or swapped after the run: exit 2
naming it). ckan.json says what to upload; each file it names must be one the manifest lists.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anonymizer.errors import GateRefused, InputError, UsageError
from anonymizer.fsutil import os_errors
from anonymizer.i18n import _
from anonymizer.pipeline.release import sha256_file

API_KEY_ENV = "CKAN_API_KEY"


@dataclass(frozen=True)
class Verified:
    """A release whose files match its manifest: ckan.json and the files to upload."""

    folder: Path
    payload: dict[str, Any]
    files: dict[str, Path]
    #: each file's SHA-256 (as the manifest records it) and size
    digests: dict[str, tuple[str, int]]


def _json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise InputError(
            _("{path}: not found — is this a release folder (out/<name>)?").format(path=path)
        )
    with os_errors(_("cannot read the release"), path):
        text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except ValueError:
        raise InputError(_("{path}: not valid JSON").format(path=path)) from None
    if not isinstance(data, dict):
        raise InputError(_("{path}: not a JSON object").format(path=path))
    return data


def verify_release(folder: Path) -> Verified:
    """The release in ``folder`` (``out/<name>``, a link followed), checked; raises otherwise."""
    if not folder.is_dir():
        raise UsageError(
            _(
                "{folder}: not a release folder (anonymizer run … --out OUT writes OUT/<name>)"
            ).format(folder=folder)
        )
    manifest = _json(folder / "manifest.json")
    if manifest.get("purpose") != "anonymized":
        raise UsageError(
            _(
                "{folder}: a {get!r} release (仮名加工情報) is for internal use only and is never "
                "published to a portal"
            ).format(folder=folder, get=manifest.get('purpose'))
        )
    gate = manifest.get("gate")
    if not isinstance(gate, dict) or gate.get("passed") is not True:
        raise GateRefused(
            _("{folder}: manifest.json does not record a passed release gate").format(folder=folder)
        )
    outputs = manifest.get("outputs")
    if not isinstance(outputs, dict) or not outputs:
        raise InputError(_("{value_}: lists no outputs").format(value_=folder / 'manifest.json'))
    for name, recorded in sorted(outputs.items()):
        path = folder / name
        if os.sep in name or name.startswith(".") or not path.is_file():
            raise InputError(
                _("{path}: listed in manifest.json but not in the release folder").format(path=path)
            )
        with os_errors(_("cannot read the release"), path):
            actual = sha256_file(path)
        if actual != recorded:
            raise InputError(
                _(
                    "{path}: its SHA-256 does not match manifest.json (changed after the release "
                    "was made); run the pipeline again"
                ).format(path=path)
            )
    if "ckan.json" not in outputs:
        raise InputError(
            _(
                "{folder}: no ckan.json in the manifest (a release made before anonymizer wrote "
                "one); run the pipeline again"
            ).format(folder=folder)
        )
    payload = _json(folder / "ckan.json")
    files: dict[str, Path] = {}
    digests: dict[str, tuple[str, int]] = {}
    for resource in payload.get("resources", []):
        url = str(resource.get("url", ""))
        if url not in outputs:
            raise InputError(
                _("{value_}: resource {url!r} is not a file of the manifest").format(
                    value_=folder / 'ckan.json', url=url
                )
            )
        files[url] = folder / url
        with os_errors(_("cannot read the release"), files[url]):
            digests[url] = (str(outputs[url]), files[url].stat().st_size)
    if not files:
        raise InputError(_("{value_}: no resources to upload").format(value_=folder / 'ckan.json'))
    return Verified(folder=folder, payload=payload, files=files, digests=digests)


def read_api_key(path: Path | None) -> str:
    """The API key from ``path`` (its first line) or ``$CKAN_API_KEY``; never logged."""
    if path is not None:
        with os_errors(_("cannot read the API key"), path):
            text = path.read_text(encoding="utf-8")
        key = text.strip().splitlines()[0].strip() if text.strip() else ""
        if not key:
            raise UsageError(_("{path}: the API key file is empty").format(path=path))
        return key
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise UsageError(
            _("no API key: give --api-key-file FILE or set ${api_key_env}").format(
                api_key_env=API_KEY_ENV
            )
        )
    return key


__all__ = ["API_KEY_ENV", "Verified", "read_api_key", "verify_release"]
