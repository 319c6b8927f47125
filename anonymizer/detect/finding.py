"""The typed record every detection becomes (JSON: type, start, end, score, recognizer)."""

from __future__ import annotations

from typing import NamedTuple

_new = tuple.__new__


class Finding(NamedTuple):
    """A detected span; ``start``/``end`` are Python string indices into the original text.

    A NamedTuple (immutable, compared by value): findings cross from worker processes by
    pickle by the hundred thousand, and a tuple pickles and builds several times cheaper
    than a frozen dataclass.
    """

    type: str
    start: int
    end: int
    score: float
    recognizer: str

    def shifted(self, offset: int) -> Finding:
        # tuple.__new__ skips the NamedTuple's Python-level __new__ (half the cost per call)
        return _new(Finding, (self[0], self[1] + offset, self[2] + offset, self[3], self[4]))

    def to_dict(self) -> dict[str, object]:
        return self._asdict()
