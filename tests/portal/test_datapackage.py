"""datapackage.json: valid under the real frictionless library on every sample release, with
fields typed from the released cells and the constraints the release knows."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from frictionless import validate
from hypothesis import given, settings
from hypothesis import strategies as st

from anonymizer.portal.datapackage import (
    ENUM_LIMIT,
    FieldFacts,
    Hints,
    field_of,
    infer_field,
    infer_type,
)


def _package(release: Path) -> dict[str, Any]:
    return json.loads((release / "datapackage.json").read_text(encoding="utf-8"))


def _fields(release: Path) -> dict[str, dict[str, Any]]:
    (resource,) = _package(release)["resources"]
    return {f["name"]: f for f in resource["schema"]["fields"]}


def _assert_valid(release: Path) -> None:
    report = validate(release / "datapackage.json")
    assert report.valid, report.flatten(["type", "fieldName", "rowNumber", "note"])[:10]


# -- frictionless validate on real releases ----------------------------------------------------


def test_kaigo_release_is_valid_frictionless(kaigo_release):
    _assert_valid(kaigo_release)
    fields = _fields(kaigo_release)
    assert fields["性別"]["constraints"] == {"required": True, "enum": ["女", "男"]}
    assert all(f["type"] == "string" for f in fields.values())  # bands and categories


def test_soudan_release_is_valid_frictionless(soudan_fast_release):
    _assert_valid(soudan_fast_release)
    fields = _fields(soudan_fast_release)
    # pseudonyms and free text are never listed as categories
    assert "enum" not in fields["相談者ID"].get("constraints", {})
    assert "enum" not in fields["相談内容"].get("constraints", {})
    assert "enum" in fields["相談区分"]["constraints"]
    package = _package(soudan_fast_release)
    assert package["keywords"] == ["住民相談", "市民相談", "オープンデータ"]
    assert package["contributors"] == [
        {"title": "国立市 市民協働推進課（サンプル）", "role": "publisher"}
    ]


def test_dp_release_types_counts_and_months(dp_release):
    _assert_valid(dp_release)
    fields = _fields(dp_release)
    assert fields["相談件数"] == {
        "name": "相談件数",
        "type": "integer",
        "constraints": {"required": True, "minimum": 0},
    }
    assert fields["受付日"]["type"] == "yearmonth"
    assert len(fields["相談区分"]["constraints"]["enum"]) == 13  # the public key set of 相談区分
    schema = _package(dp_release)["resources"][0]["schema"]
    assert schema["primaryKey"] == ["相談区分", "受付日"]


@pytest.mark.slow
def test_cell_table_counts_stay_integers_with_the_mark_as_missing(cells_release):
    _assert_valid(cells_release)
    schema = _package(cells_release)["resources"][0]["schema"]
    assert schema["missingValues"] == ["", "X"]
    fields = {f["name"]: f for f in schema["fields"]}
    for count in ("総数", "男", "女"):
        assert fields[count]["type"] == "integer" and fields[count]["constraints"]["minimum"] == 0
    assert fields["地域"]["type"] == "string" and "enum" in fields["地域"]["constraints"]


@pytest.mark.slow
def test_accurate_soudan_release_is_valid_frictionless(soudan_release):
    _assert_valid(soudan_release)


def test_created_is_the_issued_date_at_midnight_jst(kaigo_release):
    package = _package(kaigo_release)
    assert package["created"] == "2026-04-01T00:00:00+09:00"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["resources"][0]["licenses"] == package["licenses"]


def test_frictionless_catches_a_cell_that_breaks_the_schema(kaigo_release, tmp_path):
    """The schema is not decoration: a changed cell fails validation."""
    for f in kaigo_release.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    package = _package(tmp_path)
    package["resources"][0].pop("hash")
    package["resources"][0].pop("bytes")
    (tmp_path / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), "utf-8")
    csv = (tmp_path / "kaigo.csv").read_bytes()
    (tmp_path / "kaigo.csv").write_bytes(csv.replace("\r\n女,".encode(), "\r\n不明,".encode(), 1))
    report = validate(tmp_path / "datapackage.json")
    assert not report.valid
    assert {e[0] for e in report.flatten(["type"])} == {"constraint-error"}


# -- type inference ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "date_column", "expected"),
    [
        (["0", "12", "-3"], False, {"type": "integer"}),
        (["1", "2.5"], False, {"type": "number"}),
        (["0.25", "-1.0"], False, {"type": "number"}),
        (["2024-04", "2025-03"], False, {"type": "yearmonth"}),
        (["2024-04-01", "2024-12-31"], False, {"type": "date"}),
        (["2024/04/01"], False, {"type": "date", "format": "%Y/%m/%d"}),
        (["1950", "1985"], True, {"type": "year"}),
        # negatives: codes, signs, impossible dates, years without a date column
        (["1950", "1985"], False, {"type": "integer"}),
        (["0012", "7"], False, {"type": "string"}),
        (["+3", "4"], False, {"type": "string"}),
        (["1e3"], False, {"type": "string"}),
        (["１２"], False, {"type": "string"}),  # 全角 digits are text to a reader
        (["2024-13"], False, {"type": "string"}),
        (["2024-02-30"], False, {"type": "string"}),
        (["2024-4"], False, {"type": "string"}),
        (["80～89歳", "90歳以上"], False, {"type": "string"}),
        (["1950", "1960～1969年"], True, {"type": "string"}),
        ([], False, {"type": "string"}),
    ],
)
def test_infer_type(values, date_column, expected):
    assert infer_type(values, date_column) == expected


def _field(values: list[Any], **hints: Any) -> dict[str, Any]:
    return infer_field("c", pd.Series(values, dtype="string"), Hints(**hints))


def test_required_only_when_no_cell_is_missing():
    assert _field(["1", "2"])["constraints"] == {"required": True}
    assert "constraints" not in _field(["1", None])
    assert "constraints" not in _field(["1", ""])


def test_a_mark_is_missing_and_leaves_the_type():
    field = _field(["3", "X", "0"], counts=frozenset({"c"}), missing=("", "X"))
    assert field == {"name": "c", "type": "integer", "constraints": {"minimum": 0}}
    assert _field(["3", "X"])["type"] == "string"  # without the mark declared: text


def test_enum_for_categories_up_to_the_limit_in_first_seen_order():
    cats = frozenset({"c"})
    assert _field(["b", "a", "b"], categories=cats)["constraints"]["enum"] == ["b", "a"]
    many = [f"v{i}" for i in range(ENUM_LIMIT + 1)]
    assert "enum" not in _field(many, categories=cats)["constraints"]
    assert "enum" not in _field(["b", "a"])["constraints"]  # not a category column
    assert "enum" not in _field(["1", "2"], categories=cats)["constraints"]  # numbers


def test_minimum_zero_only_for_counts_that_are_not_negative():
    counts = frozenset({"c"})
    assert _field(["0", "5"], counts=counts)["constraints"]["minimum"] == 0
    assert "minimum" not in _field(["-1", "5"], counts=counts)["constraints"]
    assert "minimum" not in _field(["0", "5"])["constraints"]


_CELLS = st.one_of(
    st.none(),
    st.sampled_from(["", "X", "0", "7", "-3", "0012", "2.5", "1999", "2024-04", "2024-04-01",
                     "2024/04/01", "2024-02-30", "東町", "65～69歳"]),
    st.integers(0, 80).map(lambda i: f"値{i}"),  # more distinct values than an enum takes
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    cells=st.lists(_CELLS, max_size=120),
    cuts=st.lists(st.integers(0, 120), max_size=4),
    kind=st.sampled_from(["categories", "counts", "dates"]),
)
def test_a_field_from_the_parts_of_a_column_is_the_whole_columns(cells, cuts, kind):
    """An engine holding the rows in parts (Spark's partitions) types the column as the whole
    column does: facts per part, merged in either order."""
    hints = Hints(**{kind: frozenset({"c"})}, missing=("", "X"))
    column = pd.Series(cells, dtype="string")
    bounds = [0, *sorted(min(c, len(cells)) for c in cuts), len(cells)]
    parts = [
        FieldFacts.of(column.iloc[a:b], hints.missing, start=a)
        for a, b in zip(bounds, bounds[1:], strict=False)
    ]
    whole = infer_field("c", column, hints)
    assert field_of("c", functools.reduce(FieldFacts.merge, parts), hints) == whole
    assert field_of("c", functools.reduce(FieldFacts.merge, parts[::-1]), hints) == whole
