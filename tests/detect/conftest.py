"""Detectors shared by the detection tests: built once (a fast one ≈ 4 s, ja_ginza ≈ 5 s more).

Tests that read ``stats`` compare before/after deltas and use texts no other test uses, so
sharing one detector (and its cache) is safe.
"""

from __future__ import annotations

import pytest

from anonymizer.detect import Detector


@pytest.fixture(scope="session")
def fast() -> Detector:
    with Detector(mode="fast") as det:
        yield det


@pytest.fixture(scope="session")
def accurate() -> Detector:
    with Detector(mode="accurate") as det:
        yield det
