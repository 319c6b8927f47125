"""One run of a pipeline at a time per output directory: a lock beside the release.

``out/.<name>.lock`` is an advisory ``flock`` (the maintained ``filelock`` library): the
kernel releases it when the holder exits in any way, kill -9 included, so a crashed run never
leaves a lock to clear by hand. A second run waits, saying so on stderr — or, with
``--no-wait``, stops at once with exit 2. Whoever holds the lock first removes what
interrupted runs left (:func:`anonymizer.release.writer.clean_stale`).
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock, Timeout

from anonymizer.errors import Busy
from anonymizer.fsutil import os_errors
from anonymizer.i18n import _
from anonymizer.release.writer import clean_stale

log = logging.getLogger(__name__)


def _stderr(message: str) -> None:
    print(f"anonymizer: {message}", file=sys.stderr, flush=True)


class ReleaseLock:
    """``acquire()`` before reading anything, ``release()`` when the run is over."""

    def __init__(self, out_dir: Path, name: str, notify: Callable[[str], None] = _stderr) -> None:
        self.out_dir = out_dir
        self.name = name
        self.path = out_dir / f".{name}.lock"
        self.notify = notify
        self._lock: FileLock | None = None
        self._made_dir = False

    def acquire(self, wait: bool = True) -> None:
        with os_errors(_("cannot create the run lock"), self.path):
            told = False
            while True:
                self._made_dir = not self.out_dir.exists()
                self.out_dir.mkdir(parents=True, exist_ok=True)
                lock = FileLock(self.path, mode=0o644)
                try:
                    lock.acquire(timeout=0 if not wait or not told else -1)
                    break
                except FileNotFoundError:
                    continue  # the holder removed the directory it had made: make it again
                except Timeout:
                    if not wait:
                        raise Busy(
                            _(
                                "{path}: another run of pipeline {name!r} is writing {value_}; not "
                                "waiting (--no-wait)"
                            ).format(
                                path=self.path,
                                name=self.name,
                                value_=self.out_dir / self.name,
                            )
                        ) from None
                    self.notify(
                        f"waiting for another run of pipeline {self.name!r} to finish "
                        f"(lock {self.path})"
                    )
                    told = True
        self._lock = lock
        removed = clean_stale(self.out_dir, self.name)
        if removed:
            log.info("removed %d entries left by an interrupted run of %s", len(removed), self.name)

    def release(self) -> None:
        """Release; a run that wrote nothing leaves no trace (the directory it made for its
        lock is removed again when the lock is all it holds)."""
        if self._lock is None:
            return
        if self._made_dir:
            # filelock re-checks the file after locking, so unlinking it under the lock is
            # safe for a run waiting on it
            with contextlib.suppress(OSError):
                self.path.unlink()
        self._lock.release()
        self._lock = None
        if self._made_dir:
            with contextlib.suppress(OSError):
                self.out_dir.rmdir()  # only when empty


__all__ = ["ReleaseLock"]
