"""The standard_layout step: 地域・年齢別人口 from resident rows, protected and gate-checked
(real CLI, real tables engine)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from anonymizer.cli.main import cli
from anonymizer.profiles import load_profile

AREAS = [("0001001", "青柳一丁目"), ("0002000", "石田"), ("0003001", "泉一丁目")]


def _residents(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    hh = 0
    for area_i, (_, area) in enumerate(AREAS):
        n = 0
        while n < (300 if area_i < 2 else 120):
            hh += 1
            for _ in range(int(rng.integers(1, 5))):
                n += 1
                age = int(rng.integers(0, 80))
                rows.append({
                    "住民票コード": f"{len(rows) + 1:011d}", "世帯番号": f"{hh:010d}",
                    "氏名": f"国立　{len(rows)}", "生年月日": f"{2024 - age}-06-01",
                    "性別": "男" if rng.random() < 0.5 else "女", "町丁": area,
                })  # fmt: skip
    # one man of 90 in 泉一丁目: alone in his cell
    rows.append({"住民票コード": "99999999999", "世帯番号": "9999999999", "氏名": "最長　老",
                 "生年月日": "1934-06-01", "性別": "男", "町丁": "泉一丁目"})  # fmt: skip
    return pd.DataFrame(rows)


def _pipeline(tmp: Path, frame: pd.DataFrame, **step_changes) -> Path:
    frame.to_csv(tmp / "jumin.csv", index=False, encoding="utf-8")
    pd.DataFrame(AREAS, columns=["地域コード", "地域名"]).to_csv(tmp / "areas.csv", index=False)
    step = {
        "type": "standard_layout", "profile": "population_by_area_age",
        "area": {"column": "町丁", "codes": "areas.csv"},
        "dimensions": {"age": "生年月日", "sex": "性別"}, "households": "世帯番号",
        "as_of": "2025-01-01", "min_frequency": 3,
    }  # fmt: skip
    step.update(step_changes)
    spec = {
        "version": 1, "name": "jinko", "mode": "fast", "input": {"path": "jumin.csv"},
        "columns": {
            "住民票コード": {"role": "direct_identifier", "actions": ["keep"]},
            "世帯番号": {"role": "direct_identifier", "actions": ["keep"]},
            "氏名": {"role": "direct_identifier", "entity": "PERSON", "actions": ["drop"]},
            "生年月日": {"role": "quasi_identifier", "entity": "DATE_OF_BIRTH",
                     "actions": [{"generalize": {"to": "age", "reference_date": "2025-01-01"}}]},
            "性別": {"role": "quasi_identifier", "actions": ["keep"]},
            "町丁": {"role": "quasi_identifier", "actions": ["keep"]},
        },
        "person_column": "住民票コード",
        "steps": [step],
        "output": {"file": "jinko.csv", "profile": "population_by_area_age"},
        "metadata": {"title": "地域・年齢別人口（テスト）", "publisher": "国立市 市民課",
                     "license": "CC-BY-4.0", "municipality_code": "132152", "issued": "2026-04-01"},
    }  # fmt: skip
    path = tmp / "jinko.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _run(path: Path, out: Path):
    return CliRunner().invoke(cli, ["run", str(path), "--out", str(out), "--no-progress", "--force"])


def test_the_population_table_follows_its_profile_and_protects_the_small_cells(tmp_path):
    frame = _residents()
    result = _run(_pipeline(tmp_path, frame), tmp_path / "out")
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "out" / "jinko" / "jinko.csv", dtype=str, keep_default_na=False)
    profile = load_profile("population_by_area_age", "test")
    assert list(out.columns) == [c.name for c in profile.columns]
    assert out["地域名"].tolist() == ["東京都国立市", "青柳一丁目", "石田", "泉一丁目"]
    assert out["地域コード"].tolist() == ["", "0001001", "0002000", "0003001"]
    assert set(out["全国地方公共団体コード"]) == {"132152"} and set(out["調査年月日"]) == {"2025-01-01"}
    total = out.iloc[0]
    assert total["総人口"] == str(len(frame))
    assert total["世帯数"] == str(frame["世帯番号"].nunique())
    # the 90-year-old man is alone in 泉一丁目 × 85歳以上 × 男: suppressed, with what reveals him
    izumi = out.set_index("地域名").loc["泉一丁目"]
    assert izumi["85歳以上の男性"] == "X"
    published = out.drop(columns=["地域コード", "備考"]).apply(lambda s: s[s != "X"])
    assert not published.isna().all().any()
    # published counts add up where nothing is suppressed
    for _, row in out.iterrows():
        if "X" not in (row["総人口"], row["男性"], row["女性"]):
            assert int(row["男性"]) + int(row["女性"]) == int(row["総人口"])
    report = json.loads((tmp_path / "out" / "jinko" / "report.json").read_text(encoding="utf-8"))
    checks = {c["name"]: c["passed"] for c in report["gate"]["checks"]}
    for name in ("profile", "cell_suppression_primary", "cell_suppression_audit",
                 "cell_suppression_audit:世帯数", "raw_values", "rescan"):  # fmt: skip
        assert checks[name] is True, name
    # no input-derived name in the release
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in (tmp_path / "out" / "jinko").rglob("*") if p.is_file())
    assert "最長" not in text and "国立　1" not in text


def test_a_person_listed_twice_is_counted_once(tmp_path):
    frame = _residents()
    twice = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    result = _run(_pipeline(tmp_path, twice), tmp_path / "out")
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "out" / "jinko" / "jinko.csv", dtype=str, keep_default_na=False)
    assert out.iloc[0]["総人口"] == str(len(frame))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"households": None}, "households: the profile's column '世帯数' counts households"),
        ({"as_of": None}, "as_of: the profile's column '調査年月日' needs the survey date"),
        ({"dimensions": {"age": "生年月日"}}, "dimensions: map each of the profile's dimensions"),
        ({"profile": "nope"}, "unknown output profile 'nope'"),
    ],
)
def test_a_profile_the_pipeline_cannot_fill_is_refused_before_reading(tmp_path, change, message):
    result = _run(_pipeline(tmp_path, _residents(), **change), tmp_path / "out")
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "out" / "jinko").exists()


def test_the_layout_must_be_declared_so_the_gate_checks_it(tmp_path):
    path = _pipeline(tmp_path, _residents())
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    del spec["output"]["profile"]
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    result = _run(path, tmp_path / "out")
    assert result.exit_code == 2 and "declare output.profile: population_by_area_age" in result.output


def test_an_area_outside_the_code_list_stops_the_run_without_a_value(tmp_path):
    frame = _residents()
    frame.loc[3, "町丁"] = "架空町"
    result = _run(_pipeline(tmp_path, frame), tmp_path / "out")
    assert result.exit_code == 2 and "架空町" not in result.output
