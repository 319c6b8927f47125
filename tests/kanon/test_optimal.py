"""Optimality: the engine's answer equals a brute-force search with a naive reference."""

from __future__ import annotations

import pytest

from anonymizer.kanon import KAnonConfig, anonymize
from anonymizer.kanon.engine import prepare
from tests.kanon._reference import Reference, hierarchical_distance
from tests.kanon.conftest import DISEASE_TREE, QIS, people


def _reference(frame, cfg: KAnonConfig) -> Reference:
    enc = prepare(frame, cfg)
    hier = dict(zip(enc.columns, enc.hierarchies, strict=True))
    dist = None
    if cfg.t is not None:
        if cfg.t_distance == "equal":
            dist = lambda a, b: 0.0 if a == b else 1.0  # noqa: E731
        elif cfg.t_distance == "ordered":
            values = sorted({int(v) for v in frame[cfg.sensitive[0]]})
            dist = lambda a, b: abs(values.index(int(a)) - values.index(int(b))) / (len(values) - 1)  # noqa: E731
        else:
            dist = hierarchical_distance(enc.sens_hierarchies[0])
    return Reference(
        frame=frame, hier=hier, k=cfg.k, suppression=cfg.suppression, sensitive=cfg.sensitive,
        l=cfg.l, l_variant=cfg.l_variant, c=cfg.c, t=cfg.t, distance=dist,
        max_risk=cfg.max_risk, metric=cfg.metric,
    )


def _assert_optimal(frame, cfg: KAnonConfig) -> None:
    ref = _reference(frame, cfg)
    best, argbest = ref.brute_force()
    res = anonymize(frame, cfg)
    assert res.levels in argbest, (res.levels, argbest, res.metric_value, best)
    assert res.metric_value == pytest.approx(best, rel=1e-9, abs=1e-12)
    assert res.suppressed == ref.evaluate(res.levels).suppressed


@pytest.mark.parametrize("metric", ["loss", "discernibility", "precision", "entropy"])
@pytest.mark.parametrize("k", [2, 7])
@pytest.mark.parametrize("suppression", [0.0, 0.05, 0.15])
def test_k_anonymity_is_optimal(metric, k, suppression):
    frame = people(160, seed=k)
    _assert_optimal(frame, KAnonConfig(qis=QIS, k=k, suppression=suppression, metric=metric))


@pytest.mark.parametrize(
    "extra",
    [
        {"l": 2},
        {"l": 3},
        {"l": 3, "l_variant": "entropy"},
        {"l": 2, "l_variant": "recursive", "c": 1.5},
        {"max_risk": 0.1},
    ],
)
@pytest.mark.parametrize("suppression", [0.0, 0.08])
def test_diversity_and_risk_are_optimal(extra, suppression):
    frame = people(150, seed=3)
    cfg = KAnonConfig(qis=QIS, k=2, sensitive=("disease",), suppression=suppression, **extra)
    _assert_optimal(frame, cfg)


@pytest.mark.parametrize(
    "extra",
    [
        {"sensitive": ("disease",), "t": 0.2},
        {"sensitive": ("salary",), "t": 0.15, "t_distance": "ordered"},
        {"sensitive": ("disease",), "t": 0.12, "t_distance": "hierarchical",
         "sensitive_hierarchies": {"disease": DISEASE_TREE}},
    ],
)
@pytest.mark.parametrize("suppression", [0.0, 0.1])
def test_t_closeness_is_optimal(extra, suppression):
    frame = people(80, seed=11)
    _assert_optimal(frame, KAnonConfig(qis=QIS, k=2, suppression=suppression, **extra))


# A larger lattice (4 × 2 × 4 × 4 × 3 = 384 transformations) against an exhaustive scan that
# shares the class computation but not the search: pruning and tagging must lose nothing.
WIDE = {
    **QIS,
    "salary": {"type": "intervals", "lower": 0, "upper": 12, "widths": [2, 6]},
    "disease": {"type": "categories", "levels": [{"groups": {
        "胃": ["胃潰瘍", "胃炎", "胃癌"], "呼吸器": ["インフルエンザ", "肺炎", "気管支炎"]}}]},
}


def _exhaustive(frame, cfg: KAnonConfig) -> float:
    import itertools
    import math

    import numpy as np

    from anonymizer.kanon.classes import from_tuples
    from anonymizer.kanon.engine import class_models
    from anonymizer.kanon.metrics import discernibility, make_metric

    enc = prepare(frame, cfg)
    models, metric = class_models(cfg, enc), make_metric(cfg.metric, enc)
    limit = math.floor(cfg.suppression * len(frame) + 1e-9)
    best = math.inf
    for node in itertools.product(*[range(h + 1) for h in enc.heights]):
        c = from_tuples(enc, node)
        bad = np.zeros(len(c.sizes), dtype=bool)
        for m in models:
            bad |= m.violating(c.sizes, c.hist)
        if c.sizes[bad].sum() > limit:
            continue
        kept = c.sizes[~bad]
        if cfg.max_risk is not None and len(kept) / kept.sum() > cfg.max_risk + 1e-9:
            continue
        if metric is None:
            value = discernibility(c.sizes, ~bad, enc.n)[0]
        else:
            value = metric.value(np.array(node), c.sizes, c.reps, bad)
        best = min(best, value)
    return best


@pytest.mark.parametrize("metric", ["loss", "discernibility", "entropy"])
@pytest.mark.parametrize(("k", "suppression"), [(3, 0.0), (3, 0.03), (8, 0.1), (20, 0.02)])
def test_search_matches_exhaustive_scan_on_a_wider_lattice(metric, k, suppression):
    frame = people(1500, seed=k)
    cfg = KAnonConfig(qis=WIDE, k=k, suppression=suppression, metric=metric)
    res = anonymize(frame, cfg)
    assert res.lattice_size == 384 and res.checked < 384
    assert res.metric_value == pytest.approx(_exhaustive(frame, cfg), rel=1e-12)


@pytest.mark.parametrize(
    "extra",
    [
        {"l": 3, "l_variant": "entropy"},  # not monotone with suppression: checked, not pruned
        {"l": 2, "l_variant": "recursive", "c": 3.0},
        {"t": 0.2},
        {"l": 3, "max_risk": 0.05},
    ],
)
@pytest.mark.parametrize("suppression", [0.0, 0.05])
def test_non_monotone_models_match_exhaustive_scan(extra, suppression):
    frame = people(1200, seed=4)
    qis = {**QIS, "salary": WIDE["salary"]}
    cfg = KAnonConfig(qis=qis, k=2, sensitive=("disease",), suppression=suppression, **extra)
    res = anonymize(frame, cfg)
    if "max_risk" in extra:
        assert res.risk_after.prosecutor_average <= extra["max_risk"]
    assert res.metric_value == pytest.approx(_exhaustive(frame, cfg), rel=1e-12)
