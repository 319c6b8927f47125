"""Sudachi morphology: part of speech per morpheme at tens of thousands of texts a second.

The tokenizer is created lazily per instance (and so per process): SudachiPy tokenizers are
not shared across threads or pickled across processes.
"""

from __future__ import annotations

from typing import Any

from anonymizer.nlp.artifacts import Morpheme

_MODES = ("A", "B", "C")


class SudachiMorphologizer:
    """Split text into :class:`Morpheme` records with Sudachi (core dictionary)."""

    def __init__(self, split_mode: str = "C") -> None:
        if split_mode not in _MODES:
            raise ValueError(f"split_mode must be one of {_MODES}")
        self.split_mode = split_mode
        self._tokenizer: Any = None
        self._mode: Any = None
        self._out: Any = None
        self._pos_cache: dict[int, tuple[str, ...]] = {}

    def _ensure(self) -> None:
        if self._tokenizer is None:
            from sudachipy import dictionary, tokenizer

            self._mode = getattr(tokenizer.Tokenizer.SplitMode, self.split_mode)
            # every field stays loaded: a subset (fields={"pos"}) changes how numbers are
            # joined (163.1 → 163 / . / 1)
            self._tokenizer = dictionary.Dictionary(dict="core").create(self._mode)
            self._out = self._tokenizer.tokenize("")

    def __getstate__(self) -> dict[str, Any]:  # picklable: the tokenizer is rebuilt lazily
        return {"split_mode": self.split_mode}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["split_mode"])  # type: ignore[misc]

    def morphemes(self, text: str) -> tuple[Morpheme, ...]:
        if not text:
            return ()
        self._ensure()
        cache = self._pos_cache
        new = tuple.__new__
        out = []
        append = out.append
        for m in self._tokenizer.tokenize(text, out=self._out):
            pid = m.part_of_speech_id()
            pos = cache.get(pid)
            if pos is None:
                pos = cache[pid] = tuple(m.part_of_speech())
            b, e = m.begin(), m.end()
            # tuple.__new__ skips NamedTuple's Python-level __new__ (the hot path's top cost)
            append(new(Morpheme, (b, e, text[b:e], pos, m.is_oov())))
        return tuple(out)
