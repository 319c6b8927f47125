"""Detection: the Detector drives Presidio recognizers over batches of texts."""

from anonymizer.detect.engine import Detector, Finding

__all__ = ["Detector", "Finding"]
