"""Re-sealing a population's ledger after an integrity failure: an administrator's act.

The administrator has looked at what failed (the refusal lists it) and accepts the ledger as
it now is, with a reason that is recorded in the chain. What is carried forward is the
*worst case* of every record there is: the largest spent amount (the entries as stored, the
state registry's copy) and the smallest total — so deleting or editing spends and then
re-sealing never gives budget back. A ledger SQLite cannot read is moved aside (kept for the
investigation) and the population starts again from the registry's record.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from anonymizer.errors import LedgerTampered, UsageError
from anonymizer.fsutil import os_errors
from anonymizer.i18n import _
from anonymizer.state.chain import Replay, Row, body_text, digest, entry_mac, replay
from anonymizer.state.status import ResealResult, amount, record_of, status_of
from anonymizer.state.store import INSERT

if TYPE_CHECKING:
    from anonymizer.state.ledger import Ledger


def reseal(ledger: Ledger, population: str, reason: str) -> ResealResult:
    """Append a re-seal entry for ``population``; refused when it verifies already."""
    if len(reason.strip()) < 5:
        raise UsageError(_("--reason: say why the ledger may be re-sealed (at least 5 characters)"))
    _move_aside_if_unreadable(ledger)
    with ledger._txn(write=True) as txn:
        if txn.key is None:
            raise UsageError(
                _("{path}: nothing is recorded for population {population!r}").format(
                    path=ledger.path, population=population
                )
            )
        rows = ledger._rows(txn.con, population)
        rep = replay(txn.key, population, rows)
        problems = ledger._problems(txn, population, rows, rep)
        if not problems:
            raise UsageError(
                _("{path}: population {population!r} verifies; there is nothing to re-seal").format(
                    path=ledger.path, population=population
                )
            )
        candidates = [replay(None, population, rows)] if rows else []
        rec = txn.registry.populations.get(population) if txn.registry.exists else None
        if isinstance(rec, dict):
            try:
                floor = Replay(population)
                floor.total_epsilon = Decimal(rec["total"]["epsilon"])
                floor.total_delta = Decimal(rec["total"]["delta"])
                floor.spent_epsilon = Decimal(rec["spent"]["epsilon"])
                floor.spent_delta = Decimal(rec["spent"]["delta"])
                floor.releases = int(rec["releases"])
                candidates.append(floor)
            except (KeyError, TypeError, ValueError, ArithmeticError):
                pass
        known = [c for c in candidates if c.total_epsilon is not None]
        if not known:
            raise UsageError(
                _(
                    "{path}: no total is recorded anywhere for population {population!r}; nothing "
                    "to re-seal"
                ).format(path=ledger.path, population=population)
            )
        total_e = min(c.total_epsilon for c in known if c.total_epsilon is not None)
        total_d = min(c.total_delta for c in known)
        spent_e = max(c.spent_epsilon for c in candidates)
        spent_d = max(c.spent_delta for c in candidates)
        releases = max(c.releases for c in candidates)
        body = {
            "reason": reason.strip(),
            "problems": problems,
            "accepted": digest(rows),
            "total": amount(total_e, total_d),
            "spent": amount(spent_e, spent_d),
            "releases": releases,
        }
        recorded = int(rec.get("seq") or 0) if isinstance(rec, dict) else 0
        last = max([r.seq for r in rows] + [recorded])
        seq = last + 1
        at, text = datetime.now(UTC).isoformat(timespec="seconds"), body_text(body)
        tag = entry_mac(txn.key, "reseal", population, seq, "reseal", at, text)
        cur = txn.con.execute(
            INSERT, (population, seq, "reseal", at, text, tag)
        )
        after = replay(txn.key, population, [*rows, Row(population, seq, "reseal", at, text, tag)])
        unchanged = rec if isinstance(rec, dict) else record_of(Replay(population))
        txn.updates[population] = ({**unchanged, "pending": None}, record_of(after))
        if not txn.registry.exists or not txn.registry.valid:
            # the registry itself could not be trusted: every other population is
            # re-checked by its own administrator's re-seal
            for other, orec in txn.registry.populations.items():
                if other != population and isinstance(orec, dict):
                    txn.registry.populations[other] = {**orec, "needs_reseal": True}
            txn.registry.valid = True
            txn.registry.exists = True
        entry = int(cur.lastrowid or 0)
    return ResealResult(population, problems, status_of(after), entry)



def _move_aside_if_unreadable(ledger: Ledger) -> None:
    """A ledger SQLite cannot read is kept beside the new one (for the investigation)."""
    if not ledger.path.exists():
        return
    try:
        con = sqlite3.connect(ledger.path, isolation_level=None)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            ledger._check_schema(con)
        finally:
            con.close()
    except (sqlite3.DatabaseError, LedgerTampered):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        with os_errors(_("cannot move the unreadable ledger aside"), ledger.path):
            ledger.path.rename(ledger.path.with_name(f"{ledger.path.name}.unreadable-{stamp}"))




__all__ = ["reseal"]
