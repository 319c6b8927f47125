"""``select_rows`` and ``cell_suppression`` on the executors (:mod:`anonymizer.engine.spark.
tables`): the table's cells are counted where the rows are, and the release is the pandas
engine's, byte for byte — on another generated city than the samples', with persons counted,
with a magnitude table's dominance rule (each cell's largest contributions), and with the
same error naming the same rows when a value is no leaf of its hierarchy."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from anonymizer.cli.main import cli
from tests.engine.test_equivalence import ROOT, _pipeline, _run, _same

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from samples.city import generate_city, render

    d = tmp_path_factory.mktemp("city")
    for rel, data in render(generate_city(residents=3_000, seed=11)).items():
        (d / rel).parent.mkdir(parents=True, exist_ok=True)
        (d / rel).write_bytes(data)
    return d


def _both(pipeline: Path, tmp_path: Path) -> tuple[Path, Path]:
    local = _run(pipeline, tmp_path / "pandas", "pandas")
    return local, _run(pipeline, tmp_path / "spark", "spark")


def _refused(pipeline: Path, tmp_path: Path, release: str) -> str:
    """The message both engines refuse ``pipeline`` with (the same), nothing released."""
    messages = []
    for engine in ("pandas", "spark"):
        args = ["run", str(pipeline), "--out", str(tmp_path / engine), "--insecure-seed", "7",
                "--no-progress", "--engine", engine]  # fmt: skip
        if engine == "spark":
            args += ["--master", "local[2]"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code != 0 and not (tmp_path / engine / release).exists()
        messages.append(result.output)
    assert messages[0] == messages[1], messages
    return messages[1]


def test_selected_rows_counted_in_persons_are_the_same_table(spark, tmp_path, city):
    """転入者数 (select_rows, then a table of persons by 前住地 × 年齢階級)."""
    local, remote = _both(_pipeline(tmp_path, "tennyu", city / "ido.csv"), tmp_path)
    _same(local, remote)
    steps = yaml.safe_load((remote / "manifest.json").read_text(encoding="utf-8"))["steps"]
    kept = steps[0]["rows_kept"]
    assert 0 < kept < steps[0]["rows_in"]
    table = pd.read_csv(remote / "tennyu.csv", dtype=str)
    assert len(table) > 1 and "前住地" in table.columns


def test_households_grouped_then_counted_are_the_same_table(spark, tmp_path, city):
    """世帯数 (group_rows by 世帯番号 with a size band, then a table by 町丁 × 世帯人員)."""
    local, remote = _both(_pipeline(tmp_path, "setai", city / "jumin.csv"), tmp_path)
    _same(local, remote)
    steps = yaml.safe_load((remote / "manifest.json").read_text(encoding="utf-8"))["steps"]
    assert 0 < steps[0]["groups"] < steps[0]["rows_in"] and steps[0]["sizes"] > 1


def test_a_household_over_two_areas_is_the_same_error(spark, tmp_path, city):
    """A household whose rows are in two 町丁, and rows with no 世帯番号: the same errors,
    naming the same rows, on both engines."""
    jumin = pd.read_csv(city / "jumin.csv", dtype=str, keep_default_na=False, encoding="cp932")
    household = jumin["世帯番号"].value_counts().index[0]
    at = jumin.index[jumin["世帯番号"] == household]
    other = next(v for v in jumin["町丁"].unique() if v != jumin.loc[at[0], "町丁"])
    jumin.loc[at[-1], "町丁"] = other
    split = tmp_path / "split.csv"
    jumin.to_csv(split, index=False, encoding="cp932")
    jumin.loc[[5, 9], "世帯番号"] = " "
    empty = tmp_path / "empty.csv"
    jumin.to_csv(empty, index=False, encoding="cp932")
    for data, expected in ((split, "1 group(s)"), (empty, "2 row(s)")):
        assert expected in _refused(_pipeline(tmp_path, "setai", data), tmp_path, "setai")


def test_selected_rows_then_a_dp_table_are_the_same(spark, tmp_path, city, monkeypatch):
    """転入 rows selected, then 人口動態 under DP (each person bounded to 2 rows): the same
    rows kept, counted and noised on both engines."""
    spec = yaml.safe_load((ROOT / "pipelines" / "jinko_dotai.yaml").read_text(encoding="utf-8"))
    select = {"type": "select_rows", "column": "異動事由", "values": ["転入"]}
    path = _pipeline(tmp_path, "jinko_dotai", city / "ido.csv", steps=[select, *spec["steps"]])
    releases = []
    for engine in ("pandas", "spark"):
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / f"state-{engine}"))
        budget = CliRunner().invoke(cli, ["budget", "kunitachi-residents", "--total", "2"])
        assert budget.exit_code == 0, budget.output
        releases.append(_run(path, tmp_path / engine, engine))
    _same(*releases)
    steps = yaml.safe_load((releases[1] / "manifest.json").read_text(encoding="utf-8"))["steps"]
    assert [s["type"] for s in steps] == ["select_rows", "dp_aggregate"]
    assert 0 < steps[0]["rows_kept"] < steps[0]["rows_in"]


def test_a_national_layout_of_another_city_is_the_same(spark, tmp_path, city):
    """人口 by 町丁 × 年齢 × 性別 in the national layout, with 世帯数 (standard_layout: persons
    counted once, households once), every cell published (min_frequency 1): this
    1,767-cell table's suppression pattern is cut by a time limit, which two runs need not
    reach at the same point — the counts are what the engines compute; the protection is the
    step's own code on both (the other tables here are protected and compared in full)."""
    spec = yaml.safe_load((ROOT / "pipelines" / "jinko.yaml").read_text(encoding="utf-8"))
    steps = [{**spec["steps"][0], "min_frequency": 1}]
    local, remote = _both(_pipeline(tmp_path, "jinko", city / "jumin.csv", steps=steps), tmp_path)
    _same(local, remote)
    report = yaml.safe_load((remote / "manifest.json").read_text(encoding="utf-8"))["steps"][0]
    assert report["counted_in"] == "persons" and set(report["tables"]) == {"persons", "households"}


def test_a_person_or_household_over_two_areas_is_the_same_error(spark, tmp_path, city):
    """A person with two rows in two 町丁, and a household over two 町丁: the national layout
    refuses both with the same message, naming the same rows, on both engines."""
    jumin = pd.read_csv(city / "jumin.csv", dtype=str, keep_default_na=False, encoding="cp932")
    areas = jumin["町丁"].unique()
    twice = jumin.iloc[[7]].assign(町丁=next(a for a in areas if a != jumin.loc[7, "町丁"]))
    person = tmp_path / "person.csv"
    pd.concat([jumin, twice], ignore_index=True).to_csv(person, index=False, encoding="cp932")
    household = jumin["世帯番号"].value_counts().index[0]
    at = jumin.index[jumin["世帯番号"] == household]
    jumin.loc[at[-1], "町丁"] = next(a for a in areas if a != jumin.loc[at[0], "町丁"])
    home = tmp_path / "home.csv"
    jumin.to_csv(home, index=False, encoding="cp932")
    for data, expected in ((person, "1 person(s)"), (home, "1 household(s)")):
        assert expected in _refused(_pipeline(tmp_path, "jinko", data), tmp_path, "jinko")


def test_a_magnitude_table_with_a_dominance_rule_is_the_same(spark, tmp_path):
    """The sample 介護 file as a table of 世帯人数 summed per 地域 × 性別, with the (1, 60)
    dominance rule: each cell's largest contribution per person is counted on the executors."""
    spec = yaml.safe_load((ROOT / "pipelines" / "kaigo_cells.yaml").read_text(encoding="utf-8"))
    spec["columns"]["世帯人数"] = {"role": "quasi_identifier", "actions": ["keep"]}
    step = spec["steps"][0]
    step["dimensions"] = [step["dimensions"][0], step["dimensions"][2]]
    step.update(sum="世帯人数", name="世帯人数計", dominance={"n": 1, "k": 60})
    data = ROOT / "samples" / "kaigo_utf8.csv"
    path = _pipeline(tmp_path, "kaigo_cells", data, columns=spec["columns"], steps=[step])
    local, remote = _both(path, tmp_path)
    _same(local, remote)
    report = yaml.safe_load((remote / "manifest.json").read_text(encoding="utf-8"))["steps"][0]
    assert report["measure"] == "sum(世帯人数)" and report["counted_in"] == "persons"


def test_a_value_that_is_no_leaf_is_the_same_error(spark, tmp_path):
    """Rows whose 年齢 is not in the hierarchy: both engines refuse with the same message,
    naming the same rows and count, and release nothing."""
    frame = pd.read_csv(ROOT / "samples" / "kaigo_utf8.csv", dtype=str, keep_default_na=False)
    frame.loc[[3, 40, 41, 42, 43, 44, 45], "年齢"] = "百二十"
    data = tmp_path / "kaigo.csv"
    frame.to_csv(data, index=False)
    message = _refused(_pipeline(tmp_path, "kaigo_cells", data), tmp_path, "kaigo-cells")
    assert "7 row(s)" in message and "年齢" in message and "百二十" not in message


@pytest.mark.parametrize(
    ("name", "executors"),
    [
        ("tennyu", True),
        ("kaigo_cells", True),
        ("setai", True),
        ("kaigo", False),
        ("eigyo_kyoka", False),
    ],
)
def test_which_sample_tables_are_counted_on_the_executors(name, executors):
    """select_rows and group_rows steps, then a table of rows, a national layout or a DP
    table, stay on the executors as tables (k-anonymity has its own path, .kanon, and
    holders its own, .holders)."""
    from anonymizer.engine.spark import _tabulated
    from anonymizer.steps.base import build_step

    spec = yaml.safe_load((ROOT / "pipelines" / f"{name}.yaml").read_text(encoding="utf-8"))
    steps = [
        build_step(s["type"], {k: v for k, v in s.items() if k != "type"}, f"steps[{i}]")
        for i, s in enumerate(spec["steps"])
    ]
    assert _tabulated(steps) is executors
