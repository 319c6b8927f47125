"""The city's KPI files from the synthetic city's raw records (samples.city, another seed and
size than the demo's): each shipped pipeline releases through its own gate, the 地域・年齢別人口
file matches its profile column for column, the 食品 list carries no individual holder's name
or home address, and every release is a valid data package."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from frictionless import validate

from anonymizer.cli.main import cli
from anonymizer.match import fold_key
from anonymizer.profiles import load_profile
from samples.city import generate_city, render

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("city")
    c = generate_city(residents=20_000, seed=4242)
    for rel, data in render(c).items():
        (d / "samples" / "city" / rel).parent.mkdir(parents=True, exist_ok=True)
        (d / "samples" / "city" / rel).write_bytes(data)
    return d, c


def _release(city_dir: Path, name: str) -> Path:
    spec = yaml.safe_load((ROOT / "pipelines" / f"{name}.yaml").read_text(encoding="utf-8"))
    spec["input"]["path"] = str(city_dir / "samples" / "city" / Path(spec["input"]["path"]).name)
    spec["state"] = str(city_dir / "state")
    path = city_dir / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run = CliRunner().invoke(cli, ["run", str(path), "--out", str(city_dir / "out"), "--no-progress", "--force"])
    assert run.exit_code == 0, run.output
    return city_dir / "out" / spec["name"]


def _files(release: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in release.rglob("*") if p.is_file())


def _valid_package(release: Path) -> None:
    report = validate(str(release / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_population_by_area_age_matches_its_profile(city):
    d, c = city
    release = _release(d, "jinko")
    out = pd.read_csv(release / "jinko.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    profile = load_profile("population_by_area_age", "test")
    assert list(out.columns) == [col.name for col in profile.columns]
    areas = pd.read_csv(ROOT / "rules" / "keys" / "kunitachi_chocho.csv", dtype=str)
    assert out["地域名"].tolist() == ["東京都国立市", *areas["地域名"]]
    assert out.iloc[0]["総人口"] == str(len(c.jumin))
    assert out.iloc[0]["世帯数"] == str(c.jumin["世帯番号"].nunique())
    report = json.loads((release / "report.json").read_text(encoding="utf-8"))
    checks = {ch["name"]: ch["passed"] for ch in report["gate"]["checks"]}
    assert checks["profile"] and checks["cell_suppression_audit"] and checks["cell_suppression_audit:世帯数"]
    # each published 町丁 row adds up: 男性 + 女性 = 総人口
    for _, row in out.iterrows():
        if "X" not in (row["総人口"], row["男性"], row["女性"]):
            assert int(row["男性"]) + int(row["女性"]) == int(row["総人口"])
    _valid_package(release)


def test_food_permits_list_corporations_in_full_and_no_individual_holder(city):
    d, c = city
    release = _release(d, "eigyo_kyoka")
    text = fold_key(_files(release))
    individual = c.eigyo_holders["区分"].to_numpy() == "個人"
    people = c.eigyo[individual]
    # canaries: every individual holder's name and home address, in any spelling
    for name in people["営業者氏名又は名称"].unique():
        assert fold_key(name) not in text
    for home in people["営業者住所"].unique():
        assert fold_key(home) not in text
    out = pd.read_csv(release / "eigyo_kyoka.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    corps = c.eigyo[~individual]
    assert set(corps["営業者氏名又は名称"]) <= set(out["営業者氏名又は名称"])
    assert set(corps["法人番号"]) <= set(out["法人番号"])
    assert (out.loc[out["営業者区分"] == "個人", "営業者氏名又は名称"] == "個人").all()
    _valid_package(release)


@pytest.mark.parametrize("name", ["setai", "tennyu"])
def test_the_suppressed_tables_release_and_validate(city, name):
    d, c = city
    release = _release(d, name)
    text = _files(release)
    assert not any(n in text for n in c.jumin["氏名"].head(200))
    _valid_package(release)


def test_population_changes_release_with_dp_from_the_residents_budget(city):
    d, _ = city
    budget = CliRunner().invoke(cli, ["budget", "kunitachi-residents", "--state-dir", str(d / "state"), "--total", "1"])
    assert budget.exit_code == 0, budget.output
    release = _release(d, "jinko_dotai")
    out = pd.read_csv(release / "jinko_dotai.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(out) == 30 * 12 * 4  # every public key appears, with noise
    assert set(out["異動事由"]) == {"出生", "死亡", "転入", "転出"}
    report = json.loads((release / "report.json").read_text(encoding="utf-8"))
    assert '"max_rows_per_id": 2' in json.dumps(report, ensure_ascii=False)
    _valid_package(release)
