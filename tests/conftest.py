"""Shared fixtures. Real models and real libraries only: nothing we ship is mocked."""

from __future__ import annotations

import os

import pytest

# Offline by construction: any attempt to reach the network in a test is a bug.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TLDEXTRACT_CACHE", os.devnull)


@pytest.fixture(scope="session")
def recognizers():
    from anonymizer.recognizers import build_recognizers

    return {r.name: r for r in build_recognizers()}
