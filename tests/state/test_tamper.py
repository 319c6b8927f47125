"""A tampered ledger is detected, refuses every further release, and stays refused until an
administrator re-seals it — which never gives budget back.

The cases are the ones a fault matrix found overspending (total ε = 2, ε = 0.5 a release, and
each tampering allowed 5 or 6 releases): byte edits with no tools, rows deleted or updated
after dropping the trigger, truncation to 0 bytes and setting the total again; plus deletion,
replacement by an older copy or by another state directory's ledger, a reset, and edits of the
registry and the key. Everything here is done with the tools an attacker without the key has:
bytes, sqlite3, the file system.
"""

import json
import shutil
import sqlite3

import pytest

from anonymizer.dp.budget import ApproxDP
from anonymizer.errors import LedgerTampered, UsageError
from anonymizer.state import Ledger

POP = "kunitachi-residents"
SPEND = ApproxDP(0.5)


@pytest.fixture
def ledger(tmp_path):
    led = Ledger(tmp_path / "state")
    led.set_total(POP, ApproxDP(2.0))
    led.spend(POP, "first.csv", SPEND, {})
    led.spend(POP, "second.csv", SPEND, {})
    return led


def _sql(led: Ledger, *statements: str) -> None:
    con = sqlite3.connect(led.path, isolation_level=None)
    for s in statements:
        con.execute(s)
    con.close()


def byte_edit(led, tmp_path):
    raw = led.path.read_bytes()
    i = raw.rindex(b'"epsilon":"0.5"')
    led.path.write_bytes(raw[:i] + b'"epsilon":"0.0"' + raw[i + 15 :])


def byte_edit_total(led, tmp_path):
    raw = led.path.read_bytes()
    i = raw.index(b'"epsilon":"2.0"')
    led.path.write_bytes(raw[:i] + b'"epsilon":"9.0"' + raw[i + 15 :])


def delete_last_spend(led, tmp_path):
    _sql(led, "DROP TRIGGER entries_no_delete",
         "DELETE FROM entries WHERE id = (SELECT max(id) FROM entries)")  # fmt: skip


def delete_first_spend(led, tmp_path):
    _sql(led, "DROP TRIGGER entries_no_delete",
         "DELETE FROM entries WHERE kind = 'spend' AND seq = 2")  # fmt: skip


def update_spend(led, tmp_path):
    edit = """UPDATE entries SET body = replace(body, '"epsilon":"0.5"', '"epsilon":"0"')"""
    _sql(led, "DROP TRIGGER entries_no_update", edit)


def insert_forged_total(led, tmp_path):
    _sql(led, "INSERT INTO entries (population, seq, kind, created_at, body, mac) VALUES "
              "('kunitachi-residents', 4, 'total', 'now', '{\"delta\":\"0\",\"epsilon\":\"100\"}', "
              "'" + "0" * 64 + "')")  # fmt: skip


def move_to_other_population(led, tmp_path):
    _sql(led, "DROP TRIGGER entries_no_update",
         "UPDATE entries SET population = 'other' WHERE kind = 'spend'")  # fmt: skip


def truncate(led, tmp_path):
    led.path.write_bytes(b"")


def delete_file(led, tmp_path):
    led.path.unlink()


def foreign_ledger(led, tmp_path):
    other = Ledger(tmp_path / "other")
    other.set_total(POP, ApproxDP(2.0))
    shutil.copyfile(other.path, led.path)


def garbage(led, tmp_path):
    led.path.write_bytes(b"not a database" * 100)


TAMPERINGS = [
    byte_edit, byte_edit_total, delete_last_spend, delete_first_spend, update_spend,
    insert_forged_total, move_to_other_population, truncate, delete_file, foreign_ledger, garbage,
]  # fmt: skip


def _refused(led: Ledger) -> None:
    with pytest.raises(LedgerTampered) as err:
        led.spend(POP, "third.csv", SPEND, {})
    assert err.value.exit_code == 2 and "--reseal" in err.value.message
    with pytest.raises(LedgerTampered):
        led.check(POP, SPEND)
    with pytest.raises(LedgerTampered):  # a reset cannot be papered over by a new total
        led.set_total(POP, ApproxDP(2.0))
    with pytest.raises(LedgerTampered):
        led.status(POP)


def _releases_until_refused(led: Ledger) -> int:
    n = 0
    while True:
        try:
            led.spend(POP, f"r{n}.csv", SPEND, {})
        except Exception:
            return n
        n += 1


@pytest.mark.parametrize("tamper", TAMPERINGS, ids=lambda f: f.__name__)
def test_tampering_is_detected_and_refuses_until_resealed(ledger, tmp_path, tamper):
    tamper(ledger, tmp_path)
    _refused(ledger)
    assert ledger.verify(POP) != []
    with pytest.raises(UsageError, match="at least 5"):
        ledger.reseal(POP, "ok")
    result = ledger.reseal(POP, "台帳を確認し、バックアップと照合した")
    assert result.problems
    assert ledger.verify(POP) == []
    # never more budget than before the tampering: 2 releases were made, 2 remain at most
    assert result.status.spent.epsilon >= 1.0 and result.status.total.epsilon <= 2.0
    assert _releases_until_refused(ledger) <= 2


def test_an_older_copy_put_back_is_detected(ledger, tmp_path):
    saved = tmp_path / "copy.sqlite"
    shutil.copyfile(ledger.path, saved)
    ledger.spend(POP, "third.csv", SPEND, {})
    shutil.copyfile(saved, ledger.path)  # one spend "forgotten"
    _refused(ledger)
    assert "recorded entry 4" in ledger.verify(POP)[0]
    ledger.reseal(POP, "古い複製に置き換えられていたため")
    assert ledger.status(POP).spent.epsilon == 1.5  # the registry's figure, not the copy's


def test_registry_deleted_or_altered_is_detected(ledger):
    registry = ledger.state.registry
    original = registry.read_bytes()
    registry.unlink()
    _refused(ledger)
    assert "registry" in ledger.verify(POP)[0]
    outer = json.loads(original)
    doc = json.loads(outer["doc"])
    doc["populations"][POP]["spent"]["epsilon"] = "0"
    outer["doc"] = json.dumps(doc)
    registry.write_text(json.dumps(outer))
    _refused(ledger)
    assert "altered" in ledger.verify(POP)[0]
    ledger.reseal(POP, "登録簿の改変を確認した")
    assert ledger.status(POP).spent.epsilon == 1.0


def test_without_the_key_nothing_verifies_and_nothing_reseals(ledger):
    ledger.state.key.unlink()
    with pytest.raises(LedgerTampered, match="integrity key is missing"):
        ledger.status(POP)
    with pytest.raises(LedgerTampered, match="integrity key is missing"):
        ledger.set_total(POP, ApproxDP(5.0))
    with pytest.raises(LedgerTampered, match="integrity key is missing"):
        ledger.reseal(POP, "鍵を紛失したので作り直す")


def test_a_reseal_records_its_reason_and_later_edits_of_earlier_entries_still_show(ledger):
    byte_edit(ledger, None)
    ledger.reseal(POP, "確認済み: 1件目の支出を手で直した")
    con = sqlite3.connect(ledger.path)
    [(body,)] = con.execute("SELECT body FROM entries WHERE kind = 'reseal'").fetchall()
    con.close()
    assert json.loads(body)["reason"] == "確認済み: 1件目の支出を手で直した"
    raw = ledger.path.read_bytes()
    i = raw.index(b'"dataset":"first.csv"')
    ledger.path.write_bytes(raw[:i] + b'"dataset":"fir5t.csv"' + raw[i + 21 :])
    with pytest.raises(LedgerTampered, match="before the re-seal"):
        ledger.status(POP)


def test_a_ledger_that_verifies_is_not_resealed(ledger):
    with pytest.raises(UsageError, match="nothing to re-seal"):
        ledger.reseal(POP, "念のため再封印したい")


def test_other_populations_are_unaffected_by_one_populations_tampering(ledger):
    ledger.set_total("other", ApproxDP(1.0))
    ledger.spend("other", "o.csv", ApproxDP(0.25), {})
    byte_edit(ledger, None)  # the last 0.5 spend: kunitachi-residents'
    _refused(ledger)
    assert ledger.status("other").spent == ApproxDP(0.25)
