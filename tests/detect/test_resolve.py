"""to_findings / merge_findings: threshold, entity filter and overlap resolution."""

import pytest
from presidio_analyzer import RecognizerResult

from anonymizer.detect import Finding
from anonymizer.detect.resolve import merge_findings, to_findings


def rr(entity: str, start: int, end: int, score: float, name: str = "rec") -> RecognizerResult:
    return RecognizerResult(
        entity, start, end, score, recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: name}
    )


def F(entity: str, start: int, end: int, score: float, name: str = "rec") -> Finding:
    return Finding(entity, start, end, score, name)


def spans(found: list[Finding]) -> list[tuple[str, int, int, float]]:
    return [(f.type, f.start, f.end, f.score) for f in found]


# -- to_findings: threshold and entity filter ---------------------------------------------
@pytest.mark.parametrize(
    ("min_score", "expected"),
    [
        (0.0, [("PERSON", 0, 4, 0.3), ("JP_PHONE_NUMBER", 10, 23, 0.5), ("AGE", 30, 33, 0.9)]),
        (
            0.5,
            [("JP_PHONE_NUMBER", 10, 23, 0.5), ("AGE", 30, 33, 0.9)],
        ),  # the threshold is inclusive
        (0.51, [("AGE", 30, 33, 0.9)]),
        (0.95, []),
    ],
)
def test_min_score(min_score, expected):
    results = [rr("PERSON", 0, 4, 0.3), rr("JP_PHONE_NUMBER", 10, 23, 0.5), rr("AGE", 30, 33, 0.9)]
    assert spans(to_findings(results, min_score, None)) == expected


@pytest.mark.parametrize(
    ("entities", "expected"),
    [
        (None, ["PERSON", "JP_PHONE_NUMBER", "AGE"]),
        (frozenset({"AGE"}), ["AGE"]),
        (frozenset({"PERSON", "AGE"}), ["PERSON", "AGE"]),
        (frozenset({"EMAIL_ADDRESS"}), []),
    ],
)
def test_entity_filter(entities, expected):
    results = [rr("PERSON", 0, 4, 0.8), rr("JP_PHONE_NUMBER", 10, 23, 0.8), rr("AGE", 30, 33, 0.8)]
    assert [f.type for f in to_findings(results, 0.5, entities)] == expected


def test_empty_spans_are_dropped():
    assert to_findings([rr("PERSON", 5, 5, 0.9), rr("AGE", 7, 6, 0.9)], 0.0, None) == []


def test_score_rounding_and_recognizer_name():
    (f,) = to_findings([rr("PERSON", 0, 2, 0.666666666, "ja.person.v1")], 0.5, None)
    assert f == Finding("PERSON", 0, 2, 0.6667, "ja.person.v1")


def test_no_results():
    assert to_findings([], 0.5, None) == []


# -- merge_findings: overlaps ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("found", "expected"),
    [
        # same type, overlapping → one span covering both, with the max score
        ([F("PERSON", 0, 4, 0.6), F("PERSON", 2, 7, 0.85)], [("PERSON", 0, 7, 0.85)]),
        # same type, nested → the outer span
        ([F("PERSON", 0, 7, 0.6), F("PERSON", 2, 4, 0.9)], [("PERSON", 0, 7, 0.9)]),
        # same type, a chain of overlaps → one span
        (
            [F("JP_ADDRESS", 7, 12, 0.5), F("JP_ADDRESS", 0, 5, 0.7), F("JP_ADDRESS", 4, 8, 0.6)],
            [("JP_ADDRESS", 0, 12, 0.7)],
        ),
        # same type, touching but not overlapping → both kept
        (
            [F("PERSON", 0, 2, 0.6), F("PERSON", 2, 4, 0.6)],
            [("PERSON", 0, 2, 0.6), ("PERSON", 2, 4, 0.6)],
        ),
        # a span inside another of a different type with a lower score → dropped
        ([F("JP_ADDRESS", 0, 12, 0.8), F("PERSON", 3, 5, 0.6)], [("JP_ADDRESS", 0, 12, 0.8)]),
        # … with an equal score → dropped too
        (
            [F("DATE_OF_BIRTH", 0, 10, 0.75), F("DATE", 0, 9, 0.75)],
            [("DATE_OF_BIRTH", 0, 10, 0.75)],
        ),
        # … with a higher score → both kept (the masker merges them)
        (
            [F("JP_ADDRESS", 0, 12, 0.6), F("PERSON", 3, 5, 0.85)],
            [("JP_ADDRESS", 0, 12, 0.6), ("PERSON", 3, 5, 0.85)],
        ),
        # partial overlap of different types → both kept
        (
            [F("PERSON", 0, 5, 0.85), F("JP_ADDRESS", 3, 10, 0.9)],
            [("PERSON", 0, 5, 0.85), ("JP_ADDRESS", 3, 10, 0.9)],
        ),
        # disjoint → both kept, sorted by position
        (
            [F("AGE", 20, 23, 0.6), F("PERSON", 0, 4, 0.85)],
            [("PERSON", 0, 4, 0.85), ("AGE", 20, 23, 0.6)],
        ),
        ([], []),
        ([F("AGE", 1, 3, 0.6)], [("AGE", 1, 3, 0.6)]),
    ],
)
def test_merge(found, expected):
    assert spans(merge_findings(found)) == expected


def test_identical_spans_of_two_types_keep_the_higher_score():
    out = merge_findings([F("DATE", 0, 10, 0.6), F("DATE_OF_BIRTH", 0, 10, 0.75)])
    assert spans(out) == [("DATE_OF_BIRTH", 0, 10, 0.75)]


def test_identical_spans_equal_score_keep_exactly_one():
    out = merge_findings([F("JP_MY_NUMBER", 0, 12, 0.8), F("JP_RESIDENT_CODE", 0, 12, 0.8)])
    assert len(out) == 1 and (out[0].start, out[0].end) == (0, 12)


def test_merged_span_keeps_the_best_recognizer():
    out = merge_findings([F("PERSON", 0, 4, 0.6, "low"), F("PERSON", 2, 7, 0.85, "high")])
    assert out == [Finding("PERSON", 0, 7, 0.85, "high")]


def test_output_order_is_start_end_type():
    out = merge_findings(
        [F("URL", 5, 9, 0.9), F("AGE", 0, 3, 0.9), F("PERSON", 0, 3, 0.95), F("DATE", 5, 7, 0.95)]
    )
    assert [(f.start, f.end, f.type) for f in out] == sorted((f.start, f.end, f.type) for f in out)


def test_no_character_of_a_finding_is_lost():
    """Whatever is dropped is covered by what is kept (nothing left unmasked)."""
    found = [
        F("PERSON", 0, 4, 0.6),
        F("JP_ADDRESS", 2, 15, 0.8),
        F("PERSON", 6, 8, 0.5),
        F("DATE", 16, 25, 0.6),
        F("DATE_OF_BIRTH", 16, 25, 0.75),
        F("AGE", 26, 29, 0.6),
        F("AGE", 27, 31, 0.7),
    ]
    before = {i for f in found for i in range(f.start, f.end)}
    after = {i for f in merge_findings(found) for i in range(f.start, f.end)}
    assert after == before
