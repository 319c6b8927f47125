"""Write generated files all or nothing: into a temporary directory inside the target first,
then moved into place one by one (``os.replace``), so a crash leaves the old files or the new
ones, never a half-written file."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_files(target: Path, files: Mapping[str, bytes], prefix: str) -> list[Path]:
    """Write ``{relative path: bytes}`` under ``target``; return the paths written."""
    target.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=target))
    try:
        for rel, data in files.items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_bytes(data)
        written = []
        for rel in files:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / rel, target / rel)
            written.append(target / rel)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return written
