"""The cell_suppression step through `anonymizer run`: released as an aggregate judged by its
own checks; refused (exit 1, nothing published) when a hand-set status leaves a small cell
open; bad input and bad parameters exit 2 naming the YAML path, column and rows."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from anonymizer.cli.main import cli

TOWNS = ["青柳", "石田", "泉", "北", "中", "西", "東", "富士見台", "谷保", "矢川"]


def write(tmp_path: Path, **step_changes) -> Path:
    rng = np.random.default_rng(11)
    n = 70
    rows = pd.DataFrame({
        "住民番号": [f"R{i:05d}" for i in range(n)],
        "氏名": [f"テスト　{i}" for i in range(n)],
        "町": rng.choice(TOWNS, n, p=np.arange(1, 11) / 55),
        "性別": rng.choice(["男", "女"], n),
    })  # fmt: skip
    rows.to_csv(tmp_path / "in.csv", index=False, encoding="utf-8")
    step = {
        "type": "cell_suppression",
        "dimensions": [
            {"column": "町", "hierarchy": "kunitachi_chiku.yaml"},
            {"column": "性別", "hierarchy": "sex.yaml"},
        ],
        "name": "人数",
        **step_changes,
    }
    spec = {
        "version": 1, "name": "cells-test", "mode": "fast", "input": {"path": "in.csv"},
        "columns": {
            "住民番号": {"role": "direct_identifier", "actions": ["drop"]},
            "氏名": {"role": "direct_identifier", "entity": "PERSON", "actions": ["drop"]},
            "町": {"role": "quasi_identifier", "actions": ["keep"]},
            "性別": {"role": "quasi_identifier", "actions": ["keep"]},
        },
        "steps": [step],
        "person_column": "住民番号",
        # 石田, 青柳, 泉 are surnames too: the released codes come from the public 町 list
        "gate": {"allow": [{"column": "町", "entity": "PERSON", "reason": "町名は公開の町名リストの値"}]},
        "output": {"file": "table.csv"},
        "metadata": {"title": "町別男女別人口", "publisher": "テスト市", "license": "CC-BY-4.0",
                     "municipality_code": "132152", "issued": "2026-04-01"},
    }  # fmt: skip
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def run(path: Path, out: Path):
    return CliRunner().invoke(cli, ["run", str(path), "--out", str(out)], catch_exceptions=False)


def test_released_table_hides_small_cells_and_passes_its_own_checks(tmp_path):
    res = run(write(tmp_path), tmp_path / "out")
    assert res.exit_code == 0, res.output
    table = pd.read_csv(
        tmp_path / "out" / "cells-test" / "table.csv", dtype=str, encoding="utf-8-sig"
    )
    assert list(table.columns) == ["町", "総数", "男", "女"]
    assert len(table) == 14
    numbers = table[["総数", "男", "女"]].stack()
    shown = numbers[numbers != "X"].astype(int)
    assert not shown.isin([1, 2]).any()  # no published 1 or 2
    assert (numbers == "X").sum() >= 2
    report = json.loads(
        (tmp_path / "out" / "cells-test" / "report.json").read_text(encoding="utf-8")
    )
    step = report["steps"][0]
    assert step["type"] == "cell_suppression" and step["counted_in"] == "persons"
    assert step["audit"]["passed"] and step["audit"]["audited"] == (numbers == "X").sum()
    names = {c["name"]: c["passed"] for c in report["gate"]["checks"]}
    assert names["cell_suppression_primary"] and names["cell_suppression_audit"]
    assert "reidentification" not in names  # an aggregate: judged by the step's checks
    assert report["output"]["aggregate"] is True
    html = (tmp_path / "out" / "cells-test" / "report.html").read_text(encoding="utf-8")
    assert "セル秘匿と秘匿インターバルの監査" in html and "セル秘匿（秘匿インターバルの監査）" in html


def test_a_small_cell_published_by_hand_is_refused(tmp_path):
    path = write(tmp_path)
    first = run(path, tmp_path / "out")
    table = pd.read_csv(
        tmp_path / "out" / "cells-test" / "table.csv", dtype=str, encoding="utf-8-sig"
    )
    assert first.exit_code == 0
    rows = pd.read_csv(tmp_path / "in.csv", dtype=str)
    sizes = rows[rows["性別"] == "男"].groupby("町").size()
    town = sizes[sizes < 3].index[0]  # a primary cell
    assert table.loc[table["町"] == town, "男"].item() == "X"
    manual = [
        {"cell": {"町": town, "性別": "男"}, "status": "publish", "reason": "手作業で公開に変更"}
    ]
    res = run(write(tmp_path, manual=manual), tmp_path / "out2")
    assert res.exit_code == 1, res.output
    assert "cell_suppression_primary" in res.output
    assert not (tmp_path / "out2" / "cells-test").exists()
    refusal = json.loads(
        (tmp_path / "out2" / "cells-test.refused.json").read_text(encoding="utf-8")
    )
    failed = [c for c in refusal["gate"]["checks"] if not c["passed"]]
    assert failed and failed[0]["data"]["exposed"] == [{"町": town, "性別": "男"}]


def test_hierarchy_not_covering_the_data_exits_2_with_column_and_rows(tmp_path):
    path = write(tmp_path)
    rows = pd.read_csv(tmp_path / "in.csv", dtype=str)
    rows.loc[6, "町"] = "立川"
    rows.to_csv(tmp_path / "in.csv", index=False)
    res = run(path, tmp_path / "out")
    assert res.exit_code == 2
    assert "steps[0]" in res.output and "'町'" in res.output and "row 8 (data row 7)" in res.output
    assert "立川" not in res.output


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"min_frequency": 0}, "min_frequency"),
        ({"dimensions": [{"column": "町", "hierarchy": "nope.yaml"}]}, "dimensions[0].hierarchy"),
        ({"dominance": {"n": 1, "k": 75}}, "magnitude tables"),
        ({"layout": "cube"}, "layout"),
    ],
)
def test_bad_parameters_exit_2_naming_the_yaml_path(tmp_path, change, where):
    res = run(write(tmp_path, **change), tmp_path / "out")
    assert res.exit_code == 2, res.output
    assert "steps[0]" in res.output and where in res.output
