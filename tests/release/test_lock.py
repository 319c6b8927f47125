"""Runs of one pipeline into one directory take turns: the second waits (saying so), or exits
2 at once with --no-wait; four concurrent ``run --force`` all succeed (two of four used to
crash with FileNotFoundError)."""

import os
import subprocess
import sys
import time

import pytest

from anonymizer.release import ReleaseLock
from tests.pipeline.conftest import leftovers, new_work, visible

_MAIN = "import sys; from anonymizer.cli.main import main; sys.argv[0] = 'anonymizer'; main()"


@pytest.fixture
def work(tmp_path, monkeypatch):
    return new_work(tmp_path, monkeypatch)


def _cli(work, *extra: str) -> subprocess.Popen:
    """The real CLI in a process of its own."""
    args = ["run", str(work.pipeline), "--out", str(work.out), "--no-progress", *extra]
    return subprocess.Popen(
        [sys.executable, "-c", _MAIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=dict(os.environ),
    )  # fmt: skip


def test_no_wait_exits_2_while_another_run_holds_the_lock(work):
    work.setup()
    lock = ReleaseLock(work.out, "soudan-test")
    lock.acquire()
    try:
        result = work.run("--no-wait")
    finally:
        lock.release()
    assert result.exit_code == 2
    assert "another run of pipeline 'soudan-test'" in result.stderr and "--no-wait" in result.stderr
    assert not work.out.exists()  # nothing written, not even the directory
    assert work.run().exit_code == 0  # once it is free


@pytest.mark.slow
def test_a_second_run_waits_and_says_so(work):
    work.setup()
    lock = ReleaseLock(work.out, "soudan-test")
    lock.acquire()
    proc = _cli(work)
    try:
        time.sleep(8)
        assert proc.poll() is None  # waiting
    finally:
        lock.release()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "waiting for another run of pipeline 'soudan-test'" in err


@pytest.mark.slow
def test_four_concurrent_forced_runs_all_succeed(work):
    work.setup()
    procs = [_cli(work, "--force") for _ in range(4)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    assert visible(work.out) == ["soudan-test", "soudan-test.internal"] and leftovers(work.out) == []
    assert (work.release / "manifest.json").is_file()
