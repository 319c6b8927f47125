"""Person-level counting: with a person column k counts distinct persons per class.

Two rows of one person in a class count once; the suppression limit still counts records.
Every check counts persons independently (pandas ``groupby(...).nunique()`` on the release, or
the naive brute-force reference of :mod:`tests.kanon._reference`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from anonymizer.errors import InputError
from anonymizer.kanon import KAnonConfig, anonymize
from anonymizer.kanon.classes import ClassCache, from_tuples
from anonymizer.kanon.engine import prepare
from anonymizer.kanon.models import KAnonymity
from anonymizer.kanon.projections import forced_violations
from anonymizer.kanon.search import Lattice
from tests.kanon._reference import Reference, generalize
from tests.kanon.conftest import DISEASES, QIS, SEX, people

QI_COLS = list(QIS)


def visits(n_persons: int, seed: int) -> pd.DataFrame:
    """1–4 rows per person (``id``): sex fixed, age one year older on some rows, the postal
    code another on a fifth of them (a move), the disease drawn per row; rows of different
    persons interleaved. Most of a person's rows share a class, as real visit tables do."""
    rng = np.random.default_rng(seed)
    base = people(n_persons, seed)
    frame = base.loc[base.index.repeat(rng.integers(1, 5, n_persons))].reset_index(drop=True)
    n = len(frame)
    frame["age"] = np.clip(frame["age"].astype(int) + rng.integers(0, 2, n), 0, 99).astype(str)
    moved = rng.random(n) < 0.2
    frame.loc[moved, "zip"] = [f"186-00{d:02d}" for d in rng.integers(0, 12, int(moved.sum()))]
    frame["disease"] = rng.choice(DISEASES, n)
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def persons_per_class(frame: pd.DataFrame, qis: list[str]) -> pd.Series:
    return frame.groupby(qis)["id"].nunique()


# p1 has two rows: by rows each sex is a class of 2, by persons 男 holds one person
TWO_ROWS = pd.DataFrame({"id": ["p1", "p1", "p2", "p3"], "sex": ["男", "男", "女", "女"]})


def test_by_rows_the_table_is_already_2_anonymous():
    res = anonymize(TWO_ROWS, KAnonConfig(qis={"sex": SEX}, k=2))
    assert res.levels == {"sex": 0} and res.achieved["k-anonymity"] == 2
    assert res.counted_in == "records" and res.to_dict()["counted_in"] == "records"


def test_two_rows_of_one_person_count_once_so_the_class_is_generalized():
    res = anonymize(TWO_ROWS, KAnonConfig(qis={"sex": SEX}, k=2), persons=TWO_ROWS["id"])
    assert res.levels == {"sex": 1} and res.suppressed == 0
    assert res.achieved["k-anonymity"] == 3 == res.classes.min  # p1, p2, p3 in one class
    assert res.classes.count == 1 and res.classes.max == 3
    assert res.to_dict()["counted_in"] == "persons"


def test_or_suppressed_when_the_limit_allows_both_of_its_records():
    cfg = KAnonConfig(qis={"sex": SEX}, k=2, suppression=0.5)
    res = anonymize(TWO_ROWS, cfg, persons=TWO_ROWS["id"])
    assert res.levels == {"sex": 0}
    assert res.suppressed == 2 and res.suppressed_rows.tolist() == [0, 1]
    assert res.achieved["k-anonymity"] == 2 == res.classes.min
    assert res.frame["id"].tolist() == ["p2", "p3"]


def test_the_suppression_limit_counts_records_not_persons():
    # one record may go, but the failing class is one person with two records
    cfg = KAnonConfig(qis={"sex": SEX}, k=2, suppression=0.25)
    res = anonymize(TWO_ROWS, cfg, persons=TWO_ROWS["id"])
    assert res.levels == {"sex": 1} and res.suppressed == 0


@pytest.mark.parametrize("k", [2, 3, 5])
@pytest.mark.parametrize("suppression", [0.0, 0.05])
@pytest.mark.parametrize("suppressed", ["remove", "star"])
def test_achieved_k_is_the_distinct_persons_of_the_release(k, suppression, suppressed):
    frame = visits(150, seed=k)
    cfg = KAnonConfig(qis=QIS, k=k, suppression=suppression, suppressed=suppressed)
    res = anonymize(frame, cfg, persons=frame["id"])
    kept = res.frame.drop(index=res.frame.index[res.suppressed_rows]) if suppressed == "star" \
        else res.frame
    counts = persons_per_class(kept, QI_COLS)
    assert counts.min() >= k
    assert counts.min() == res.achieved["k-anonymity"] == res.classes.min
    assert res.classes.count == len(counts) and res.classes.max == counts.max()
    assert res.classes.mean == pytest.approx(counts.mean())
    assert res.suppressed <= math.floor(suppression * len(frame) + 1e-9)
    assert res.counted_in == "persons"
    # the id column is the user's own: released unchanged, row for row
    rows = np.setdiff1d(np.arange(len(frame)), res.suppressed_rows)
    expected = frame["id"] if suppressed == "star" else frame["id"].iloc[rows]
    assert res.frame["id"].tolist() == expected.tolist()


def test_counting_rows_would_leave_classes_under_k_persons():
    """The tables above do need person counting: the row-counted release fails by persons."""
    frame, cfg = visits(150, seed=3), KAnonConfig(qis=QIS, k=3, suppression=0.05)
    by_rows = anonymize(frame, cfg)
    assert persons_per_class(by_rows.frame, QI_COLS).min() < 3
    by_persons = anonymize(frame, cfg, persons=frame["id"])
    assert persons_per_class(by_persons.frame, QI_COLS).min() >= 3
    assert by_persons.levels != by_rows.levels


def test_one_row_per_person_is_the_same_as_no_person_column(small):
    cfg = KAnonConfig(qis=QIS, k=5, suppression=0.05)
    plain, per_person = anonymize(small, cfg), anonymize(small, cfg, persons=small["id"])
    assert per_person.levels == plain.levels
    assert per_person.metric_value == plain.metric_value
    assert per_person.suppressed_rows.tolist() == plain.suppressed_rows.tolist()
    pd.testing.assert_frame_equal(per_person.frame, plain.frame)
    assert per_person.classes == plain.classes and per_person.achieved == plain.achieved


def test_person_identifiers_are_taken_by_position():
    frame = visits(60, seed=1)
    cfg = KAnonConfig(qis=QIS, k=3, suppression=0.05)
    shuffled_index = pd.Series(frame["id"].to_numpy(), index=frame.index[::-1])
    a = anonymize(frame, cfg, persons=shuffled_index)
    b = anonymize(frame, cfg, persons=frame["id"].tolist())
    assert a.levels == b.levels and a.suppressed_rows.tolist() == b.suppressed_rows.tolist()


# --- optimality: brute force over every lattice node with the naive reference -------------


@pytest.mark.parametrize("metric", ["loss", "discernibility", "precision", "entropy"])
@pytest.mark.parametrize("k", [2, 4])
@pytest.mark.parametrize("suppression", [0.0, 0.1])
def test_person_mode_is_optimal(metric, k, suppression):
    frame = visits(45, seed=10 + k)
    cfg = KAnonConfig(qis=QIS, k=k, suppression=suppression, metric=metric)
    _assert_optimal(frame, cfg)


@pytest.mark.parametrize("extra", [{"l": 2}, {"l": 2, "l_variant": "entropy"}, {"max_risk": 0.2}])
def test_person_mode_with_other_models_is_optimal(extra):
    frame = visits(45, seed=3)
    cfg = KAnonConfig(qis=QIS, k=3, sensitive=("disease",), suppression=0.1, **extra)
    _assert_optimal(frame, cfg)


def _assert_optimal(frame: pd.DataFrame, cfg: KAnonConfig) -> None:
    enc = prepare(frame, cfg)
    ref = Reference(
        frame=frame, hier=dict(zip(enc.columns, enc.hierarchies, strict=True)), k=cfg.k,
        suppression=cfg.suppression, sensitive=cfg.sensitive, l=cfg.l, l_variant=cfg.l_variant,
        max_risk=cfg.max_risk, metric=cfg.metric, person="id",
    )
    best, argbest = ref.brute_force()
    res = anonymize(frame, cfg, persons=frame["id"])
    assert res.levels in argbest, (res.levels, argbest, res.metric_value, best)
    assert res.metric_value == pytest.approx(best, rel=1e-9, abs=1e-12)
    assert res.suppressed == ref.evaluate(res.levels).suppressed


# --- the pieces: classes, projections, local recoding, input checks ---------------------------


def test_classes_hold_distinct_persons_per_class():
    frame = visits(80, seed=2)
    cfg = KAnonConfig(qis=QIS, k=2)
    enc = prepare(frame, cfg, persons=frame["id"])
    cache = ClassCache(enc)
    hier = dict(zip(enc.columns, enc.hierarchies, strict=True))
    for node in [(0, 0, 0), (1, 0, 1), (2, 1, 0), (1, 1, 2), (0, 0, 0)]:
        c = cache.classes(np.array(node))
        assert c.persons is not None and c.sizes_for(True) is c.persons
        assert c.sizes_for(False) is c.sizes
        gen = generalize(frame, hier, dict(zip(enc.columns, node, strict=True)))
        tuple_class = from_tuples(enc, node).tuple_class
        assert tuple_class is not None
        row_class = tuple_class[enc.row_tuple]
        expected = gen.groupby(row_class)["id"].nunique().to_numpy()
        assert c.persons.tolist() == expected.tolist()
        assert (c.persons <= c.sizes).all()


def test_projection_bound_stays_a_lower_bound_of_records_failing_by_persons():
    frame = visits(120, seed=4)
    enc = prepare(frame, KAnonConfig(qis=QIS, k=6), persons=frame["id"])
    nodes = Lattice(enc.heights).nodes
    forced = forced_violations(enc, nodes, [KAnonymity(6)])
    assert forced.max() > 0
    for node, bound in zip(nodes, forced, strict=True):
        c = from_tuples(enc, node)
        assert c.persons is not None
        assert bound <= c.sizes[c.persons < 6].sum()


@pytest.mark.parametrize("k", [3, 6])
def test_local_recoding_counts_persons(k):
    frame = visits(200, seed=k)
    cfg = KAnonConfig(qis=QIS, k=k, local_recoding=True)
    by_rows = anonymize(frame, cfg)
    assert persons_per_class(by_rows.frame, QI_COLS).min() < k  # rows alone do not suffice
    res = anonymize(frame, cfg, persons=frame["id"])
    counts = persons_per_class(res.frame, QI_COLS)
    assert res.method == "mondrian" and len(res.frame) == len(frame)
    assert counts.min() >= k
    assert counts.min() == res.achieved["k-anonymity"] == res.classes.min
    assert res.counted_in == "persons"


def test_missing_person_identifier_names_counts_and_rows_not_values():
    frame = visits(20, seed=6)
    ids = frame["id"].astype(object).copy()
    ids.iloc[[2, 5, 7, 8, 9, 11, 12]] = [None, "", " ", np.nan, pd.NA, None, None]
    with pytest.raises(InputError) as err:
        anonymize(frame, KAnonConfig(qis=QIS, k=2), persons=ids)
    msg = str(err.value)
    assert "person identifier missing in 7 row(s)" in msg
    assert "rows 3, 6, 8, 9, 10)" in msg  # at most five, 1-based
    assert not any(v in msg for v in frame["id"])


def test_person_identifiers_must_match_the_rows():
    frame = visits(20, seed=6)
    with pytest.raises(InputError, match="given for"):
        anonymize(frame, KAnonConfig(qis=QIS, k=2), persons=frame["id"].iloc[:-1])
