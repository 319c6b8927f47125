from __future__ import annotations

from anonymizer.kanon.builders import ArxSpec


def test_path_is_relative_to_the_yaml(tmp_path):
    (tmp_path / "h.csv").write_text("a,A,*\nb,A,*\n", encoding="utf-8")
    h = ArxSpec(type="arx", path="h.csv", delimiter=",").build("h", "col", [], tmp_path)
    assert h.height == 2 and list(h.labels[1]) == ["A"]
