import json

from click.testing import CliRunner

from anonymizer.cli.main import cli
from anonymizer.dp.budget import ApproxDP
from anonymizer.state import Ledger


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_set_show_and_only_raise(tmp_path):
    state = str(tmp_path / "state")
    res = run("budget", "kunitachi-residents", "--state-dir", state, "--total", "2")
    assert res.exit_code == 0 and "remaining:  ε=2" in res.output
    assert f"{tmp_path / 'state' / 'ledger.sqlite'}" in res.output  # where the ledger is
    Ledger(state).spend("kunitachi-residents", "a.csv", ApproxDP(0.5), {})
    res = run("budget", "kunitachi-residents", "--state-dir", state, "--json", "--releases")
    data = json.loads(res.output)
    assert data["spent"]["epsilon"] == 0.5 and data["remaining"]["epsilon"] == 1.5
    assert data["release_list"][0]["dataset"] == "a.csv"
    assert data["chain_head"] == Ledger(state).head("kunitachi-residents")
    lower = run("budget", "kunitachi-residents", "--state-dir", state, "--total", "1")
    assert lower.exit_code == 2 and "may only be raised" in lower.output
    higher = run("budget", "kunitachi-residents", "--state-dir", state, "--total", "3")
    assert higher.exit_code == 0 and "remaining:  ε=2.5" in higher.output


def test_default_state_directory_is_xdg_state_home(_state_home):
    assert run("budget", "p", "--total", "1").exit_code == 0
    assert (_state_home / "ledger.sqlite").is_file() and (_state_home / "ledger.key").is_file()


def test_errors(tmp_path):
    state = str(tmp_path / "state")
    res = run("budget", "p", "--state-dir", state)
    assert res.exit_code == 2 and "has no budget" in res.output
    for total in ("-1", "nan", "inf", "1e-320", "1e300"):
        res = run("budget", "p", "--state-dir", state, "--total", total)
        assert res.exit_code == 2 and "--total" in res.output, total
    res = run("budget", "p", "--state-dir", state, "--total", "1", "--delta-total", "2")
    assert res.exit_code == 2
    run("budget", "p", "--state-dir", state, "--total", "1")
    res = run("budget", "other", "--state-dir", state)
    assert res.exit_code == 2 and "has no budget" in res.output
    res = run("budget", "p", "--ledger", "old.sqlite")
    assert res.exit_code == 2 and "state directory" in res.output


def test_tampered_ledger_refuses_then_reseal_with_reason(tmp_path):
    state = tmp_path / "state"
    run("budget", "p", "--state-dir", str(state), "--total", "2")
    Ledger(state).spend("p", "a.csv", ApproxDP(0.5), {})
    raw = (state / "ledger.sqlite").read_bytes()
    i = raw.rindex(b'"epsilon":"0.5"')
    (state / "ledger.sqlite").write_bytes(raw[:i] + b'"epsilon":"0.0"' + raw[i + 15 :])
    res = run("budget", "p", "--state-dir", str(state))
    assert res.exit_code == 2 and "integrity check" in res.output and "--reseal" in res.output
    res = run("budget", "p", "--state-dir", str(state), "--reseal")
    assert res.exit_code == 2 and "--reason" in res.output
    reason = "バックアップと照合済み"
    res = run("budget", "p", "--state-dir", str(state), "--reseal", "--reason", reason)
    assert res.exit_code == 0, res.output
    assert "re-sealed" in res.output and "found:" in res.output
    assert "spent:      ε=0.5" in res.output
    res = run("budget", "p", "--state-dir", str(state), "--reseal", "--reason", "もう一度封印")
    assert res.exit_code == 2 and "nothing to re-seal" in res.output


def test_help_has_an_example():
    res = run("budget", "--help")
    assert res.exit_code == 0 and "Example" in res.output and "--reseal" in res.output
