"""和暦・西暦 dates: DATE_OF_BIRTH next to birth context, DATE otherwise.

Forms (on the NFKC text, so ㍻→平成, Ｓ→S, ４５→45, 全角 separators → ASCII): 昭和45年3月2日,
昭和45年3月, 昭和45年, 平成元年, 昭和四十五年三月二日, S45.3.2, S45/3/2, S45-3-2, H元.1.8,
1970年3月2日, 1970/3/2, 1970-03-02, 2024(令和6)年4月1日, and 19700302 only with birth context.

A match is a date only if it exists: the era year is within the era (元号 table in the rules
file, params.eras), the Gregorian year within params.western_years, and the day exists on
the calendar (``datetime.date``). Anything else — 平成32年, 2月30日, 13月 — is no finding.
Era years: 元号法 (昭和54年法律第43号) and the 改元 政令 (昭和64年政令第1号: 平成 from
1989-01-08; 平成31年政令第143号: 令和 from 2019-05-01); 大正 from 1912-07-30, 昭和 from
1926-12-25 (https://www.e-gov.go.jp/, 内閣府「元号」). Changeover days are not checked.
The era table, the pattern compilation and this calendar check live in
:mod:`anonymizer.text.dates`, which reads whole cells with the same rules (``parse_date``).

Birth context makes it DATE_OF_BIRTH: 生年月日, 誕生日, … in a small window; 生 / 生まれ
directly after the date (生 alone is inside too many words to be searched further); and, up
to the end of the sentence, a birth verb after a place or role (…A市で出生, 長男として生まれる),
as in the 生活歴 of a case record. Year-only and year-month birth statements (1970年生まれ)
count too: the birth year is exactly the quasi-identifier k-anonymity generalizes. Context
words are raw substrings (lemmas miss compounds), minus a rules list of exclusions (生活,
発生年月日, 出生数…); a word never crosses 。 or another date (生年月日 labels the date after
it, not the 届出日 after that). A date that bounds a range (平成17年4月1日までに生まれた方) is
an eligibility rule's, so birth context then gives DATE.

Fiscal years (年度) are periods of a budget, not dates, and nobody's: the patterns refuse them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.entities import DATE, DATE_OF_BIRTH
from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.recognizers.base import JaRecognizer, register
from anonymizer.recognizers.spec import PatternSpec, RecognizerSpec
from anonymizer.text.dates import Calendar, PartialDate, compile_patterns
from anonymizer.text.normalize import NormalizedText, normalize


class ClauseContext(Frozen):
    """Birth verbs later in the same sentence: 昭和20年3月、A市で出生 (a 生活歴 entry)."""

    words: tuple[str, ...] = Field(min_length=1)
    max_chars: int = Field(ge=1, le=200)
    boost: float = Field(ge=0.0, le=1.0)


class DateParams(Calendar):
    """The calendar (eras, western_years; see anonymizer.text.dates) and birth context."""

    birth_suffixes: tuple[str, ...] = Field(min_length=1)
    birth_exclusions: tuple[str, ...]
    context_only: tuple[str, ...]
    clause_context: ClauseContext
    range_after: tuple[str, ...]
    range_before: tuple[str, ...]


class _Hit(NamedTuple):
    start: int
    end: int
    pattern: PatternSpec


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    """Longest-first alternation of NFKC-normalized words (None if there are none)."""
    norm = sorted({normalize(w).text for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in norm)) if norm else None


@register("ja.date.v1")
class JaDateRecognizer(JaRecognizer):
    Params = DateParams

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        p: DateParams = self.params
        names = {pat.name for pat in spec.patterns}
        for i, name in enumerate(p.context_only):
            if name not in names:
                raise ConfigError(
                    _(
                        "{source}: {name}.params: context_only[{i}]: no pattern named {name2!r}"
                    ).format(source=source, name=self.NAME, i=i, name2=name)
                )
        compiled = compile_patterns([pat.regex for pat in spec.patterns], p, source)
        self._patterns: list[tuple[PatternSpec, re.Pattern[str]]] = list(
            zip(spec.patterns, compiled, strict=True)
        )
        self._window = _alternation(spec.context.words)
        self._suffixes = sorted(
            {normalize(s).text for s in p.birth_suffixes}, key=len, reverse=True
        )
        self._exclusions = _alternation(p.birth_exclusions)
        self._excl_len = max((len(w) for w in p.birth_exclusions), default=0)
        self._clause = _alternation(p.clause_context.words)
        self._range_after = tuple(normalize(w).text for w in p.range_after)
        self._range_before = tuple(normalize(w).text for w in p.range_before)

    def supported(self) -> tuple[str, ...]:
        return (DATE_OF_BIRTH, DATE)

    # -- validation ---------------------------------------------------------------------
    def parse(self, groups: dict[str, str | None]) -> PartialDate | None:
        """The date a match denotes (``(year,)`` / ``(year, month)`` if partial), or None."""
        return self.params.resolve(groups)

    # -- birth context ------------------------------------------------------------------
    def _excluded(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` shares characters with an exclusion word: 生 of 生活,
        生年月日 of 発生年月日 (the 生 belongs to the other word)."""
        if self._exclusions is None:
            return False
        lo, hi = max(0, start - self._excl_len), min(len(text), end + self._excl_len)
        return any(
            m.start() < end and start < m.end() for m in self._exclusions.finditer(text, lo, hi)
        )

    def bounds_range(self, text: str, hit: _Hit) -> bool:
        """``hit`` is one end of a range (…から, …まで, ~…): a rule's date, not a person's."""
        after, before = hit.end, hit.start
        while after < len(text) and text[after] == " ":
            after += 1
        while before > 0 and text[before - 1] == " ":
            before -= 1
        return any(text.startswith(w, after) for w in self._range_after) or any(
            text.endswith(w, 0, before) for w in self._range_before
        )

    def birth_boost(self, text: str, hit: _Hit, hits: list[_Hit]) -> float | None:
        """The score boost birth context gives ``hit`` (None: no birth context)."""
        if self.bounds_range(text, hit):
            return None
        after = hit.end
        while after < len(text) and text[after] == " ":
            after += 1
        for suffix in self._suffixes:
            if text.startswith(suffix, after) and not self._excluded(
                text, after, after + len(suffix)
            ):
                return self.spec.context.boost
        ctx = self.spec.context
        lo, hi = max(0, hit.start - ctx.before), min(len(text), hit.end + ctx.after)
        if self._nearest_word(self._window, text, hit, hits, lo, hi):
            return ctx.boost
        clause = self.params.clause_context
        stop = text.find("。", hit.end)
        hi = min(len(text), hit.end + clause.max_chars, stop if stop >= 0 else len(text))
        if self._nearest_word(self._clause, text, hit, hits, hit.end, hi):
            return clause.boost
        return None

    def _nearest_word(
        self,
        regex: re.Pattern[str] | None,
        text: str,
        hit: _Hit,
        hits: list[_Hit],
        lo: int,
        hi: int,
    ) -> bool:
        """A context word in ``[lo, hi)``, outside exclusions, with no other date in between."""
        if regex is None:
            return False
        for m in regex.finditer(text, lo, hi):
            a, b = m.span()
            if b <= hit.start:
                gap = (b, hit.start)
            elif a >= hit.end:
                gap = (hit.end, a)
            else:
                continue
            if "。" in text[gap[0] : gap[1]]:
                continue  # context belongs to its own sentence
            if any(gap[0] <= o.start and o.end <= gap[1] for o in hits if o is not hit):
                continue  # another date is closer to this word: the word labels that one
            if not self._excluded(text, a, b):
                return True
        return False

    # -- matching -----------------------------------------------------------------------
    def candidates(self, text: str) -> list[_Hit]:
        """Valid dates, longest first where matches overlap."""
        found: list[_Hit] = []
        for pat, regex in self._patterns:
            for m in regex.finditer(text):
                if self.parse(m.groupdict()) is not None:
                    found.append(_Hit(m.start(), m.end(), pat))
        found.sort(key=lambda h: (h.start, h.start - h.end))
        kept: list[_Hit] = []
        for h in found:
            if not kept or h.start >= kept[-1].end:
                kept.append(h)
        return kept

    def find(
        self, nt: NormalizedText, artifacts: NlpArtifacts | None
    ) -> Iterable[RecognizerResult]:
        text = nt.text
        hits = self.candidates(text)
        context_only = set(self.params.context_only)
        for hit in hits:
            boost = self.birth_boost(text, hit, hits)
            if boost is None:
                if hit.pattern.name in context_only:
                    continue
                yield self.result(
                    nt,
                    hit.start,
                    hit.end,
                    hit.pattern.score,
                    DATE,
                    why=f"pattern {hit.pattern.name}",
                )
            else:
                score = hit.pattern.score + boost
                yield self.result(
                    nt,
                    hit.start,
                    hit.end,
                    score,
                    DATE_OF_BIRTH,
                    why=f"pattern {hit.pattern.name} with birth context",
                )
