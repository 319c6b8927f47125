"""The search from distinct tuples with counts (what a Spark ``groupBy`` hands the driver) is
the search from every row: the same levels, suppression, classes, risks and report, and —
once the tuples' labels are joined back onto the rows — the same released frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from anonymizer.errors import InputError
from anonymizer.kanon import KAnonConfig, anonymize
from anonymizer.kanon.engine import Found, finish_labelled, prepare, search
from anonymizer.kanon.result import KAnonResult
from tests.kanon.conftest import DISEASE_TREE, QIS, people
from tests.kanon.test_persons import visits


def _distinct(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Distinct key rows with their counts, in the order they first appear (as the Spark
    engine sorts its aggregate by the first row of each)."""
    rows = frame[keys].assign(_row=np.arange(len(frame)))
    agg = rows.groupby(keys, sort=True).agg(count=("_row", "size"), first=("_row", "min"))
    return agg.reset_index().sort_values("first", kind="stable").reset_index(drop=True)


def _by_counts(frame: pd.DataFrame, config: KAnonConfig, person: str | None) -> KAnonResult:
    """Search on the distinct tuples, then join their labels back onto the rows."""
    keys = [*config.qis, *config.sensitive] + ([person] if person else [])
    tuples = _distinct(frame, keys)
    assert len(tuples) < len(frame)  # the tables below repeat their tuples
    found = search(
        tuples[keys], config, persons=tuples[person] if person else None, counts=tuples["count"]
    )
    return _joined_back(frame, frame, tuples, keys, config, found)


def _joined_back(
    frame: pd.DataFrame,
    rows: pd.DataFrame,
    tuples: pd.DataFrame,
    on: list[str],
    config: KAnonConfig,
    found: Found,
) -> KAnonResult:
    """The search's labels joined back onto ``frame`` by its ``rows``' keys ``on`` (as the
    Spark engine joins them), and the step's result from them."""
    labels, suppressed = found.rows(config)
    small = tuples[on].assign(**{f"_l{d}": lab for d, lab in enumerate(labels)}, _supp=suppressed)
    joined = rows.merge(small, on=on, how="left", validate="many_to_one")
    out = frame.copy()
    for d, col in enumerate(config.qis):
        out[col] = joined[f"_l{d}"].to_numpy()
    return finish_labelled(out, config, found, joined["_supp"].to_numpy(dtype=bool))


def _same(full: KAnonResult, counted: KAnonResult) -> None:
    assert counted.levels == full.levels
    assert counted.suppressed == full.suppressed
    assert counted.classes == full.classes
    np.testing.assert_array_equal(counted.suppressed_rows, full.suppressed_rows)
    untimed = {k: v for k, v in full.to_dict().items() if k != "seconds"}
    assert {k: v for k, v in counted.to_dict().items() if k != "seconds"} == untimed
    pd.testing.assert_frame_equal(counted.frame, full.frame)


CONFIGS = {
    "k": KAnonConfig(qis=QIS, k=5, suppression=0.05),
    "star": KAnonConfig(qis=QIS, k=4, suppression=0.1, suppressed="star", metric="precision"),
    "l": KAnonConfig(qis=QIS, sensitive=("disease",), k=3, l=3, suppression=0.1),
    "t": KAnonConfig(
        qis=QIS, sensitive=("disease",), sensitive_hierarchies={"disease": DISEASE_TREE},
        k=3, t=0.3, t_distance="hierarchical", suppression=0.1, metric="discernibility",
    ),  # fmt: skip
    "mondrian": KAnonConfig(qis=QIS, sensitive=("disease",), k=4, l=2, local_recoding=True),
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_the_counts_release_what_the_rows_release(name):
    frame, config = people(2000, seed=11), CONFIGS[name]
    _same(anonymize(frame, config), _by_counts(frame, config, None))


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_the_counts_release_what_the_rows_release_by_persons(name):
    frame, config = visits(600, seed=5), CONFIGS[name]
    full = anonymize(frame, config, persons=frame["id"])
    assert full.counted_in == "persons"
    _same(full, _by_counts(frame, config, "id"))


def test_the_tuples_are_encoded_in_the_same_order():
    """A key space the full table groups densely (tuples in key order) but its distinct rows
    alone would hash (first appearance): the records the rows stand for decide, so the
    tuples, their codes and counts come out the same, in the same order."""
    frame = people(40_000, seed=2)
    config = KAnonConfig(qis=QIS, sensitive=("disease", "salary"), k=3)
    keys = [*config.qis, *config.sensitive]
    tuples = _distinct(frame, keys)
    full, counted = prepare(frame, config), prepare(tuples[keys], config, counts=tuples["count"])
    assert counted.n == full.n == len(frame)
    for name in ("tuples", "sens", "counts"):
        np.testing.assert_array_equal(getattr(counted, name), getattr(full, name))
    for a, b in zip(counted.value_counts, full.value_counts, strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_value_outside_the_hierarchy_is_counted_in_rows():
    frame = people(200, seed=3)
    frame.loc[[4, 9, 17], "sex"] = "不明"
    config = CONFIGS["k"]
    with pytest.raises(InputError) as rows:
        anonymize(frame, config)
    with pytest.raises(InputError) as counted:
        _by_counts(frame, config, None)
    assert "3 row(s)" in rows.value.message
    assert counted.value.message == rows.value.message


def _pure_persons(n: int, seed: int) -> pd.DataFrame:
    """``n`` persons with 1–3 records each, a person's records all alike (one tuple each)."""
    base = people(n, seed=seed)
    rng = np.random.default_rng(seed)
    repeat = rng.integers(1, 4, n)
    frame = base.loc[base.index.repeat(repeat)].reset_index(drop=True)
    frame["id"] = np.repeat([f"P{i:05d}" for i in range(n)], repeat)
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)  # interleaved


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_persons_counted_per_tuple_release_what_the_persons_release(name):
    """Where no person's records are in two tuples (what the Spark engine checks first), the
    search on the tuples without the person — their records and distinct persons counted —
    releases what the search on every row with its person releases (k in persons)."""
    frame, config = _pure_persons(900, seed=7), CONFIGS[name]
    full = anonymize(frame, config, persons=frame["id"])
    keys = [*config.qis, *config.sensitive]
    tuples = _distinct(frame, keys)
    persons = frame.groupby(keys, sort=False)["id"].nunique()
    weights = persons.reindex(pd.MultiIndex.from_frame(tuples[keys])).to_numpy()
    assert len(tuples) < frame["id"].nunique() < len(frame)
    found = search(tuples[keys], config, counts=tuples["count"], person_counts=weights)
    assert found.enc.by_person and found.enc.person is None
    counted = _joined_back(frame, frame, tuples, keys, config, found)
    assert full.counted_in == counted.counted_in == "persons"
    _same(full, counted)


def _mixed_tuples(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """What the Spark engine hands the driver when some persons' records differ: the persons
    whose records are all alike counted per tuple (``id`` empty, ``persons`` > 0), the
    others' tuples one per person (``id`` theirs, ``persons`` 0), in first-row order."""
    alike = frame.groupby("id")[keys].transform("nunique").eq(1).all(axis=1)
    named = frame.assign(_id=frame["id"].where(~alike, ""))
    rows = named[[*keys, "_id", "id"]].assign(_row=np.arange(len(frame)))
    agg = rows.groupby([*keys, "_id"], sort=True).agg(
        count=("_row", "size"), first=("_row", "min"), persons=("id", "nunique")
    )
    out = agg.reset_index().sort_values("first", kind="stable").reset_index(drop=True)
    out.loc[out["_id"] != "", "persons"] = 0
    return out.rename(columns={"_id": "id"})


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_persons_counted_and_named_release_what_the_persons_release(name):
    """Where some persons' records differ (a visit table: one a year older, one moved), the
    search on the tuples of the persons whose records are alike — counted — and on one tuple
    per person and combination for the others releases what the search on every row with
    its person releases: a class's persons are the counted ones and the others' distinct
    names (optimal search and Mondrian alike)."""
    frame, config = visits(600, seed=5), CONFIGS[name]
    full = anonymize(frame, config, persons=frame["id"])
    keys = [*config.qis, *config.sensitive]
    tuples = _mixed_tuples(frame, keys)
    named = tuples["persons"].eq(0)
    assert named.any() and not named.all()  # both kinds of person
    per_person = len(_distinct(frame, [*keys, "id"]))
    # fewer than one per person and combination (a disease drawn per row: as many)
    assert len(tuples) < per_person if not config.sensitive else len(tuples) == per_person
    found = search(
        tuples[keys], config, persons=tuples["id"], counts=tuples["count"],
        person_counts=tuples["persons"],
    )  # fmt: skip
    assert found.enc.person is not None and found.enc.person_weight is not None
    alike = frame.groupby("id")[keys].transform("nunique").eq(1).all(axis=1)
    rows = frame.assign(id=frame["id"].where(~alike, ""))
    counted = _joined_back(frame, rows, tuples, [*keys, "id"], config, found)
    assert full.counted_in == counted.counted_in == "persons"
    _same(full, counted)
