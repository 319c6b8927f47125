import numpy as np
import pandas as pd
import pytest

from anonymizer.errors import ConfigError
from anonymizer.tables.hierarchy import load_hierarchy


def test_tree_is_pre_order_with_parents():
    h = load_hierarchy("kunitachi_chiku.yaml", "t")
    assert h.codes[:3] == ("国立市", "北部", "北")
    assert [h.codes[i] for i in h.children[0]] == ["北部", "中部", "南部"]
    assert len(h.leaves) == 10 and h.depth.max() == 2
    assert [h.codes[a] for a in h.ancestors[h.codes.index("谷保")]] == ["谷保", "南部", "国立市"]


def test_bands_two_levels_and_open_top():
    h = load_hierarchy("age_5y_10y.yaml", "t")
    assert h.codes[:4] == ("総数", "0～9歳", "0～4歳", "5～9歳")
    assert h.parent[h.codes.index("100歳以上")] == 0  # directly under the total
    assert len(h.leaves) == 21 and len(h.internal) == 11


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("37", "35～39歳"),
        ("37歳", "35～39歳"),
        ("３７歳", "35～39歳"),  # 全角
        ("35～39歳", "35～39歳"),
        ("35〜39歳", "35～39歳"),  # WAVE DASH U+301C, what other encoders make of ～
        ("35~39", "35～39歳"),
        ("35 ～ 39 歳", "35～39歳"),
        ("35歳～39歳", "35～39歳"),
        # the old form, from files written before
        ("35-39歳", "35～39歳"),
        ("３５－３９歳", "35～39歳"),  # 全角 and a dash variant
        ("35-39", "35～39歳"),
        ("05-09歳", "5～9歳"),  # generalize's old zero-padded band
        ("0", "0～4歳"),
        ("99", "95～99歳"),
        ("100", "100歳以上"),
        ("104歳", "100歳以上"),
        ("-1", None),
        ("三十七", None),
        ("30～39歳", None),  # a total, not a leaf
        ("30-39歳", None),
        ("35～38歳", None),  # not a band of the hierarchy
        ("39～35歳", None),
        ("", None),
    ],
)
def test_bands_read_ages_and_labels(value, code):
    h = load_hierarchy("age_5y_10y.yaml", "t")
    got = h.code_index(pd.Series([value]), leaves_only=True)[0]
    assert (h.codes[got] if got >= 0 else None) == code


def test_values_from_a_public_key_file_and_inline():
    h = load_hierarchy("kunitachi_cho.yaml", "t")
    assert h.codes[0] == "国立市" and len(h.leaves) == 10
    inline = load_hierarchy(
        {"type": "values", "values": ["男", "女"]}, "steps[0].dimensions[1].hierarchy"
    )
    assert inline.codes == ("総数", "男", "女")
    idx = inline.code_index(pd.Series(["男", "女", "総数", "他"]), leaves_only=False)
    assert idx.tolist() == [1, 2, 0, -1]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"type": "bands", "upper": 100, "widths": [5, 7]}, "multiple"),
        ({"type": "values", "total": "計"}, "exactly one"),
        ({"type": "tree", "total": "市", "tree": {"北部": []}}, "tree.北部"),
        ({"type": "tree", "total": "市", "tree": {"北部": ["北"], "南部": ["北"]}}, "same name"),
        ({"type": "cube"}, "steps[0].dimensions[0].hierarchy"),
    ],
)
def test_bad_hierarchies_name_where(spec, message):
    with pytest.raises(ConfigError) as err:
        load_hierarchy(spec, "steps[0].dimensions[0].hierarchy")
    assert message in str(err.value)


def test_missing_and_broken_files_name_the_path(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_hierarchy("nope.yaml", "steps[0].dimensions[0].hierarchy", tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("type: bands\nupper: 100\nwidths: [5]\nextra: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_hierarchy("bad.yaml", "w", tmp_path)
    assert str(bad) in str(err.value) and "extra" in str(err.value)


def test_leaf_matrix_sums_leaves():
    h = load_hierarchy("kunitachi_chiku.yaml", "t")
    m = h.leaf_matrix
    assert m[0].sum() == 10 and m[h.codes.index("中部")].sum() == 2
    assert np.all(m[h.leaves].sum(axis=1) == 1)
