"""Any failure the code did not anticipate becomes a clear exit 2 that quotes nothing.

Python's default for an uncaught exception is a traceback and exit 1 — the code this CLI
reserves for a gate refusal — and a traceback can quote input (a pandas parse error prints
the offending value). :func:`describe` turns such an exception into an error that names only
what is safe: for an OSError the path and the reason, otherwise the exception's type and
where in ``anonymizer`` it was raised. ``ANONYMIZER_DEBUG=1`` shows the real traceback (on a
developer's own test data).
"""

from __future__ import annotations

import os
import sqlite3
import traceback

from anonymizer.errors import AnonymizerError, FileSystemError, InternalError
from anonymizer.fsutil import os_failure
from anonymizer.i18n import _

DEBUG_ENV = "ANONYMIZER_DEBUG"


def debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


def _where(exc: BaseException) -> str:
    """``anonymizer/x/y.py:123`` of the innermost frame in this package (no values)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f"{os.sep}anonymizer{os.sep}" in f.filename]
    if not (ours or frames):
        return "?"
    frame = (ours or frames)[-1]
    path = frame.filename
    cut = path.rfind(f"{os.sep}anonymizer{os.sep}")
    return f"{path[cut + 1:] if cut >= 0 else os.path.basename(path)}:{frame.lineno}"


def describe(exc: BaseException) -> AnonymizerError:
    """The error to report for ``exc`` (already an AnonymizerError: itself)."""
    if isinstance(exc, AnonymizerError):
        return exc
    if isinstance(exc, OSError):
        return os_failure(exc, _("the operating system refused"))
    if isinstance(exc, MemoryError):
        return FileSystemError(
            _(
                "out of memory ({_where}); the input is too large for this machine — split it, or "
                "run where more memory is available"
            ).format(_where=_where(exc))
        )
    if isinstance(exc, sqlite3.OperationalError):
        return FileSystemError(
            _("a database operation failed ({_where}): {exc}").format(_where=_where(exc), exc=exc)
        )
    return InternalError(
        _(
            "unexpected {error_type} at {_where}; nothing was released, and the details are "
            "withheld because they may quote input values (set {debug_env}=1 to see them on test "
            "data, and report the location)"
        ).format(error_type=type(exc).__name__, _where=_where(exc), debug_env=DEBUG_ENV)
    )


__all__ = ["DEBUG_ENV", "debugging", "describe"]
