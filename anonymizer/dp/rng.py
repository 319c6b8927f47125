"""Where DP randomness comes from: the OS's CSPRNG in production, a seed only when asked.

diffprivlib draws through ``check_random_state(random_state, secure=True)``
(``diffprivlib/utils.py``): with ``random_state=None`` or a :class:`secrets.SystemRandom`
every mechanism samples from ``os.urandom``; an ``int`` or :class:`numpy.random.RandomState`
makes it deterministic. We always pass an explicit object so the choice is visible:

- :meth:`DpRandom.secure` — a ``SystemRandom`` for every noise draw (Laplace, geometric,
  exponential mechanism). This is the production default.
- :meth:`DpRandom.insecure` — a seeded ``RandomState``: reproducible tests and demos only; the
  CLI requires ``--insecure-seed`` and the seed is written to the ledger and the summary.

Contribution bounding (which excess rows of a person to drop) ranks rows by a keyed hash of
their numbers (:func:`anonymizer.dp.bounding.row_keys`), keyed by 64 bits of ``secrets``
entropy (a seeded run: by its seed). That choice is not a privacy parameter — any per-person
selection keeps the sensitivity bound — but it must not be predictable from a fixed seed
either; a hash of the row number, unlike a draw in row order, lets the Spark engine's
executors keep the same rows.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import numpy as np

from anonymizer.i18n import _

RandomState = secrets.SystemRandom | np.random.RandomState


@dataclass(frozen=True)
class DpRandom:
    """The randomness of one run: a diffprivlib ``random_state`` and the bounding's key
    (16 characters, SipHash's 128-bit key)."""

    random_state: RandomState
    bounding_key: str
    insecure_seed: int | None = None

    @classmethod
    def secure(cls) -> DpRandom:
        return cls(secrets.SystemRandom(), secrets.token_hex(8), None)

    @classmethod
    def insecure(cls, seed: int) -> DpRandom:
        """Deterministic noise. Never for a real release: the seed makes the noise removable."""
        if seed < 0 or seed >= 2**32:
            raise ValueError(_("insecure seed must be in [0, 2**32)"))
        return cls(np.random.RandomState(seed), f"{seed:016x}", seed)

    @property
    def is_secure(self) -> bool:
        return self.insecure_seed is None


__all__ = ["DpRandom"]
