"""Shared fixtures. Real models and real libraries only: nothing we ship is mocked."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

# Offline by construction: any attempt to reach the network in a test is a bug.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TLDEXTRACT_CACHE", os.devnull)

# The product speaks Japanese unless told otherwise; the tests written against the English
# messages run in English (subprocesses inherit it). tests/test_i18n.py and the tests of each
# language set their own.
os.environ["ANONYMIZER_LANG"] = "en"

# The state directory ($XDG_STATE_HOME/anonymizer: the DP ledger and its key) of whoever runs
# the tests is never touched: session fixtures (set up before any function fixture) see this
# one, and every test gets a fresh one of its own below.
_SESSION_STATE = tempfile.mkdtemp(prefix="anonymizer-test-state-")
atexit.register(shutil.rmtree, _SESSION_STATE, True)
os.environ["XDG_STATE_HOME"] = _SESSION_STATE


@pytest.fixture(autouse=True)
def _state_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own state directory ($XDG_STATE_HOME/anonymizer): the DP ledger and
    its key of the person running the tests are never read, written or reset by a test."""
    home = tmp_path_factory.mktemp("xdg-state")
    monkeypatch.setenv("XDG_STATE_HOME", str(home))
    return home / "anonymizer"


@pytest.fixture(scope="session")
def recognizers():
    from anonymizer.recognizers import build_recognizers

    return {r.name: r for r in build_recognizers()}
