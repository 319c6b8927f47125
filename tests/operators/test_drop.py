import pandas as pd

from anonymizer.operators import OPERATORS
from anonymizer.operators.drop import Drop
from tests.operators.conftest import column, make


def test_drop_is_registered_and_flags_the_column():
    op = make("drop")
    assert isinstance(op, Drop) and OPERATORS.get("drop") is Drop
    assert Drop.DROPS_COLUMN is True and op.CONTROLLED_OUTPUT is True


def test_drop_apply_leaves_nothing():
    s = column("山田太郎", "", pd.NA, index=[3, 4, 5])
    out = make("drop").apply(s)
    assert out.isna().all()
    assert out.index.tolist() == [3, 4, 5] and out.dtype == s.dtype and out.name == "col"
