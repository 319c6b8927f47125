"""The persisted privacy-budget ledger: one SQLite file, append-only, transactional.

Why SQLite (stdlib ``sqlite3``): one file a steward can archive beside the pipelines, real
transactions and file locking across processes, and triggers that enforce the rules inside
the database itself, so even a hand-edited ledger cannot lose spends:

- ``budget_totals``, ``releases`` and ``release_outputs`` reject UPDATE and DELETE;
- a population's total is a history of rows; once it has releases a new total may only be
  higher (in ε and in δ);
- a release row cannot be inserted for an unknown population or beyond the latest total.

A spend is checked and inserted inside ``BEGIN IMMEDIATE`` (a write lock taken *before*
reading what was spent), so two concurrent runs cannot both spend the last budget: the
second waits, then sees the first's row and is refused. The spend is recorded *before*
any noise is drawn; output hashes are appended afterwards in ``release_outputs``. A run
that fails after reserving keeps its spend — the conservative choice.

ε and δ are stored as decimal text and summed with :class:`decimal.Decimal`, so a total of
0.3 admits exactly 0.1 + 0.2.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from anonymizer.dp.budget import ApproxDP, exact
from anonymizer.errors import BudgetRefused, InputError, UsageError

SCHEMA_VERSION = "1"
_APPEND_ONLY = ("budget_totals", "releases", "release_outputs", "ledger_meta")
_LATEST = "(SELECT CAST({col} AS REAL) FROM budget_totals WHERE population = NEW.population " \
    "ORDER BY id DESC LIMIT 1)"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS budget_totals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    population TEXT NOT NULL,
    epsilon TEXT NOT NULL,
    delta TEXT NOT NULL,
    set_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS releases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    population TEXT NOT NULL,
    created_at TEXT NOT NULL,
    dataset TEXT NOT NULL,
    epsilon TEXT NOT NULL,
    delta TEXT NOT NULL,
    queries TEXT NOT NULL,
    insecure_seed INTEGER
);
CREATE TABLE IF NOT EXISTS release_outputs (
    release_id INTEGER NOT NULL UNIQUE REFERENCES releases(id),
    recorded_at TEXT NOT NULL,
    output_hashes TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS totals_only_upward BEFORE INSERT ON budget_totals
WHEN EXISTS (SELECT 1 FROM releases WHERE population = NEW.population)
 AND (CAST(NEW.epsilon AS REAL) < {_LATEST.format(col="epsilon")}
      OR CAST(NEW.delta AS REAL) < {_LATEST.format(col="delta")})
BEGIN SELECT RAISE(ABORT, 'a total may only be raised once releases exist'); END;
CREATE TRIGGER IF NOT EXISTS release_needs_total BEFORE INSERT ON releases
WHEN NOT EXISTS (SELECT 1 FROM budget_totals WHERE population = NEW.population)
BEGIN SELECT RAISE(ABORT, 'unknown population'); END;
CREATE TRIGGER IF NOT EXISTS release_within_total BEFORE INSERT ON releases
WHEN (SELECT total(CAST(epsilon AS REAL)) FROM releases WHERE population = NEW.population)
     + CAST(NEW.epsilon AS REAL) > {_LATEST.format(col="epsilon")} * (1 + 1e-9)
  OR (SELECT total(CAST(delta AS REAL)) FROM releases WHERE population = NEW.population)
     + CAST(NEW.delta AS REAL) > {_LATEST.format(col="delta")} * (1 + 1e-9)
BEGIN SELECT RAISE(ABORT, 'release exceeds the total budget'); END;
""" + "".join(
    f"CREATE TRIGGER IF NOT EXISTS {t}_no_{op.lower()} BEFORE {op} ON {t} "
    f"BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;\n"
    for t in _APPEND_ONLY
    for op in ("UPDATE", "DELETE")
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _fmt(budget: ApproxDP) -> str:
    return f"ε={budget.epsilon:g}, δ={budget.delta:g}"


@dataclass(frozen=True)
class PopulationStatus:
    """A population's total, what its releases spent, and what is left."""

    name: str
    total: ApproxDP
    spent: ApproxDP
    releases: int

    @property
    def remaining(self) -> ApproxDP:
        return self.total - self.spent

    def to_dict(self) -> dict[str, Any]:
        return {
            "population": self.name,
            "total": {"epsilon": self.total.epsilon, "delta": self.total.delta},
            "spent": {"epsilon": self.spent.epsilon, "delta": self.spent.delta},
            "remaining": {"epsilon": self.remaining.epsilon, "delta": self.remaining.delta},
            "releases": self.releases,
        }


class Ledger:
    """A handle on one ledger file; every method opens its own short connection."""

    def __init__(self, path: Path | str, timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        if not self.path.parent.is_dir():
            raise InputError(f"{self.path}: directory does not exist")
        with self._connect() as con:
            con.executescript(_SCHEMA)
            con.execute(
                "INSERT OR IGNORE INTO ledger_meta (key, value) VALUES ('schema', ?)",
                (SCHEMA_VERSION,),
            )
            version = con.execute("SELECT value FROM ledger_meta WHERE key = 'schema'").fetchone()
        if version[0] != SCHEMA_VERSION:
            raise InputError(f"{self.path}: ledger schema {version[0]}, expected {SCHEMA_VERSION}")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            con.execute("PRAGMA foreign_keys = ON")
            yield con
        except sqlite3.IntegrityError as exc:  # a trigger refused the write
            if "exceeds" in str(exc):
                raise BudgetRefused(f"{self.path}: {exc}; nothing was computed") from None
            raise UsageError(f"{self.path}: the ledger refused the write: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: not a usable ledger ({exc})") from None
        finally:
            con.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction whose lock is taken before anything is read."""
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def _status(self, con: sqlite3.Connection, population: str) -> PopulationStatus | None:
        row = con.execute(
            "SELECT epsilon, delta FROM budget_totals WHERE population = ? "
            "ORDER BY id DESC LIMIT 1",
            (population,),
        ).fetchone()
        if row is None:
            return None
        spends = con.execute(
            "SELECT epsilon, delta FROM releases WHERE population = ?", (population,)
        ).fetchall()
        eps = sum((Decimal(e) for e, _ in spends), Decimal(0))
        dlt = sum((Decimal(d) for _, d in spends), Decimal(0))
        return PopulationStatus(
            population,
            ApproxDP(float(Decimal(row[0])), float(Decimal(row[1]))),
            ApproxDP(float(eps), float(min(dlt, Decimal(1)))),
            len(spends),
        )

    def _require(self, con: sqlite3.Connection, population: str) -> PopulationStatus:
        status = self._status(con, population)
        if status is None:
            raise UsageError(
                f"{self.path}: population {population!r} has no budget; set one with "
                f"`anonymizer budget {population} --ledger {self.path} --total EPSILON`"
            )
        return status

    def status(self, population: str) -> PopulationStatus:
        with self._connect() as con:
            return self._require(con, population)

    def populations(self) -> list[str]:
        with self._connect() as con:
            rows = con.execute("SELECT DISTINCT population FROM budget_totals ORDER BY 1")
            return [r[0] for r in rows]

    def set_total(self, population: str, total: ApproxDP) -> PopulationStatus:
        """Create a population or change its total (only upward once releases exist)."""
        if not population.strip() or len(population) > 200:
            raise UsageError("population name must be 1–200 characters")
        with self._write() as con:
            status = self._status(con, population)
            if status is not None and status.releases and not total.covers(status.total):
                raise UsageError(
                    f"{self.path}: population {population!r} has {status.releases} release(s); "
                    f"its total ({_fmt(status.total)}) may only be raised"
                )
            con.execute(
                "INSERT INTO budget_totals (population, epsilon, delta, set_at) VALUES (?,?,?,?)",
                (population, str(exact(total.epsilon)), str(exact(total.delta)), _now()),
            )
            new = self._status(con, population)
        assert new is not None
        return new

    def _refusal(self, status: PopulationStatus, spend: ApproxDP) -> BudgetRefused:
        return BudgetRefused(
            f"population {status.name!r}: this release needs {_fmt(spend)} but only "
            f"{_fmt(status.remaining)} remains (total {_fmt(status.total)}, spent "
            f"{_fmt(status.spent)} over {status.releases} release(s)); nothing was computed"
        )

    @staticmethod
    def _fits(status: PopulationStatus, spend: ApproxDP) -> bool:
        return exact(status.spent.epsilon) + exact(spend.epsilon) <= exact(
            status.total.epsilon
        ) and exact(status.spent.delta) + exact(spend.delta) <= exact(status.total.delta)

    def check(self, population: str, spend: ApproxDP) -> PopulationStatus:
        """Raise :class:`BudgetRefused` now if ``spend`` cannot fit (no lock, no write)."""
        status = self.status(population)
        if not self._fits(status, spend):
            raise self._refusal(status, spend)
        return status

    def spend(
        self,
        population: str,
        dataset: str,
        spend: ApproxDP,
        queries: dict[str, Any],
        insecure_seed: int | None = None,
    ) -> tuple[int, PopulationStatus]:
        """Atomically check and record a release; returns its id and the status after it."""
        with self._write() as con:
            status = self._require(con, population)
            if not self._fits(status, spend):
                raise self._refusal(status, spend)
            cur = con.execute(
                "INSERT INTO releases (population, created_at, dataset, epsilon, delta, queries, "
                "insecure_seed) VALUES (?,?,?,?,?,?,?)",
                (
                    population,
                    _now(),
                    dataset,
                    str(exact(spend.epsilon)),
                    str(exact(spend.delta)),
                    json.dumps(queries, ensure_ascii=False, sort_keys=True),
                    insecure_seed,
                ),
            )
            release_id = int(cur.lastrowid or 0)
            after = self._require(con, population)
        return release_id, after

    def record_outputs(self, release_id: int, hashes: dict[str, str]) -> None:
        with self._write() as con:
            con.execute(
                "INSERT INTO release_outputs (release_id, recorded_at, output_hashes) "
                "VALUES (?,?,?)",
                (release_id, _now(), json.dumps(hashes, sort_keys=True)),
            )

    def releases(self, population: str) -> list[dict[str, Any]]:
        """Every release of ``population``, oldest first, with its recorded output hashes."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT r.id, r.created_at, r.dataset, r.epsilon, r.delta, r.queries, "
                "r.insecure_seed, o.output_hashes FROM releases r LEFT JOIN release_outputs o "
                "ON o.release_id = r.id WHERE r.population = ? ORDER BY r.id",
                (population,),
            ).fetchall()
        return [
            {
                "id": r[0],
                "created_at": r[1],
                "dataset": r[2],
                "epsilon": float(Decimal(r[3])),
                "delta": float(Decimal(r[4])),
                "queries": json.loads(r[5]),
                "insecure_seed": r[6],
                "output_hashes": json.loads(r[7]) if r[7] else None,
            }
            for r in rows
        ]


__all__ = ["Ledger", "PopulationStatus"]
