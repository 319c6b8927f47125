"""spaCy's greedy transition decoding, with the step's matrix product through the model's ops.

``Parser.greedy_parse`` runs its decoding loop in C, and every step's hidden-to-actions
product (a batch of states × 64 × ja_ginza's 758 actions) goes to the ``sgemm`` of thinc's
``CBlas``, which is always blis' (thinc offers no Python-level way to choose another). blis'
wheel runs its generic reference kernel on CPUs it does not know, and that product was
two thirds of GiNZA's NER time here. This loop is the one spaCy itself runs for beam search and
training: ``ParserStepModel.predict`` scores the states through the model's ops (numpy's
BLAS once :class:`~anonymizer.nlp.ginza.GinzaNer` has set them), and the parser's own
``transition_states`` picks the best valid action of each state and applies it. Same
model, same features, same argmax over valid actions: the spans are those of
``nlp.pipe`` (a test compares them), in about half the time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def can_decode(pipe: Any) -> bool:
    """A greedy transition-based pipe (NER or parser) this loop can run."""
    from spacy.pipeline.transition_parser import Parser

    return isinstance(pipe, Parser) and pipe.cfg.get("beam_width", 1) == 1


def decode(pipe: Any, docs: Sequence[Any]) -> None:
    """Annotate ``docs`` with ``pipe``'s predictions (as ``pipe.pipe`` would)."""
    live = [d for d in docs if len(d)]  # an empty doc has nothing to predict
    if not live:
        return
    states = pipe.moves.init_batch(live)
    step = pipe.model.predict(live)
    try:
        todo = [s for s in states if not s.is_final()]
        while todo:
            todo = pipe.transition_states(todo, step.predict(todo))
    finally:
        step.clear_memory()
    pipe.set_annotations(live, states)
