from __future__ import annotations

import math

import numpy as np
import pytest

from anonymizer.errors import ConfigError
from anonymizer.kanon.search import Lattice, NodeEval, search


def test_lattice_shape_and_neighbours():
    lat = Lattice((1, 2))
    assert lat.size == 6
    assert lat.nodes.tolist() == [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]
    assert lat.index((1, 1)) == 4
    assert sorted(lat.successors(lat.index((0, 1)))) == [lat.index((0, 2)), lat.index((1, 1))]
    assert lat.up(lat.index((0, 1))).tolist() == [False, True, True, False, True, True]
    assert lat.down(lat.index((1, 1))).tolist() == [True, True, False, True, True, False]


def test_lattice_size_limit():
    with pytest.raises(ConfigError, match="transformations"):
        Lattice((9,) * 8)


def _toy(threshold: int, values: dict[tuple[int, ...], float]):
    """Anonymous iff level sum ≥ threshold; metric from ``values`` (default: level sum)."""
    lat = Lattice((2, 2, 2))
    checked: list[int] = []

    def evaluate(i: int) -> NodeEval:
        checked.append(i)
        node = tuple(int(x) for x in lat.nodes[i])
        ok = sum(node) >= threshold
        v = values.get(node, sum(node) + 0.5)  # a value is never below its bound
        return NodeEval(ok, ok, v if ok else math.inf, float(sum(node)), 0)

    return lat, evaluate, checked


@pytest.mark.parametrize("threshold", [0, 2, 3, 6])
def test_finds_the_optimum_and_prunes(threshold):
    special = {(2, 0, 1): 3.1, (0, 1, 2): 3.05}
    lat, evaluate, checked = _toy(threshold, special)
    bounds = lat.sums.astype(float)
    best, stats = search(lat, evaluate, bounds)
    # brute force
    ok = lat.sums >= threshold
    values = [special.get(tuple(int(x) for x in n), n.sum() + 0.5) for n in lat.nodes]
    expected = min(v for v, o in zip(values, ok, strict=True) if o)
    assert values[best] == expected
    assert stats.checked == len(set(checked)) < lat.size


def test_no_anonymous_node():
    lat, evaluate, _ = _toy(7, {})
    assert search(lat, evaluate, lat.sums.astype(float))[0] is None


def test_search_without_closed_form_bounds():
    lat, evaluate, _ = _toy(3, {})
    best, _ = search(lat, evaluate, None)
    assert lat.sums[best] == 3


def test_known_bad_nodes_are_never_checked():
    lat, evaluate, checked = _toy(3, {})
    known_bad = lat.sums < 3
    search(lat, evaluate, lat.sums.astype(float), known_bad)
    assert not np.any(known_bad[checked])
