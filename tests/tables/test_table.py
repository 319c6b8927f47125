import numpy as np
import pandas as pd
import pytest

from anonymizer.errors import InputError
from anonymizer.tables.hierarchy import load_hierarchy
from anonymizer.tables.table import Dimension, from_cells, tabulate

TOWNS = ["青柳", "石田", "泉", "北", "中", "西", "東", "富士見台", "谷保", "矢川"]


def dims():
    return (
        Dimension("町", load_hierarchy("kunitachi_chiku.yaml", "t")),
        Dimension("性別", load_hierarchy("sex.yaml", "t")),
    )


def rows(n=300, seed=3):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "町": rng.choice(TOWNS, n), "性別": rng.choice(["男", "女"], n),
        "額": rng.integers(0, 1000, n).astype(str), "人": rng.integers(0, 60, n).astype(str),
    })  # fmt: skip


def test_counts_are_additive_and_match_groupby():
    f = rows()
    t = tabulate(f, dims(), where="w")
    assert t.shape == (14, 3)
    assert np.abs(t.equations @ t.value).max() == 0
    cube = t.value.reshape(t.shape)
    h = t.dims[0].hierarchy
    for town, n in f.groupby("町").size().items():
        assert cube[h.codes.index(town), 0] == n
    assert cube[0, 0] == len(f)
    assert np.array_equal(t.freq, t.value.astype(int))


def test_persons_are_counted_once_per_cell_and_top_contributions():
    f = rows()
    t = tabulate(f, dims(), where="w", sum_column="額", contributors=f["人"], top=2)
    cube = t.freq.reshape(t.shape)
    assert cube[0, 0] == f["人"].nunique()
    h = t.dims[0].hierarchy
    sub = f[f["町"] == "東"]
    per = (
        sub.assign(v=sub["額"].astype(float)).groupby("人")["v"].sum().sort_values(ascending=False)
    )
    cell = h.codes.index("東") * 3
    assert cube.ravel()[cell] == sub["人"].nunique()
    assert t.top[cell].tolist() == per.iloc[:2].tolist()
    assert t.value[cell] == pytest.approx(per.sum())


def test_value_outside_the_hierarchy_names_column_and_rows_not_values():
    f = rows(20)
    f.loc[4, "町"] = "立川"
    with pytest.raises(InputError) as err:
        tabulate(f, dims(), where="p.yaml: steps[0]")
    msg = str(err.value)
    assert "'町'" in msg and "(data row 5)" in msg and "立川" not in msg


def test_negative_or_non_numeric_sums_are_errors():
    f = rows(20)
    f.loc[2, "額"] = "-5"
    with pytest.raises(InputError, match=r"negative value in data row 3\b"):
        tabulate(f, dims(), where="w", sum_column="額")
    f.loc[2, "額"] = "abc"
    with pytest.raises(InputError, match="not a number"):
        tabulate(f, dims(), where="w", sum_column="額")


def aggregated():
    t = tabulate(rows(), dims(), where="w")
    lf = t.long_frame()
    lf["n"] = t.value.astype(int).astype(str)
    return t, lf


def test_an_aggregated_table_is_read_back_with_its_totals_checked():
    t, lf = aggregated()
    back = from_cells(lf, dims(), "n", where="w")
    assert np.array_equal(back.value, t.value)
    leaves_only = lf[(lf["町"].isin(TOWNS)) & (lf["性別"] != "総数")]
    assert np.array_equal(from_cells(leaves_only, dims(), "n", where="w").value, t.value)


def test_non_additive_margins_name_the_cell_not_the_counts():
    _, lf = aggregated()
    lf.loc[(lf["町"] == "南部") & (lf["性別"] == "女"), "n"] = "999"
    with pytest.raises(InputError) as err:
        from_cells(lf, dims(), "n", where="table.csv")
    msg = str(err.value)
    assert "non-additive" in msg and "(町=南部, 性別=女)" in msg and "999" not in msg


def test_negative_counts_and_duplicates_name_coordinates():
    _, lf = aggregated()
    bad = lf.copy()
    bad.loc[(bad["町"] == "東") & (bad["性別"] == "男"), "n"] = "-1"
    with pytest.raises(InputError, match=r"negative count at \(町=東, 性別=男\)"):
        from_cells(bad, dims(), "n", where="w")
    twice = pd.concat([lf, lf.iloc[[3]]])
    with pytest.raises(InputError, match="more than once"):
        from_cells(twice, dims(), "n", where="w")
