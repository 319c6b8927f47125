"""Masked examples: what a reviewer sees of a column, never its raw values.

Detected spans become labels (＜氏名＞); in structured columns every other letter or digit
is replaced by its shape (9 for digits, ＊ for letters), keeping separators, so a reviewer
sees "999-9999-9999" or "＊＊＊＊9-99-9", not a value.
"""

from __future__ import annotations

from collections.abc import Sequence

from anonymizer.detect.finding import Finding
from anonymizer.labels import EntityLabels

_KEEP = set(" -‐－/:：.．,、()（）[]［］〒@＠_年月日時分歳丁目番地号室")
MAX_CHARS = 40


def shape(text: str) -> str:
    out = []
    for ch in text:
        if ch in _KEEP:
            out.append(ch)
        elif ch.isdigit():
            out.append("9")
        elif ch.isspace():
            out.append(" ")
        else:
            out.append("＊")
    return "".join(out)


def mask_example(
    value: str, findings: Sequence[Finding], labels: EntityLabels, free_text: bool
) -> str:
    """Replace findings with labels; outside free text, shape-mask everything else too."""
    parts: list[str] = []
    pos = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:  # overlaps the previous label: its tail is covered by it too
            pos = max(pos, f.end)
            continue
        gap = value[pos : f.start]
        parts.append(gap if free_text else shape(gap))
        parts.append(labels.placeholder(f.type))
        pos = f.end
    tail = value[pos:]
    parts.append(tail if free_text else shape(tail))
    out = "".join(parts)
    return out if len(out) <= MAX_CHARS else out[: MAX_CHARS - 1] + "…"
