"""The privacy-budget ledger: an append-only, MAC-chained SQLite file in the state directory.

Each population's entries (its total, every spend, any re-seal) form a chain keyed with the
state directory's integrity key (:mod:`~anonymizer.state.chain`), and the state directory's
registry records where each chain ends (:mod:`~anonymizer.state.registry`). Every read and
write verifies both first, so an edited, deleted, truncated, replaced or reset ledger is
detected and the population is refused (:class:`LedgerTampered`, exit 2) until an
administrator re-seals it with a recorded reason (:meth:`Ledger.reseal`). What this protects
against and what it does not is spelled out in the README ("The privacy-budget ledger").

A spend is checked and recorded inside one ``BEGIN IMMEDIATE`` transaction that stays open
while the caller draws the noise (:meth:`Ledger.spending`): two runs cannot both spend the last
budget (the second waits, then sees the first's entry), and a failure before the noise is
drawn and the output serialized rolls the spend back — nothing is recorded for a release that
never happened, and a release never exists without its spend.

ε and δ are kept as decimal text and summed as :class:`~decimal.Decimal`, so a total of 0.3
admits exactly 0.1 + 0.2.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from anonymizer.dp.budget import ApproxDP, exact
from anonymizer.errors import BudgetRefused, LedgerTampered, UsageError
from anonymizer.i18n import _
from anonymizer.state.chain import Replay
from anonymizer.state.status import (
    PendingSpend,
    PopulationStatus,
    ResealResult,
    fmt,
    status_of,
)
from anonymizer.state.store import INSERT, SCHEMA_VERSION, Store


class Ledger(Store):
    """The ledger of one state directory; every method opens its own short connection."""

    # -- reading --------------------------------------------------------------------------

    def status(self, population: str) -> PopulationStatus:
        with self._txn(write=False) as txn:
            return status_of(self._require(txn, population))

    def head(self, population: str) -> str:
        """The population's chain head (its last entry's MAC): an anchor to publish."""
        with self._txn(write=False) as txn:
            return self._require(txn, population).head

    def verify(self, population: str) -> list[str]:
        """The integrity problems of ``population`` (empty when it verifies); never raises them."""
        try:
            with self._txn(write=False) as txn:
                self._verified(txn, population)
        except LedgerTampered as exc:
            return [exc.message]
        return []

    def populations(self) -> list[str]:
        with self._txn(write=False) as txn:
            names = {r[0] for r in txn.con.execute("SELECT DISTINCT population FROM entries")}
            return sorted(names | set(txn.registry.populations))

    def releases(self, population: str) -> list[dict[str, Any]]:
        """Every spend of ``population``, oldest first, with its recorded output hashes."""
        with self._txn(write=False) as txn:
            self._require(txn, population)
            rows = txn.con.execute(
                "SELECT id, created_at, body, mac FROM entries WHERE population = ? "
                "AND kind = 'spend' "
                "ORDER BY seq",
                (population,),
            ).fetchall()
        out = []
        for rid, at, text, tag in rows:
            b = json.loads(text)
            out.append({
                "id": int(rid),
                "created_at": at,
                "dataset": b["dataset"],
                "epsilon": float(Decimal(b["epsilon"])),
                "delta": float(Decimal(b["delta"])),
                "queries": b.get("queries"),
                "insecure_seed": b.get("insecure_seed"),
                "output_hashes": b.get("outputs") or None,
                # the chain head this spend made: a published report's anchor
                "chain_head": tag,
            })
        return out

    # -- budget checks --------------------------------------------------------------------

    def _refusal(self, status: PopulationStatus, spend: ApproxDP) -> BudgetRefused:
        return BudgetRefused(
            _(
                "population {name!r}: this release needs {spend} but only {remaining} remains "
                "(total {total}, spent {spent} over {releases} release(s)); nothing was computed"
            ).format(
                name=status.name,
                spend=fmt(spend),
                remaining=fmt(status.remaining),
                total=fmt(status.total),
                spent=fmt(status.spent),
                releases=status.releases,
            )
        )

    @staticmethod
    def _fits(rep: Replay, spend: ApproxDP) -> bool:
        assert rep.total_epsilon is not None
        return (
            rep.spent_epsilon + exact(spend.epsilon) <= rep.total_epsilon
            and rep.spent_delta + exact(spend.delta) <= rep.total_delta
        )

    def check(self, population: str, spend: ApproxDP) -> PopulationStatus:
        """Raise :class:`BudgetRefused` now if ``spend`` cannot fit (no lock, no write)."""
        with self._txn(write=False) as txn:
            rep = self._require(txn, population)
        if not self._fits(rep, spend):
            raise self._refusal(status_of(rep), spend)
        return status_of(rep)

    # -- writing --------------------------------------------------------------------------

    def set_total(self, population: str, total: ApproxDP) -> PopulationStatus:
        """Create a population or change its total (only upward once releases exist)."""
        if not population.strip() or len(population) > 200:
            raise UsageError(_("population name must be 1–200 characters"))
        with self._txn(write=True) as txn:
            rep = self._verified(txn, population)
            if rep is not None and rep.releases:
                now = status_of(rep)
                if not total.covers(now.total):
                    raise UsageError(
                        _(
                            "{path}: population {population!r} has {releases} release(s); its "
                            "total ({total}) may only be raised"
                        ).format(
                            path=self.path,
                            population=population,
                            releases=rep.releases,
                            total=fmt(now.total),
                        )
                    )
            body = {"epsilon": str(exact(total.epsilon)), "delta": str(exact(total.delta))}
            _entry, after = self._append(txn, rep, population, "total", body)
        return status_of(after)

    @contextmanager
    def spending(
        self,
        population: str,
        dataset: str,
        spend: ApproxDP,
        queries: dict[str, Any],
        insecure_seed: int | None = None,
    ) -> Iterator[PendingSpend]:
        """Check, hold and — when the block ends without an exception — record a spend.

        The ledger stays locked for the block (draw the noise and serialize the output
        inside it); an exception rolls everything back and records nothing."""
        with self._txn(write=True) as txn:
            rep = self._require(txn, population)
            if not self._fits(rep, spend):
                raise self._refusal(status_of(rep), spend)
            pending = PendingSpend(population, spend)
            yield pending
            body = {
                "dataset": dataset,
                "epsilon": str(exact(spend.epsilon)),
                "delta": str(exact(spend.delta)),
                "queries": queries,
                "insecure_seed": insecure_seed,
                "outputs": pending.outputs,
            }
            pending.release_id, after = self._append(txn, rep, population, "spend", body)
            pending.status, pending.head = status_of(after), after.head

    def spend(
        self,
        population: str,
        dataset: str,
        spend: ApproxDP,
        queries: dict[str, Any],
        insecure_seed: int | None = None,
    ) -> tuple[int, PopulationStatus]:
        """Check and record a spend at once; returns its id and the status after it."""
        with self.spending(population, dataset, spend, queries, insecure_seed) as pending:
            pass
        assert pending.status is not None
        return pending.release_id, pending.status

    def reseal(self, population: str, reason: str) -> ResealResult:
        """Accept the ledger of ``population`` as it now is, with a recorded reason
        (:func:`anonymizer.state.reseal.reseal`)."""
        from anonymizer.state.reseal import reseal

        return reseal(self, population, reason)


__all__ = ["INSERT", "SCHEMA_VERSION", "Ledger", "PendingSpend", "PopulationStatus", "ResealResult"]
