"""The typed record every detection becomes (JSON: type, start, end, score, recognizer)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    """A detected span; ``start``/``end`` are Python string indices into the original text."""

    type: str
    start: int
    end: int
    score: float
    recognizer: str

    def shifted(self, offset: int) -> Finding:
        return Finding(self.type, self.start + offset, self.end + offset, self.score, self.recognizer)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)
