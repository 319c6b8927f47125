"""Turning raw recognizer results into findings: threshold, entity filter, overlaps."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from presidio_analyzer import RecognizerResult

from anonymizer.detect.finding import Finding


def to_findings(
    results: Iterable[RecognizerResult],
    min_score: float,
    entities: frozenset[str] | None,
    calibrate: Callable[[str, str, float], float] | None = None,
) -> list[Finding]:
    """Filter, then resolve overlaps.

    ``calibrate(entity, recognizer, evidence)``: the probability ``min_score`` is compared
    with (default: the evidence itself); the findings keep their evidence, on which overlaps
    are resolved.

    * same type, overlapping → one span covering both (max score);
    * a span inside another span of a different type (or identical to it) with a score no
      higher → dropped (a 町字 tagged as a name inside an address; a DATE inside a birth date);
    * partial overlaps of different types are kept: the masker merges them, so no character
      of either is left unmasked.
    """
    key = RecognizerResult.RECOGNIZER_NAME_KEY
    kept = []
    for r in results:
        if r.end <= r.start or (entities is not None and r.entity_type not in entities):
            continue
        score = round(float(r.score), 4)
        name = str(r.recognition_metadata.get(key, ""))
        if (score if calibrate is None else calibrate(r.entity_type, name, score)) >= min_score:
            kept.append(Finding(r.entity_type, r.start, r.end, score, name))
    return merge_findings(kept)


def merge_findings(kept: list[Finding]) -> list[Finding]:
    """Resolve overlaps among already-filtered findings (see :func:`to_findings`)."""
    if len(kept) <= 1:
        return kept
    merged = _merge_same_type(kept)
    merged.sort(key=lambda f: (-f.score, -(f.end - f.start), f.start))
    accepted: list[Finding] = []
    for f in merged:
        if any(a.start <= f.start and f.end <= a.end for a in accepted):
            continue
        accepted.append(f)
    accepted.sort(key=lambda f: (f.start, f.end, f.type))
    return accepted


def _merge_same_type(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    by_type: dict[str, list[Finding]] = {}
    for f in findings:
        by_type.setdefault(f.type, []).append(f)
    for items in by_type.values():
        items.sort(key=lambda f: (f.start, -f.end))
        cur = items[0]
        for f in items[1:]:
            if f.start < cur.end:  # overlap
                best = cur if cur.score >= f.score else f
                cur = Finding(cur.type, cur.start, max(cur.end, f.end), max(cur.score, f.score), best.recognizer)
            else:
                out.append(cur)
                cur = f
        out.append(cur)
    return out
