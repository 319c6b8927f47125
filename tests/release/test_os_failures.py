"""Real OS failures, not simulated ones: a read-only file system and a full disk (a mount
namespace with a read-only bind mount and a small tmpfs), and permissions (a process without
root). Each is exit 2 with the path named; nothing is released and the previous release is
intact. Skipped where the machine allows no mount namespace (they run on the project's
machines and CI, which run as root)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from tests.pipeline.conftest import KEY, ROWS, base_pipeline, write_csv, write_key, write_pipeline

_MAIN = "import sys; from anonymizer.cli.main import main; sys.argv[0] = 'anonymizer'; main()"


def _can(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


namespaces = pytest.mark.skipif(
    not shutil.which("unshare") or not _can(["unshare", "-m", "true"]),
    reason="needs a mount namespace (unshare -m)",
)


@pytest.fixture
def project():
    """A world-readable project directory (a process without root must read it)."""
    root = Path(tempfile.mkdtemp(prefix="anonymizer-os-"))
    root.chmod(0o755)
    write_csv(root / "in.csv", ROWS)
    write_pipeline(root / "p.yaml", base_pipeline())
    key = write_key(root / "city.key", KEY)
    key.chmod(0o644)  # read by the unprivileged process below
    yield root
    subprocess.run(["umount", "-l", str(root / "out")], capture_output=True)
    shutil.rmtree(root, ignore_errors=True)


def _args(root: Path, *extra: str) -> list[str]:
    return [sys.executable, "-c", _MAIN, "run", str(root / "p.yaml"), "--out", str(root / "out"),
            "--no-progress", *extra]  # fmt: skip


_DRIVER = textwrap.dedent(
    """
    import json, subprocess, sys, hashlib, os
    from pathlib import Path
    out, kind = Path(sys.argv[1]), sys.argv[2]
    first, second = json.loads(sys.argv[3]), json.loads(sys.argv[4])
    def digest():
        rel = out / "soudan-test"
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in rel.iterdir()}
    if kind == "full":
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(out)], check=True)
    r1 = subprocess.run(first, capture_output=True, text=True)
    before = digest() if r1.returncode == 0 else None
    if kind == "full":
        used = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) // 1024
        subprocess.run(["mount", "-o", f"remount,size={used + 40}k", str(out)], check=True)
    else:
        subprocess.run(["mount", "--bind", str(out), str(out)], check=True)
        subprocess.run(["mount", "-o", "remount,ro,bind", str(out)], check=True)
    r2 = subprocess.run(second, capture_output=True, text=True)
    print(json.dumps({"first": r1.returncode, "second": r2.returncode, "stderr": r2.stderr,
                      "stdout": r2.stdout, "before": before, "after": digest(),
                      "entries": sorted(os.listdir(out))}))
    """
)


@namespaces
@pytest.mark.parametrize(("kind", "reason"), [
    ("readonly", "read-only file system"),
    ("full", "no space left on device"),
])  # fmt: skip
def test_read_only_or_full_output_is_exit_2_and_keeps_the_previous_release(project, kind, reason):
    (project / "out").mkdir()
    first, second = _args(project), _args(project, "--force")
    proc = subprocess.run(
        ["unshare", "-m", sys.executable, "-c", _DRIVER, str(project / "out"), kind,
         json.dumps(first), json.dumps(second)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    r = json.loads(proc.stdout)
    assert r["first"] == 0
    assert r["second"] == 2, r["stderr"]
    assert reason in r["stderr"] and str(project / "out") in r["stderr"]
    assert "Traceback" not in r["stderr"] and r["stdout"] == ""
    assert r["after"] == r["before"]  # the previous release, byte for byte
    assert not [e for e in r["entries"] if e.endswith((".partial", ".link", ".tmp"))]


def _unprivileged() -> list[str] | None:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") and _can(["setpriv", "--reuid=65534", "--regid=65534",
                                          "--clear-groups", "true"]):  # fmt: skip
        return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    return None


@pytest.mark.skipif(_unprivileged() is None, reason="needs a way to drop root (setpriv)")
@pytest.mark.parametrize("what", ["input", "output"])
def test_permission_denied_is_exit_2_naming_the_path(project, what):
    state = project / "state"
    state.mkdir(mode=0o777)
    state.chmod(0o777)
    (project / "out").mkdir()
    if what == "input":
        (project / "out").chmod(0o777)
        (project / "in.csv").chmod(0o000)
        path = project / "in.csv"
    else:
        (project / "out").chmod(0o555)
        path = project / "out"
    env = {**os.environ, "XDG_STATE_HOME": str(state), "HOME": str(state)}
    proc = subprocess.run([*_unprivileged(), *_args(project)], capture_output=True, text=True,
                          env=env, timeout=600)  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert str(path) in proc.stderr and "permission denied" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (project / "out" / "soudan-test").exists()
