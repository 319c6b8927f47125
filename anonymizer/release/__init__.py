"""Publishing a release: never half there, one writer at a time, every OS failure named.

:class:`ReleaseWriter` writes under a name of its own and switches ``out/<name>`` atomically;
:class:`ReleaseLock` serializes runs of one pipeline and cleans what interrupted runs left;
:mod:`anonymizer.faults` is the fault-injection hook the tests kill releases with.
"""

from __future__ import annotations

from anonymizer.release.lock import ReleaseLock
from anonymizer.release.writer import ReleaseWriter, clean_stale, current_version

__all__ = ["ReleaseLock", "ReleaseWriter", "clean_stale", "current_version"]
