import json

import pandas as pd
import pytest
from click.testing import CliRunner

from anonymizer.cli.main import cli
from anonymizer.state import Ledger

TOWNS = ["青柳", "石田", "泉", "北", "中", "西", "東", "富士見台", "谷保", "矢川"]


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows = [(f"p{i % 150}", TOWNS[i % 7], "2024-04" if i % 2 else "2024-05", str(20 + i % 70))
            for i in range(600)]  # fmt: skip
    rows.append(("p999", "立川", "2024-04", "44"))  # a town outside the key set
    pd.DataFrame(rows, columns=["住民ID", "町", "月", "年齢"]).to_csv(
        "in.csv", index=False, encoding="cp932"
    )
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def dp_args(out: str = "out.csv", eps: str = "0.6", *extra: str) -> list[str]:
    return [
        "dp", "in.csv", "--group-by", "町=kunitachi_cho.txt", "--group-by", "月=months_fy2024.txt",
        "--count", "--mean", "年齢:0:110", "--id-column", "住民ID", "--max-rows-per-id", "5",
        "--epsilon", eps, "--population", "city", "--state-dir", "state", "--out", out, *extra,
    ]  # fmt: skip


def test_release_then_refusal(work):
    assert run("budget", "city", "--state-dir", "state", "--total", "1").exit_code == 0
    first = run(*dp_args("out.csv", "0.6", "--json", "s.json"))
    assert first.exit_code == 0, first.output
    table = pd.read_csv(work / "out.csv", dtype=str)
    assert list(table.columns) == ["町", "月", "count", "mean(年齢)"]
    assert len(table) == 10 * 12 and "立川" not in table["町"].tolist()
    summary = json.loads((work / "s.json").read_text(encoding="utf-8"))
    assert summary["spent"] == {"epsilon": 0.6, "delta": 0.0}
    assert summary["ledger"]["remaining"]["epsilon"] == pytest.approx(0.4)
    assert summary["insecure_seed"] is None
    measures = {m["name"]: m for m in summary["measures"]}
    assert measures["count"]["noise_scale"]["count"] == pytest.approx(5 / 0.3)
    assert measures["count"]["error_bound_95"] > 0
    assert measures["mean(年齢)"]["error_bound_95_cells"]["max"] <= 110
    assert summary["flagged_count"] >= 1  # empty months are flagged

    second = run(*dp_args("out2.csv", "0.6"))
    assert second.exit_code == 1
    assert "only ε=0.4" in second.output and "nothing was computed" in second.output
    assert not (work / "out2.csv").exists()
    assert [p.name for p in work.iterdir() if p.name.startswith(".")] == []  # no temp files


def test_insecure_seed_is_recorded_and_reproducible(work):
    run("budget", "city", "--state-dir", "state", "--total", "10")
    for name in ("a.csv", "b.csv"):
        res = run(*dp_args(name, "0.5", "--insecure-seed", "42", "--json", name + ".json"))
        assert res.exit_code == 0 and "WARNING" in res.output
    assert (work / "a.csv").read_bytes() == (work / "b.csv").read_bytes()
    assert json.loads((work / "a.csv.json").read_text(encoding="utf-8"))["insecure_seed"] == 42
    assert [r["insecure_seed"] for r in Ledger(work / "state").releases("city")] == [42, 42]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--group-by", "町"], "COL=KEYS_FILE"),
        (["--group-by", "町=no_such_keys.txt"], "key file not found"),
        (["--mean", "年齢:0"], "COL:LO:HI"),
        (["--mean", "年齢:100:0"], "lower must be below upper"),
        (["--delta", "1e-6"], "nothing spends it"),
        (["--max-rows-per-id", "2"], "id_column and max_rows_per_id"),
        (["--epsilon", "-1"], "epsilon"),
    ],
)
def test_usage_and_config_errors_exit_2(work, args, message):
    run("budget", "city", "--state-dir", "state", "--total", "1")
    base = ["dp", "in.csv", "--count", "--epsilon", "0.1", "--population", "city",
            "--state-dir", "state", "--out", "o.csv"]  # fmt: skip
    res = run(*base, *args)
    assert res.exit_code == 2, res.output
    assert message in res.output
    assert not (work / "o.csv").exists()
    assert Ledger(work / "state").status("city").releases == 0


def test_missing_ledger_and_unknown_population(work):
    res = run(*dp_args())
    assert res.exit_code == 2 and "has no budget" in res.output
    assert not (work / "state").exists()  # a read creates nothing
    run("budget", "someone", "--state-dir", "state", "--total", "1")
    res = run(*dp_args())
    assert res.exit_code == 2 and "has no budget" in res.output


def test_unparsable_measure_cells_name_column_not_value(work):
    bad = pd.DataFrame({"町": ["青柳", "石田"], "年齢": ["40", "山田太郎"]})
    bad.to_csv("bad.csv", index=False)
    run("budget", "city", "--state-dir", "state", "--total", "1")
    res = run("dp", "bad.csv", "--group-by", "町=kunitachi_cho.txt", "--mean", "年齢:0:110",
              "--epsilon", "0.1", "--population", "city", "--state-dir", "state",
              "--out", "o.csv")  # fmt: skip
    assert res.exit_code == 2
    assert "'年齢'" in res.output and "1 of 2" in res.output and "山田" not in res.output


def test_help_has_an_example():
    res = run("dp", "--help")
    assert res.exit_code == 0 and "Example" in res.output and "--insecure-seed" in res.output


def test_published_total_makes_counts_consistent(work):
    run("budget", "city", "--state-dir", "state", "--total", "1")
    res = run("dp", "in.csv", "--group-by", "町=kunitachi_cho.txt", "--count",
              "--published-total", "600", "--epsilon", "0.2", "--population", "city",
              "--state-dir", "state", "--out", "o.csv")  # fmt: skip
    assert res.exit_code == 0, res.output
    counts = pd.read_csv(work / "o.csv")["count"]
    assert counts.sum() == 600 and (counts >= 0).all()


def test_an_output_that_cannot_be_written_says_the_spend_was_recorded(work):
    run("budget", "city", "--state-dir", "state", "--total", "1")
    (work / "blocker").write_text("a file, not a directory")
    res = run(*dp_args("blocker/out.csv", "0.5"))
    assert res.exit_code == 2 and "blocker/out.csv" in res.output
    assert "was recorded in the ledger" in res.output
    assert Ledger(work / "state").status("city").releases == 1
