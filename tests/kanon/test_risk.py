from __future__ import annotations

import numpy as np
import pytest

from anonymizer.kanon.risk import risk_report


def test_prosecutor_marketer_uniques_and_distribution():
    r = risk_report(np.array([1, 2, 3, 10, 0]), threshold=0.4)
    assert r.records == 16 and r.classes == 4
    assert r.prosecutor_highest == 1.0
    assert r.prosecutor_average == pytest.approx(4 / 16)
    assert r.marketer == pytest.approx(4 / 16)  # release = population
    assert r.journalist_highest == 1.0
    assert r.unique_records == 1 and r.unique_share == pytest.approx(1 / 16)
    assert r.records_at_risk == 3  # 1/1 and 1/2 exceed 0.4, 1/3 does not
    sizes = {b.label: (b.classes, b.records) for b in r.distribution}
    assert sizes["1"] == (1, 1) and sizes["2"] == (1, 2) and sizes["3～4"] == (1, 3)
    assert sizes["10～19"] == (1, 10) and sizes["100以上"] == (0, 0)


def test_population_lowers_journalist_and_marketer_risk():
    r = risk_report(np.array([2, 5]), threshold=0.2, population=np.array([4, 5]))
    assert r.prosecutor_highest == 0.5
    assert r.journalist_highest == 0.25
    assert r.marketer == pytest.approx((2 / 4 + 5 / 5) / 7)


def test_empty_release():
    r = risk_report(np.array([], dtype=np.int64), threshold=0.2)
    assert r.records == 0 and r.prosecutor_highest == 0.0
    assert r.to_dict()["distribution"][0] == {"label": "1", "classes": 0, "records": 0}
