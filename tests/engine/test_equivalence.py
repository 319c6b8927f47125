"""Both engines release the same data (#21 item 6): the sample pipelines, with a fixed seed,
through ``--engine pandas`` and ``--engine spark --master local[2]`` — the same data files
byte for byte (so the same rows, in the same order, with the same values), the same gate
verdict and checks, the same k, and the same counts of what ``mask_text`` masked."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from anonymizer.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
KEY = "0123456789abcdef" * 4


def _run(pipeline: Path, out: Path, engine: str, *extra: str) -> Path:
    args = ["run", str(pipeline), "--out", str(out), "--insecure-seed", "7", "--no-progress",
            "--engine", engine, *extra]  # fmt: skip
    if engine == "spark":
        args += ["--master", "local[2]"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output + str(result.exception)
    return out / yaml.safe_load(pipeline.read_text(encoding="utf-8"))["name"]


def _pipeline(tmp_path: Path, name: str, data: Path | None = None, **changes: object) -> Path:
    """The sample pipeline ``name`` on ``data`` (default: its own input, made absolute), its
    top-level keys replaced by ``changes``, written to ``tmp_path``."""
    spec = yaml.safe_load((ROOT / "pipelines" / f"{name}.yaml").read_text(encoding="utf-8"))
    own = (ROOT / "pipelines" / spec["input"]["path"]).resolve()
    spec["input"]["path"] = str(data if data is not None else own)
    spec.update(changes)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def _facts(release: Path) -> dict:
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    report = json.loads((release / "report.json").read_text(encoding="utf-8"))
    return {
        "passed": manifest["gate"]["passed"],
        "checks": manifest["gate"]["checks"],
        "verdict": report["verdict"],
        "steps": _untimed(manifest["steps"]),
        "rows": manifest["input"]["rows"],
        "masked": report.get("detection"),
        # the input's profiles and the risk before and after, counted where the rows are
        "columns": report["input"]["columns"],
        "risk": report["risk"],
    }


#: what differs between any two runs: time taken, clock time, where the (fresh) ledger is
_RUN_FACTS = frozenset({"seconds", "created_at", "location", "chain_head"})


def _untimed(value: object) -> object:
    """Without what differs from run to run (time taken, the ledger's own place and chain)."""
    if isinstance(value, dict):
        return {k: _untimed(v) for k, v in value.items() if k not in _RUN_FACTS}
    if isinstance(value, list):
        return [_untimed(v) for v in value]
    return value


def _same(a: Path, b: Path) -> None:
    data = sorted(p.name for p in a.iterdir() if p.suffix == ".csv")
    assert data and data == sorted(p.name for p in b.iterdir() if p.suffix == ".csv")
    for name in data:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    # the catalogue records: the same column types and constraints, sizes and hashes
    for name in ("datapackage.json", "metadata.json", "ckan.json"):
        assert (a / name).exists() == (b / name).exists(), name
        if (a / name).exists():
            assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert _facts(a) == _facts(b)


def _solved_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suppression pattern of a table solved once for both engines: the secondary
    suppression (≈ 25 s here, the same driver code on either engine) of a problem *identical
    to the last*, array for array, is the last one's outcome. Each engine counts its own cells
    and builds its own problem; a problem that differs in any cell, weight or level is solved
    again (and then the releases differ, as they should)."""
    import copy

    import numpy as np

    from anonymizer.tables import engine, secondary

    solved: dict[bytes, secondary.Outcome] = {}

    def key(pb: secondary.Problem, *args: object) -> bytes:
        eq = pb.equations.tocsr()
        parts = [eq.data, eq.indices, eq.indptr, np.asarray(eq.shape)]
        parts += [pb.value, pb.weight, pb.upper, pb.lower, pb.suppress, pb.publish]
        return (
            b"|".join(np.ascontiguousarray(a).tobytes() for a in parts)
            + repr((pb.cap, args)).encode()
        )

    def solve(pb: secondary.Problem, time_limit: float, mip_gap: float = 0.0, **kw: object):
        k = key(pb, time_limit, mip_gap)
        if k not in solved:
            solved[k] = secondary.solve(pb, time_limit, mip_gap, **kw)  # type: ignore[arg-type]
            assert solved[k].status == "optimal"  # a time limit would make it a guess
        return copy.deepcopy(solved[k])

    monkeypatch.setattr(engine, "solve", solve)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["kaigo", "soudan", "soudan_dp", "kaigo_cells"])
def test_the_sample_pipelines_release_the_same_data(spark, tmp_path, monkeypatch, request, name):
    """soudan's file (CP932, free text masked by the detector) is streamed by one task in
    batches, as the Spark engine reads a CSV file over ``WHOLE_FILE_BYTES`` (Spark's
    binaryFile holds at most 2 GiB); the others are read whole. soudan's run (the most kinds of
    expression: reading, masking, pseudonyms, k-anonymity) with Spark's expressions compiled,
    as a run's are by default; the others interpreted, as the other engine tests
    (tests/engine/conftest.py says why)."""
    from tests.engine.test_failures import _streamed

    _streamed(monkeypatch, name == "soudan")
    if name == "soudan":
        request.getfixturevalue("compiled")
    if name == "kaigo_cells":
        _solved_once(monkeypatch)
    pipeline = ROOT / "pipelines" / f"{name}.yaml"
    releases = []
    for engine in ("pandas", "spark"):
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / f"state-{engine}"))  # a fresh ledger
        budget = CliRunner().invoke(cli, ["budget", "kunitachi-residents", "--total", "2"])
        assert budget.exit_code == 0, budget.output
        releases.append(_run(pipeline, tmp_path / engine, engine))
    local, remote = releases
    _same(local, remote)


@pytest.mark.slow
def test_a_pseudonymized_release_is_the_same_under_a_kept_key(spark, tmp_path):
    """The pseudonyms are made on the executors (the key sent with the job), and
    ``spark: {gate: driver}``: the rows are collected and the gate's checks, the policy's
    classes and the report's are the driver's, as the pandas engine's — the same release,
    report included (the executors, the default, are the other sample pipelines')."""
    key = tmp_path / "secret.key"
    key.write_text(KEY)
    pipeline = _pipeline(tmp_path, "soudan_kamei", spark={"gate": "driver"})
    local = _run(pipeline, tmp_path / "pandas", "pandas", "--key-file", str(key))
    remote = _run(pipeline, tmp_path / "spark", "spark", "--key-file", str(key))
    _same(local, remote)
    risk = _facts(remote)["risk"]
    assert risk["applicable"] and risk["before"]["records"] > risk["after"]["classes"] > 0


@pytest.mark.slow
def test_a_table_of_many_batches_releases_the_same_data(spark, tmp_path):
    """2,500 rows in Arrow batches of 100: many batches per partition on the way in and out."""
    import pandas as pd

    sample = pd.read_csv(ROOT / "samples" / "kaigo_utf8.csv", dtype=str, keep_default_na=False)
    big = pd.concat([sample] * 5, ignore_index=True)
    big["被保険者番号"] = [f"{i:010d}" for i in range(len(big))]
    data = tmp_path / "kaigo_big.csv"
    big.to_csv(data, index=False)
    spec = yaml.safe_load((ROOT / "pipelines" / "kaigo.yaml").read_text(encoding="utf-8"))
    spec["input"]["path"] = str(data)
    pipeline = tmp_path / "kaigo.yaml"
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    local = _run(pipeline, tmp_path / "pandas", "pandas")
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "100")
    try:
        remote = _run(pipeline, tmp_path / "spark", "spark")
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
    _same(local, remote)


@pytest.mark.slow
def test_a_dp_release_bounded_per_person_is_the_same(spark, tmp_path, monkeypatch):
    """``dp_aggregate`` on the executors (:mod:`anonymizer.engine.spark.dp`): 人口動態 from
    another city's 異動届 (seed 5), each person's events tripled so the bound of 2 drops
    rows, with a discovered group-by (性別) and every kind of measure over an age column —
    the same noisy table as the pandas engine, so the same rows were kept and counted."""
    import numpy as np

    from samples.city import generate_city

    ido = generate_city(residents=2_000, seed=5).ido
    ido = pd.concat([ido] * 3, ignore_index=True)
    ido["年齢"] = np.random.default_rng(5).integers(0, 100, len(ido)).astype(str)
    data = tmp_path / "ido.csv"
    ido.to_csv(data, index=False)
    spec = yaml.safe_load((ROOT / "pipelines" / "jinko_dotai.yaml").read_text(encoding="utf-8"))
    spec["input"]["path"] = str(data)
    spec["columns"]["性別"]["actions"] = ["keep"]
    spec["columns"]["年齢"] = {"role": "quasi_identifier", "actions": ["keep"]}
    step = spec["steps"][0]
    step["group_by"] = [step["group_by"][0], {"column": "性別", "discover": True}]
    step["key_discovery"] = {"weight": 1}
    step["delta"] = 1e-6
    age = {"column": "年齢", "lower": 0, "upper": 100}
    step["measures"] = [
        {"type": "count", "name": "件数"},
        {"type": "sum", **age}, {"type": "mean", **age}, {"type": "median", **age},
        {"type": "histogram", "column": "年齢", "edges": [0, 15, 65, 100]},
    ]  # fmt: skip
    pipeline = tmp_path / "jinko_dotai.yaml"
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    releases = []
    for engine in ("pandas", "spark"):
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / f"state-{engine}"))
        total = ["--total", "5", "--delta-total", "1e-4"]
        budget = CliRunner().invoke(cli, ["budget", "kunitachi-residents", *total])
        assert budget.exit_code == 0, budget.output
        releases.append(_run(pipeline, tmp_path / engine, engine))
    _same(*releases)
    table = pd.read_csv(releases[1] / "jinko_dotai.csv", dtype=str)
    assert set(table["性別"]) <= {"男", "女"} and len(table) == 2 * table["町丁"].nunique()


@pytest.mark.slow
def test_another_rows_values_are_masked_wherever_that_row_is(spark, tmp_path):
    """A 備考 naming another row's 相談番号 (a value no recognizer reads: only the record's
    matcher masks it), and one split over a row's 相談内容 and 備考: the pandas engine's
    ``mask_text`` holds every row's values; on Spark the rows are spread over 4 partitions in
    batches of 16, and each row is given the values of any row found in its texts
    (:mod:`anonymizer.engine.spark.foreign`) — the same release, the values masked."""
    frame = pd.read_csv(ROOT / "samples" / "soudan_utf8.csv", dtype=str, keep_default_na=False)
    cited, split = frame.loc[3, "相談番号"], frame.loc[190, "相談番号"]
    for row in (150, 151, 152, 153):
        frame.loc[row, "備考"] = f"{cited}の件と関連"
    frame.loc[20, "相談内容"] = frame.loc[20, "相談内容"] + split[:5]
    frame.loc[20, "備考"] = split[5:] + "も参照"
    data = tmp_path / "soudan.csv"
    frame.to_csv(data, index=False)
    pipeline = _pipeline(tmp_path, "soudan", data, spark={"partitions": 4})
    local = _run(pipeline, tmp_path / "pandas", "pandas")
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "16")
    try:
        remote = _run(pipeline, tmp_path / "spark", "spark")
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
    _same(local, remote)
    released = (remote / "soudan.csv").read_text(encoding="utf-8")
    assert cited not in released and split[:5] not in released and split[5:] not in released
    assert released.count("＜") > 0
