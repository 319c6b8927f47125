import pytest

from anonymizer.recognizers.ja.ip_address import is_ip_address

NAME = "ja.ip_address.v1"


def found(recognizers, text):
    results = recognizers[NAME].analyze(text, ["IP_ADDRESS"])
    assert all(r.entity_type == "IP_ADDRESS" for r in results)
    return [(r.start, r.end, round(r.score, 2)) for r in results]


def at(text, sub, score):
    return (text.index(sub), text.index(sub) + len(sub), score)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("接続元IP：192.168.0.1", [("192.168.0.1", 0.9)]),
        ("192.168.0.1からのアクセス", [("192.168.0.1", 0.6)]),
        ("１９２．１６８．０．１", [("１９２．１６８．０．１", 0.6)]),
        ("端末 10.0.0.1.", [("10.0.0.1", 0.9)]),  # sentence-final '.' left out
        ("192.168.0.0/24", [("192.168.0.0", 0.6)]),
        ("http://192.168.0.1/", [("192.168.0.1", 0.6)]),
        ("DNS 1.1.1.1", [("1.1.1.1", 0.6)]),  # outline-like, lifted by context
        ("1.2.3.4 対象範囲", [("1.2.3.4", 0.3)]),  # outline number: below the threshold
        ("3.10.1.20 概要", [("3.10.1.20", 0.3)]),
        ("8.8.8.8", [("8.8.8.8", 0.3)]),
        ("3.112.45.6", [("3.112.45.6", 0.6)]),
        ("3.10.1.21", [("3.10.1.21", 0.6)]),
        ("10.2.3.1", [("10.2.3.1", 0.6)]),
        ("2001:db8::1", [("2001:db8::1", 0.7)]),
        ("IPv6:2001:db8::1", [("2001:db8::1", 1.0)]),
        ("アドレス：2001:db8::1について", [("2001:db8::1", 1.0)]),
        ("fe80::1%eth0", [("fe80::1", 0.7)]),
        ("::1", [("::1", 0.7)]),
        (
            "2001:0DB8:0000:0000:0000:0000:0000:0001",
            [("2001:0DB8:0000:0000:0000:0000:0000:0001", 0.7)],
        ),
        # negatives
        ("ver 1.2.3.4", []),
        ("バージョン 10.2.3.40 を適用", []),
        ("v1.2.3.4", []),
        ("1.2.3.4版", []),
        ("会議日 2024.04.01", []),
        ("256.1.1.1", []),
        ("192.168.01.1", []),  # leading zero
        ("1.2.3.4.5", []),
        ("10:30:00", []),
        ("00:1A:2B:3C:4D:5E", []),  # MAC address
        ("std::vector", []),
        ("::", []),
        ("a::b::c", []),
        ("JIS X 8341-3:2016", []),
        ("", []),
    ],
)
def test_spans_and_scores(recognizers, text, expected):
    assert found(recognizers, text) == [at(text, s, score) for s, score in expected]


def test_ipv4_mapped_ipv6_reports_both(recognizers):
    text = "::ffff:192.0.2.1"
    assert sorted(found(recognizers, text)) == [(0, 16, 0.7), (7, 16, 0.6)]


@pytest.mark.parametrize(
    ("candidate", "ok"),
    [("192.168.0.1", True), ("::1", True), ("::", False), ("999.1.1.1", False), ("1:2:3", False)],
)
def test_validator(candidate, ok):
    assert is_ip_address(candidate) is ok
