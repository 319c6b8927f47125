"""E-mail addresses in Japanese text (メール：taro@example.jp です).

The regex (``rules/recognizers/ja.email.v1.yaml``) is RFC 5322's dot-atom, loosened on the
local part: Japanese carrier addresses of the 2000s (``taro..yamada.@docomo.ne.jp``) break
the RFC but are still addresses. Matching runs on NFKC text, so ＠ and 全角 letters are ASCII
and the match stops at the first Japanese character. The domain must end in a public suffix
of the Public Suffix List (``tldextract``'s bundled snapshot, read offline: see
:mod:`anonymizer.offline`), which rejects ``user@host`` and ``a@b.c`` look-alikes. An address
written against harvesting (``taro(at)example.com``, ``taro アットマーク example.jp``) is one too.
"""

from __future__ import annotations

import re

from anonymizer.offline import tld_extractor
from anonymizer.recognizers.base import JaPatternRecognizer, register


def has_public_suffix(host: str) -> bool:
    """True if ``host`` is a registrable name under a known public suffix (example.jp)."""
    parts = tld_extractor()(host)
    return bool(parts.suffix and parts.domain)


#: the host that ends a candidate, after its @ or the words written for it
_HOST = re.compile(r"[A-Za-z0-9.\-]+$")


def is_valid_email(candidate: str) -> bool:
    local, at, domain = candidate.rpartition("@")
    if not at:  # written against harvesting (the rules' pattern matched the (at) between)
        host = _HOST.search(candidate)
        domain = host.group() if host else ""
        local = candidate[: len(candidate) - len(domain)]
    return bool(local) and has_public_suffix(domain)


@register("ja.email.v1")
class JaEmailRecognizer(JaPatternRecognizer):
    def validate(self, candidate: str) -> bool:
        return is_valid_email(candidate)
