import pandas as pd
import pytest

from anonymizer.errors import ConfigError
from tests.operators.conftest import column, make


@pytest.mark.parametrize(
    ("params", "value", "expected"),
    [
        ({}, "山田太郎", ""),
        ({}, "０９０－１２３４－５６７８", ""),
        ({}, "0012345", ""),
        ({"fill": "■"}, "090-1234-5678", "■"),
        ({"fill": "■"}, "ﾔﾏﾀﾞ", "■"),
        # blank cells stay exactly as they were
        ({"fill": "■"}, "", ""),
        ({"fill": "■"}, " ", " "),
        ({"fill": "■"}, "\u3000", "\u3000"),
        ({"fill": "■"}, pd.NA, pd.NA),
    ],
)
def test_redact(params, value, expected):
    out = make("redact", params).apply(column(value))
    assert out.tolist() == [expected]


def test_redact_keeps_index_and_is_controlled():
    op = make("redact")
    s = column("a", pd.NA, "b", index=[7, 8, 9])
    out = op.apply(s)
    assert out.index.tolist() == [7, 8, 9] and out.dtype == s.dtype
    assert op.CONTROLLED_OUTPUT is True


def test_redact_rejects_unknown_params():
    with pytest.raises(ConfigError, match=r"^\[E002\] pipeline.yaml: steps\[0\]: colour"):
        make("redact", {"colour": "red"})
