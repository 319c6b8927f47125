import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from anonymizer.cli.main import cli

TOWNS = ["青柳", "石田", "泉", "北", "中", "西", "東", "富士見台", "谷保", "矢川"]


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rng = np.random.default_rng(2)
    n = 200
    pd.DataFrame({
        "ID": [f"p{i % 180}" for i in range(n)], "町": rng.choice(TOWNS, n, p=np.arange(1, 11) / 55),
        "性別": rng.choice(["男", "女"], n), "売上": rng.integers(1, 500, n),
    }).to_csv("in.csv", index=False, encoding="cp932")  # fmt: skip
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


BASE = ["cells", "in.csv", "--dim", "町=kunitachi_chiku.yaml", "--dim", "性別=sex.yaml"]


def test_count_table_written_with_audit(work):
    res = run(*BASE, "--id-column", "ID", "--out", "t.csv", "--json", "a.json")
    assert res.exit_code == 0, res.output
    assert "audit passed" in res.output
    t = pd.read_csv("t.csv", dtype=str, encoding="utf-8-sig")
    assert list(t.columns) == ["町", "総数", "男", "女"]
    audit = json.loads((work / "a.json").read_text(encoding="utf-8"))
    assert audit["audit"]["passed"] and audit["counted_in"] == "persons"
    assert audit["audit"]["audited"] == int((t == "X").sum().sum())


def test_long_layout_with_another_mark(work):
    res = run(*BASE, "--layout", "long", "--mark", "秘匿", "--name", "人口", "--out", "t.csv")
    assert res.exit_code == 0, res.output
    t = pd.read_csv("t.csv", dtype=str, encoding="utf-8-sig")
    assert list(t.columns) == ["町", "性別", "人口"] and len(t) == 14 * 3
    assert set(t["人口"][~t["人口"].str.isdigit()]) <= {"秘匿"}


def test_magnitude_table_with_dominance(work):
    res = run(
        *BASE,
        "--sum",
        "売上",
        "--dominance",
        "1:60",
        "--p-rule",
        "10",
        "--out",
        "t.csv",
        "--json",
        "a.json",
    )
    assert res.exit_code == 0, res.output
    summary = json.loads((work / "a.json").read_text(encoding="utf-8"))
    assert summary["magnitude"] and summary["rules"]["dominance"] == {"n": 1, "k": 60.0}


def test_an_aggregated_table_that_does_not_add_up_exits_2(work):
    run(*BASE, "--layout", "long", "--out", "long.csv")
    t = pd.read_csv("long.csv", dtype=str, encoding="utf-8-sig")
    t = t[t["人数"] != "X"]
    t.loc[(t["町"] == "国立市") & (t["性別"] == "総数"), "人数"] = "12345"
    t.to_csv("agg.csv", index=False)
    res = run("cells", "agg.csv", "--dim", "町=kunitachi_chiku.yaml", "--dim", "性別=sex.yaml",
              "--value", "人数", "--out", "x.csv")  # fmt: skip
    assert res.exit_code == 2
    assert "non-additive" in res.output and "(町=国立市, 性別=総数)" in res.output
    assert "12345" not in res.output and not (work / "x.csv").exists()


def test_negative_count_exits_2_with_coordinates(work):
    pd.DataFrame({"町": ["東", "西"], "性別": ["男", "女"], "n": ["-2", "4"]}).to_csv(
        "neg.csv", index=False
    )
    res = run(
        "cells",
        "neg.csv",
        "--dim",
        "町=kunitachi_chiku.yaml",
        "--dim",
        "性別=sex.yaml",
        "--value",
        "n",
        "--out",
        "x.csv",
    )
    assert res.exit_code == 2 and "negative count at (町=東, 性別=男)" in res.output


def test_publishing_a_small_cell_by_hand_is_refused(work):
    rows = pd.read_csv("in.csv", dtype=str, encoding="cp932")
    sizes = rows.groupby(["町", "性別"]).size()
    hidden = dict(zip(["町", "性別"], sizes[sizes < 3].index[0], strict=True))  # a primary cell
    res = run(*BASE, "--publish", f"町={hidden['町']},性別={hidden['性別']}", "--out", "u.csv")
    assert res.exit_code == 1 and "not written" in res.output
    assert not (work / "u.csv").exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--dominance", "75"], "--dominance"),
        (["--dim", "年齢"], "--dim"),
        (["--min-frequency", "0"], "min_frequency"),
        (["--dominance", "1:75"], "magnitude tables"),
        (["--publish", "町=東"], "manual[0].cell"),
    ],
)
def test_bad_options_exit_2_naming_them(work, args, needle):
    res = run(*BASE, *args, "--out", "t.csv")
    assert res.exit_code == 2 and needle in res.output, res.output
