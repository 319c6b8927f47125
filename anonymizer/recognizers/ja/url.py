"""URLs in Japanese text: ``https://…``, ``www.…`` and bare domains (``city.example.lg.jp``).

Matching runs on NFKC text with ASCII-only character classes (RFC 3986's unreserved,
reserved and ``%``), so a URL ends where Japanese text starts:
``https://example.jp/a?b=1について`` → ``https://example.jp/a?b=1``. Raw non-ASCII paths
(IRIs such as ``/wiki/東京``) are therefore cut at the first non-ASCII character; the host,
the identifying part, is always inside the span. Trailing sentence punctuation and unbalanced
closing brackets are trimmed as GitHub Flavored Markdown's extended autolinks do
(https://github.github.com/gfm/#autolinks-extension-); （…）becomes (…) under NFKC.

``www.`` and bare domains must end in a public suffix (``tldextract``, offline: see
:mod:`anonymizer.offline`). A bare ``name.tld`` is weak evidence (``setup.py``, ``file.zip``
are file names under real TLDs), so it scores below the threshold unless it has a path, a
multi-label public suffix (``co.jp``, ``lg.jp``, ``tokyo.jp``) or a context word.
A city's own public URLs are URLs too; which ones to mask is the pipeline's decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.offline import tld_extractor
from anonymizer.recognizers.base import JaPatternRecognizer, register
from anonymizer.recognizers.ja._contact_common import check_pattern_names
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.text.normalize import NormalizedText

_BRACKETS = {")": "(", "]": "["}


class UrlParams(Frozen):
    #: patterns whose host must be under a public suffix (scheme URLs may name any host)
    require_public_suffix: tuple[str, ...]
    #: added when a suffix-checked match has a path, or a multi-label suffix (co.jp)
    path_bonus: float = Field(ge=0.0, le=1.0)
    multi_label_suffix_bonus: float = Field(ge=0.0, le=1.0)
    #: characters removed from the end of a match (sentence punctuation)
    trailing: str


def trim(candidate: str, trailing: str) -> str:
    """Drop trailing punctuation and closing brackets that have no opening partner."""
    while candidate:
        last = candidate[-1]
        unbalanced = last in _BRACKETS and candidate.count(_BRACKETS[last]) < candidate.count(last)
        if not (last in trailing or unbalanced):
            break
        candidate = candidate[:-1]
    return candidate


def host_of(candidate: str) -> str | None:
    """The host name of a URL with or without a scheme; None if it cannot be parsed."""
    url = candidate if "://" in candidate else f"//{candidate}"
    try:
        return urlsplit(url).hostname
    except ValueError:  # unbalanced [IPv6] brackets, bad port
        return None


@register("ja.url.v1")
class JaUrlRecognizer(JaPatternRecognizer):
    Params = UrlParams

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        where = f"{source}: {self.NAME}.params"
        check_pattern_names(spec, self.params, ("require_public_suffix",), where)

    def suffix_score(self, host: str, has_path: bool) -> float | None:
        """Extra score for a suffix-checked host, or None if it has no public suffix."""
        parts = tld_extractor()(host)
        if not (parts.suffix and parts.domain):
            return None
        bonus = self.params.path_bonus if has_path else 0.0
        if "." in parts.suffix:
            bonus += self.params.multi_label_suffix_bonus
        return bonus

    def find(
        self, nt: NormalizedText, artifacts: NlpArtifacts | None
    ) -> Iterable[RecognizerResult]:
        text = nt.text
        taken: list[tuple[int, int]] = []  # earlier patterns (scheme, www) win overlaps
        for pattern, regex in self._patterns:
            for m in regex.finditer(text):
                start, end = m.span("value") if "value" in regex.groupindex else m.span()
                value = trim(text[start:end], self.params.trailing)
                end = start + len(value)
                if any(start < t_end and t_start < end for t_start, t_end in taken):
                    continue
                host = host_of(value)
                if not host:
                    continue
                score = pattern.score
                if pattern.name in self.params.require_public_suffix:
                    bonus = self.suffix_score(host, has_path="/" in value)
                    if bonus is None:
                        continue
                    score += bonus
                if self.vetoed(nt, start, end):
                    continue
                word = self.context_word(nt, start, end)
                why = f"pattern {pattern.name}" + (" with context" if word else "")
                taken.append((start, end))
                yield self.result(nt, start, end, self.score_for(score, word), why=why)
