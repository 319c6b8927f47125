"""The 2-QI projection bound never exceeds the records a transformation really rejects."""

from __future__ import annotations

import numpy as np
import pytest

from anonymizer.kanon import KAnonConfig
from anonymizer.kanon.classes import from_tuples
from anonymizer.kanon.engine import class_models, prepare
from anonymizer.kanon.projections import forced_violations
from anonymizer.kanon.search import Lattice
from tests.kanon.conftest import QIS, people


@pytest.mark.parametrize(
    "extra", [{"k": 4}, {"k": 2, "sensitive": ("disease",), "l": 3}],
)
def test_forced_is_a_lower_bound(extra):
    frame = people(400, seed=5)
    cfg = KAnonConfig(qis=QIS, **extra)
    enc = prepare(frame, cfg)
    models = class_models(cfg, enc)
    lat = Lattice(enc.heights)
    forced = forced_violations(enc, lat.nodes, models)
    assert forced.max() > 0
    for i in range(lat.size):
        c = from_tuples(enc, lat.nodes[i])
        bad = np.zeros(len(c.sizes), dtype=bool)
        for m in models:
            bad |= m.violating(c.sizes, c.hist)
        assert forced[i] <= c.sizes[bad].sum()
