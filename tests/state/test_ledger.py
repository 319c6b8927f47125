"""The ledger's budget rules: composition in exact decimals, refusals, only-upward totals,
one spend per transaction across processes, and a spend recorded only when the block that
draws the noise ends without an exception."""

import os
import stat
import subprocess
import sys
import textwrap
import time

import pytest

from anonymizer.dp.budget import ApproxDP
from anonymizer.errors import BudgetRefused, UsageError
from anonymizer.state import Ledger

POP = "kunitachi-residents"


@pytest.fixture
def ledger(tmp_path):
    led = Ledger(tmp_path / "state")
    led.set_total(POP, ApproxDP(1.0, 1e-6))
    return led


def test_composition_and_remaining(ledger):
    _, after = ledger.spend(POP, "a.csv", ApproxDP(0.25), {"q": 1})
    assert after.remaining == ApproxDP(0.75, 1e-6)
    _, after = ledger.spend(POP, "b.csv", ApproxDP(0.5, 5e-7), {"q": 2})
    assert after.spent == ApproxDP(0.75, 5e-7)
    assert after.releases == 2
    assert ledger.status(POP).remaining == ApproxDP(0.25, 5e-7)


def test_exact_decimal_composition(tmp_path):
    led = Ledger(tmp_path / "s")
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


def test_unknown_population_is_a_usage_error_and_a_read_creates_nothing(tmp_path):
    led = Ledger(tmp_path / "fresh")
    with pytest.raises(UsageError, match="no budget"):
        led.status("someone")
    assert not (tmp_path / "fresh").exists()
    with pytest.raises(UsageError, match="no budget"):
        led.spend("someone", "a.csv", ApproxDP(0.1), {})


def test_total_only_upward_once_releases_exist(ledger):
    ledger.set_total(POP, ApproxDP(0.5, 1e-6))  # no release yet: lowering is fine
    ledger.spend(POP, "a.csv", ApproxDP(0.1), {})
    with pytest.raises(UsageError, match="only be raised"):
        ledger.set_total(POP, ApproxDP(0.4, 1e-6))
    with pytest.raises(UsageError, match="only be raised"):
        ledger.set_total(POP, ApproxDP(2.0, 0.0))  # lower δ
    assert ledger.set_total(POP, ApproxDP(2.0, 1e-6)).remaining == ApproxDP(1.9, 1e-6)


def test_releases_record_queries_seed_and_hashes(ledger):
    with ledger.spending(POP, "a.csv", ApproxDP(0.1), {"measures": ["count"]}, 7) as pending:
        pending.outputs["table.csv"] = "ab" * 32
    [rel] = ledger.releases(POP)
    assert rel["id"] == pending.release_id and rel["dataset"] == "a.csv"
    assert rel["epsilon"] == 0.1 and rel["queries"] == {"measures": ["count"]}
    assert rel["insecure_seed"] == 7
    assert rel["output_hashes"] == {"table.csv": "ab" * 32}
    assert pending.status is not None and pending.status.spent == ApproxDP(0.1)
    assert pending.head == ledger.head(POP) == rel["chain_head"]


def test_a_failure_before_the_block_ends_spends_nothing(ledger):
    """The noise is drawn inside ``spending``: an exception there (an overflow in a noise
    library, a full disk while serializing) rolls the spend back."""
    with pytest.raises(OverflowError), ledger.spending(POP, "a.csv", ApproxDP(0.5), {}):
        raise OverflowError("cannot convert float infinity to integer")
    assert ledger.status(POP).releases == 0 and ledger.verify(POP) == []
    ledger.spend(POP, "b.csv", ApproxDP(0.5), {})
    assert ledger.status(POP).spent == ApproxDP(0.5)


def test_key_and_registry_are_private_files(ledger):
    for path in (ledger.state.key, ledger.state.registry):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    assert len(ledger.state.key.read_text().strip()) == 64


def test_append_only_triggers_stay_as_a_first_line(ledger):
    import sqlite3

    ledger.spend(POP, "a.csv", ApproxDP(0.1), {})
    con = sqlite3.connect(ledger.path)
    for sql in ("UPDATE entries SET body = '{}'", "DELETE FROM entries"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute(sql)
    con.close()
    assert ledger.status(POP).spent.epsilon == 0.1


_SPENDER = textwrap.dedent(
    """
    import sys, time
    from anonymizer.dp.budget import ApproxDP
    from anonymizer.errors import BudgetRefused
    from anonymizer.state import Ledger
    path, start, eps, hold = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    led = Ledger(path)
    while time.time() < start:
        time.sleep(0.001)
    try:
        with led.spending("p", "race.csv", ApproxDP(eps), {}):
            time.sleep(hold)  # drawing the noise, with the ledger held
    except BudgetRefused:
        sys.exit(1)
    """
)


def _spawn(path, start, eps, hold=0.0):
    return subprocess.Popen(
        [sys.executable, "-c", _SPENDER, str(path), str(start), str(eps), str(hold)]
    )


@pytest.mark.slow
def test_concurrent_processes_cannot_both_spend_the_last_budget(tmp_path):
    path = tmp_path / "state"
    Ledger(path).set_total("p", ApproxDP(1.0))
    start = time.time() + 4.0  # every process is started and waiting by then
    procs = [_spawn(path, start, 0.3) for _ in range(10)]
    codes = sorted(p.wait(timeout=180) for p in procs)
    assert codes == [0, 0, 0] + [1] * 7  # exactly three 0.3 spends fit in 1.0
    status = Ledger(path).status("p")
    assert status.releases == 3 and status.spent == ApproxDP(0.9)
    assert Ledger(path).verify("p") == []


def test_a_waiting_run_sees_the_spend_that_held_the_lock(tmp_path):
    """The second run waits while the first draws its noise, then sees its spend and refuses."""
    path = tmp_path / "state"
    Ledger(path).set_total("p", ApproxDP(1.0))
    first = _spawn(path, 0, 0.8, hold=3.0)
    time.sleep(1.5)  # the first now holds the ledger
    second = _spawn(path, 0, 0.5)
    time.sleep(0.5)
    assert second.poll() is None  # still waiting for the write lock
    assert first.wait(timeout=60) == 0
    assert second.wait(timeout=60) == 1
    assert Ledger(path).status("p").spent == ApproxDP(0.8)
