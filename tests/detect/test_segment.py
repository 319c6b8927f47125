"""segments(): long texts cut for Sudachi/GiNZA, preferring sentence ends, overlapping otherwise."""

import pytest

from anonymizer.detect.segment import MAX_CHARS, OVERLAP, segments


def _check_cover(text: str, parts: list[tuple[int, str]]) -> None:
    """Every piece is the text at its offset, pieces start in order and cover everything."""
    assert parts[0][0] == 0
    end = 0
    for offset, piece in parts:
        assert text[offset : offset + len(piece)] == piece
        assert offset <= end  # no gap
        end = max(end, offset + len(piece))
    assert end == len(text)
    starts = [o for o, _ in parts]
    assert starts == sorted(set(starts))


@pytest.mark.parametrize("text", ["", "短い文。", "a" * MAX_CHARS])
def test_short_text_is_one_piece(text):
    assert segments(text) == [(0, text)]


def test_cuts_after_sentence_ends_without_overlap():
    sentence = "本日、窓口で相談を受け付けた。"  # 15 chars
    text = sentence * 1000
    parts = segments(text)
    _check_cover(text, parts)
    assert len(parts) > 1
    for (o1, p1), (o2, _) in zip(parts, parts[1:], strict=False):
        assert p1.endswith("。")  # cut right after a boundary
        assert o1 + len(p1) == o2  # adjacent, no overlap
        assert len(p1) <= MAX_CHARS
        assert len(p1) >= MAX_CHARS // 2  # the cut is in the second half of the window


@pytest.mark.parametrize("boundary", ["。", "．", "！", "？", "!", "?", "\n"])
def test_every_boundary_character_is_a_cut_point(boundary):
    text = ("あ" * 2999 + boundary) * 3
    parts = segments(text)
    _check_cover(text, parts)
    assert parts[0] == (0, "あ" * 2999 + boundary)


def test_no_boundary_overlaps_consecutive_pieces():
    text = "あ" * 10_000
    parts = segments(text)
    _check_cover(text, parts)
    for (o1, p1), (o2, _) in zip(parts, parts[1:], strict=False):
        assert len(p1) == MAX_CHARS
        assert o2 == o1 + MAX_CHARS - OVERLAP


@pytest.mark.parametrize(
    "where", [MAX_CHARS - 5, MAX_CHARS - 1, MAX_CHARS, 2 * MAX_CHARS - OVERLAP - 7]
)
def test_a_value_across_a_forced_cut_is_whole_in_some_piece(where):
    value = "090-1234-5678"
    text = "あ" * where + value + "い" * 9000
    parts = segments(text)
    _check_cover(text, parts)
    start = text.index(value)
    assert any(o <= start and start + len(value) <= o + len(p) for o, p in parts)


def test_custom_sizes():
    text = "abcdefghij" * 3
    parts = segments(text, max_chars=10, overlap=3)
    _check_cover(text, parts)
    assert [o for o, _ in parts] == [0, 7, 14, 21]
    assert all(len(p) <= 10 for _, p in parts)
