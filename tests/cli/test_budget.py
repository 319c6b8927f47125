import json

from click.testing import CliRunner

from anonymizer.cli.main import cli
from anonymizer.dp.budget import ApproxDP
from anonymizer.dp.ledger import Ledger


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_set_show_and_only_raise(tmp_path):
    led = str(tmp_path / "l.sqlite")
    res = run("budget", "kunitachi-residents", "--ledger", led, "--total", "2")
    assert res.exit_code == 0 and "remaining:  ε=2" in res.output
    Ledger(led).spend("kunitachi-residents", "a.csv", ApproxDP(0.5), {})
    res = run("budget", "kunitachi-residents", "--ledger", led, "--json", "--releases")
    data = json.loads(res.output)
    assert data["spent"]["epsilon"] == 0.5 and data["remaining"]["epsilon"] == 1.5
    assert data["release_list"][0]["dataset"] == "a.csv"
    lower = run("budget", "kunitachi-residents", "--ledger", led, "--total", "1")
    assert lower.exit_code == 2 and "may only be raised" in lower.output
    higher = run("budget", "kunitachi-residents", "--ledger", led, "--total", "3")
    assert higher.exit_code == 0 and "remaining:  ε=2.5" in higher.output


def test_errors(tmp_path):
    led = str(tmp_path / "l.sqlite")
    res = run("budget", "p", "--ledger", led)
    assert res.exit_code == 2 and "ledger not found" in res.output
    assert run("budget", "p", "--ledger", led, "--total", "-1").exit_code == 2
    assert run("budget", "p", "--ledger", led, "--total", "1", "--delta-total", "2").exit_code == 2
    run("budget", "p", "--ledger", led, "--total", "1")
    res = run("budget", "other", "--ledger", led)
    assert res.exit_code == 2 and "has no budget" in res.output


def test_help_has_an_example():
    res = run("budget", "--help")
    assert res.exit_code == 0 and "Example" in res.output
