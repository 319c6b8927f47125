"""GiNZA (spaCy ``ja_ginza``) NER, loaded with only the pipes NER needs.

The model comes from the ``ja-ginza`` pip package: nothing is downloaded at run time. The
parser, morphologizer and bunsetu pipes are excluded (tok2vec + ner is all the NER needs).

Matrix products go to numpy's BLAS (OpenBLAS, tuned per CPU), not to thinc's default
``blis`` wheel, which on CPUs it does not know (this machine's AMD EPYC) runs its generic
reference kernel: the tok2vec is ≈ 3.5× faster and the spans are the same (thinc's own
``NumpyOps(use_blis=False)``). BLAS is held to one thread while NER runs: one process uses
one core, and large inputs scale by worker processes instead. The NER's decoding loop is
:mod:`anonymizer.nlp.greedy`'s, so its per-step products go to numpy's BLAS as well.

Docs are made from Sudachi's tokens with spaCy's own Japanese helpers but without what only
the excluded pipes read (tags, lemmas, readings, and the split-mode A/B sub-tokens, which
tokenize every word twice more): the words and spaces are those of ``nlp.make_doc``, and the
tok2vec reads nothing else (ORTH, SHAPE and the vectors keyed by ORTH).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.nlp.artifacts import NerSpan
from anonymizer.nlp.greedy import can_decode, decode

MODEL = "ja_ginza"
_EXCLUDE = ["parser", "morphologizer", "compound_splitter", "bunsetu_recognizer"]
#: the models this process loaded, by name: its detectors share one (a test session's or a
#: notebook's runs, each of which built its own: loading ja_ginza takes ≈ 1 s); a forked
#: worker inherits it. Read-only once loaded (a process runs NER on one thread).
_LOADED: dict[str, Any] = {}


def _load(model: str) -> Any:
    """``model`` with only the pipes NER needs, its matrix products on numpy's BLAS."""
    import spacy
    from thinc.api import NumpyOps

    try:
        nlp = spacy.load(model, exclude=_EXCLUDE)
    except OSError:
        raise ConfigError(
            _(
                "spaCy model {model!r} is not installed; it ships as the pip package "
                "'ja-ginza' (run make setup)"
            ).format(model=model)
        ) from None
    ops = NumpyOps(use_blis=False)
    for _name, pipe in nlp.pipeline:
        node_model = getattr(pipe, "model", None)
        for node in node_model.walk() if node_model is not None else ():
            node.ops = ops
    return nlp


class GinzaNer:
    """Batch NER over texts; returns spans with original character offsets."""

    def __init__(self, model: str = MODEL, batch_size: int = 256) -> None:
        self.model = model
        self.batch_size = batch_size
        self._nlp: Any = None
        self._blas: Any = None

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            from threadpoolctl import ThreadpoolController

            nlp = _LOADED.get(self.model)
            if nlp is None:
                nlp = _LOADED[self.model] = _load(self.model)
            # after numpy is loaded: the controller sees only the BLAS libraries loaded now
            self._blas = ThreadpoolController()
            self._nlp = nlp
        return self._nlp

    def version(self) -> str:
        return f"{self.model} {self.nlp.meta.get('version', '?')}"

    def __getstate__(self) -> dict[str, Any]:
        return {"model": self.model, "batch_size": self.batch_size}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)  # type: ignore[misc]

    def make_doc(self, text: str) -> Any:
        """The words and spaces of ``nlp.make_doc(text)``, without the annotations NER ignores."""
        from spacy.lang.ja import JapaneseTokenizer, get_dtokens_and_spaces
        from spacy.tokens import Doc

        nlp = self.nlp
        tok = nlp.tokenizer
        if not isinstance(tok, JapaneseTokenizer):  # another model's tokenizer: its own way
            return nlp.make_doc(text)
        dtokens = tok._get_dtokens(tok.tokenizer.tokenize(text), need_sub_tokens=False)
        dtokens, spaces = get_dtokens_and_spaces(dtokens, text)
        return Doc(nlp.vocab, words=[d.surface for d in dtokens], spaces=spaces)

    def spans(self, texts: Iterable[str]) -> Iterator[tuple[NerSpan, ...]]:
        nlp = self.nlp
        docs = [self.make_doc(t) for t in texts]
        with self._blas.limit(limits=1, user_api="blas"):
            for i in range(0, len(docs), self.batch_size):
                batch = docs[i : i + self.batch_size]
                for _name, pipe in nlp.pipeline:
                    if can_decode(pipe):
                        decode(pipe, batch)
                    else:
                        for _doc in pipe.pipe(batch):
                            pass
        found = [tuple(NerSpan(e.start_char, e.end_char, e.label_) for e in d.ents) for d in docs]
        return iter(found)
