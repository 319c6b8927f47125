import pytest

from anonymizer.recognizers.ja.email import has_public_suffix, is_valid_email

NAME = "ja.email.v1"


def found(recognizers, text):
    results = recognizers[NAME].analyze(text, ["EMAIL_ADDRESS"])
    assert all(r.entity_type == "EMAIL_ADDRESS" for r in results)
    return [(r.start, r.end) for r in results]


def spans(text, *subs):
    return [(text.index(s), text.index(s) + len(s)) for s in subs]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("メール：taro@example.jp です", ["taro@example.jp"]),
        (
            "連絡先はtaro.yamada@city.kunitachi.tokyo.jpまで。",
            ["taro.yamada@city.kunitachi.tokyo.jp"],
        ),
        ("担当者hanako_s+news@example.co.jpへ", ["hanako_s+news@example.co.jp"]),
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", ["ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"]),  # 全角
        ("E-mail: Taro.Yamada@Example.COM.", ["Taro.Yamada@Example.COM"]),  # final '.' left out
        ("taro..yamada.@docomo.ne.jp", ["taro..yamada.@docomo.ne.jp"]),  # old carrier form
        (
            "info@mail.city.example.lg.jp、soumu@example.org",
            ["info@mail.city.example.lg.jp", "soumu@example.org"],
        ),
        ("（taro@example.jp）", ["taro@example.jp"]),
        ("mailto:taro@example.jp", ["taro@example.jp"]),
        # e-mail-shaped, whatever the domain: somebody's address all the same
        ("user@example.invalidtld", ["user@example.invalidtld"]),
        ("kensa@shiyakusho.test", ["kensa@shiyakusho.test"]),
        # written against harvesting
        ("メールは taro(at)example.com です", ["taro(at)example.com"]),
        ("taro [at] example.co.jp", ["taro [at] example.co.jp"]),
        ("連絡は taro（アット）example.co.jp", ["taro（アット）example.co.jp"]),
        ("taro アットマーク example.jp に送付", ["taro アットマーク example.jp"]),
        ("meet at example.com", []),  # an English "at", no written @
        ("data(at)random", []),  # no domain
        # negatives
        ("root@localhost", []),  # no dot: not an address shape
        ("a@b.c", []),
        ("taro@example", []),
        ("@example.jp", []),
        ("taro@", []),
        ("会議室@3階", []),
        ("x@1.2.3.4", []),
        ("価格 100円@個", []),
        ("", []),
    ],
)
def test_spans(recognizers, text, expected):
    assert found(recognizers, text) == spans(text, *expected)


def test_context_raises_score(recognizers):
    rec = recognizers[NAME]
    bare = rec.analyze("担当 taro@example.jp", [])[0].score
    with_ctx = rec.analyze("メールアドレス taro@example.jp", [])[0].score
    assert bare == pytest.approx(0.9)
    assert with_ctx == pytest.approx(1.0)


def test_offsets_index_the_original_string(recognizers):
    text = "メール：ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐです"
    (result,) = recognizers[NAME].analyze(text, [])
    assert (result.start, result.end) == (4, 19)


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("example.jp", True),
        ("city.kunitachi.tokyo.jp", True),
        ("example.co.jp", True),
        ("kunitachi.tokyo.jp", False),  # itself a public suffix: nobody registered under it
        ("co.jp", False),
        ("localhost", False),
        ("example.invalidtld", False),
    ],
)
def test_public_suffix(host, ok):
    assert has_public_suffix(host) is ok


def test_validator_needs_local_part():
    assert is_valid_email("a@example.jp")
    assert not is_valid_email("@example.jp")
