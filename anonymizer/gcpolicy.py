"""Garbage-collector thresholds for batch work: the CLI process and the detection workers.

What a batch allocates per cell (findings, strings, lists) is acyclic and freed by reference
counting. With models, dictionaries, tables and caches in memory, every full collection of
the cyclic collector scans all of them, and the defaults (700, 10, 10) run one often.
"""

from __future__ import annotations

import gc

BATCH_THRESHOLDS = (20_000, 20, 20)


def use_batch_thresholds() -> None:
    """Collect less often (this process, and processes forked from it)."""
    gc.set_threshold(*BATCH_THRESHOLDS)
