"""The ledger's storage: its SQLite schema, transactions that see the ledger and the state
registry consistently, and the verification every read and write starts with.

:class:`Store` is the plumbing under :class:`anonymizer.state.ledger.Ledger` (the API).
Writes take SQLite's write lock before anything is read (``BEGIN IMMEDIATE``) and record the
registry's new head as pending before COMMIT, promoted after it (:mod:`.registry`); every
SQLite or OS failure becomes an error naming the ledger file.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from anonymizer import faults
from anonymizer.errors import Busy, LedgerTampered, UsageError
from anonymizer.fsutil import os_errors
from anonymizer.i18n import _
from anonymizer.state import registry as reg
from anonymizer.state.chain import Replay, Row, body_text, entry_mac, genesis, replay
from anonymizer.state.key import load_key
from anonymizer.state.paths import StatePaths, resolve_state_dir
from anonymizer.state.status import record_of

SCHEMA_VERSION = "2"
INSERT = "INSERT INTO entries (population, seq, kind, created_at, body, mac) VALUES (?,?,?,?,?,?)"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    population TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL,
    mac TEXT NOT NULL,
    UNIQUE (population, seq)
);
""" + "".join(
    f"CREATE TRIGGER IF NOT EXISTS {t}_no_{op.lower()} BEFORE {op} ON {t} "
    "BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;\n"
    for t in ("entries", "ledger_meta")
    for op in ("UPDATE", "DELETE")
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Txn:
    """One open connection with the key and registry read under its lock."""

    def __init__(self, con: sqlite3.Connection, key: bytes | None, registry: reg.Registry) -> None:
        self.con = con
        self.key = key
        self.registry = registry
        #: registry records to write, {population: (as verified now, after this write)}:
        #: the second is recorded as pending before COMMIT and promoted after it
        self.updates: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}


class Store:
    """One state directory's ledger file, key and registry; each call its own connection."""

    def __init__(self, state_dir: Path | str | None = None, timeout: float = 300.0) -> None:
        self.state = StatePaths(resolve_state_dir(state_dir))
        self.path = self.state.ledger
        self.timeout = timeout

    def _tampered(self, population: str | None, problems: list[str]) -> LedgerTampered:
        who = (
            _("population {population!r}").format(population=population)
            if population else _("the ledger")
        )
        pop = population or "NAME"
        return LedgerTampered(
            _(
                "{path}: {who} failed its integrity check: {problems}. Nothing was computed, and "
                "every release for it is refused until an administrator checks the ledger and "
                "re-seals it: anonymizer budget {population} --state-dir {root} --reseal "
                "--reason '…'"
            ).format(
                path=self.path, who=who, problems="; ".join(problems), population=pop,
                root=self.state.root,
            )
        )

    @contextmanager
    def _connect(self, write: bool) -> Iterator[sqlite3.Connection]:
        doing = (
            _("cannot write the privacy-budget ledger") if write
            else _("cannot read the privacy-budget ledger")
        )
        with os_errors(doing, self.path):
            con = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            yield con
        except sqlite3.IntegrityError as exc:  # a trigger refused a write
            raise UsageError(
                _("{path}: the ledger refused the write ({exc})").format(path=self.path, exc=exc)
            ) from None
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise Busy(
                    _(
                        "{path}: another release held the ledger for {timeout:g} s; try again when "
                        "it has finished"
                    ).format(path=self.path, timeout=self.timeout)
                ) from None
            raise self._os_like(doing, text) from None
        except sqlite3.DatabaseError as exc:
            raise self._tampered(None, [f"it is not a readable ledger ({exc})"]) from None
        finally:
            con.close()

    def _os_like(self, doing: str, text: str) -> Exception:
        from anonymizer.errors import FileSystemError

        for needle, why in (
            ("full", "no space left on device"),
            ("readonly", "read-only file system or no write permission"),
            ("unable to open", "cannot open the file (permission or missing directory)"),
            ("disk I/O", "input/output error (disk full, read-only or removed)"),
        ):
            if needle in text:
                return FileSystemError(
                    _("{path}: {doing}: {why}").format(path=self.path, doing=doing, why=why)
                )
        return FileSystemError(
            _("{path}: {doing}: {text}").format(path=self.path, doing=doing, text=text)
        )

    def _check_schema(self, con: sqlite3.Connection) -> None:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return
        if "ledger_meta" not in tables or "entries" not in tables:
            raise self._tampered(None, ["it is not a ledger of this version (schema 2)"])
        row = con.execute("SELECT value FROM ledger_meta WHERE key = 'schema'").fetchone()
        if row is None or row[0] != SCHEMA_VERSION:
            found = row[0] if row else "?"
            raise self._tampered(None, [f"ledger schema {found}, expected {SCHEMA_VERSION}"])

    def _key(self, create: bool, has_rows: bool) -> bytes | None:
        if create:
            self.state.ensure()
        return load_key(self.state.key, self.state.registry, has_rows, create)

    @contextmanager
    def _txn(self, write: bool) -> Iterator[_Txn]:
        """A transaction that sees the ledger and the registry consistently.

        Writes take the lock before anything is read (``BEGIN IMMEDIATE``); registry updates
        are written as pending before COMMIT and promoted after it."""
        if write:
            self.state.ensure()
        elif not self.path.exists():
            key = self._key(create=False, has_rows=False)
            registry = self._registry(key)
            mem = sqlite3.connect(":memory:", isolation_level=None)  # an empty view; no file made
            mem.executescript(_SCHEMA)
            try:
                yield _Txn(mem, key, registry)
            finally:
                mem.close()
            return
        with self._connect(write=write) as con:
            if write:
                con.executescript(_SCHEMA)
                con.execute(
                    "INSERT OR IGNORE INTO ledger_meta (key, value) VALUES ('schema', ?)",
                    (SCHEMA_VERSION,),
                )
            self._check_schema(con)
            con.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                has_rows = con.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is not None
                key = self._key(create=write, has_rows=has_rows)
                registry = self._registry(key)
                txn = _Txn(con, key, registry)
                yield txn
                if write and txn.updates and key is not None:
                    pops = dict(txn.registry.populations)
                    for name, (before, after) in txn.updates.items():
                        pops[name] = {**before, "pending": after}
                    faults.point("ledger: registry pending", self.state.registry)
                    reg.save(self.state.registry, key, pops)
                    faults.point("ledger: commit", self.path)
                    con.execute("COMMIT")
                    for name, (_, after) in txn.updates.items():
                        pops[name] = {**after, "pending": None}
                    faults.point("ledger: registry promoted", self.state.registry)
                    reg.save(self.state.registry, key, pops)
                else:
                    con.execute("COMMIT" if write else "ROLLBACK")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise

    def _rows(self, con: sqlite3.Connection, population: str) -> list[Row]:
        return [
            Row(*r)
            for r in con.execute(
                "SELECT population, seq, kind, created_at, body, mac FROM entries "
                "WHERE population = ? ORDER BY seq",
                (population,),
            )
        ]

    def _problems(self, txn: _Txn, population: str, rows: list[Row], rep: Replay) -> list[str]:
        problems = list(rep.problems)
        registry = txn.registry
        if txn.key is not None and not registry.exists:
            return [f"the state registry {self.state.registry.name} is missing"] + problems
        if not registry.valid:
            return [f"the state registry {self.state.registry.name} was altered"] + problems
        rec = registry.populations.get(population)
        if rec is None:
            if rows:
                problems.append(
                    "it has entries but the state directory never recorded it (the ledger was "
                    "replaced, or the registry altered)"
                )
            return problems
        if rec.get("needs_reseal"):
            problems.append("the state registry was rebuilt and this population awaits its re-seal")
        if not rows:
            if int(rec.get("seq") or 0) > 0:
                problems.append(
                    f"the ledger has no entries for it, but the state directory recorded "
                    f"{rec['seq']} (the ledger was truncated, replaced or reset)"
                )
        elif rep.ok:
            heads = [(rec.get("seq"), rec.get("head"))]
            if rec.get("pending"):
                heads.append((rec["pending"].get("seq"), rec["pending"].get("head")))
            if (rep.seq, rep.head) not in heads:
                if rep.seq < int(rec.get("seq") or 0):
                    problems.append(
                        f"the ledger ends at entry {rep.seq} but the state directory recorded "
                        f"entry {rec['seq']} (entries were deleted, or the ledger replaced by an "
                        "older copy)"
                    )
                else:
                    problems.append(
                        f"its last entry ({rep.seq}) is not the one the state directory recorded "
                        "(the ledger was replaced)"
                    )
        return problems

    def _verified(self, txn: _Txn, population: str) -> Replay | None:
        """The population's replayed budget; None when it has none; raises when tampered."""
        rows = self._rows(txn.con, population)
        if txn.key is None:
            return None
        rep = replay(txn.key, population, rows)
        problems = self._problems(txn, population, rows, rep)
        if problems:
            raise self._tampered(population, problems)
        return rep if rows else None

    def _require(self, txn: _Txn, population: str) -> Replay:
        rep = self._verified(txn, population)
        if rep is None:
            raise UsageError(
                _(
                    "{path}: population {population!r} has no budget; set one with `anonymizer "
                    "budget {population} --state-dir {root} --total EPSILON`"
                ).format(path=self.path, population=population, root=self.state.root)
            )
        return rep

    def _registry(self, key: bytes | None) -> reg.Registry:
        return reg.load(self.state.registry, key) if key else reg.Registry({}, False, True)

    def _append(
        self, txn: _Txn, rep: Replay | None, population: str, kind: str, body: dict[str, Any]
    ) -> tuple[int, Replay]:
        """Insert the next chained entry; returns its row id and the replay after it."""
        assert txn.key is not None
        from anonymizer.state.chain import apply

        before = record_of(rep) if rep is not None else record_of(Replay(population))
        seq = (rep.seq if rep else 0) + 1
        prev = rep.head if rep and rep.head else genesis(txn.key, population)
        text, at = body_text(body), _now()
        tag = entry_mac(txn.key, prev, population, seq, kind, at, text)
        cur = txn.con.execute(
            INSERT, (population, seq, kind, at, text, tag)
        )
        after = dataclasses.replace(rep, problems=[]) if rep is not None else Replay(population)
        apply(after, kind, json.loads(text))
        after.seq, after.head = seq, tag
        txn.updates[population] = (before, record_of(after))
        return int(cur.lastrowid or 0), after



__all__ = ["INSERT", "SCHEMA_VERSION", "Store"]
