"""Classes counted in persons, and the quasi-identifiers that drive the small ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from anonymizer.policy.measure import Classes, LocalTable, class_persons, drivers


def test_two_rows_of_one_person_count_once():
    frame = pd.DataFrame({"性別": ["女"] * 6, "年代": ["70代"] * 6})
    persons = pd.Series(["a", "a", "b", "b", "c", "c"])
    by_rows = Classes.of(frame, ["性別", "年代"], None)
    by_persons = Classes.of(frame, ["性別", "年代"], persons)
    assert by_rows.sizes.tolist() == [6]
    assert by_persons.sizes.tolist() == [3]
    assert by_persons.row_size.tolist() == [3] * 6
    assert by_persons.share_below(5) == 1.0 and by_rows.share_below(5) == 0.0


def test_a_person_in_two_classes_counts_in_each():
    frame = pd.DataFrame({"年度": ["2024年度", "2025年度", "2024年度"]})
    persons = pd.Series(["a", "a", "b"])
    c = Classes.of(frame, ["年度"], persons)
    assert sorted(c.sizes.tolist()) == [1, 2]
    assert c.share_unique() == pytest.approx(1 / 3)


def test_empty_cells_are_a_value_and_no_column_means_one_class():
    frame = pd.DataFrame({"地区": ["北", None, None, "北"]})
    assert sorted(Classes.of(frame, ["地区"], None).sizes.tolist()) == [2, 2]
    assert Classes.of(frame, [], None).sizes.tolist() == [4]


def test_class_persons_matches_a_plain_count():
    rng = np.random.default_rng(3)
    ids = rng.integers(0, 40, 1000)
    persons = pd.Series(rng.integers(0, 120, 1000).astype(str))
    expected = pd.DataFrame({"c": ids, "p": persons}).groupby("c")["p"].nunique()
    got = class_persons(ids, persons)
    assert got[expected.index].tolist() == expected.tolist()


def test_drivers_name_the_column_that_makes_records_unique():
    rng = np.random.default_rng(0)
    n = 400
    frame = pd.DataFrame(
        {
            "受付日": [f"2024-{d:03d}" for d in rng.integers(0, 365, n)],  # nearly unique
            "性別": rng.choice(["男", "女"], n),
            "年代": rng.choice(["60代", "70代"], n),
        }
    )
    share, found = drivers(LocalTable(frame).classes, list(frame.columns), 5, 0.05, 0.10, 3)
    assert share > 0.9
    assert [d.column for d in found] == ["受付日"]
    d = found[0]
    assert d.alone_share > 0.9 and d.alone_unique > 0.3 and d.without_share == 0.0
