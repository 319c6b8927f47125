"""Split long texts so Sudachi (49,149-byte input limit) and GiNZA can process them.

Cuts prefer sentence ends (。！？ and newlines). Where no boundary exists, consecutive
segments overlap so a value cut in two is still seen whole in one of them.
"""

from __future__ import annotations

import re

MAX_CHARS = 4000
OVERLAP = 200
_BOUNDARY = re.compile(r"[。．！？!?\n]")


def segments(text: str, max_chars: int = MAX_CHARS, overlap: int = OVERLAP) -> list[tuple[int, str]]:
    """``[(offset, piece), ...]`` covering ``text``; a single piece when it is short."""
    if len(text) <= max_chars:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + max_chars)
        if end < n:
            window = text[start + max_chars // 2 : end]
            cut = None
            for m in _BOUNDARY.finditer(window):
                cut = start + max_chars // 2 + m.end()
            if cut is not None:
                out.append((start, text[start:cut]))
                start = cut
                continue
            out.append((start, text[start:end]))
            start = end - overlap
            continue
        out.append((start, text[start:end]))
        break
    return out
