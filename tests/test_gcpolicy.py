"""Batch GC thresholds: one setting shared by the CLI process and the detection workers."""

import gc

from anonymizer.gcpolicy import BATCH_THRESHOLDS, use_batch_thresholds


def test_use_batch_thresholds_sets_them():
    before = gc.get_threshold()
    try:
        use_batch_thresholds()
        assert gc.get_threshold() == BATCH_THRESHOLDS == (20_000, 20, 20)
    finally:
        gc.set_threshold(*before)
