"""The suffix list comes from tldextract's bundled snapshot: no network, no cache writes."""

from __future__ import annotations

import socket

import pytest
import tldextract

from anonymizer.offline import tld_extractor


class NetworkAttempt(OSError):
    pass


@pytest.fixture
def no_network(monkeypatch, tmp_path):
    """Refuse (and record) every socket and DNS use; point caches at an empty home."""
    attempts: list[str] = []

    def refuse(name):
        def _refuse(*args, **kwargs):
            attempts.append(name)
            raise NetworkAttempt(f"network used via socket.{name}")

        return _refuse

    for name in ("socket", "create_connection", "getaddrinfo"):
        monkeypatch.setattr(socket, name, refuse(name))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    tld_extractor.cache_clear()
    yield attempts
    tld_extractor.cache_clear()


def test_guard_catches_a_default_extractor(no_network):
    """Control: stock tldextract does try the network, so the guard is effective."""
    default = tldextract.TLDExtract(cache_dir=None)  # default suffix-list URLs
    assert default("www.example.co.jp").suffix == "co.jp"  # fell back to the snapshot
    assert no_network, "the patched socket was not reached"


def test_extractor_is_offline(no_network, tmp_path):
    ext = tld_extractor()
    assert ext("https://www.city.kunitachi.tokyo.jp/a").domain == "city"
    assert ext("mail.example.co.jp").suffix == "co.jp"
    assert no_network == []
    assert list(tmp_path.iterdir()) == []  # nothing cached on disk


def test_recognizers_are_offline(no_network, recognizers):
    email = recognizers["ja.email.v1"].analyze("メール：taro@example.jp です", [])
    url = recognizers["ja.url.v1"].analyze("詳細は www.example.co.jp をご覧ください", [])
    assert [(r.start, r.end) for r in email] == [(4, 19)]
    assert [(r.start, r.end) for r in url] == [(4, 21)]
    assert no_network == []


def test_extractor_is_cached():
    assert tld_extractor() is tld_extractor()
