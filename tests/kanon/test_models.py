from __future__ import annotations

import numpy as np
import pytest

from anonymizer.kanon.builders import CategoriesSpec
from anonymizer.kanon.models import (
    AverageRisk,
    Distance,
    DistinctL,
    EntropyL,
    KAnonymity,
    RecursiveCL,
    TCloseness,
)
from tests.kanon._reference import emd, hierarchical_distance

H = np.array([[5, 0, 0], [2, 2, 1], [1, 1, 1], [3, 3, 0]], dtype=float)  # classes × values


def hist(j: int) -> np.ndarray:
    return H


def test_k_and_l_models():
    sizes = H.sum(axis=1)
    assert KAnonymity(5).violating(sizes, hist).tolist() == [False, False, True, False]
    assert DistinctL(2, 1).violating(sizes, hist).tolist() == [True, False, False, False]
    assert DistinctL(3, 1).violating(sizes, hist).tolist() == [True, False, False, True]
    # exp(H): 1, 2.83, 3, 2
    assert EntropyL(3, 1).violating(sizes, hist).tolist() == [True, True, False, True]
    assert EntropyL(2, 1).violating(sizes, hist).tolist() == [True, False, False, False]
    # r1 < c (r_l + … + r_m)
    assert RecursiveCL(2.0, 2, 1).violating(sizes, hist).tolist() == [True, False, False, False]
    assert RecursiveCL(1.0, 2, 1).violating(sizes, hist).tolist() == [True, False, False, True]
    assert RecursiveCL(1.5, 3, 1).violating(sizes, hist).tolist() == [True, True, False, True]


def test_average_risk():
    assert AverageRisk(0.5).satisfied(np.array([2, 2]))
    assert not AverageRisk(0.4).satisfied(np.array([2, 2, 1]))


SALARY = np.full(9, 1 / 9)  # 3k … 11k, uniform (Li, Li & Venkatasubramanian 2007, §4)


@pytest.mark.parametrize(
    ("members", "expected"),
    [([0, 1, 2], 0.375), ([3, 5, 8], 0.167)],  # {3k,4k,5k} and {6k,8k,11k}: the paper's figures
)
def test_ordered_distance_matches_the_paper(members, expected):
    q = np.zeros(9)
    q[members] = 1 / 3
    d = Distance("ordered", SALARY, np.arange(9), None)
    assert d(q[None])[0] == pytest.approx(expected, abs=1e-3)


TREE = CategoriesSpec(
    type="categories",
    levels=[
        {"groups": {"胃": ["胃潰瘍", "胃炎", "胃癌"], "大腸": ["大腸炎", "大腸癌"],
                    "肺": ["肺炎", "気管支炎", "インフル"]}},
        {"groups": {"消化器": ["胃", "大腸"], "呼吸器": ["肺"]}},
    ],
).build("disease", "disease", [], None)


def test_hierarchical_distance_equals_a_transportation_problem():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(TREE.size))
    q = rng.dirichlet(np.ones(TREE.size), size=5)
    ours = Distance("hierarchical", p, None, TREE)(q)
    names = list(TREE.table[:, 0])
    dist = hierarchical_distance(TREE)
    for row, value in zip(q, ours, strict=True):
        ref = emd(dict(zip(names, row, strict=True)), dict(zip(names, p, strict=True)), dist)
        assert value == pytest.approx(ref, abs=1e-7)


def test_equal_and_ordered_distance_equal_transportation_problems():
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.ones(6))
    q = rng.dirichlet(np.ones(6), size=4)
    names = [str(i) for i in range(6)]
    for kind, dist in [
        ("equal", lambda a, b: float(a != b)),
        ("ordered", lambda a, b: abs(int(a) - int(b)) / 5),
    ]:
        ours = Distance(kind, p, np.arange(6), None)(q)
        for row, value in zip(q, ours, strict=True):
            ref = emd(dict(zip(names, row, strict=True)), dict(zip(names, p, strict=True)), dist)
            assert value == pytest.approx(ref, abs=1e-7)


def test_t_closeness_model():
    p = np.array([0.5, 0.5])
    model = TCloseness(0.2, (Distance("equal", p, None, None),))
    h = np.array([[5.0, 5.0], [9.0, 1.0], [7.0, 3.0]])
    assert model.violating(h.sum(axis=1), lambda j: h).tolist() == [False, True, False]
    assert model.achieved(h.sum(axis=1), lambda j: h) == pytest.approx(0.4)
