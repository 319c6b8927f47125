"""Publishing a release so that it is never half there.

Each release is written under a name of its own and published by one atomic switch::

    out/.<name>.<id>.partial/    being written (files fsync-ed, then made read-only)
    out/.<name>.<id>.release/    complete: the partial directory renamed when every file is in
    out/<name> -> .<name>.<id>.release    the switch: a symlink replaced with rename(2)

An interrupted run therefore leaves ``out/<name>`` pointing at the previous complete release
or at the new complete one, never at neither and never at a partial one. Whatever it left
behind (a partial directory, a superseded version, a temporary link) is removed by the next
run of the same pipeline, under its lock (:mod:`anonymizer.release.lock`), by
:func:`clean_stale`. ``out/<name>`` is a symlink: copy or upload it following links
(``cp -rL``, ``rsync -L``, a portal's uploader pointed at the directory itself).

A release directory from before symlinks is switched with ``renameat2(RENAME_EXCHANGE)``
where the kernel and file system support it (Linux), so even that first switch is atomic;
elsewhere it is renamed to a version and linked, and a run interrupted between the two is
completed by the next run's clean-up.

Every step calls :func:`anonymizer.faults.point` first (tests inject kills and OS
errors there); every OS failure becomes a :class:`FileSystemError` naming the path (exit 2),
and the previous release stays as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import secrets
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from anonymizer import faults
from anonymizer.errors import FileSystemError, UsageError
from anonymizer.fsutil import fsync_dir, os_errors
from anonymizer.i18n import _

PARTIAL, VERSION, LINK, OLD = ".partial", ".release", ".link", ".old"
#: the version name given to a pre-symlink release directory (sorts before every real one)
LEGACY = "00000000T000000"


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directory entries atomically (Linux ``renameat2``); False where unsupported."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _remove(path: Path) -> None:
    """Remove a file, a link (never what it points to) or a directory tree."""
    faults.point("remove", path)
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
        return

    shutil.rmtree(path)


def _entries(out_dir: Path, name: str) -> list[Path]:
    """Our own temporary and version entries for ``name`` (never the lock, never another name)."""
    if not out_dir.is_dir():
        return []
    prefix = f".{name}."
    return sorted(
        p for p in out_dir.iterdir()
        if p.name.startswith(prefix) and p.name.endswith((PARTIAL, VERSION, LINK, OLD))
    )  # fmt: skip


def current_version(out_dir: Path, name: str) -> Path | None:
    """The version directory ``out/<name>`` points to (None: absent, a real directory, or a
    link that is not ours)."""
    target = out_dir / name
    if not target.is_symlink():
        return None
    dest = os.readlink(target)
    if os.sep in dest or not dest.startswith(f".{name}.") or not dest.endswith(VERSION):
        return None
    return out_dir / dest


def clean_stale(out_dir: Path, name: str) -> list[str]:
    """Remove what interrupted runs of ``name`` left; complete a switch a crash cut short.

    Call with the pipeline's lock held. Returns the names removed (for the log)."""
    target = out_dir / name
    removed: list[str] = []
    with os_errors(_("cannot clean up after an interrupted run"), out_dir):
        versions = [p for p in _entries(out_dir, name) if p.name.endswith(VERSION)]
        interrupted = any(f".{name}.{LEGACY}-" in p.name for p in versions)
        if not os.path.lexists(target) and interrupted:
            # a switch from a pre-symlink release directory was cut short between its two
            # renames: link the newest complete version (the new release, or else the old)
            newest = versions[-1]
            link = out_dir / f".{name}.{secrets.token_hex(4)}{LINK}"
            os.symlink(newest.name, link)
            os.replace(link, target)
            fsync_dir(out_dir)
        live = current_version(out_dir, name)
        if live is not None and not live.exists():  # our link to a version someone deleted
            faults.point("remove dangling link", target)
            target.unlink()
            live = None
        for p in _entries(out_dir, name):
            if live is not None and p == live:
                continue
            _remove(p)
            removed.append(p.name)
        if removed:
            fsync_dir(out_dir)
    return removed


class ReleaseWriter:
    """Collect the files of one release, then publish them with one atomic switch."""

    def __init__(self, out_dir: Path, name: str, force: bool) -> None:
        self.out_dir = out_dir
        self.name = name
        self.target = out_dir / name
        if os.path.lexists(self.target) and not force:
            raise UsageError(
                _("{target}: a release already exists; use --force to replace it").format(
                    target=self.target
                )
            )
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        self.id = f"{stamp}-{secrets.token_hex(4)}"
        self.tmp = out_dir / f".{name}.{self.id}{PARTIAL}"
        self.version = out_dir / f".{name}.{self.id}{VERSION}"
        #: the SHA-256 of each file written, by its path in the release
        self.hashes: dict[str, str] = {}
        with os_errors(_("cannot create the release directory"), self.tmp):
            faults.point("mkdir out", out_dir)
            out_dir.mkdir(parents=True, exist_ok=True)
            faults.point("mkdir partial", self.tmp)
            self.tmp.mkdir(mode=0o700)

    def add(self, relpath: str, data: bytes) -> str:
        """Write one file of the release (fsync-ed); returns its SHA-256."""
        return self.add_stream(relpath, (data,))[0]

    def add_stream(self, relpath: str, chunks: Iterable[bytes]) -> tuple[str, int]:
        """Write one file of the release from its parts in order, never all of it in memory
        (fsync-ed); returns its SHA-256 and size. An error while the parts are made (the
        iterator's) leaves the release unpublished, as any other."""
        path = self.tmp / relpath
        digest, size = hashlib.sha256(), 0
        with os_errors(_("cannot write the release"), path):
            faults.point(f"write {relpath}", path)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                fh.flush()
                faults.point(f"fsync {relpath}", path)
                os.fsync(fh.fileno())
        self.hashes[relpath] = digest.hexdigest()
        return self.hashes[relpath], size

    def commit(self) -> Path:
        """Publish: make the files read-only, name the version, switch ``out/<name>`` to it."""
        with os_errors(_("cannot publish the release"), self.tmp):
            for p in sorted(self.tmp.iterdir()):
                faults.point(f"chmod {p.name}", p)
                os.chmod(p, 0o644)
            faults.point("chmod partial", self.tmp)
            os.chmod(self.tmp, 0o755)
            faults.point("fsync partial", self.tmp)
            fsync_dir(self.tmp)
        with os_errors(_("cannot publish the release"), self.version):
            faults.point("rename partial to version", self.version)
            os.rename(self.tmp, self.version)
            fsync_dir(self.out_dir)
        with os_errors(_("cannot switch the release"), self.target):
            link = self.out_dir / f".{self.name}.{self.id}{LINK}"
            faults.point("symlink", link)
            os.symlink(self.version.name, link)
            if self.target.is_dir() and not self.target.is_symlink():
                self._switch_from_directory(link)
            else:
                faults.point("switch", self.target)
                os.replace(link, self.target)
        # the switch is done and the release is published: making it durable and removing
        # what it replaced can fail without unpublishing it (the next run removes leftovers)
        with contextlib.suppress(OSError, FileSystemError):
            faults.point("fsync out", self.out_dir)
            fsync_dir(self.out_dir)
            clean_stale(self.out_dir, self.name)
        return self.target

    def _switch_from_directory(self, link: Path) -> None:
        """``out/<name>`` is a real directory (a release from before symlinks)."""
        faults.point("switch", self.target)
        if _exchange(link, self.target):
            return  # link's name now holds the old directory; the clean-up removes it
        # no atomic exchange here: keep the old release as a version, then link the new one;
        # a crash between the two is completed by the next run (clean_stale)
        keep = self.out_dir / f".{self.name}.{LEGACY}-{secrets.token_hex(4)}{VERSION}"
        faults.point("rename old directory", keep)
        os.rename(self.target, keep)
        faults.point("switch link", self.target)
        os.replace(link, self.target)

    def abort(self) -> None:
        """Remove the partial directory (best effort: the next run removes what is left)."""
        with contextlib.suppress(OSError):
            if self.tmp.exists():
                _remove(self.tmp)


__all__ = ["ReleaseWriter", "clean_stale", "current_version"]
