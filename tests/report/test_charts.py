"""The inline SVG charts (pygal): reproducible, script-free, labelled, same numbers as the JSON."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from anonymizer.report.charts import budget_chart, class_size_chart

BEFORE = {
    "distribution": [
        {"label": "1", "classes": 190, "records": 190},
        {"label": "2", "classes": 5, "records": 10},
    ]
}
AFTER = {
    "distribution": [
        {"label": "1", "classes": 0, "records": 0},
        {"label": "2", "classes": 100, "records": 200},
    ]
}
SVG = "{http://www.w3.org/2000/svg}"


def test_class_size_chart_is_a_reproducible_labelled_svg():
    svg = class_size_chart("sizes", BEFORE, AFTER, "大きさ別")
    assert svg == class_size_chart("sizes", BEFORE, AFTER, "大きさ別")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("id") == "chart-sizes"
    assert "大きさ別" in root.get("aria-label", "") and root.find(f"{SVG}title").text == "大きさ別"
    assert not root.findall(f".//{SVG}script") and "<!--" not in svg and "http://pygal" not in svg
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "加工前" in texts and "加工後" in texts and "1" in texts and "2" in texts
    # pygal writes each bar's value in its <desc class="value">
    values = re.findall(r'<desc class="value">([^<]*)</desc>', svg)
    assert sorted(values) == sorted(["190", "10", "0", "200"])


def test_class_size_chart_without_before():
    root = ET.fromstring(class_size_chart("after-only", None, AFTER, "t"))
    assert "加工前" not in [t.text for t in root.iter(f"{SVG}text")]


def test_budget_chart_stacks_each_release_and_the_remainder():
    history = [
        {"id": 1, "epsilon": 0.5, "this_release": False},
        {"id": 2, "epsilon": 0.25, "this_release": True},
    ]
    svg = budget_chart("b", history, 0.25, "予算")
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "公開 #1" in texts and "公開 #2（今回）" in texts and "残り" in texts
    assert sorted(re.findall(r'<desc class="value">([^<]*)</desc>', svg)) == ["0.25", "0.25", "0.5"]
