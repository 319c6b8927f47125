"""The reduced union of prefilters: the same yes/no as the plain union, with fewer alternatives."""

from __future__ import annotations

import random
import re

import pytest

from anonymizer.detect.prefilter import union_prefilter
from anonymizer.recognizers import build_recognizers


def plain(prefilters: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in dict.fromkeys(prefilters)))


@pytest.fixture(scope="module")
def shipped() -> list[str]:
    return [r.spec.prefilter for r in build_recognizers(None)]


def test_shipped_prefilters_reduce_to_one_class_and_the_multi_character_ones(shipped):
    union = union_prefilter(shipped)
    assert union is not None
    # \d{7}, 記号, 年齢, 0[0-9], +81… need no search of their own: a \d or a kanji is enough
    for gone in (r"\d{7}", "年齢", r"\+81"):
        assert gone not in union.pattern
    # what one character cannot stand for stays: a capitalized word, a URL, an IPv6 colon pair
    assert "[A-Z][a-z]" in union.pattern and "://" in union.pattern
    assert union.pattern.count("|") < plain(shipped).pattern.count("|") / 2


def test_same_answer_as_the_plain_union_on_every_kind_of_text(shipped):
    from samples.generate import generate_texts

    union, full = union_prefilter(shipped), plain(shipped)
    texts = [r["text"] for r in generate_texts(500, 7).records]
    texts += ["ID-oogfkegclpogabkc", "", "abc", "a.b", "::", "fe80::1", "AB", "ABC", "Ab", "@"]
    texts += ["٣٤٥", "〇年", "年", "http://x", "x://y", "\u3000", "ｱ", "々", "R0000001"]
    rng = random.Random(5)
    alphabet = "abcxyzABCXYZ0189٣.:/@-_ +年歳記号丁目ｱア々〇\u3000"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(5000)]
    assert [bool(union.search(t)) for t in texts] == [bool(full.search(t)) for t in texts]


@pytest.mark.parametrize(
    ("prefilters", "expected"),
    [
        ([r"\d", r"\d{4}-?\d{6}", "0[0-9]"], r"[\d]"),  # [0-9] ⊂ \d
        (
            ["[歳才代]|年齢", "[\u4e00-\u9fff]"],
            "[\\U00006b73\\U0000624d\\U00004ee3\\U00004e00-\\U00009fff]",
        ),
        # not subsumed: [0-9] does not hold every \d (٣ is a digit too), so \d{7} stays
        (["[0-9]", r"\d{7}"], r"[\U00000030-\U00000039]|(?:\d{7})"),
        # optional or zero-width parts are no evidence: x? and (?=x) can match without an x
        (["x", "x?y", "(?=x)y"], r"[\U00000078]|(?:x?y)|(?:(?=x)y)"),
        # a part under other flags is no evidence either: (?i:x) also matches X
        (["x", "(?i:x)"], r"[\U00000078]|(?:(?i:x))"),
    ],
)
def test_reduction(prefilters, expected):
    assert union_prefilter(prefilters).pattern == expected  # type: ignore[union-attr]


@pytest.mark.parametrize("prefilters", [["(a)b", "x"], ["[^a]", "ab"]])
def test_what_it_cannot_analyse_stays_a_plain_union(prefilters):
    """Groups and negated classes are not analysed: the union is the plain one."""
    assert union_prefilter(prefilters).pattern == plain(prefilters).pattern  # type: ignore[union-attr]


def test_none_when_a_recognizer_runs_on_everything():
    assert union_prefilter([r"\d", None]) is None
    assert union_prefilter([]) is None
