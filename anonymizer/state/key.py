"""The ledger's integrity key: 32 random bytes (64 hex characters) in ``ledger.key``, mode 0600.

Created once, atomically (written to a temporary file, then ``link()``-ed into place, which
fails if another process got there first — so two first runs cannot end up with two keys).
Only code in :mod:`anonymizer.state` reads it, and nothing prints it. :func:`mac` is HMAC-SHA256
from the standard library (``hmac``, ``hashlib``); the chain and the registry use it with
distinct labels so a MAC of one kind can never stand in for another.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from anonymizer.errors import LedgerTampered
from anonymizer.fsutil import fsync_dir, os_errors
from anonymizer.i18n import _

KEY_BYTES = 32


def mac(key: bytes, label: str, *parts: bytes) -> str:
    """HMAC-SHA256 over ``label`` and length-prefixed ``parts`` (no two inputs collide)."""
    h = hmac.new(key, label.encode("ascii") + b"\0", hashlib.sha256)
    for p in parts:
        h.update(len(p).to_bytes(8, "big"))
        h.update(p)
    return h.hexdigest()


def equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


def read_key(path: Path) -> bytes:
    with os_errors(_("cannot read the ledger's integrity key"), path):
        text = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise LedgerTampered(
            _(
                "{path}: the ledger's integrity key is not {value_} hex characters; restore it "
                "from a backup of the state directory (without it no spend can be verified)"
            ).format(path=path, value_=KEY_BYTES * 2)
        )
    return key


def install_key(path: Path, key: bytes) -> bytes:
    """Put ``key`` in place unless another process already did (then return that one)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with os_errors(_("cannot create the ledger's integrity key"), path):
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(key.hex() + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                return read_key(path)
            fsync_dir(path.parent)
        finally:
            tmp.unlink(missing_ok=True)
    return key


def load_key(key_path: Path, registry_path: Path, has_rows: bool, create: bool) -> bytes | None:
    """The integrity key of a state directory.

    A fresh state directory gets one on its first write, together with an empty registry
    (written first, so a key never exists without it). A missing key where budgets were
    recorded is refused: nothing could be verified without it."""
    if key_path.exists():
        return read_key(key_path)
    recorded = False
    if registry_path.exists():
        try:
            outer = json.loads(registry_path.read_text(encoding="utf-8"))
            recorded = bool(json.loads(outer["doc"])["populations"])
        except (OSError, ValueError, KeyError, TypeError):
            recorded = True
    if recorded or has_rows:
        raise LedgerTampered(
            _(
                "{key_path}: the ledger's integrity key is missing, but the state directory has "
                "budgets; restore the key from a backup of the state directory (without it no "
                "spend can be verified)"
            ).format(key_path=key_path)
        )
    if not create:
        return None
    from anonymizer.state import registry

    key = secrets.token_bytes(KEY_BYTES)
    registry.create_empty(registry_path, key)
    return install_key(key_path, key)


__all__ = ["KEY_BYTES", "equal", "install_key", "load_key", "mac", "read_key"]
