"""Atomic file and directory writes: nothing half-written is ever visible.

Every operating-system failure here becomes a :class:`FileSystemError` that names the path
and what was being done (exit 2), never a traceback: a full disk, a read-only mount or a
missing permission is something a steward fixes, not a bug.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from anonymizer.errors import FileSystemError
from anonymizer.i18n import N_, _

_REASONS = {
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.EROFS: N_("read-only file system"),
    errno.ENOSPC: N_("no space left on device"),
    errno.EDQUOT: N_("disk quota exceeded"),
    errno.EFBIG: N_("file too large"),
    errno.ENOENT: N_("no such file or directory"),
    errno.EISDIR: N_("is a directory"),
    errno.ENOTDIR: N_("not a directory"),
    errno.ENAMETOOLONG: N_("file name too long"),
    errno.EMFILE: N_("too many open files"),
    errno.EIO: N_("input/output error"),
}


def reason(exc: OSError) -> str:
    """A short, fixed description of an OS error (its errno; never file contents)."""
    if exc.errno in _REASONS:
        return _(_REASONS[exc.errno])
    if exc.errno is not None:
        return os.strerror(exc.errno).lower()
    return type(exc).__name__


def os_failure(exc: OSError, doing: str, path: Path | str | None = None) -> FileSystemError:
    """``path: doing: reason`` — the path we were working on, else the one the OS named."""
    where = path if path is not None else exc.filename
    prefix = f"{os.fsdecode(where)}: " if where is not None else ""
    return FileSystemError(
        _("{prefix}{doing}: {reason}").format(prefix=prefix, doing=doing, reason=reason(exc))
    )


@contextmanager
def os_errors(doing: str, path: Path | str | None = None) -> Iterator[None]:
    """Turn an OSError raised inside the block into a FileSystemError naming ``path``."""
    try:
        yield
    except FileSystemError:
        raise
    except OSError as exc:
        raise os_failure(exc, doing, path) from None


def fsync_dir(path: Path | str) -> None:
    """Make a rename or create inside ``path`` durable (where the OS supports it)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Write to a temp file beside ``path`` and rename it into place."""
    p = Path(path)
    with os_errors(_("cannot write"), p):
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, p)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def atomic_write_text(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))
