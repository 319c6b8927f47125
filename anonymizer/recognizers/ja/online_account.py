"""ONLINE_ACCOUNT: a LINE ID, an X/Instagram handle, an account name after its service.

Anyone can look an account up in its service, so it singles out its owner like a phone
number; free text names them (LINEのIDはyamada_1985, インスタ @taro.yamada). A labelled value
needs the service or an account word before it; a bare ``@handle`` counts on its own when
nothing address-like stands before the ``@`` (an e-mail's local part does). Either way the
value must hold a letter (``@100`` is a count, ``ID 2024`` a year); a trailing dot is
sentence punctuation, not part of it. Patterns are data (``rules/recognizers/ja.online_account.v1.yaml``).
"""

from __future__ import annotations

import re

from anonymizer.recognizers.base import register
from anonymizer.recognizers.ja._id_common import IdPatternRecognizer

_LETTER = re.compile(r"[A-Za-z]")


@register("ja.online_account.v1")
class JaOnlineAccountRecognizer(IdPatternRecognizer):
    def validate(self, candidate: str) -> bool:
        return _LETTER.search(candidate) is not None
