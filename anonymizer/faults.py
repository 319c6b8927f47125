"""A fault-injection hook at every filesystem step of a release (for tests; inert otherwise).

The release writer (:mod:`anonymizer.release.writer`) calls :func:`point` before each step
that touches the disk (create the temporary directory, write each file, fsync, chmod, each
rename, the switch, each removal), and the ledger before each step of recording a spend
(registry pending, COMMIT, registry promoted).
With ``ANONYMIZER_FAULT`` unset — always, outside tests — it only counts. Set, it injects a
fault at the N-th step (1-based) or at the first step whose name starts with the given text:

- ``kill@N`` — SIGKILL the process, as a power cut or ``kill -9`` would;
- ``enospc@N``, ``erofs@N``, ``eacces@N``, ``eio@N`` — raise that OSError there.

``ANONYMIZER_FAULT_TRACE=FILE`` appends each step's number and name to FILE, so a test can
learn how many steps a release has and then kill it at every one of them.
"""

from __future__ import annotations

import errno
import os
import signal
from pathlib import Path

ENV = "ANONYMIZER_FAULT"
TRACE_ENV = "ANONYMIZER_FAULT_TRACE"
_ERRNOS = {"enospc": errno.ENOSPC, "erofs": errno.EROFS, "eacces": errno.EACCES, "eio": errno.EIO}
_count = 0


def point(step: str, path: Path | str) -> None:
    """One filesystem step is about to run on ``path``."""
    global _count
    _count += 1
    trace = os.environ.get(TRACE_ENV)
    if trace:
        with open(trace, "a", encoding="utf-8") as fh:
            fh.write(f"{_count}\t{step}\n")
    spec = os.environ.get(ENV)
    if not spec or "@" not in spec:
        return
    kind, _, where = spec.partition("@")
    hit = int(where) == _count if where.isdigit() else step.startswith(where)
    if not hit:
        return
    if kind == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if kind in _ERRNOS:
        code = _ERRNOS[kind]
        raise OSError(code, os.strerror(code), str(path))


def reset() -> None:
    """Start counting again (a process that releases more than once, e.g. a test)."""
    global _count
    _count = 0


__all__ = ["ENV", "TRACE_ENV", "point", "reset"]
