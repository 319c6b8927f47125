"""``make demo`` resets only a state directory it made itself."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_demo_refuses_a_state_directory_that_is_not_its_own(tmp_path):
    theirs = tmp_path / "state"
    (theirs / "anonymizer").mkdir(parents=True)
    (theirs / "anonymizer" / "ledger.sqlite").write_bytes(b"someone's budgets")
    proc = subprocess.run(
        ["bash", "scripts/demo.sh", str(tmp_path / "out")], cwd=ROOT, capture_output=True,
        text=True, env={"PATH": "/usr/bin:/bin", "DEMO_STATE": str(theirs)}, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2 and "not the demo's state directory" in proc.stderr
    assert (theirs / "anonymizer" / "ledger.sqlite").read_bytes() == b"someone's budgets"


def test_the_demo_keeps_its_state_out_of_the_output_and_make_clean():
    script = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")
    assert "DEMO_STATE=${DEMO_STATE:-.demo-state}" in script and "out/ledger" not in script
    assert 'rm -rf "$XDG_STATE_HOME/anonymizer"' in script  # only under the marked directory
    clean = [ln for ln in (ROOT / "Makefile").read_text().splitlines() if ln.startswith("\trm")]
    assert clean == ["\trm -rf $(OUT) .pytest_cache"]
