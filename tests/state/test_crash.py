"""A process killed at any step of recording a spend leaves a ledger that verifies — the spend
is there or not, never half — and is never mistaken for tampering."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from anonymizer.dp.budget import ApproxDP
from anonymizer.state import Ledger

STEPS = ["ledger: registry pending", "ledger: commit", "ledger: registry promoted"]
_SPEND = textwrap.dedent(
    """
    import sys
    from anonymizer.dp.budget import ApproxDP
    from anonymizer.state import Ledger
    Ledger(sys.argv[1]).spend("p", "killed.csv", ApproxDP(0.5), {})
    """
)


@pytest.mark.parametrize("step", STEPS)
def test_kill_while_recording_a_spend(tmp_path, step):
    state = tmp_path / "state"
    led = Ledger(state)
    led.set_total("p", ApproxDP(2.0))
    led.spend("p", "before.csv", ApproxDP(0.5), {})
    env = {**os.environ, "ANONYMIZER_FAULT": f"kill@{step}"}
    proc = subprocess.run([sys.executable, "-c", _SPEND, str(state)], env=env, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert led.verify("p") == []
    spent = led.status("p").spent.epsilon
    # killed before COMMIT: not spent; after it: spent
    assert spent == (1.0 if step == "ledger: registry promoted" else 0.5)
    led.spend("p", "after.csv", ApproxDP(0.5), {})  # and the ledger goes on working
    assert led.verify("p") == []
