"""How figures are written and looked up (anonymizer/report/format.py)."""

from __future__ import annotations

import pytest

from anonymizer.report.format import MissingField, figure, format_value, lookup

REPORT = {"a": {"b": [{"c": 0.125}, {"c": 3}]}, "col.with.dots": {"PERSON": 4}, "n": None}


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        (1108, "", "1,108"),
        (0, "", "0"),
        (0.5, "", "0.5"),
        (0.16666666666666666, "", "0.1667"),
        (27.0, "", "27"),
        (0.33190695548529203, "", "0.3319"),
        (1e-06, "", "1×10^-6"),
        (0.714, "pct", "71.4%"),
        (1.0, "pct", "100%"),
        (0, "pct", "0%"),
        (None, "", "—"),
        (float("nan"), "", "—"),
        (float("inf"), "", "∞"),
        (True, "", "はい"),
        (False, "", "いいえ"),
        ("2024-04", "", "2024-04"),
        ([3, 17, 42], "", "3、17、42"),
        ({"count": 2.0}, "", "count=2"),
    ],
)
def test_format_value(value, style, expected):
    assert format_value(value, style) == expected


def test_lookup_walks_objects_and_lists():
    assert lookup(REPORT, ("a", "b", 1, "c")) == 3
    assert lookup(REPORT, ("col.with.dots", "PERSON")) == 4  # keys with dots are one step
    assert lookup(REPORT, ("n",)) is None


@pytest.mark.parametrize(
    "path", [("a", "x"), ("a", "b", 2), ("a", "b", "0"), ("a", "b", -1), ("n", "x")]
)
def test_lookup_of_a_missing_path_names_it(path):
    with pytest.raises(MissingField, match="a|n"):
        lookup(REPORT, path)


def test_figure_is_tagged_with_its_path_and_escaped():
    html = str(figure({"x": {"<b>": "<i>"}}, "x", "<b>"))
    assert html == (
        '<span class="fig" data-field="[&#34;x&#34;, &#34;&lt;b&gt;&#34;]" data-style="">'
        "&lt;i&gt;</span>"
    )
    assert 'data-style="pct">50%<' in str(figure({"s": 0.5}, "s", style="pct"))
