"""A person's age: 45歳, 満45歳, 45才, ４５歳, 四十五歳, 1歳6か月, 年齢：45, and bands (80代).

Administrative text is full of ages that belong to nobody: thresholds and ranges of a rule
(65歳以上, 18歳未満, 40歳から64歳まで, 20~30歳), attainment events (満18歳到達, 40歳に達した日),
and program names (3歳児健診, いきいき百歳体操). The rule is positional and lives in the rules
file: a threshold/range/program word *directly* after the age (params.after_veto) or a range
mark directly before it (params.before_veto) vetoes it; statistics and rule words a little
before it (平均, 定年, 対象年齢: negative_context) veto it too, and ages listed together
(満88歳、満99歳を迎える方) share a veto. A word merely somewhere in the sentence does not:
"18歳未満の子と45歳の母" still reports 45歳.

Age bands (80代) are reported as AGE at a low score: they are already generalized (the very
bands a k-anonymity hierarchy produces), but together with sex and address they still narrow
a person down, so the risk report sees them; context (年齢, 男性…) lifts them.
Kanji numerals are read by ``kanjize`` (anonymizer.text.numerals).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.recognizers.base import JaRecognizer, register
from anonymizer.recognizers.spec import PatternSpec, RecognizerSpec
from anonymizer.text.normalize import NormalizedText, normalize
from anonymizer.text.numerals import parse_number


class AgeParams(Frozen):
    max_age: int = Field(ge=1, le=150)
    after_veto: tuple[str, ...]
    before_veto: tuple[str, ...]
    list_separators: tuple[str, ...]


class _Hit(NamedTuple):
    start: int  # the reported span
    end: int
    match_start: int  # the whole match (label included): context and vetoes look around it
    match_end: int
    pattern: PatternSpec


@register("ja.age.v1")
class JaAgeRecognizer(JaRecognizer):
    Params = AgeParams

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        self._patterns: list[tuple[PatternSpec, re.Pattern[str]]] = []
        for i, pat in enumerate(spec.patterns):
            regex = re.compile(pat.regex)
            if "num" not in regex.groupindex:
                raise ConfigError(
                    _("{source}: patterns[{i}].regex: needs named group 'num'").format(
                        source=source, i=i
                    )
                )
            self._patterns.append((pat, regex))
        p: AgeParams = self.params
        self._after = tuple(
            sorted({normalize(w).text for w in p.after_veto}, key=len, reverse=True)
        )
        self._before = tuple(
            sorted({normalize(w).text for w in p.before_veto}, key=len, reverse=True)
        )
        self._separators = frozenset(normalize(w).text for w in p.list_separators)

    def threshold(self, text: str, start: int, end: int) -> bool:
        """A range or threshold word directly after (or a range mark directly before) the age."""
        after = end
        while after < len(text) and text[after] == " ":
            after += 1
        closed = text[end - 1 : end] == ")"  # 元夫(38)から: the bracket closes the age
        if not closed and any(text.startswith(w, after) for w in self._after):
            return True
        before = start
        while before > 0 and text[before - 1] == " ":
            before -= 1
        return any(text.endswith(w, 0, before) for w in self._before)

    def candidates(self, text: str) -> list[_Hit]:
        """Readable ages within ``max_age``, longest first where matches overlap."""
        found: list[_Hit] = []
        for pat, regex in self._patterns:
            for m in regex.finditer(text):
                num = parse_number(m.group("num"))
                if num is None or num > self.params.max_age:
                    continue
                start, end = m.span("age") if "age" in regex.groupindex else m.span()
                found.append(_Hit(start, end, m.start(), m.end(), pat))
        found.sort(key=lambda h: (h.match_start, h.match_start - h.match_end))
        kept: list[_Hit] = []
        for h in found:
            if not kept or h.match_start >= kept[-1].match_end:
                kept.append(h)
        return kept

    def enumerations(self, text: str, hits: list[_Hit]) -> list[list[_Hit]]:
        """Group ages separated only by a list separator (40歳、45歳、50歳): a list shares the
        veto of any member, as in 満88歳、満99歳を迎える方 (を迎え follows only the last one)."""
        groups: list[list[_Hit]] = []
        for hit in hits:
            if (
                groups
                and text[groups[-1][-1].match_end : hit.match_start].strip() in self._separators
            ):
                groups[-1].append(hit)
            else:
                groups.append([hit])
        return groups

    def find(
        self, nt: NormalizedText, artifacts: NlpArtifacts | None
    ) -> Iterable[RecognizerResult]:
        text = nt.text
        for group in self.enumerations(text, self.candidates(text)):
            if any(
                self.threshold(text, h.match_start, h.match_end)
                or self.vetoed(nt, h.match_start, h.match_end)
                for h in group
            ):
                continue
            yield from self._report(nt, group)

    def _report(self, nt: NormalizedText, group: list[_Hit]) -> Iterable[RecognizerResult]:
        for hit in group:
            word = self.context_word(nt, hit.match_start, hit.match_end)
            score = hit.pattern.score + (self.spec.context.boost if word else 0.0)
            why = f"pattern {hit.pattern.name}" + (" with context" if word else "")
            yield self.result(nt, hit.start, hit.end, score, why=why)
