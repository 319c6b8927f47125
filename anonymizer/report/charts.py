"""Inline SVG charts for the report, drawn by pygal from report.json figures only.

Why pygal: pure Python with no compiled or font dependency, and it writes text as SVG
``<text>`` that the browser shapes — Japanese labels need no CJK font on the server (matplotlib
lays text out with its own font files and would need one installed). Its JavaScript is turned
off (``js=[]``) and the leftovers of it are stripped by an XML filter (the config ``<script>``,
comments carrying the render date), and the chart id is fixed, so the same report.json always
renders the same bytes and the page's Content-Security-Policy can forbid every script.

Each chart is ``role="img"`` with an ``aria-label`` and its own ``<title>``; the template puts
the same numbers in a data table right after it (the text alternative).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

import pygal
from pygal.style import Style

#: WCAG 2.1 1.4.11: bars need ≥ 3:1 against the white plot; these are ≥ 4.5:1
COLORS = ("#1f4e9c", "#b5470b", "#2e6b30", "#6a1b9a", "#8a5a00", "#005f73", "#9b2226", "#3d3d3d")
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#000000",
    foreground_subtle="#595959",
    opacity="1",
    opacity_hover="1",
    colors=COLORS,
    font_family='system-ui, "Noto Sans CJK JP", "Hiragino Sans", sans-serif',
    title_font_size=16,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
)
_SVG = "{http://www.w3.org/2000/svg}"


def _accessible(chart_id: str, label: str) -> Any:
    def xml_filter(root: ET.Element) -> ET.Element:
        root.set("role", "img")
        root.set("aria-label", label)
        root.set("id", chart_id)
        for parent in list(root.iter()):
            for child in list(parent):
                tag = child.tag if isinstance(child.tag, str) else ""
                if child.tag is ET.Comment or tag.endswith("script"):
                    parent.remove(child)
        return root

    return xml_filter


def _render(chart: Any, chart_id: str, label: str) -> str:
    chart.uuid = chart_id  # pygal prefixes its CSS with #chart-<uuid>: fixed → reproducible
    chart.add_xml_filter(_accessible(f"chart-{chart_id}", label))
    svg: str = chart.render(is_unicode=True)
    return svg


def _config(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": 760,
        "height": 400,
        # legend beside the plot: pygal 3.1 places a bottom legend outside the viewBox when
        # the chart has an x title
        "legend_at_bottom": False,
        "truncate_legend": -1,
        "truncate_label": -1,
        "margin": 16,
        **extra,
    }


def class_size_chart(
    chart_id: str, before: Mapping[str, Any] | None, after: Mapping[str, Any], title: str
) -> str:
    """Records per equivalence-class size bucket, before and after (risk.*.distribution)."""
    chart = pygal.Bar(
        **_config(title, x_title="同値クラスの大きさ（同じ組合せの行数）", y_title="レコード数")
    )
    chart.x_labels = [b["label"] for b in after["distribution"]]
    if before is not None:
        chart.add("加工前", [b["records"] for b in before["distribution"]])
    chart.add("加工後", [b["records"] for b in after["distribution"]])
    label = f"{title}。棒グラフ。数値は次の表のとおり。"
    return _render(chart, chart_id, label)


def budget_chart(
    chart_id: str, history: Sequence[Mapping[str, Any]], remaining: float, title: str
) -> str:
    """The population's ε: one stacked segment per release (ledger history), then what is left."""
    chart = pygal.HorizontalStackedBar(**_config(title, height=240, x_title="ε"))
    chart.x_labels = [""]
    for entry in history:
        name = f"公開 #{entry['id']}" + ("（今回）" if entry["this_release"] else "")
        chart.add(name, [entry["epsilon"]])
    chart.add("残り", [remaining])
    label = f"{title}。横積み上げ棒グラフ。数値は次の表のとおり。"
    return _render(chart, chart_id, label)
