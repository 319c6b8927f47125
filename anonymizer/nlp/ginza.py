"""GiNZA (spaCy ``ja_ginza``) NER, loaded with only the pipes NER needs.

The model comes from the ``ja-ginza`` pip package: nothing is downloaded at run time. The
parser, morphologizer and bunsetu pipes are excluded (tok2vec + ner is all the NER needs, and
the tok2vec is ≈ 90 % of the cost), so each text costs one neural pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.nlp.artifacts import NerSpan

MODEL = "ja_ginza"
_EXCLUDE = ["parser", "morphologizer", "compound_splitter", "bunsetu_recognizer"]


class GinzaNer:
    """Batch NER over texts; returns spans with original character offsets."""

    def __init__(self, model: str = MODEL, batch_size: int = 64) -> None:
        self.model = model
        self.batch_size = batch_size
        self._nlp: Any = None

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            import spacy

            try:
                self._nlp = spacy.load(self.model, exclude=_EXCLUDE)
            except OSError:
                raise ConfigError(
                    _(
                        "spaCy model {model!r} is not installed; it ships as the pip package "
                        "'ja-ginza' (run make setup)"
                    ).format(model=self.model)
                ) from None
        return self._nlp

    def version(self) -> str:
        return f"{self.model} {self.nlp.meta.get('version', '?')}"

    def __getstate__(self) -> dict[str, Any]:
        return {"model": self.model, "batch_size": self.batch_size}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)  # type: ignore[misc]

    def spans(self, texts: Iterable[str]) -> Iterator[tuple[NerSpan, ...]]:
        for doc in self.nlp.pipe(texts, batch_size=self.batch_size):
            yield tuple(NerSpan(e.start_char, e.end_char, e.label_) for e in doc.ents)
