"""The Spark engine's input header and errors across the executor boundary — without Spark:
the driver's side of the reader, and the marker an executor raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonymizer.engine.spark.read import inspect
from anonymizer.engine.spark.remote import carry_errors, local_error
from anonymizer.errors import ConfigError, InputError, InternalError
from anonymizer.io import read_table

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.mark.parametrize("name", ["soudan_cp932.csv", "soudan_utf8.csv", "kaigo_utf8.csv"])
def test_the_header_encoding_and_delimiter_are_the_pandas_readers(name):
    table = read_table(SAMPLES / name)
    source = inspect(SAMPLES / name, "auto", None, None)
    assert source.columns == tuple(table.frame.columns)
    assert (source.encoding, source.delimiter, source.header_row) == (
        table.encoding, table.delimiter, table.header_row,
    )  # fmt: skip


def test_title_rows_above_the_header_are_skipped_as_the_pandas_reader_does(tmp_path):
    data = tmp_path / "titled.csv"
    body = (SAMPLES / "kaigo_utf8.csv").read_text(encoding="utf-8")
    data.write_text("要介護認定者一覧\n令和6年度 高齢者支援課\n\n" + body, encoding="cp932", errors="replace")
    table = read_table(data)
    source = inspect(data, "auto", None, None)
    assert source.header_row == table.header_row > 1
    assert source.columns == tuple(table.frame.columns)


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_what_the_spark_engine_cannot_read_yet_is_refused_by_name(tmp_path, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(b"x")
    with pytest.raises(ConfigError, match="not supported on the Spark engine yet"):
        inspect(path, "auto", None, None)


def test_a_damaged_parquet_file_is_an_input_error(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 not really")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        inspect(path, "auto", None, None)


def _fails(exc: Exception):
    @carry_errors
    def run(batches):
        yield from batches
        raise exc

    return run


def test_a_project_error_crosses_as_itself():
    with pytest.raises(Exception) as caught:
        list(_fails(InputError("data.csv: line 7 has 12 fields, the header has 11"))([1]))
    err = local_error(RuntimeError(f"Traceback …\n{caught.value}\n  at org.apache…"), "reading")
    assert isinstance(err, InputError)
    assert err.message == "data.csv: line 7 has 12 fields, the header has 11"


def test_an_unexpected_error_crosses_without_its_message():
    canary = "山田太郎 090-1234-5678"
    with pytest.raises(Exception) as caught:
        list(_fails(ValueError(f"cannot parse {canary!r}"))([1]))
    assert canary not in str(caught.value)
    err = local_error(RuntimeError(str(caught.value)), "reading")
    assert isinstance(err, InternalError) and "ValueError" in err.message
    assert canary not in err.message


def test_a_spark_failure_without_a_marker_names_only_its_type():
    err = local_error(ConnectionRefusedError("executor 3 lost: 山田太郎"), "transforming the input")
    assert isinstance(err, ConfigError)
    assert "ConnectionRefusedError" in err.message and "山田" not in err.message


def _folder(tmp_path: Path, names: dict[str, bytes]) -> Path:
    folder = tmp_path / "table"
    folder.mkdir()
    for name, data in names.items():
        (folder / name).write_bytes(data)
    return folder


def test_a_directory_s_parts_are_read_in_name_order_without_its_markers(tmp_path):
    body = (SAMPLES / "kaigo_utf8.csv").read_bytes()
    folder = _folder(tmp_path, {
        "part-00001.csv": body, "part-00000.csv": body, "_SUCCESS": b"", ".part-0.csv.crc": b"x",
    })  # fmt: skip
    source = inspect(folder, "auto", None, None)
    assert source.names == ("part-00000.csv", "part-00001.csv")
    columns = tuple(read_table(SAMPLES / "kaigo_utf8.csv").frame.columns)
    assert source.split and source.columns == columns


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ({}, "holds no part files"),
        ({"part-0.csv": b"a,b\n1,2\n", "notes.xlsx": b"x"}, "not notes.xlsx"),
        ({"part-0.csv": b"a,b\n1,2\n", "part-1.parquet": b"PAR1"}, "mixes CSV and Parquet"),
        ({"part-0.csv": b"a,b\n1,2\n", "part-1.csv": b"a,c\n1,2\n"}, "part-1.csv: its columns"),
    ],
    ids=["empty", "stray file", "mixed kinds", "another header"],
)  # fmt: skip
def test_a_directory_that_is_not_one_table_is_refused_by_name(tmp_path, names, message):
    with pytest.raises(InputError, match=message):
        inspect(_folder(tmp_path, names), "auto", None, None)
