"""A CSV file streamed in batches reads what the whole-file reader reads — the same cells, in
the same order — and refuses what it refuses with the same message, however the chunks cut
the bytes (inside a character, a quoted line break, a CRLF)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from anonymizer.errors import InputError
from anonymizer.io.csv_stream import read_csv_batches
from anonymizer.io.table import read_table

ROOT = Path(__file__).resolve().parents[2]


def _streamed(path: Path, chunk_bytes: int, batch_rows: int = 7) -> pd.DataFrame:
    whole = read_table(path)
    assert whole.encoding is not None and whole.delimiter is not None
    frames = list(
        read_csv_batches(
            path, whole.encoding, whole.delimiter, whole.header_row, list(whole.frame.columns),
            batch_rows, chunk_bytes,
        )
    )  # fmt: skip
    assert all(len(f) <= batch_rows for f in frames)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _same(path: Path, chunk_bytes: int) -> None:
    whole = read_table(path).frame.astype(object)
    got = _streamed(path, chunk_bytes)
    assert list(got.columns) == list(whole.columns)
    assert got.to_numpy().tolist() == whole.to_numpy().tolist()


@pytest.mark.parametrize("name", ["kaigo_utf8.csv", "soudan_utf8.csv", "soudan_cp932.csv"])
@pytest.mark.parametrize("chunk_bytes", [1, 5, 4096, 16 * 1024 * 1024])
def test_the_samples_read_alike(name, chunk_bytes):
    _same(ROOT / "samples" / name, chunk_bytes)


TRICKY = (
    "住民相談記録,,\r\n"  # a title row, CRLF line ends
    "作成：2026年4月,,\r\n"
    "\r\n"
    "氏名,備考,金額\r\n"
    '山田　太郎,"一行目\r\n二行目、""引用""あり",1200\r\n'  # a quoted line break and quotes
    "\r\n"  # a blank line between records
    "佐藤花子,,\r\n"  # empty cells
    '髙橋𠮷男,"a,b",\r\n'  # a character outside the BMP, a quoted delimiter
    "鈴木一郎,末尾に改行なし,0"
)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
@pytest.mark.parametrize("chunk_bytes", [1, 2, 3, 7, 64])
def test_every_cut_of_the_bytes_reads_alike(tmp_path, encoding, chunk_bytes):
    text = TRICKY if encoding != "cp932" else TRICKY.replace("𠮷", "吉").replace("髙", "高")
    path = tmp_path / "tricky.csv"
    path.write_bytes(text.encode(encoding))
    _same(path, chunk_bytes)
    got = _streamed(path, chunk_bytes)
    assert got["備考"].iloc[0] == "一行目\r\n二行目、\"引用\"あり"
    assert len(got) == 4


def _message(fn) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as err:
        fn()
    return err.value.message


def test_a_ragged_row_is_refused_alike(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("氏名,年齢\n山田,3\n佐藤,4,余分\n", encoding="utf-8")
    header = ["氏名", "年齢"]
    stream = _message(lambda: list(read_csv_batches(path, "utf-8", ",", 1, header, 10, 3)))
    assert stream == _message(lambda: read_table(path))
    assert "row 3 has 3 fields" in stream and "佐藤" not in stream


@pytest.mark.parametrize("chunk_bytes", [1, 4, 5, 4096])
def test_an_undecodable_byte_is_named_alike(tmp_path, chunk_bytes):
    path = tmp_path / "bad.csv"
    path.write_bytes("氏名,備考\n山田,ああ\n".encode() + b"\xff\xfe" + "佐藤,い\n".encode())
    stream = _message(
        lambda: list(read_csv_batches(path, "utf-8", ",", 1, ["氏名", "備考"], 10, chunk_bytes))
    )
    assert stream == _message(lambda: read_table(path, encoding="utf-8"))
    assert "line 3, byte 1 of that line" in stream


def test_a_header_that_changed_is_refused(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("氏名,年齢\n山田,3\n", encoding="utf-8")
    message = _message(lambda: list(read_csv_batches(path, "utf-8", ",", 1, ["名前", "年齢"], 10)))
    assert "header changed" in message
