"""The MAC chain over one population's ledger entries, and its replay.

Every entry — a total set, a spend, a re-seal — is stored with
``mac = HMAC(key, previous mac ‖ canonical(population, seq, kind, time, body))``; the first
entry chains from a per-population genesis value. So an entry whose bytes were edited, an
entry deleted from the middle, or entries moved between populations no longer verify; entries
deleted from the end are caught by the chain head the state directory keeps
(:mod:`anonymizer.state.registry`).

A re-seal is an administrator accepting the ledger as it now is: its body records a digest
of every earlier entry exactly as stored, the reason, and the total and spent amount carried
forward; verification starts from the latest re-seal (and checks that digest), so entries
before it stay fixed too.

Budgets are replayed from the verified entries in exact decimals.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from anonymizer.state.key import equal, mac

KINDS = ("total", "spend", "reseal")


@dataclass(frozen=True)
class Row:
    """One stored entry, exactly as read from the ledger."""

    population: str
    seq: int
    kind: str
    created_at: str
    body: str
    mac: str


def canonical(population: str, seq: int, kind: str, created_at: str, body: str) -> bytes:
    return json.dumps(
        [population, seq, kind, created_at, body], ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def body_text(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def genesis(key: bytes, population: str) -> str:
    return mac(key, "anonymizer-ledger-genesis", population.encode("utf-8"))


def entry_mac(
    key: bytes, prev: str, population: str, seq: int, kind: str, at: str, body: str
) -> str:
    entry = canonical(population, seq, kind, at, body)
    return mac(key, "anonymizer-ledger-entry", prev.encode("ascii"), entry)


def digest(rows: Sequence[Row]) -> str:
    """Unkeyed SHA-256 over entries exactly as stored (a re-seal's record of what it accepted)."""
    h = hashlib.sha256()
    for r in rows:
        blob = canonical(r.population, r.seq, r.kind, r.created_at, r.body)
        blob += r.mac.encode("ascii", "replace")
        h.update(len(blob).to_bytes(8, "big"))
        h.update(blob)
    return h.hexdigest()


@dataclass
class Replay:
    """What the entries say (total, spent, releases) and whether they verify."""

    population: str
    total_epsilon: Decimal | None = None
    total_delta: Decimal = Decimal(0)
    spent_epsilon: Decimal = Decimal(0)
    spent_delta: Decimal = Decimal(0)
    releases: int = 0
    seq: int = 0
    head: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _dec(value: Any) -> Decimal:
    d = Decimal(str(value))
    if not d.is_finite() or d < 0:
        raise InvalidOperation
    return d


def apply(state: Replay, kind: str, body: dict[str, Any]) -> None:
    """Fold one entry's body into the replayed budget (raises on a malformed body)."""
    if kind == "total":
        state.total_epsilon = _dec(body["epsilon"])
        state.total_delta = _dec(body["delta"])
    elif kind == "spend":
        state.spent_epsilon += _dec(body["epsilon"])
        state.spent_delta += _dec(body["delta"])
        state.releases += 1
    elif kind == "reseal":
        state.total_epsilon = _dec(body["total"]["epsilon"])
        state.total_delta = _dec(body["total"]["delta"])
        state.spent_epsilon = _dec(body["spent"]["epsilon"])
        state.spent_delta = _dec(body["spent"]["delta"])
        state.releases = int(body["releases"])
    else:
        raise KeyError(kind)


def replay(key: bytes | None, population: str, rows: Sequence[Row]) -> Replay:
    """Replay ``rows`` (one population, in seq order); with ``key``, verify every MAC.

    ``key=None`` reads the entries as they are (what a re-seal carries forward as a floor).
    """
    out = Replay(population)
    start = max((i for i, r in enumerate(rows) if r.kind == "reseal"), default=-1) if key else -1
    prev = genesis(key, population) if key else ""
    expected_seq = 1
    if start >= 0:
        reseal = rows[start]
        try:
            accepted = json.loads(reseal.body)["accepted"]
        except (ValueError, KeyError, TypeError):
            accepted = None
        if accepted != digest(rows[:start]):
            out.problems.append(
                f"an entry before the re-seal at entry {reseal.seq} was changed or deleted"
            )
        prev = "reseal"
        expected_seq = reseal.seq
        rows = rows[start:]
    for r in rows:
        if key is not None:
            if r.seq != expected_seq or r.population != population:
                out.problems.append(
                    f"entry {expected_seq} is missing (entries were deleted or reordered)"
                )
                break
            want = entry_mac(key, prev, population, r.seq, r.kind, r.created_at, r.body)
            if not equal(want, r.mac):
                out.problems.append(
                    f"entry {r.seq} does not match its MAC (its bytes were edited, or the "
                    "entry before it was removed)"
                )
                break
        try:
            apply(out, r.kind, json.loads(r.body))
        except (ValueError, KeyError, TypeError, InvalidOperation):
            out.problems.append(f"entry {r.seq} is unreadable")
            break
        prev = r.mac
        expected_seq = r.seq + 1
        out.seq, out.head = r.seq, r.mac
    if rows and out.total_epsilon is None and not out.problems:
        out.problems.append("the population has spends but no total")
    return out


__all__ = [
    "KINDS", "Replay", "Row", "apply", "body_text", "canonical", "digest", "entry_mac", "genesis",
    "replay",
]  # fmt: skip
