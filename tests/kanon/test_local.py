"""Mondrian local recoding: privacy checked with pycanon, labels come from the hierarchies."""

from __future__ import annotations

import pytest
from pycanon import anonymity

from anonymizer.errors import GateRefused
from anonymizer.kanon import KAnonConfig, anonymize
from anonymizer.kanon.engine import prepare
from tests.kanon.conftest import QIS, people

QI_COLS = list(QIS)


@pytest.fixture(scope="module")
def frame():
    return people(400, seed=5)


@pytest.mark.parametrize("k", [2, 5, 10])
def test_k_anonymous(frame, k):
    res = anonymize(frame, KAnonConfig(qis=QIS, k=k, local_recoding=True))
    assert res.method == "mondrian" and res.levels is None and res.suppressed == 0
    assert anonymity.k_anonymity(res.frame, QI_COLS) >= k
    assert res.classes.min == anonymity.k_anonymity(res.frame, QI_COLS)
    assert len(res.frame) == len(frame)


def test_labels_are_hierarchy_labels(frame):
    res = anonymize(frame, KAnonConfig(qis=QIS, k=5, local_recoding=True))
    enc = prepare(frame, KAnonConfig(qis=QIS, k=5))
    for col, h in zip(enc.columns, enc.hierarchies, strict=True):
        allowed = {str(x) for x in h.table.ravel()}
        assert set(res.frame[col]) <= allowed


def test_l_diversity_and_t_closeness(frame):
    cfg = KAnonConfig(qis=QIS, k=3, sensitive=("disease",), l=3, t=0.3, local_recoding=True)
    res = anonymize(frame, cfg)
    assert anonymity.l_diversity(res.frame, QI_COLS, ["disease"]) >= 3
    assert anonymity.t_closeness(res.frame, QI_COLS, ["disease"]) <= 0.3 + 1e-9


def test_average_risk_via_minimum_class_size(frame):
    res = anonymize(frame, KAnonConfig(qis=QIS, k=1, max_risk=0.2, local_recoding=True))
    assert res.risk_after.prosecutor_average <= 0.2
    assert res.classes.min >= 5


def test_better_discernibility_than_global_here(frame):
    glob = anonymize(frame, KAnonConfig(qis=QIS, k=10, metric="discernibility"))
    loc = anonymize(frame, KAnonConfig(qis=QIS, k=10, metric="discernibility", local_recoding=True))
    assert loc.metric_value < glob.metric_value


def test_impossible_is_refused(frame):
    with pytest.raises(GateRefused):
        anonymize(frame, KAnonConfig(qis=QIS, k=len(frame) + 1, local_recoding=True))
