"""A released table the executors hold (#21 item 4): its data file, written by the executors in
parts and streamed into the release, is byte for byte the file the pandas writer makes from the
same table — headers and cells neutralised as formulas the same way, the same quoting, one BOM,
the same row order (the input's, or sorted by the released values with an empty cell first and
ties in the input's order) — and the catalogue's column types come out the same; and a run whose
gate runs on the executors with no step on the driver keeps the released cells there."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from anonymizer.engine.spark.released import SparkReleased, write_csv
from anonymizer.errors import AnonymizerError, UsageError
from anonymizer.pipeline.release import (
    ReleaseWriter,
    csv_bytes,
    in_released_order,
    neutralize_formulas,
)
from anonymizer.portal.datapackage import Hints, table_facts
from tests.engine._tables import remote as _remote

ROOT = Path(__file__).resolve().parents[2]

#: cells that test the writer: formulas, numbers that only look like them, quotes, commas,
#: line breaks, empty and missing cells, ties and an empty cell to sort first
TABLE = pd.DataFrame(
    {
        "=区分": ["=SUM(A1)", "-5", "+1.5e3", "@x", "a,b", 'say "hi"', None, "", "行1\n行2",
                "b"] * 7,
        "値": ["3", "3", "10", "2", None, "0012", "7", "7", "-1", "3"] * 7,
        "日付": ["2024-04-01", "2024-02-30", None, "2024-04-01", "", "2025-03-31", "2024-04-02",
               "2024-04-03", "2024-04-04", "2024-04-05"] * 7,
    },  # fmt: skip
    index=pd.Index(range(1000, 1070)),  # the input rows' numbers
).astype("string")
HINTS = Hints(categories=frozenset({"'=区分", "値"}), counts=frozenset({"値"}), missing=("", "X"))


def _written(
    tmp_path: Path, remote: SparkReleased, encoding: str, limit: int = 1_000_000
) -> tuple[list[bytes], tuple]:
    from anonymizer.pipeline.release import data_files, neutralize_headers

    writer = ReleaseWriter(tmp_path / "out", "t", force=False)
    headers, _renamed = neutralize_headers(list(remote.names))
    files = data_files("data.csv", len(remote), limit)
    found = write_csv(remote, writer, files, limit, encoding, headers, HINTS.missing)
    data = [(writer.tmp / f).read_bytes() for f in files]
    writer.abort()
    return data, found


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
@pytest.mark.parametrize("order", ["input", "released"])
@pytest.mark.parametrize("per_range", [200_000, 7])  # one range, or 10 streamed in order
@pytest.mark.parametrize("per_file", [1_000_000, 9])  # one file, or 8 parts cut mid-batch
def test_the_executors_write_the_file_the_pandas_writer_writes(
    spark, tmp_path, monkeypatch, encoding, order, per_range, per_file
):
    """The same bytes as the pandas writer — in part files of ``per_file`` rows too, each
    with the header, cut where a row ends (a cell holds a line break)."""
    import hashlib

    from anonymizer.engine.spark import released

    monkeypatch.setattr(released, "WRITE_ROWS", per_range)
    frame = TABLE.sample(frac=1.0, random_state=3).sort_index()  # in the input's order
    remote = _remote(spark, frame, partitions=4)
    if order == "released":
        remote, frame = remote.in_released_order(), in_released_order(frame)
    data, (files, changed, facts) = _written(tmp_path, remote, encoding, per_file)

    safe, neutralized = neutralize_formulas(frame)
    expected = [
        csv_bytes(safe.iloc[i : i + per_file], encoding) for i in range(0, len(safe), per_file)
    ]
    assert len(data) == (1 if per_file > len(safe) else 8)
    assert data == expected
    assert files == [
        (hashlib.sha256(e).hexdigest(), len(e), min(per_file, len(safe) - i * per_file))
        for i, e in enumerate(expected)
    ]
    assert changed == neutralized - 1  # the header is counted apart
    boms = [d.count(b"\xef\xbb\xbf") for d in data]
    assert boms == [1 if encoding == "utf-8-sig" else 0] * len(data)  # each file's own
    assert list(facts) == list(safe.columns)
    assert _same_fields(facts, table_facts(safe, HINTS))


def _same_fields(a: dict, b: dict) -> bool:
    from anonymizer.portal.datapackage import field_of

    return all(field_of(n, a[n], HINTS) == field_of(n, b[n], HINTS) for n in b)


def test_no_row_is_a_header_and_fields_of_no_cell(spark, tmp_path):
    remote = _remote(spark, TABLE.iloc[0:0], partitions=2)
    [data], ([(_sha, size, rows)], changed, facts) = _written(tmp_path, remote, "utf-8-sig")
    assert data == csv_bytes(neutralize_formulas(TABLE.iloc[0:0])[0], "utf-8-sig")
    assert (size, rows, changed) == (len(data), 0, 0)
    assert [f.cells for f in facts.values()] == [0, 0, 0]


def test_a_character_the_encoding_lacks_names_the_column_not_the_value(spark, tmp_path):
    frame = pd.DataFrame({"名前": ["髙橋", "𠮷野"], "区分": ["a", "b"]}, dtype="string")
    remote = _remote(spark, frame[["区分", "名前"]], partitions=2)
    writer = ReleaseWriter(tmp_path / "out", "t", force=False)
    from anonymizer.engine.spark.remote import local_error

    def guard(fn):  # the engine's own guard: an executor's error crosses as its marker
        try:
            return fn()
        except AnonymizerError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise local_error(exc, "writing") from None

    remote = SparkReleased(remote.data, remote.names, remote.slots, 2, guard)
    with pytest.raises(UsageError) as err:
        write_csv(remote, writer, ["data.csv"], 1_000_000, "cp932", ["区分", "名前"], ("",))
    writer.abort()
    assert "'名前'" in err.value.message and "cp932" in err.value.message
    assert "𠮷" not in err.value.message and "野" not in err.value.message


@pytest.mark.slow
def test_with_the_gate_on_the_executors_the_released_cells_stay_there(spark, tmp_path):
    """soudan (k-anonymity by aggregation, then the gate on the executors): the run gets the
    released table as the executors hold it, no person column's values, and the same rows."""
    from anonymizer.engine.spark import transform
    from anonymizer.io.rows import begin, end
    from anonymizer.pipeline.plan import RunOptions
    from anonymizer.pipeline.run import prepare
    from anonymizer.progress import no_progress

    spec = yaml.safe_load((ROOT / "pipelines" / "soudan.yaml").read_text(encoding="utf-8"))
    spec["input"]["path"] = str((ROOT / "pipelines" / spec["input"]["path"]).resolve())
    spec["spark"] = {"gate": "executors"}
    pipeline = tmp_path / "soudan.yaml"
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    opts = RunOptions(pipeline, tmp_path / "out", seed=7, progress=False, engine="spark",
                      master="local[2]")  # fmt: skip
    plan = prepare(opts)
    token = begin(None)  # the run's row naming ends with it
    try:
        done = transform(plan, opts, no_progress, {})
    finally:
        end(token)
        plan.detector.close()
    assert isinstance(done.out, SparkReleased) and isinstance(done.before_steps, SparkReleased)
    assert done.persons is None and done.frame.shape[1] == 0  # no cell of the input either
    # nor the rows' numbers: a range counted there (O(1) memory, whatever the rows)
    assert isinstance(done.frame.index, pd.RangeIndex)
    kanon = done.step_results[0].report
    assert len(done.out) == kanon["records_out"] == done.out.data.count()
    assert len(done.before_steps) == len(done.frame) == kanon["records_in"]
    assert len(done.out) == len(done.before_steps) - kanon["suppressed"]


def test_a_national_layouts_cells_are_judged_where_the_rows_are(spark):
    """The profile check's cells on the executors: the same counts, and the same first rows
    named by their position in the table (the input's row numbers have gaps here)."""
    from anonymizer.profiles import load_profile, profile_check
    from anonymizer.profiles.check import bad_cells

    profile = load_profile("population_by_area_age", "test")
    n = 40
    good = {"lg_code": "132152", "code": "A-1", "text": "富士見台", "date": "2024-04-01",
            "count": "12"}  # fmt: skip
    frame = pd.DataFrame(
        {c.name: [good[c.type]] * n for c in profile.columns},
        index=pd.Index([10 + 3 * i for i in range(n)]),
    ).astype("string")
    cols = [c.name for c in profile.columns]
    frame.iloc[[2, 5, 7, 11, 13, 17, 19], cols.index("総人口")] = "-1"  # 7 bad: 5 listed
    frame.iloc[[4], cols.index("男性")] = "X"  # the suppression mark: fine
    frame.iloc[[6, 30], cols.index("女性")] = "1.5"
    frame.iloc[[8], cols.index("調査年月日")] = "2024-02-30"
    frame.iloc[[9], cols.index("全国地方公共団体コード")] = "999999"
    frame.iloc[[1, 3], cols.index("地域コード")] = pd.NA  # may be empty
    frame.iloc[[12], cols.index("地域名")] = " "
    remote = _remote(spark, frame, partitions=3)
    expected = bad_cells(frame, profile, "X")
    assert remote.bad_cells(profile, "X") == expected
    assert expected["総人口"] == {"type": "count", "cells": 7, "rows": [3, 6, 8, 12, 14]}
    assert set(expected) == {"総人口", "女性", "調査年月日", "全国地方公共団体コード", "地域名"}
    local = profile_check(frame, profile, "X")
    assert profile_check(remote, profile, "X", remote.bad_cells) == local and not local.passed
    clean = _remote(spark, frame.iloc[[0, 1, 3]], partitions=2)
    assert clean.bad_cells(profile, "X") == {}

