"""Detection: the Detector drives Presidio recognizers over batches of texts.

Names are resolved lazily (PEP 562): importing ``anonymizer.detect.finding`` must not load
Presidio and spaCy, so the CLI and light modules stay quick to start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from anonymizer.detect.engine import Detector
    from anonymizer.detect.finding import Finding

__all__ = ["Detector", "Finding"]


def __getattr__(name: str) -> Any:
    if name == "Detector":
        from anonymizer.detect.engine import Detector

        return Detector
    if name == "Finding":
        from anonymizer.detect.finding import Finding

        return Finding
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
