"""The validated shape of ``rules/recognizers.yaml``: patterns, context words and scores."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from anonymizer.config import Frozen, Regex, compiles
from anonymizer.entities import EntityName
from anonymizer.i18n import _


def _combinable(pattern: str) -> str:
    """The engine searches every recognizer's prefilter in one regex: no global flags."""
    try:
        re.compile(f"x|(?:{pattern})")
    except re.error as exc:
        raise ValueError(
            _(
                "prefilter cannot be combined with the other recognizers' ({exc}); use scoped "
                "flags such as (?i:...)"
            ).format(exc=exc)
        ) from None
    return pattern


#: a cheap regex, checked at load time: it compiles, and compiles as part of the union
Prefilter = Annotated[str, AfterValidator(compiles), AfterValidator(_combinable)]


class PatternSpec(Frozen):
    name: str
    regex: Regex
    score: float = Field(ge=0.0, le=1.0)


class ContextSpec(Frozen):
    """Raw substrings (matched on NFKC text, not lemmas) near a hit that raise its score."""

    words: tuple[str, ...] = ()
    before: int = Field(default=24, ge=0, le=400)
    after: int = Field(default=12, ge=0, le=400)
    boost: float = Field(default=0.35, ge=0.0, le=1.0)


class RecognizerSpec(Frozen):
    enabled: bool = True
    entity: EntityName
    patterns: tuple[PatternSpec, ...] = ()
    context: ContextSpec = ContextSpec()
    #: words near a hit that veto it (e.g. 以上 after an age: a policy threshold, not a person)
    negative_context: ContextSpec = ContextSpec()
    #: cheap regex a text must contain before the recognizer runs at all
    prefilter: Prefilter | None = None
    #: recognizer-specific settings, validated by the recognizer's own ``Params`` model
    params: dict[str, Any] = Field(default_factory=dict)
    #: score of a match whose check (checksum, domain) fails but which has a context word:
    #: in an identifier's context a number of the right shape is that identifier even when
    #: mistyped (a wrong check digit is still the person's number). None: dropped
    unchecked_in_context: float | None = Field(default=None, ge=0.0, le=1.0)
    #: score of a match whose check fails, context or not (e-mail-shaped strings on .test or
    #: internal domains are still somebody's e-mail). None: dropped
    unchecked: float | None = Field(default=None, ge=0.0, le=1.0)
