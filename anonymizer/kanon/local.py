"""Local recoding: Mondrian partitions judged by the same class-level privacy models.

An average-risk threshold is enforced through its sufficient condition (every class has at
least ⌈1/threshold⌉ records), since Mondrian decides class by class. With a person column,
models that count persons judge each candidate partition on its distinct persons; released
classes are unions of accepted partitions (equal labels), so they hold at least as many.
"""

from __future__ import annotations

import math

import numpy as np

from anonymizer.errors import GateRefused
from anonymizer.kanon import mondrian
from anonymizer.kanon.encode import Encoded
from anonymizer.kanon.metrics import CellMetric
from anonymizer.kanon.models import AverageRisk, ClassModel, KAnonymity
from anonymizer.kanon.outcome import Release, achieved, no_solution
from anonymizer.kanon.release import release_classes, tuple_labels
from anonymizer.kanon.spec import KAnonConfig


def recode(
    enc: Encoded,
    config: KAnonConfig,
    models: list[ClassModel],
    risk: AverageRisk | None,
    metric: CellMetric | None,
) -> Release:
    judged = list(models)
    if risk is not None:  # the average risk is over records, so its condition counts records
        judged.append(KAnonymity(math.ceil(1.0 / risk.threshold - 1e-9), per_person=False))

    def allowed(idx: np.ndarray) -> bool:
        sizes = np.array([enc.counts[idx].sum()])
        persons = np.array([enc.persons_of(idx)]) if enc.by_person else sizes

        def hist(j: int) -> np.ndarray:
            width = len(enc.sens_labels[j])
            return np.bincount(enc.sens[idx, j], weights=enc.counts[idx], minlength=width)[None]

        return not any(
            bool(m.violating(persons if m.per_person else sizes, hist)[0]) for m in judged
        )

    if not allowed(np.arange(len(enc.tuples))):
        raise GateRefused(no_solution(config, 0))
    pid = mondrian.partition(enc, allowed)
    levels, star = mondrian.lca_levels(enc, pid)
    everyone = np.ones(len(enc.tuples), dtype=bool)
    cls, sizes = release_classes(enc, tuple_labels(enc, levels, star, config.star), everyone)
    if metric is None:
        value = float((sizes.astype(float) ** 2).sum())
    else:
        value = metric.value_local(levels, star)
    return Release(
        levels=levels,
        star=star,
        suppressed=~everyone,
        value=value,
        achieved=achieved(
            models, sizes, lambda j: enc.histogram(cls, len(sizes), j),
            enc.persons(cls, len(sizes)) if enc.by_person else None,
        ),
        method="mondrian",
    )
