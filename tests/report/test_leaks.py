"""The report never contains a raw value planted in the samples (samples/gold spans).

Runs the sample pipeline as a steward would (pipelines/soudan.yaml on samples/, a key made in
tmp_path, --out tmp_path) and greps report.json and report.html — raw, NFKC and HTML-unescaped —
for every planted value of samples/gold/soudan_cp932.jsonl; likewise the refusal's JSON and page.
Ages (AGE spans such as 79歳) are left out: the released age bands (70～79歳, 90歳以上) contain
them by construction, and an age alone identifies no one. Likewise a decade of birth
(1990～1999年, rules/bands.yaml) ends in a year a planted birth year (1999年生まれ) may share:
released decade labels are cut out of the texts before the grep, which still looks everywhere
else.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.report._releases import found_planted, planted_values


@pytest.fixture(scope="module")
def planted() -> set[str]:
    values = planted_values("soudan_cp932.csv", exclude=frozenset({"AGE"}))
    assert len(values) > 1000  # names, addresses, numbers, dates of 200 rows
    return values


#: a released decade of birth (1990～1999年)
_DECADE = re.compile(r"[0-9]{4}[～~][0-9]{4}年")


def _texts(*paths) -> list[str]:
    out = []
    for p in paths:
        text = p.read_text(encoding="utf-8")
        out += [text, html.unescape(text)]
        if p.suffix == ".json":  # and every string inside, unescaped
            out.append(json.dumps(json.loads(text), ensure_ascii=False))
    return [_DECADE.sub("", t) for t in out]


@pytest.mark.slow
def test_released_report_has_no_planted_value(soudan_release, planted):
    texts = _texts(soudan_release / "report.json", soudan_release / "report.html")
    assert found_planted(texts, planted) == []
    # the public report shows no example at all, not even masked ones
    assert "＜氏名＞" not in texts[0] and "＜住所＞" not in texts[0]
    # the internal one beside the release has the masked examples, and no planted value either
    internal = soudan_release.parent / "soudan.internal"
    inner = _texts(internal / "report.json", internal / "report.html")
    assert found_planted(inner, planted) == []
    assert "＜氏名＞" in inner[0] and "＜住所＞" in inner[0]


def test_refusal_report_has_no_planted_value(refusal, planted):
    texts = _texts(refusal, refusal.with_suffix(".html"))
    assert found_planted(texts, planted) == []
    report = json.loads(refusal.read_text(encoding="utf-8"))
    assert report["verdict"]["released"] is False


def test_the_grep_finds_a_planted_value_when_there_is_one(planted):
    value = sorted(v for v in planted if len(v) > 4)[0]
    assert found_planted([f"<td>{value}</td>"], planted) == [value]
