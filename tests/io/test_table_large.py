"""Files larger than the encoding-detection sample (regression: a multibyte character cut at
the end of the sample made every encoding fail, so any large UTF-8 or CP932 CSV was refused)."""

import pytest

from anonymizer.io import read_table
from anonymizer.io.table import _DETECT_BYTES


@pytest.mark.parametrize("encoding", ["utf-8", "cp932"])
def test_large_file_with_a_character_cut_at_the_sample_boundary(tmp_path, encoding):
    row = "相談,国立市で受付\n"
    n = _DETECT_BYTES // len(row.encode(encoding)) + 10
    for pad in range(4):  # choose a padding that makes the sample end inside a character
        text = "区分,内容" + "x" * pad + "\n" + row * n
        data = text.encode(encoding)
        try:
            data[:_DETECT_BYTES].decode(encoding)
        except UnicodeDecodeError:
            break
    else:
        pytest.fail("could not place the boundary inside a character")
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    table = read_table(path)
    assert len(table.frame) == n
    assert table.frame.iloc[-1, 1] == "国立市で受付"


def test_large_file_undecodable_past_the_sample_names_the_encoding(tmp_path):
    head = ("区分,内容\n" + "相談,受付\n" * (_DETECT_BYTES // 10)).encode("utf-8")
    path = tmp_path / "bad.csv"
    path.write_bytes(head + "相談,".encode() + b"\xff\xfe\n")
    from anonymizer.errors import InputError

    with pytest.raises(InputError, match="not decodable as utf_8"):
        read_table(path)
