from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from anonymizer.kanon import encode as encode_module
from anonymizer.kanon.encode import encode, group_codes
from anonymizer.kanon.hierarchy import from_rows


def _canonical(ids: np.ndarray) -> list[int]:
    """Relabel groups by first appearance so different numberings compare equal."""
    return pd.factorize(ids)[0].tolist()


@pytest.mark.parametrize("sizes", [(3, 4), (10**7, 10**7), (2**40, 2**40)])
def test_group_codes_paths_agree(sizes):
    rng = np.random.default_rng(0)
    cols = [rng.integers(0, min(s, 5), 200) for s in sizes]
    ids, n = group_codes(cols, sizes)
    expected = pd.DataFrame({"a": cols[0], "b": cols[1]}).groupby(["a", "b"], sort=False).ngroup()
    assert n == expected.max() + 1
    assert _canonical(ids) == _canonical(expected.to_numpy())


def test_encode_collapses_identical_rows():
    h = from_rows("x", [["a", "*"], ["b", "*"]])
    frame = pd.DataFrame({"x": ["a", "b", "a", "a"], "s": ["1", "1", "2", "1"]})
    enc = encode(frame, {"x": h}, sensitive=("s",))
    assert enc.n == 4 and len(enc.tuples) == 3
    assert sorted(enc.counts.tolist()) == [1, 1, 2]
    assert enc.tuples[enc.row_tuple, 0].tolist() == [0, 1, 0, 0]
    cls, sizes = enc.group([1])
    assert sizes.tolist() == [4]
    assert enc.histogram(cls, 1, 0).tolist() == [[3, 1]]


def test_classify_keyed_and_dense_paths_agree(monkeypatch):
    rng = np.random.default_rng(1)
    hs = {c: from_rows(c, [[str(i), str(i // 3), "*"] for i in range(50)]) for c in "abc"}
    frame = pd.DataFrame({c: rng.integers(0, 50, 500).astype(str) for c in "abc"})
    enc = encode(frame, hs)
    node = [0, 1, 0]
    keyed = enc.classify(node)
    monkeypatch.setattr(encode_module, "_DENSE_LIMIT", 10**12)
    dense = enc.classify([0, 1, 0])
    assert keyed[1] == dense[1]
    assert _canonical(keyed[0]) == _canonical(dense[0])
