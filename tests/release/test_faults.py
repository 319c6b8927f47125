"""The release guarantee at every filesystem step: a process killed (SIGKILL, as a power cut
would) or refused by the OS at any step leaves ``out/<name>`` as the previous complete release
or the new complete one — never neither, never a mix — and the next run cleans up after it.

The steps are counted by the writer's own fault hook (``ANONYMIZER_FAULT_TRACE``), so a step
added to the writer is covered without touching this test.
"""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from anonymizer.release import ReleaseLock, ReleaseWriter
from tests.pipeline.conftest import leftovers, visible

OLD = {"a.csv": b"old-a", "manifest.json": b"old-m"}
NEW = {"a.csv": b"new-a", "b.csv": b"new-b", "report.json": b"new-r", "manifest.json": b"new-m"}

#: a run: take the lock (which cleans what an earlier run left), write NEW, publish it
_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from anonymizer.release import ReleaseLock, ReleaseWriter
    NEW = {"a.csv": b"new-a", "b.csv": b"new-b", "report.json": b"new-r", "manifest.json": b"new-m"}
    out = Path(sys.argv[1])
    lock = ReleaseLock(out, "rel")
    lock.acquire()
    writer = ReleaseWriter(out, "rel", force=True)
    try:
        for name, data in NEW.items():
            writer.add(name, data)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    finally:
        lock.release()
    """
)


def _child(out: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", _CHILD, str(out)],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _contents(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.iterdir()}


def _setup(out: Path, previous: str) -> None:
    if previous == "release":
        writer = ReleaseWriter(out, "rel", force=False)
        for name, data in OLD.items():
            writer.add(name, data)
        writer.commit()
    elif previous == "directory":  # a release written before releases were links
        (out / "rel").mkdir(parents=True)
        for name, data in OLD.items():
            (out / "rel" / name).write_bytes(data)


def _steps(tmp_path: Path, previous: str) -> list[str]:
    out, trace = tmp_path / "trace" / "out", tmp_path / "trace.txt"
    _setup(out, previous)
    assert _child(out, ANONYMIZER_FAULT_TRACE=str(trace)).returncode == 0
    return [line.split("\t", 1)[1] for line in trace.read_text().splitlines()]


def _published(out: Path, previous: str) -> str:
    """Which complete release ``out/rel`` is: "old", "new" or "none" (fails on anything else)."""
    target = out / "rel"
    if not os.path.lexists(target):
        assert previous == "none", "the previous release vanished"
        return "none"
    found = _contents(target)
    if found == NEW:
        return "new"
    assert previous != "none" and found == OLD, f"a half release: {sorted(found)}"
    return "old"


@pytest.mark.parametrize("previous", ["release", "directory", "none"])
def test_killed_at_every_step(tmp_path, previous):
    steps = _steps(tmp_path, previous)
    assert any(s == "switch" for s in steps) and len(steps) >= 12
    seen = set()
    for k, step in enumerate(steps, start=1):
        out = tmp_path / f"k{k}" / "out"
        _setup(out, previous)
        proc = _child(out, ANONYMIZER_FAULT=f"kill@{k}")
        assert proc.returncode == -signal.SIGKILL, (k, step, proc.stderr)
        state = _published(out, previous)
        seen.add(state)
        # the next run takes the lock, cleans up and publishes
        lock = ReleaseLock(out, "rel")
        lock.acquire()
        lock.release()
        assert _published(out, previous) == state, (k, step)
        assert leftovers(out) == [], (k, step)
        assert _child(out).returncode == 0
        assert _published(out, previous) == "new" and leftovers(out) == []
        assert visible(out) == ["rel"]
    assert "new" in seen and (previous == "none" or "old" in seen)


@pytest.mark.parametrize("error", ["enospc", "erofs", "eacces", "eio"])
def test_an_os_error_at_every_step_names_a_path_and_keeps_the_previous(tmp_path, error):
    steps = _steps(tmp_path, "release")
    switch = steps.index("switch") + 1
    for k, step in enumerate(steps, start=1):
        out = tmp_path / f"{error}{k}" / "out"
        _setup(out, "release")
        proc = _child(out, ANONYMIZER_FAULT=f"{error}@{k}")
        if k > switch:  # after the switch: published; a failed clean-up is left for next time
            assert proc.returncode == 0, (k, step, proc.stderr)
            assert _published(out, "release") == "new"
        else:
            assert proc.returncode == 1 and "FileSystemError" in proc.stderr, (k, step)
            assert str(out) in proc.stderr, (k, step)  # the path is named
            assert _published(out, "release") == "old", (k, step)
        ReleaseLock(out, "rel").acquire()
        assert leftovers(out) == [], (k, step)
