"""Library objects that must work without the network, built once per process.

``tldextract`` by default fetches the Public Suffix List over HTTP and caches it under the
user's home. We run offline and must not write outside our outputs, so the extractor is
built with no URLs (``suffix_list_urls=()``), no disk cache (``cache_dir=None``) and the
snapshot bundled in the package (``fallback_to_snapshot=True``). Private-domain suffixes
(``github.io`` …) are off: a registrable domain under them is still a domain to report.
See the tldextract 5.4 README, "How to disable HTTP suffix list fetching for production"
(https://pypi.org/project/tldextract/5.4.0/).
"""

from __future__ import annotations

from functools import cache

import tldextract


@cache
def tld_extractor() -> tldextract.TLDExtract:
    """The shared offline extractor (the suffix list is parsed lazily on first use)."""
    return tldextract.TLDExtract(
        cache_dir=None,
        suffix_list_urls=(),
        fallback_to_snapshot=True,
        include_psl_private_domains=False,
    )


__all__ = ["tld_extractor"]
