"""What a release records about how it was made: library and model versions, rules hashes.

Its own module so the report builder and the release writer both read it without importing
each other (they used to reach into one another through the runner).
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from typing import Any

from anonymizer.rules import rules_dir


def rules_hashes() -> dict[str, str]:
    base = rules_dir()
    return {
        str(p.relative_to(base)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(base.rglob("*"))
        if p.is_file() and p.suffix in (".yaml", ".yml", ".csv", ".txt")
    }


def versions(detector: Any) -> dict[str, str]:
    """Our version, the data libraries', and the detector's models (``Detector.versions()``)."""
    out = {
        "anonymizer": version("anonymizer"),
        "pandas": version("pandas"),
        "diffprivlib": version("diffprivlib"),
    }
    out.update(detector.versions())
    return out
