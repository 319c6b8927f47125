"""Bad input on the Spark engine (#21): no JDK, no master, an executor that fails mid-run, an
input it cannot read — each an exit 2 with a clear message, no value quoted and nothing
released."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from anonymizer.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "kaigo_utf8.csv"
#: a value of the sample (a 氏名) that no message may quote
CANARY = "荒井　未麻"


def _pipeline(tmp_path: Path, data: Path | str, **changes: object) -> Path:
    spec = yaml.safe_load((ROOT / "pipelines" / "kaigo.yaml").read_text(encoding="utf-8"))
    spec["input"]["path"] = str(data)
    spec.update(changes)
    path = tmp_path / "kaigo.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def _released(tmp_path: Path, engine: str, data: Path | str) -> Path:
    """The kaigo pipeline on ``data`` (a path or a URI) through ``engine``: its release. The
    gate's checks on the driver: the input's reading and hashing are under test here, the
    gate on the executors is tests/engine/test_gate.py's and the equivalence's subject."""
    out = tmp_path / f"out-{engine}"
    pipeline = _pipeline(tmp_path, data, spark={"gate": "driver"})
    args = ["run", str(pipeline), "--out", str(out), "--no-progress",
            "--insecure-seed", "3", "--engine", engine, "--master", "local[2]"]  # fmt: skip
    run = CliRunner().invoke(cli, args)
    assert run.exit_code == 0, run.output
    return out / "kaigo"


def _nothing_released(out: Path) -> None:
    assert not (out / "kaigo").exists()
    assert not out.exists() or not any(p.name.endswith((".partial", ".release")) for p in out.iterdir())


def _subprocess(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "from anonymizer.cli.main import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_without_a_java_runtime_the_run_says_so(tmp_path):
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-jdk"), "PATH": str(tmp_path / "no-bin")}
    env["PYTHONPATH"] = str(ROOT)
    out = tmp_path / "out"
    run = _subprocess(["run", str(_pipeline(tmp_path, SAMPLE)), "--out", str(out), "--engine", "spark",
                       "--no-progress"], env)  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "no Java runtime found" in run.stderr and "openjdk-17-jre-headless" in run.stderr
    assert "Traceback" not in run.stderr
    _nothing_released(out)


@pytest.mark.slow
def test_an_unreachable_master_fails_fast(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "out"
    t0 = time.monotonic()
    run = _subprocess(["run", str(_pipeline(tmp_path, SAMPLE)), "--out", str(out), "--engine", "spark",
                       "--master", "spark://127.0.0.1:1", "--no-progress"], env)  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "no Spark master reachable at spark://127.0.0.1:1" in run.stderr
    assert time.monotonic() - t0 < 60
    _nothing_released(out)


def _both(tmp_path: Path, data: Path) -> list[str]:
    """The message of each engine (each must exit 2 and release nothing)."""
    messages = []
    for engine in ("pandas", "spark"):
        out = tmp_path / f"out-{engine}"
        args = ["run", str(_pipeline(tmp_path, data)), "--out", str(out), "--no-progress",
                "--engine", engine, "--master", "local[2]"]  # fmt: skip
        run = CliRunner().invoke(cli, args)
        assert run.exit_code == 2, run.output
        assert CANARY not in run.output and "Traceback" not in run.output
        _nothing_released(out)
        messages.append(run.output)
    return messages


def _streamed(monkeypatch, streamed: bool) -> None:
    """``streamed``: the Spark engine streams the file in batches, as it does a file over
    ``WHOLE_FILE_BYTES`` (1 GiB), instead of parsing it whole."""
    from anonymizer.engine.spark import read

    if streamed:
        monkeypatch.setattr(read, "WHOLE_FILE_BYTES", 0)


@pytest.mark.slow
@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_a_ragged_row_found_by_an_executor_is_the_same_error(
    spark, tmp_path, monkeypatch, streamed
):
    _streamed(monkeypatch, streamed)
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[300] += ",余分"
    data = tmp_path / "ragged.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    local, remote = _both(tmp_path, data)
    assert "row 301 has 12 fields, the header has 11" in remote
    assert local == remote


@pytest.mark.slow
@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_a_byte_no_encoding_decodes_after_the_head_is_the_same_error(
    spark, tmp_path, monkeypatch, streamed
):
    _streamed(monkeypatch, streamed)
    raw = SAMPLE.read_bytes()
    head, body = raw.split(b"\n", 1)
    body = body * 45  # past the 4 MiB the encoding is detected on
    bad = len(head) + 1 + len(body) - 20
    data = tmp_path / "broken.csv"
    data.write_bytes(head + b"\n" + body[: bad - len(head) - 1] + b"\xff" + body[bad - len(head) :])
    local, remote = _both(tmp_path, data)
    assert "not decodable as utf_8" in remote
    assert local == remote


@pytest.mark.slow
def test_an_executor_failure_quotes_nothing_on_any_stream(tmp_path):
    """In a process of its own (the JVM and the Python workers write to its stderr too): a
    task that fails leaves no traceback, log line or warning quoting a cell."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[5] += ",余分"
    data = tmp_path / "ragged.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = _subprocess(["run", str(_pipeline(tmp_path, data)), "--out", str(out), "--engine", "spark",
                       "--master", "local[2]", "--no-progress"], env)  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "row 6 has 12 fields, the header has 11" in run.stderr
    for value in (CANARY, "0094534400", "谷保四丁目23番10号", "Traceback", "Exception"):
        assert value not in run.stdout + run.stderr
    _nothing_released(out)


def test_the_jvm_exits_when_its_heap_runs_out(spark):
    """An OutOfMemoryError in any JVM thread ends the JVM (so the run fails: exit 2, nothing
    released), never a run that waits for a lost thread's result."""
    bean = spark.sparkContext._jvm.java.lang.management.ManagementFactory.getRuntimeMXBean()
    assert "-XX:+ExitOnOutOfMemoryError" in list(bean.getInputArguments())


def _parts(tmp_path: Path, kind: str) -> Path:
    """The sample split into three parts of uneven size (each CSV part with its header, in
    CP932), as Spark writes a table: part files, its markers and a hidden file."""
    import pandas as pd

    whole = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    folder = tmp_path / f"kaigo_{kind}"
    folder.mkdir()
    for i, (a, b) in enumerate([(0, 170), (170, 171), (171, len(whole))]):
        part = whole.iloc[a:b]
        name = folder / f"part-{i:05d}-c000.{'csv' if kind == 'csv' else 'snappy.parquet'}"
        if kind == "csv":
            part.to_csv(name, index=False, encoding="cp932")
        else:
            part.to_parquet(name, row_group_size=64, index=False)
    (folder / "_SUCCESS").write_bytes(b"")
    (folder / "_committed_1234").write_bytes(b"{}")
    (folder / ".DS_Store").write_bytes(b"\x00")
    return folder


def _spark_rows(spark, where: Path) -> list[list[str]]:
    """The rows the Spark engine reads from ``where`` (a file or a directory of parts), in
    the order of their numbers, which must be 0 … n-1."""
    from anonymizer.engine.spark.read import inspect, read

    source = inspect(where, "auto", None, None)
    got = read(spark, source).toPandas().sort_values("__row")
    assert got["__row"].tolist() == list(range(len(got)))
    return got.drop(columns="__row").fillna("").to_numpy().tolist()


def _whole_rows() -> list[list[str]]:
    from anonymizer.io import read_table

    return read_table(SAMPLE).frame.fillna("").to_numpy().tolist()


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_directory_of_part_files_is_read_as_the_whole_file(spark, tmp_path, kind):
    """A table Spark wrote (CSV parts in CP932, each with its header, or Parquet parts; its
    markers and a hidden file): the whole file's rows, numbered on from part to part."""
    assert _spark_rows(spark, _parts(tmp_path, kind)) == _whole_rows()


def test_a_parquet_file_is_read_as_the_csv_file(spark, tmp_path):
    """Row groups of 128 rows: numbered by ``_metadata.row_index``."""
    import pandas as pd

    data = tmp_path / "kaigo.parquet"
    pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).to_parquet(data, row_group_size=128)
    assert _spark_rows(spark, data) == _whole_rows()


@pytest.mark.slow
def test_a_directory_of_part_files_at_a_uri_releases_what_the_whole_file_releases(
    spark, tmp_path
):
    """Parquet parts at a URI (``file://``: listed, read and hashed through Spark's Hadoop
    file system, as ``hdfs://`` or ``s3a://`` are): on the Spark engine, the release of the
    whole file on the pandas engine, and the report's input hash is that of the parts'
    ``sha256sum`` listing. (CSV parts at a URI: their heads are read as a single file's at a
    URI is, below; their rows as local parts' are.)"""
    import hashlib
    import json

    folder = _parts(tmp_path, "parquet")
    where = f"file://{folder}"
    local, remote = _released(tmp_path, "pandas", SAMPLE), _released(tmp_path, "spark", where)
    assert (local / "kaigo.csv").read_bytes() == (remote / "kaigo.csv").read_bytes()
    listing = "".join(
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n"
        for p in sorted(folder.glob("part-*"))
    )
    manifest = json.loads((remote / "manifest.json").read_text("utf-8"))
    assert manifest["input"]["sha256"] == hashlib.sha256(listing.encode()).hexdigest()
    assert manifest["input"]["rows"] == 500


@pytest.mark.slow
def test_a_ragged_row_in_a_part_names_the_part_and_its_line(spark, tmp_path):
    folder = _parts(tmp_path, "csv")
    part = folder / "part-00002-c000.csv"
    lines = part.read_text(encoding="cp932").splitlines()
    lines[4] += ",余分"
    part.write_text("\n".join(lines) + "\n", encoding="cp932")
    out = tmp_path / "out"
    args = ["run", str(_pipeline(tmp_path, folder)), "--out", str(out), "--no-progress",
            "--engine", "spark", "--master", "local[2]"]  # fmt: skip
    run = CliRunner().invoke(cli, args)
    assert run.exit_code == 2, run.output
    assert "part-00002-c000.csv" in run.output and "row 5 has 12 fields" in run.output
    assert CANARY not in run.output
    _nothing_released(out)


def test_a_directory_on_the_pandas_engine_is_refused_by_name(tmp_path):
    folder = _parts(tmp_path, "csv")
    out = tmp_path / "out"
    run = CliRunner().invoke(
        cli, ["run", str(_pipeline(tmp_path, folder)), "--out", str(out), "--no-progress"]
    )
    assert run.exit_code == 2, run.output
    assert "is a directory" in run.output and "--engine spark" in run.output
    _nothing_released(out)


@pytest.mark.slow
def test_a_file_at_a_uri_is_read_and_hashed_through_spark(spark, tmp_path):
    """One CSV file at a URI (a name with a space and kanji, as Hadoop percent-encodes it):
    the pandas engine's release of the same file, and the file's own SHA-256."""
    import hashlib
    import json
    import shutil

    data = tmp_path / "介護 一覧.csv"
    shutil.copy(SAMPLE, data)
    releases = [
        _released(tmp_path, "pandas", data), _released(tmp_path, "spark", f"file://{data}")
    ]
    for release in releases:
        manifest = json.loads((release / "manifest.json").read_text("utf-8"))
        assert manifest["input"]["file"] == data.name
        assert manifest["input"]["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    assert (releases[0] / "kaigo.csv").read_bytes() == (releases[1] / "kaigo.csv").read_bytes()


@pytest.mark.parametrize(
    ("engine", "message"),
    [("pandas", "is a URI; an input at a URI is read by the Spark engine"), ("spark", "not found")],
)
def test_a_uri_on_the_pandas_engine_or_with_nothing_there_is_refused(
    request, tmp_path, engine, message
):
    if engine == "spark":
        request.getfixturevalue("spark")  # the tests' one shared session
    out = tmp_path / "out"
    where = f"file://{tmp_path}/nothing-here.csv"
    args = ["run", str(_pipeline(tmp_path, where)), "--out", str(out), "--no-progress",
            "--engine", engine, "--master", "local[2]"]  # fmt: skip
    run = CliRunner().invoke(cli, args)
    assert run.exit_code == 2, run.output
    assert message in run.output
    _nothing_released(out)
