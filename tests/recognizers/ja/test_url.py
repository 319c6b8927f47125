import pytest

from anonymizer.errors import ConfigError
from anonymizer.recognizers.base import RECOGNIZERS
from anonymizer.recognizers.ja.url import host_of, trim
from anonymizer.recognizers.spec import RecognizerSpec

NAME = "ja.url.v1"


def found(recognizers, text):
    results = recognizers[NAME].analyze(text, ["URL"])
    assert all(r.entity_type == "URL" for r in results)
    return [(r.start, r.end, round(r.score, 2)) for r in results]


def at(text, sub, score):
    return (text.index(sub), text.index(sub) + len(sub), score)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # scheme URLs end where Japanese text starts
        ("https://example.jp/a?b=1について", [("https://example.jp/a?b=1", 0.85)]),
        (
            "詳しくは https://www.city.kunitachi.tokyo.jp/kurashi/index.html をご覧ください。",
            [("https://www.city.kunitachi.tokyo.jp/kurashi/index.html", 0.85)],
        ),
        ("http://example.com/path#frag。", [("http://example.com/path#frag", 0.85)]),
        ("ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｊｐ／ａ", [("ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｊｐ／ａ", 0.85)]),  # noqa: E501
        ("（https://example.jp/a）", [("https://example.jp/a", 0.85)]),  # （）→ () trimmed
        ("(see https://example.jp).", [("https://example.jp", 0.85)]),
        (
            "https://ja.wikipedia.org/wiki/Foo_(bar)",
            [("https://ja.wikipedia.org/wiki/Foo_(bar)", 0.85)],
        ),
        ("https://ja.wikipedia.org/wiki/東京", [("https://ja.wikipedia.org/wiki/", 0.85)]),
        ("http://192.168.0.1:8080/admin", [("http://192.168.0.1:8080/admin", 0.85)]),
        ("http://localhost:8080", [("http://localhost:8080", 0.85)]),
        ("ホームページ https://example.jp", [("https://example.jp", 1.0)]),
        # www.
        ("www.example.com", [("www.example.com", 0.6)]),
        ("www.example.com/path。", [("www.example.com/path", 0.8)]),
        ("ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏ．ｊｐを参照", [("ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏ．ｊｐ", 0.8)]),
        # bare domains: strong with a multi-label suffix, a path or context
        ("city.kunitachi.tokyo.jp", [("city.kunitachi.tokyo.jp", 0.6)]),
        ("example.co.jp", [("example.co.jp", 0.6)]),
        ("example.com/foo", [("example.com/foo", 0.6)]),
        ("ホームページ example.com を参照", [("example.com", 0.7)]),
        ("example.com", [("example.com", 0.4)]),
        ("setup.py", [("setup.py", 0.4)]),  # a file name under a real TLD stays below 0.5
        # negatives
        ("taro@example.jp", []),  # an e-mail domain is the e-mail recognizer's
        ("ver1.2", []),
        ("JIS X 8341-3:2016", []),
        ("e.g. 会議", []),
        ("Node.js", []),
        ("報告書.pdf", []),
        ("data.xlsx", []),
        ("www.example.invalidtld", []),
        ("http://", []),
        ("", []),
    ],
)
def test_spans_and_scores(recognizers, text, expected):
    assert found(recognizers, text) == [at(text, s, score) for s, score in expected]


def test_two_urls(recognizers):
    text = "https://a.example.jp/x、https://b.example.jp/y"
    assert [(s, e) for s, e, _ in found(recognizers, text)] == [(0, 22), (23, 45)]


@pytest.mark.parametrize(
    ("candidate", "trimmed"),
    [
        ("https://example.jp/a.", "https://example.jp/a"),
        ("https://example.jp/a),", "https://example.jp/a"),
        ("https://example.jp/a_(b)", "https://example.jp/a_(b)"),
        ("https://example.jp/?q='x'", "https://example.jp/?q='x"),
        ("https://example.jp/[1]]", "https://example.jp/[1]"),
    ],
)
def test_trim(candidate, trimmed):
    assert trim(candidate, ".,;:!?'\"") == trimmed


@pytest.mark.parametrize(
    ("candidate", "host"),
    [
        ("https://Example.JP:8080/a", "example.jp"),
        ("www.example.jp/a", "www.example.jp"),
        ("http://[::1]:80/", "::1"),
        ("http://[::1/", None),
        ("http://", None),
    ],
)
def test_host_of(candidate, host):
    assert host_of(candidate) == host


def test_params_must_name_existing_patterns(recognizers):
    spec = recognizers[NAME].spec
    params = {**spec.params, "require_public_suffix": ["bare_domian"]}
    broken = RecognizerSpec.model_validate({**spec.model_dump(), "params": params})
    with pytest.raises(ConfigError, match=r"rules/x\.yaml: ja\.url\.v1\.params\.require_public"):
        RECOGNIZERS.get(NAME)(broken, source="rules/x.yaml")


def test_unknown_param_is_refused(recognizers):
    spec = recognizers[NAME].spec
    broken = RecognizerSpec.model_validate(
        {**spec.model_dump(), "params": {**spec.params, "path_bonus_typo": 0.1}}
    )
    with pytest.raises(ConfigError, match=r"ja\.url\.v1\.params: path_bonus_typo"):
        RECOGNIZERS.get(NAME)(broken, source="rules/x.yaml")
