from __future__ import annotations

import pytest

from anonymizer.errors import ConfigError
from anonymizer.kanon.resolve import load_spec, resolve_hierarchy

SHIPPED = ["address", "age_5y", "birth_date", "household_size", "marital_status",
           "postal_code", "sex"]


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_hierarchies_validate(name):
    spec, path = load_spec(name)
    assert path.name == f"{name}.yaml"


@pytest.mark.parametrize(
    ("name", "values", "row"),
    [
        ("age_5y", ["37"], ["37", "35～39歳", "30～39歳", "20～39歳", "*"]),
        ("postal_code", ["186-0004"], ["186-0004", "186-000*", "186-00**", "186-0***",
                                       "186-****", "***-****", "*"]),
        ("household_size", ["3"], ["3", "3～4人", "1～6人", "*"]),
        ("household_size", ["3人"], ["3人", "3～4人", "1～6人", "*"]),
        ("household_size", ["8"], ["8", "7人以上", "7人以上", "*"]),
        ("marital_status", [], ["死別", "既婚", "*"]),
    ],
)
def test_shipped_hierarchies_build(name, values, row):
    h = resolve_hierarchy(name, "col", values)
    assert [str(x) for x in h.table[list(h.table[:, 0]).index(row[0])]] == row


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ConfigError, match="valid: .*age_5y"):
        load_spec("nope")


@pytest.mark.parametrize("name", ["../secrets", "a/b", ""])
def test_names_cannot_escape_the_rules_directory(name):
    with pytest.raises(ConfigError, match="hierarchy name"):
        load_spec(name)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("type: intervals\nlower: 0\nupper: 10\nwidths: [3, 4]\n", "widths"),
        ("type: nope\n", "type"),
        ("type: masking\nlevels: [1]\ncolour: red\n", "colour"),
        ("type: masking\nlevels: [1]\nlevels: [2]\n", "duplicate key"),
        ("", "empty document"),
    ],
)
def test_broken_yaml_names_its_path(tmp_path, text, fragment):
    (tmp_path / "hierarchies").mkdir()
    path = tmp_path / "hierarchies" / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=fragment) as err:
        load_spec("bad", tmp_path)
    assert str(err.value).startswith(f"[E002] {path}")


def test_arx_csv_reference(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("a;*\nb;*\n", encoding="utf-8")
    assert resolve_hierarchy(str(path), "col", []).size == 2


def test_broken_arx_csv_named_in_yaml_names_the_yaml(tmp_path):
    (tmp_path / "hierarchies").mkdir()
    (tmp_path / "hierarchies" / "h.csv").write_text("a;x\na;y\n", encoding="utf-8")
    (tmp_path / "hierarchies" / "h.yaml").write_text("type: arx\npath: h.csv\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="more than once") as err:
        resolve_hierarchy("h", "col", [], tmp_path)
    assert "h.yaml" in str(err.value)
