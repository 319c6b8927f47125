"""The registry of chain heads: which populations exist, and each one's last verified entry.

One small JSON document in the state directory (``registry.json``), MAC-ed as a whole with
the ledger's key, rewritten atomically. It is what makes a *shortened* or *replaced* ledger
visible: the ledger must end exactly at the recorded head. It also keeps each population's
total and spent amount, so a re-seal after rows went missing never gives budget back.

Writes are two-phase and happen only under the ledger's write lock: the new head is recorded
as ``pending`` before the ledger commits and promoted after, so a crash between the two is
never mistaken for tampering (the ledger then ends at either the head or the pending head).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anonymizer.fsutil import atomic_write_bytes, os_errors
from anonymizer.i18n import _
from anonymizer.state.key import equal, mac

VERSION = 1


@dataclass
class Registry:
    """The parsed registry; ``valid`` is False when its MAC does not match (tampered)."""

    populations: dict[str, dict[str, Any]]
    exists: bool
    valid: bool


def _mac(key: bytes, doc: str) -> str:
    return mac(key, "anonymizer-registry", doc.encode("utf-8"))


def load(path: Path, key: bytes) -> Registry:
    if not path.exists():
        return Registry({}, exists=False, valid=True)
    with os_errors(_("cannot read the state registry"), path):
        raw = path.read_bytes()
    try:
        outer = json.loads(raw.decode("utf-8"))
        doc, tag = outer["doc"], outer["mac"]
        parsed = json.loads(doc)
        pops = parsed["populations"]
        if not isinstance(pops, dict) or parsed.get("version") != VERSION:
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return Registry({}, exists=True, valid=False)
    if not isinstance(tag, str) or not equal(_mac(key, doc), tag):
        return Registry(pops, exists=True, valid=False)
    return Registry(pops, exists=True, valid=True)


def save(path: Path, key: bytes, populations: dict[str, dict[str, Any]]) -> None:
    doc = json.dumps(
        {"version": VERSION, "populations": populations},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    blob = json.dumps({"doc": doc, "mac": _mac(key, doc)}, ensure_ascii=False) + "\n"
    atomic_write_bytes(path, blob.encode("utf-8"))


def create_empty(path: Path, key: bytes) -> None:
    save(path, key, {})


__all__ = ["Registry", "create_empty", "load", "save"]
