"""The page rendered from real releases: self-contained, reproducible, figures from the JSON."""

from __future__ import annotations

import json
import re

import pytest

from anonymizer.report import render_html
from anonymizer.report.format import format_value, lookup
from tests.report._html import parse
from tests.report._releases import report_json

SECTIONS = ["verdict", "input", "detection", "transformations", "kanon", "dp", "appi", "provenance"]


@pytest.fixture(params=["kaigo", "dp", "refusal"])
def page(request, kaigo_release, dp_release, refusal):
    if request.param == "refusal":
        report = json.loads(refusal.read_text(encoding="utf-8"))
        html = refusal.with_suffix(".html").read_text(encoding="utf-8")
    else:
        release = kaigo_release if request.param == "kaigo" else dp_release
        report, html = report_json(release), (release / "report.html").read_text(encoding="utf-8")
    return request.param, report, html


def test_every_figure_on_the_page_is_the_json_value(page):
    _, report, html = page
    figures = parse(html).figures
    assert len(figures) > 40
    for path, style, text in figures:
        assert text == format_value(lookup(report, path), style), path


def test_the_release_page_is_what_the_json_renders_to(page):
    name, report, html = page
    assert render_html(report) == html  # deterministic: same JSON, same bytes
    assert render_html(report) == render_html(report)


def test_self_contained_japanese_page_with_every_section(page):
    _, _, html = page
    assert html.startswith('<!doctype html>\n<html lang="ja">')
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    tags = parse(html).tags
    assert not [t for t, _ in tags if t in ("script", "img", "link", "iframe", "object", "embed")]
    refs = [a.get(k) for _, a in tags for k in ("src", "href", "xlink:href") if a.get(k)]
    assert refs and all(r.startswith("#") for r in refs), refs  # only in-page links
    ids = {a.get("id") for _, a in tags}
    assert all(s in ids for s in SECTIONS)
    # every header cell says what it heads; every table has a caption
    assert all(a.get("scope") in ("col", "row", "rowgroup") for t, a in tags if t == "th")
    assert sum(t == "caption" for t, _ in tags) == sum(t == "table" for t, _ in tags)


def test_charts_are_inline_svg_with_a_text_alternative(page):
    name, report, html = page
    svgs = [a for t, a in parse(html).tags if t == "svg"]
    expected = {"kaigo": 2, "dp": 1, "refusal": 2}[name]  # soudan has a k-anonymity step
    assert len(svgs) == expected
    for a in svgs:
        assert a["role"] == "img" and a["aria-label"]
    assert (
        "<!--" not in html.split("<svg", 1)[1] if svgs else True
    )  # pygal's dated comment stripped


def test_sections_that_do_not_apply_say_so(kaigo_release, dp_release):
    kaigo = (kaigo_release / "report.html").read_text(encoding="utf-8")
    dp = (dp_release / "report.html").read_text(encoding="utf-8")
    assert "対象外: このリリースは差分プライバシーを使用していません" in kaigo
    assert "対象外: 統計表（集計値）の公開であり" in dp
    assert "対象外: このパイプラインに k-匿名化ステップはありません" in dp
    assert dp.count("対象外") >= 5 + 2  # the five APPI measures do not apply to statistics


def test_verdict_comes_first(page):
    _, report, html = page
    body = html.split("<main>", 1)[1]
    assert body.index('id="verdict"') < body.index('id="input"')
    assert report["verdict"]["summary"] in html and report["verdict"]["why"] in html
    for reason in report["verdict"]["reasons"]:
        assert reason in html


def test_kanonymity_figures(kaigo_release):
    report = report_json(kaigo_release)
    (step,) = report["steps"]
    assert step["type"] == "kanonymity" and step["config"]["k"] == 5 and step["config"]["l"] == 2
    assert step["achieved"]["k-anonymity"] >= 5 and step["achieved"]["distinct-l-diversity"] >= 2
    risk = report["risk"]
    assert risk["applicable"] and risk["quasi_identifiers"] == [
        "性別",
        "年齢階級",
        "地域",
        "世帯人数",
    ]
    assert risk["sources"] == ["性別", "年齢", "住所", "世帯人数"]
    assert risk["counted_in"] == "persons" and risk["policy"]["person_column"] == "被保険者番号"
    assert risk["after"]["records"] == report["output"]["rows"] == step["records_out"]
    assert risk["after"]["unique_records"] == 0 and risk["after"]["prosecutor_highest"] <= 1 / 5
    assert risk["before"]["records"] == report["input"]["rows"]
    sizes = [c["size"] for c in risk["riskiest"]]
    assert sizes == sorted(sizes) and sizes[0] == step["classes"]["min"]


def test_dp_figures_and_ledger_history(dp_release):
    report = report_json(dp_release)
    (step,) = report["steps"]
    assert step["spent"] == {"epsilon": 0.5, "delta": 0.0}
    assert [h["epsilon"] for h in step["ledger_history"]] == [0.5, 0.5]
    assert [h["this_release"] for h in step["ledger_history"]] == [False, True]
    assert step["ledger"]["remaining"]["epsilon"] == pytest.approx(0.2)
    assert step["measures"][0]["error_bound_95"] > 0
    assert report["risk"]["applicable"] is False
    assert {a["status"] for a in report["appi"]} == {"not_applicable"}


def test_refusal_page_names_the_failed_checks(refusal):
    report = json.loads(refusal.read_text(encoding="utf-8"))
    assert report["verdict"]["released"] is False
    failed = {c["name"] for c in report["verdict"]["checks"] if not c["passed"]}
    assert {"rescan", "raw_values"} <= failed
    assert len(report["verdict"]["reasons"]) == len(failed)
    html = refusal.with_suffix(".html").read_text(encoding="utf-8")
    assert "公開不可" in html and re.search(r"相談者ID列に氏名\d+セル", html)
