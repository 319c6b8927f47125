"""The default path — ``init`` given the publication metadata → ``run`` — releases only what
holds every released class at ≥ 5 persons, on the samples and on exports of other seeds and
layouts. Class sizes are counted here, from the released CSV and the input, not read from the
gate's own figures."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from anonymizer.io import read_table
from tests.pipeline.conftest import cli_run, write_csv
from tests.policy.exports import Export, care, city_system, consultations

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
K = 5

pytestmark = pytest.mark.slow


def _sample(name: str, quasi: tuple[str, ...], person: str | None) -> Export:
    return Export(name, read_table(SAMPLES / name).frame, quasi, person)


EXPORTS = {
    "soudan_cp932.csv": lambda: _sample(
        "soudan_cp932.csv", ("受付日", "生年月日", "性別", "住所", "郵便番号"), None
    ),
    "kaigo_utf8.csv": lambda: _sample(
        "kaigo_utf8.csv",
        ("生年月日", "年齢", "性別", "住所", "郵便番号", "世帯人数", "認定日"),
        "被保険者番号",
    ),
    "consultations-11": lambda: consultations(11),
    "consultations-2027": lambda: consultations(2027, 600),
    "city-5": lambda: city_system(5),
    "care-13": lambda: care(13),
}


def _init_and_run(tmp_path: Path, export: Export) -> tuple[int, Path, str]:
    data = tmp_path / "export.csv"
    if export.name.endswith(".csv"):
        data = tmp_path / export.name
        data.write_bytes((SAMPLES / export.name).read_bytes())
    else:
        write_csv(data, export.frame.to_dict("records"), "cp932" if "city" in export.name else "utf-8")
    pipeline = tmp_path / "p.yaml"
    # only the publication metadata is given (the gate refuses init's placeholders)
    result = cli_run(
        "init", data, "-o", pipeline, "--mode", "fast", "--title", "テスト公開データ",
        "--publisher", "国立市 テスト課", "--municipality-code", "132152",
    )
    assert result.exit_code == 0, result.stderr
    spec = yaml.safe_load(pipeline.read_text(encoding="utf-8"))
    # the rows in the input's order, so this test can follow each one back to its person
    # (the default sorts them by their released values; a permutation changes no class)
    spec["output"]["order"] = "input"
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run = cli_run("run", pipeline, "--out", tmp_path / "out", "--no-progress")
    return run.exit_code, tmp_path / "out" / spec["name"], run.stderr


def _aligned_persons(export: Export, released: pd.DataFrame) -> pd.Series:
    """The person of each released row: released rows are input rows in input order (some
    removed), so they are matched in order on the columns released as they are."""
    tracers = list(export.tracers)
    source = export.frame[tracers].astype(str).to_numpy()
    target = released[tracers].astype(str).to_numpy()
    who, i = [], 0
    for row in target:
        while i < len(source) and list(source[i]) != list(row):
            i += 1
        assert i < len(source), "a released row does not line up with the input"
        who.append(export.frame[export.person].iloc[i])
        i += 1
    return pd.Series(who, index=released.index)


@pytest.mark.parametrize("name", list(EXPORTS))
def test_the_default_proposal_releases_classes_of_at_least_five_persons(tmp_path, name):
    export = EXPORTS[name]()
    code, release, stderr = _init_and_run(tmp_path, export)
    assert code == 0, stderr
    released = pd.read_csv(
        next(release.glob("*.csv")), dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    quasi = [c for c in export.quasi if c in released.columns]
    rows_in = len(export.frame)
    assert len(released) >= rows_in * 0.95 - 1e-9  # at most 5 % suppressed
    if export.person is None or not export.tracers:
        # one row per person in these exports (the person column is unique per row)
        if export.person is not None:
            assert export.frame[export.person].is_unique
        sizes = released.groupby(quasi).size() if quasi else pd.Series([len(released)])
    else:
        persons = _aligned_persons(export, released)
        sizes = (
            released.assign(_p=persons).groupby(quasi)["_p"].nunique()
            if quasi
            else pd.Series([persons.nunique()])
        )
    assert int(sizes.min()) >= K, (name, quasi, int(sizes.min()))
    # nothing free-text or identifying left the building
    report = json.loads((release / "report.json").read_text(encoding="utf-8"))
    assert report["verdict"]["released"] and report["risk"]["policy"]["min_class"] >= K
    raw = export.frame
    for col in [c for c in raw.columns if c in ("氏名", "世帯主氏名", "電話番号", "相談内容")]:
        assert col not in released.columns


@pytest.mark.parametrize("name", ["consultations-11", "city-5"])
def test_the_same_proposal_without_its_kanonymity_step_is_refused_naming_the_drivers(
    tmp_path, name
):
    export = EXPORTS[name]()
    code, _, _ = _init_and_run(tmp_path, export)
    assert code == 0
    pipeline = tmp_path / "p.yaml"
    spec = yaml.safe_load(pipeline.read_text(encoding="utf-8"))
    del spec["steps"]
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run = cli_run("run", pipeline, "--out", tmp_path / "out2", "--no-progress")
    assert run.exit_code == 1
    refusal = json.loads(
        (tmp_path / "out2" / f"{spec['name']}.refused.json").read_text(encoding="utf-8")
    )
    check = next(c for c in refusal["gate"]["checks"] if c["name"] == "reidentification")
    drivers = [d["column"] for d in check["data"]["drivers"]]
    assert drivers and set(drivers) <= set(export.quasi)
    assert f"{drivers[0]} alone puts" in run.stderr
