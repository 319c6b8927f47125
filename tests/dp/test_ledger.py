import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from anonymizer.dp.budget import ApproxDP
from anonymizer.dp.ledger import Ledger
from anonymizer.errors import BudgetRefused, InputError, UsageError

POP = "kunitachi-residents"


@pytest.fixture
def ledger(tmp_path):
    led = Ledger(tmp_path / "ledger.sqlite")
    led.set_total(POP, ApproxDP(1.0, 1e-6))
    return led


def test_composition_and_remaining(ledger):
    _, after = ledger.spend(POP, "a.csv", ApproxDP(0.25), {"q": 1})
    assert after.remaining == ApproxDP(0.75, 1e-6)
    _, after = ledger.spend(POP, "b.csv", ApproxDP(0.5, 5e-7), {"q": 2})
    assert after.spent == ApproxDP(0.75, 5e-7)
    assert after.releases == 2
    status = ledger.status(POP)
    assert status.remaining == ApproxDP(0.25, 5e-7)


def test_exact_decimal_composition(tmp_path):
    led = Ledger(tmp_path / "l.sqlite")
    led.set_total("p", ApproxDP(0.3))
    led.spend("p", "d", ApproxDP(0.1), {})
    led.spend("p", "d", ApproxDP(0.2), {})  # 0.1 + 0.2 > 0.3 in binary floats
    assert led.status("p").remaining == ApproxDP(0.0)
    with pytest.raises(BudgetRefused):
        led.spend("p", "d", ApproxDP(1e-12), {})


def test_refusal_says_what_is_left_and_records_nothing(ledger):
    ledger.spend(POP, "a.csv", ApproxDP(0.8), {})
    with pytest.raises(BudgetRefused) as err:
        ledger.spend(POP, "b.csv", ApproxDP(0.3), {})
    msg = str(err.value)
    assert "ε=0.2" in msg and "remains" in msg and err.value.exit_code == 1
    assert ledger.status(POP).releases == 1
    with pytest.raises(BudgetRefused):
        ledger.check(POP, ApproxDP(0.3))
    assert ledger.check(POP, ApproxDP(0.2)).remaining == ApproxDP(0.2, 1e-6)


def test_delta_is_a_budget_too(ledger):
    with pytest.raises(BudgetRefused, match="δ"):
        ledger.spend(POP, "a.csv", ApproxDP(0.1, 2e-6), {})


def test_unknown_population_is_a_usage_error(ledger):
    with pytest.raises(UsageError, match="no budget"):
        ledger.spend("someone-else", "a.csv", ApproxDP(0.1), {})


def test_total_only_upward_once_releases_exist(ledger):
    ledger.set_total(POP, ApproxDP(0.5, 1e-6))  # no release yet: lowering is fine
    ledger.spend(POP, "a.csv", ApproxDP(0.1), {})
    with pytest.raises(UsageError, match="only be raised"):
        ledger.set_total(POP, ApproxDP(0.4, 1e-6))
    with pytest.raises(UsageError, match="only be raised"):
        ledger.set_total(POP, ApproxDP(2.0, 0.0))  # lower δ
    assert ledger.set_total(POP, ApproxDP(2.0, 1e-6)).remaining == ApproxDP(1.9, 1e-6)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE releases SET epsilon = '0'",
        "DELETE FROM releases",
        "UPDATE budget_totals SET epsilon = '100'",
        "DELETE FROM budget_totals",
        "DELETE FROM release_outputs",
        "UPDATE ledger_meta SET value = '0'",
    ],
)
def test_append_only_is_enforced_by_the_database(ledger, sql):
    rid, _ = ledger.spend(POP, "a.csv", ApproxDP(0.1), {})
    ledger.record_outputs(rid, {"table.csv": "0" * 64})
    con = sqlite3.connect(ledger.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute(sql)
    con.close()
    assert ledger.status(POP).spent.epsilon == 0.1


def test_database_refuses_hand_inserted_overspend_and_lower_total(ledger):
    ledger.spend(POP, "a.csv", ApproxDP(0.9), {})
    con = sqlite3.connect(ledger.path)
    with pytest.raises(sqlite3.IntegrityError, match="exceeds"):
        con.execute(
            "INSERT INTO releases (population, created_at, dataset, epsilon, delta, queries) "
            "VALUES (?, 'now', 'x', '0.5', '0', '{}')",
            (POP,),
        )
    with pytest.raises(sqlite3.IntegrityError, match="raised"):
        con.execute(
            "INSERT INTO budget_totals (population, epsilon, delta, set_at) "
            "VALUES (?, '0.5', '0.000001', 'now')",
            (POP,),
        )
    con.close()


def test_releases_record_queries_seed_and_hashes(ledger):
    rid, _ = ledger.spend(POP, "a.csv", ApproxDP(0.1), {"measures": ["count"]}, insecure_seed=7)
    ledger.record_outputs(rid, {"table.csv": "ab" * 32})
    [rel] = ledger.releases(POP)
    assert rel["dataset"] == "a.csv" and rel["epsilon"] == 0.1
    assert rel["queries"] == {"measures": ["count"]}
    assert rel["insecure_seed"] == 7
    assert rel["output_hashes"] == {"table.csv": "ab" * 32}


def test_not_a_ledger_file(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError, match="not a usable ledger"):
        Ledger(bad)


_SPENDER = textwrap.dedent(
    """
    import sys, time
    from anonymizer.dp.budget import ApproxDP
    from anonymizer.dp.ledger import Ledger
    from anonymizer.errors import BudgetRefused
    path, start, eps = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    led = Ledger(path)
    while time.time() < start:
        time.sleep(0.001)
    try:
        led.spend("p", "race.csv", ApproxDP(eps), {})
    except BudgetRefused:
        sys.exit(1)
    """
)


def _spawn(path, start, eps):
    return subprocess.Popen([sys.executable, "-c", _SPENDER, str(path), str(start), str(eps)])


@pytest.mark.slow
def test_concurrent_processes_cannot_both_spend_the_last_budget(tmp_path):
    path = tmp_path / "race.sqlite"
    Ledger(path).set_total("p", ApproxDP(1.0))
    start = time.time() + 4.0  # every process is started and waiting by then
    procs = [_spawn(path, start, 0.3) for _ in range(5)]
    codes = sorted(p.wait(timeout=120) for p in procs)
    assert codes == [0, 0, 0, 1, 1]  # exactly three 0.3 spends fit in 1.0
    status = Ledger(path).status("p")
    assert status.releases == 3 and status.spent == ApproxDP(0.9)


def test_a_waiting_run_sees_the_spend_that_held_the_lock(tmp_path):
    """The second run blocks on BEGIN IMMEDIATE, then reads the committed spend and refuses."""
    path = tmp_path / "lock.sqlite"
    Ledger(path).set_total("p", ApproxDP(1.0))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute(
        "INSERT INTO releases (population, created_at, dataset, epsilon, delta, queries) "
        "VALUES ('p', 'now', 'first', '0.8', '0', '{}')"
    )
    proc = _spawn(path, 0, 0.5)
    time.sleep(1.5)
    assert proc.poll() is None  # still waiting for the write lock
    holder.execute("COMMIT")
    holder.close()
    assert proc.wait(timeout=120) == 1
    assert Ledger(path).status("p").spent == ApproxDP(0.8)
