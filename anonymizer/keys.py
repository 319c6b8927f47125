"""The secret key of keyed operators (pseudonyms): where it comes from and how it is named.

A key is read from a file (``anonymizer keygen -o FILE`` makes one) or from an environment
variable, never from the command line (it would land in shell history and ``ps``). It is
used as raw bytes, and at least 32 are required: HMAC is only as strong as its key (NIST SP
800-107r1 §5.3.4: strength = min(strength of K, 2L)); FIPS 198-1 §3 asks for ≥ L/2 bytes (16
for SHA-256) of random key, and 32 leaves room for keys kept as text (``keygen`` writes 64 hex
characters: 256 random bits).

Nothing here prints, logs or raises with the key. Reports and manifests name a key by
:func:`key_id`, a fingerprint that identifies it without revealing it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
import tempfile
from pathlib import Path

from anonymizer.errors import KeyMissingError, UsageError
from anonymizer.fsutil import os_errors
from anonymizer.i18n import _

log = logging.getLogger(__name__)

#: the variable :func:`load_key` reads when no key file is given
DEFAULT_ENV = "ANONYMIZER_KEY"
#: shortest key accepted, in bytes
MIN_KEY_BYTES = 32
_KEY_ID_MESSAGE = b"anonymizer key id"


def _strip_newline(raw: bytes) -> bytes:
    """One trailing newline (``\\n`` or ``\\r\\n``): editors and ``echo`` add one."""
    if raw.endswith(b"\r\n"):
        return raw[:-2]
    if raw.endswith(b"\n"):
        return raw[:-1]
    return raw


def _read_key_file(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise KeyMissingError(_("{path}: key file not found").format(path=path)) from None
    except IsADirectoryError:
        raise KeyMissingError(_("{path}: key file is a directory").format(path=path)) from None
    except PermissionError:
        raise KeyMissingError(_("{path}: key file is not readable").format(path=path)) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("%s: key file is accessible to other users; chmod 600 it", path)
    return _strip_newline(raw)


def load_key(key_file: Path | None, env: str = DEFAULT_ENV) -> bytes:
    """The key from ``key_file`` (raw bytes, one trailing newline stripped), else from the
    environment variable ``env`` (its UTF-8 bytes). Missing or short → KeyMissingError."""
    if key_file is not None:
        key, where = _read_key_file(Path(key_file)), str(key_file)
    else:
        value = os.environ.get(env)
        if value is None:
            raise KeyMissingError(
                _(
                    "no secret key: pass a key file or set {env} (at least {min_key_bytes} bytes; "
                    "`anonymizer keygen -o FILE` makes one)"
                ).format(env=env, min_key_bytes=MIN_KEY_BYTES)
            )
        key, where = value.encode("utf-8"), f"${env}"
    if len(key) < MIN_KEY_BYTES:
        raise KeyMissingError(
            _(
                "{where}: the key is too short; at least {min_key_bytes} bytes are needed "
                "(`anonymizer keygen -o FILE` makes one)"
            ).format(where=where, min_key_bytes=MIN_KEY_BYTES)
        )
    return key


def key_id(key: bytes) -> str:
    """A fingerprint naming ``key`` in reports: HMAC-SHA256(key, "anonymizer key id"), 16 hex.

    Keyed by the key itself, so it cannot be inverted or precomputed without the key, and
    it differs from every pseudonym (those hash a domain and a value, never this message).
    """
    return hmac.new(key, _KEY_ID_MESSAGE, hashlib.sha256).hexdigest()[:16]


def _publish(tmp: str, path: Path, force: bool) -> None:
    """Move the finished temp file to ``path``; without ``force`` never replace a file, even
    one created meanwhile (a hard link fails if the name exists: no check-then-write race)."""
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise UsageError(
            _("{path}: already exists; pass --force to replace the key").format(path=path)
        ) from None
    except OSError:  # file systems without hard links
        if path.exists():
            raise UsageError(
                _("{path}: already exists; pass --force to replace the key").format(path=path)
            ) from None
        os.replace(tmp, path)


def write_new_key(path: Path, force: bool = False) -> str:
    """Write a new random key (64 hex characters from :mod:`secrets`, mode 0600) to ``path``
    atomically and return its :func:`key_id`. Refuses to replace a file unless ``force``."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(_("{path}: is a directory").format(path=path))
    if not path.parent.is_dir():
        raise UsageError(_("{parent}: directory not found").format(parent=path.parent))
    if path.exists() and not force:
        raise UsageError(
            _("{path}: already exists; pass --force to replace the key").format(path=path)
        )
    key = secrets.token_hex(MIN_KEY_BYTES)
    with os_errors(_("cannot write the key"), path):  # a full disk names the path (exit 2)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            os.fchmod(fd, 0o600)  # mkstemp's mode already, whatever the umask: make it explicit
            with os.fdopen(fd, "wb") as fh:
                fh.write(key.encode("ascii") + b"\n")
                fh.flush()
                os.fsync(fh.fileno())
            _publish(tmp, path, force)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return key_id(key.encode("ascii"))


__all__ = ["DEFAULT_ENV", "MIN_KEY_BYTES", "key_id", "load_key", "write_new_key"]


#: what an insecure seed is mixed with to derive a per-release pseudonym key (tests, demos)
_SEEDED_MESSAGE = b"anonymizer per-release pseudonym key\x1f"


def release_key(seed: int | None) -> bytes:
    """The pseudonym key of one ``anonymized`` release: 32 random bytes, held in memory for
    that run only and never written anywhere, so pseudonyms link rows inside the release and
    nothing else. With an insecure seed (tests and demos, recorded in the manifest) it is
    derived from the seed, so the same input and seed give the same files."""
    if seed is None:
        return secrets.token_bytes(32)
    return hashlib.sha256(_SEEDED_MESSAGE + str(int(seed)).encode("ascii")).digest()
