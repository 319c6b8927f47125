"""IPv4 and IPv6 addresses, validated by the standard library's :mod:`ipaddress`.

The regexes (``rules/recognizers/ja.ip_address.v1.yaml``) only propose dotted quads and
colon-hex runs; :func:`ipaddress.ip_address` decides (octets ≤ 255, no leading zeros since
Python 3.9.5, at most one ``::``), which rejects dates (2024.04.01 has three parts and
2024 > 255), times (10:30:00) and MAC addresses (six groups without ``::``).

Version numbers look like addresses (ver 1.2.3.4): a letter glued in front (v1.2.3.4) stops
the regex, and words such as バージョン/ver/版 nearby veto the hit (``negative_context``).
Outline numbers in plans (1.2.3.4 対象範囲, 3.10.1.2 概要) have a one-digit head and small
parts; the rules give such a quad its own pattern, scored below the threshold unless a
context word (IP, アドレス, DNS, ログ …) lifts it. 8.8.8.8 therefore needs context too.
"""

from __future__ import annotations

import ipaddress

from anonymizer.recognizers.base import JaPatternRecognizer, register


def is_ip_address(candidate: str) -> bool:
    """True for a valid IPv4 or IPv6 address (a bare ``::`` is not reported)."""
    if not any(c.isalnum() for c in candidate):
        return False
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


@register("ja.ip_address.v1")
class JaIpAddressRecognizer(JaPatternRecognizer):
    def validate(self, candidate: str) -> bool:
        return is_ip_address(candidate)
