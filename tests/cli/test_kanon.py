"""``anonymizer kanon`` end to end through the real CLI group."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from pycanon import anonymity

from anonymizer.cli.main import cli
from tests.kanon.conftest import people


@pytest.fixture
def files(tmp_path):
    frame = people(300, seed=2)
    src = tmp_path / "in.csv"
    frame.to_csv(src, index=False)
    arx = tmp_path / "sex.csv"
    arx.write_text("男;*\n女;*\n", encoding="utf-8")
    return tmp_path, src, arx


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_kanon_writes_release_and_summary(files):
    tmp, src, arx = files
    out, summary = tmp / "out.csv", tmp / "summary.json"
    res = run("kanon", str(src), "--qi", "age=age_5y", "--qi", f"sex={arx}",
              "--qi", "zip=postal_code", "--k", "5", "--suppression", "0.05",
              "--out", str(out), "--json", str(summary))
    assert res.exit_code == 0, res.output
    released = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert anonymity.k_anonymity(released, ["age", "sex", "zip"]) >= 5
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert set(data["levels"]) == {"age", "sex", "zip"}
    assert data["records_out"] == len(released)
    assert data["suppressed"] + len(released) == 300
    assert data["classes"]["min"] >= 5 and data["metric"] == "loss"
    assert {"risk_before", "risk_after", "seconds"} <= set(data)
    assert "levels age=" in res.output  # one summary line on stderr


def test_l_diversity_and_star_mode(files):
    tmp, src, _ = files
    out = tmp / "out.csv"
    res = run("kanon", str(src), "--qi", "age=age_5y", "--qi", "zip=postal_code",
              "--sensitive", "disease", "--k", "3", "--l", "2", "--suppression", "0.1",
              "--suppressed", "star", "--metric", "entropy", "--out", str(out))
    assert res.exit_code == 0, res.output
    released = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(released) == 300
    kept = released[~((released["age"] == "*") & (released["zip"] == "*"))]
    kept = kept.reset_index(drop=True)  # pycanon indexes classes by position
    assert anonymity.l_diversity(kept, ["age", "zip"], ["disease"]) >= 2


def test_value_missing_from_hierarchy_exits_2_without_the_value(files):
    tmp, src, _ = files
    frame = pd.read_csv(src, dtype=str)
    frame.loc[0, "sex"] = "秘密の値"
    frame.to_csv(src, index=False)
    out = tmp / "out.csv"
    res = run("kanon", str(src), "--qi", "sex", "--k", "2", "--out", str(out))
    assert res.exit_code == 2
    assert "'sex'" in res.output and "1 distinct value(s)" in res.output
    assert "秘密の値" not in res.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--qi", "age=nope"], "no such hierarchy"),
        (["--qi", "age=age_5y", "--l", "2"], "sensitive"),
        (["--qi", "missing=age_5y"], "'missing'"),
        (["--qi", "age=age_5y", "--qi", "age=age_5y"], "twice"),
        (["--qi", "=x"], "expected COL"),
    ],
)
def test_usage_and_config_errors_exit_2(files, args, fragment):
    tmp, src, _ = files
    res = run("kanon", str(src), *args, "--out", str(tmp / "o.csv"))
    assert res.exit_code == 2, res.output
    assert fragment in res.output


def test_impossible_k_is_refused_with_exit_1_and_no_output(files):
    tmp, src, _ = files
    out = tmp / "out.csv"
    res = run("kanon", str(src), "--qi", "age=age_5y", "--k", "1000", "--out", str(out))
    assert res.exit_code == 1
    assert "nothing was released" in res.output
    assert not out.exists()


def test_help_has_an_example():
    res = run("kanon", "--help")
    assert res.exit_code == 0 and "Example" in res.output


@pytest.fixture
def visit_file(tmp_path):
    from tests.kanon.test_persons import visits

    frame = visits(150, seed=3)
    src = tmp_path / "visits.csv"
    frame.to_csv(src, index=False)
    return tmp_path, src, frame


@pytest.mark.parametrize("method", [[], ["--local-recoding"]])
def test_id_column_counts_distinct_persons(visit_file, method):
    tmp, src, frame = visit_file
    out, summary = tmp / "out.csv", tmp / "summary.json"
    res = run("kanon", str(src), "--qi", "age=age_5y", "--qi", "zip=postal_code", "--k", "3",
              "--suppression", "0.05", "--id-column", "id", *method,
              "--out", str(out), "--json", str(summary))
    assert res.exit_code == 0, res.output
    released = pd.read_csv(out, dtype=str, keep_default_na=False)
    persons = released.groupby(["age", "zip"])["id"].nunique()
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert persons.min() >= 3
    assert data["counted_in"] == "persons"
    assert data["classes"]["min"] == data["achieved"]["k-anonymity"] == persons.min()
    assert data["classes"]["count"] == len(persons)
    # the id column is written unchanged: released ids are the input's, row for row in order
    ids = frame["id"].tolist()
    it = iter(ids)
    assert all(any(i == j for j in it) for i in released["id"])
    assert data["suppressed"] + len(released) == len(frame)
    assert "persons" in res.output


def test_without_id_column_rows_are_counted(visit_file):
    tmp, src, _ = visit_file
    summary = tmp / "summary.json"
    res = run("kanon", str(src), "--qi", "age=age_5y", "--qi", "zip=postal_code", "--k", "3",
              "--suppression", "0.05", "--out", str(tmp / "out.csv"), "--json", str(summary))
    assert res.exit_code == 0, res.output
    assert json.loads(summary.read_text(encoding="utf-8"))["counted_in"] == "records"


@pytest.mark.parametrize(
    ("id_args", "fragment"),
    [
        (["--id-column", "nope"], "'nope'"),
        (["--id-column", "age"], "also a --qi"),
    ],
)
def test_bad_id_column_exits_2_without_output(visit_file, id_args, fragment):
    tmp, src, _ = visit_file
    out = tmp / "out.csv"
    res = run("kanon", str(src), "--qi", "age=age_5y", "--k", "3", *id_args, "--out", str(out))
    assert res.exit_code == 2, res.output
    assert fragment in res.output and "--id-column" in res.output
    assert not out.exists()


def test_missing_person_identifier_exits_2_without_values(visit_file):
    tmp, src, frame = visit_file
    frame.loc[[4, 9], "id"] = ""
    frame.to_csv(src, index=False)
    out = tmp / "out.csv"
    res = run("kanon", str(src), "--qi", "age=age_5y", "--k", "3", "--id-column", "id",
              "--out", str(out))
    assert res.exit_code == 2, res.output
    assert "person identifier missing in 2 row(s) (rows 5, 10)" in res.output
    assert not any(v in res.output for v in frame["id"] if v)
    assert not out.exists()


def test_help_describes_id_column():
    res = run("kanon", "--help")
    assert "--id-column" in res.output and "distinct persons" in res.output
