"""k-anonymity by aggregation (#21 item 3): with ``kanonymity`` as the first step, the Spark
engine searches over the distinct tuples Spark counted — fewer than the rows — and releases
what the pandas engine releases (the same data files byte for byte, the same gate, checks and
step report); a k that cannot be met is refused alike."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from anonymizer.errors import GateRefused
from anonymizer.pipeline.plan import RunOptions, RunResult
from anonymizer.pipeline.run import run_pipeline
from tests.engine.test_equivalence import _same, _untimed

ROOT = Path(__file__).resolve().parents[2]


def _repeated(
    tmp_path: Path,
    person: bool,
    blanks: bool = False,
    differ: bool = False,
    gate: str = "driver",
    **step: object,
) -> Path:
    """kaigo ×8: every insured person's row eight times (a visit table), so QI combinations
    repeat; without ``person`` a record is a person. ``blanks``: a QI and the sensitive
    column empty in some rows (an empty cell is a value of its own to the search).
    ``differ``: in one of the eight copies, a QI of every tenth person shuffled among them
    (those persons' records then differ; the others' are alike).

    ``gate``: where the Spark engine runs the gate's checks. The search by aggregation runs
    on the executors' counts wherever the gate is (its subject here); the gate on the
    executors (≈ 5 s of a run here) is the sample pipelines' equivalence's and
    tests/engine/test_gate.py's subject, so these runs check on the driver unless the rows
    are selected before the search (then only the executors keep the search there)."""
    sample = pd.read_csv(ROOT / "samples" / "kaigo_utf8.csv", dtype=str, keep_default_na=False)
    if blanks:
        sample.loc[sample.index % 7 == 3, "世帯人数"] = ""
        sample.loc[sample.index % 11 == 5, "要介護度"] = ""
    copies = [sample] * 8
    if differ:
        other = sample.copy()
        some = other.index % 10 == 0
        other.loc[some, "世帯人数"] = (
            sample.loc[some, "世帯人数"].sample(frac=1.0, random_state=1).to_numpy()
        )
        copies[3] = other
    data = tmp_path / "kaigo_visits.csv"
    pd.concat(copies, ignore_index=True).to_csv(data, index=False)
    spec = yaml.safe_load((ROOT / "pipelines" / "kaigo.yaml").read_text(encoding="utf-8"))
    spec["input"]["path"] = str(data)
    spec["steps"][0].update(step)
    spec["spark"] = {"gate": gate}  # the pandas engine ignores it
    if not person:
        del spec["person_column"]
    pipeline = tmp_path / "kaigo.yaml"
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return pipeline


def _run(pipeline: Path, out: Path, engine: str, monkeypatch) -> RunResult:
    monkeypatch.setenv("XDG_STATE_HOME", str(out.parent / f"state-{engine}"))  # a fresh ledger
    master = "local[2]" if engine == "spark" else None
    opts = RunOptions(pipeline, out, seed=7, progress=False, engine=engine, master=master)
    return run_pipeline(opts)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("person", "differ", "mondrian"),
    [(True, False, False), (False, False, False), (True, True, False), (True, True, True)],
    ids=["persons", "records", "some persons' records differ", "mondrian"],
)  # fmt: skip
def test_the_search_runs_on_the_counted_tuples(
    spark, tmp_path, monkeypatch, person, differ, mondrian
):
    """A person's records all alike: the tuples do not carry the person (each tuple's
    distinct persons are counted); a person's records that differ: that person's tuples
    carry the person (one per person and combination), the others' do not — fewer tuples
    than persons either way, optimal search or Mondrian. The pandas engine's release."""
    step = {"local_recoding": True, "suppression": 0.0} if mondrian else {}
    pipeline = _repeated(tmp_path, person, differ=differ, **step)
    local = _run(pipeline, tmp_path / "pandas", "pandas", monkeypatch)
    remote = _run(pipeline, tmp_path / "spark", "spark", monkeypatch)
    tuples = remote.timings["kanonymity_tuples"]
    assert 0 < tuples < remote.rows_in  # aggregated: the rows never met for the search
    persons = remote.rows_in // 8
    if person:  # one tuple per person and combination would be persons + named or more
        named = remote.timings["kanonymity_named_persons"]
        assert (0 < named < persons / 10 + 1) if differ else named == 0
        assert tuples < persons + named
    labels = remote.timings["kanonymity_label_rows"]
    if mondrian:  # Mondrian's labels go by tuple
        assert labels == tuples
    else:  # full-domain labels go by value: a QI's values and the suppressed classes
        assert 0 < labels < tuples
    assert "kanonymity_tuples" not in local.timings
    assert local.target is not None and remote.target is not None
    _same(local.target, remote.target)
    steps = [local.report["steps"][0], remote.report["steps"][0]]
    assert _untimed(steps[0]) == _untimed(steps[1])


@pytest.mark.slow
def test_starred_records_and_empty_cells_are_released_alike(spark, tmp_path, monkeypatch):
    pipeline = _repeated(tmp_path, True, blanks=True, suppressed="star", k=10, suppression=0.2)
    local = _run(pipeline, tmp_path / "pandas", "pandas", monkeypatch)
    remote = _run(pipeline, tmp_path / "spark", "spark", monkeypatch)
    assert 0 < remote.timings["kanonymity_tuples"] < remote.rows_in
    assert local.report["steps"][0]["suppressed"] > 0  # some records are starred
    assert remote.timings["kanonymity_label_rows"] < remote.timings["kanonymity_tuples"]
    assert local.target is not None and remote.target is not None
    _same(local.target, remote.target)


@pytest.mark.slow
def test_an_unreachable_k_is_refused_alike(spark, tmp_path, monkeypatch):
    pipeline = _repeated(tmp_path, True, k=100_000, suppression=0.0)
    refusals = []
    for engine in ("pandas", "spark"):
        with pytest.raises(GateRefused) as err:
            _run(pipeline, tmp_path / engine, engine, monkeypatch)
        assert err.value.refusal_file is not None
        refusals.append(json.loads(err.value.refusal_file.read_text(encoding="utf-8")))
    local, remote = refusals
    assert local["verdict"] == remote["verdict"]
    assert _untimed(local["steps"]) == _untimed(remote["steps"])
    assert local["steps"][0]["type"] == "kanonymity_unsolved"


def _coded(frame: pd.DataFrame, keys: list[str]):  # type: ignore[no-untyped-def]
    """The distinct tuples as :func:`coded_tuples` hands them to the driver: each column's
    sorted values, the tuples' codes, in the order of their first row."""
    from anonymizer.engine.spark.kanon import Tuples
    from tests.kanon.test_counts import _distinct

    tuples = _distinct(frame, keys)
    values = [np.array(sorted(tuples[k].unique()), dtype=object) for k in keys]
    codes = np.column_stack(
        [np.searchsorted(v, tuples[k].to_numpy(dtype=object)) for v, k in zip(values, keys, strict=True)]
    ).astype(np.int32)
    return Tuples(values, codes, tuples["count"].to_numpy(dtype=np.int64), None), tuples


def _suppressing():  # type: ignore[no-untyped-def]
    """Full-domain configs whose release on ``people(2000, seed=11)`` suppresses records
    (the precision metric trades a few records for less generalization), and t-closeness."""
    from anonymizer.kanon import KAnonConfig
    from tests.kanon.conftest import DISEASE_TREE, QIS

    sens = {"sensitive": ("disease",), "suppression": 0.1, "metric": "precision"}
    return {
        "k": KAnonConfig(qis=QIS, k=5, suppression=0.1, metric="precision"),
        "star": KAnonConfig(qis=QIS, k=4, suppression=0.1, suppressed="star", metric="precision"),
        "l": KAnonConfig(qis=QIS, k=3, l=3, **sens),
        "t": KAnonConfig(
            qis=QIS, k=3, t=0.3, t_distance="hierarchical",
            sensitive_hierarchies={"disease": DISEASE_TREE}, **sens,
        ),  # fmt: skip
    }


@pytest.mark.parametrize("name", ["k", "star", "l", "t"])
def test_labels_by_value_are_the_labels_by_tuple(name):
    """Full-domain generalization: the maps the executors join — each QI's values, the
    suppressed classes' labels — give every tuple the label and suppression the search gave
    it, and the search on codes finds what the search on strings finds."""
    from anonymizer.engine.spark.kanon import KEY, LABEL, _labels_by_value
    from anonymizer.kanon.engine import search
    from tests.kanon.conftest import people

    frame, config = people(2000, seed=11), _suppressing()[name]
    keys = [*config.qis, *config.sensitive]
    tuples, strings = _coded(frame, keys)
    table = tuples.frame(keys)
    assert all(isinstance(table[k].dtype, pd.CategoricalDtype) for k in keys)
    found = search(table, config, counts=tuples.counts)
    by_strings = search(strings[keys], config, counts=strings["count"])
    assert found.release.level_map == by_strings.release.level_map
    labels, suppressed = found.rows(config)
    np.testing.assert_array_equal(suppressed, by_strings.rows(config)[1])
    assert suppressed.any() == (name != "t")  # the maps are tested on suppressed classes
    maps = _labels_by_value(found, config, tuples)
    assert maps is not None
    per_value, classes = maps
    assert sum(len(m) for m in per_value) + len(classes) < len(tuples)
    rows = strings[keys].rename(columns={k: KEY.format(j) for j, k in enumerate(keys)})
    for small in per_value:
        rows = rows.merge(small, how="left", validate="many_to_one")
    names = [LABEL.format(d) for d in range(len(config.qis))]
    marked = rows.merge(classes.assign(supp=True), on=names, how="left", validate="many_to_one")
    supp = marked["supp"].fillna(False).to_numpy(dtype=bool)
    np.testing.assert_array_equal(supp, suppressed)
    star = config.suppressed == "star"
    shown = ~supp | star  # a removed record's labels are never released
    for d, label in enumerate(names):
        got = np.where(supp, config.star, rows[label]) if star else rows[label].to_numpy()
        np.testing.assert_array_equal(np.asarray(got, dtype=object)[shown], labels[d][shown])


def test_local_recoding_labels_go_by_tuple():
    from anonymizer.engine.spark.kanon import _labels_by_value
    from anonymizer.kanon.engine import search
    from tests.kanon.conftest import people
    from tests.kanon.test_counts import CONFIGS

    frame, config = people(2000, seed=11), CONFIGS["mondrian"]
    tuples, _strings = _coded(frame, [*config.qis, *config.sensitive])
    found = search(tuples.frame([*config.qis, *config.sensitive]), config, counts=tuples.counts)
    assert _labels_by_value(found, config, tuples) is None


@pytest.mark.slow
def test_rows_selected_before_the_search_are_selected_where_they_are(spark, tmp_path, monkeypatch):
    """``select_rows`` steps before ``kanonymity``: the executors select the rows the search
    runs on (each step's own test) and the released table stays with them — the pandas
    engine's release, steps and report."""
    pipeline = _repeated(tmp_path, True, gate="executors")
    spec = yaml.safe_load(pipeline.read_text(encoding="utf-8"))
    care = [f"要介護{n}" for n in range(1, 6)]
    spec["steps"] = [
        {"type": "select_rows", "column": "要介護度", "values": [*care, "要支援2"]},
        {"type": "select_rows", "column": "性別", "values": ["女"]},
        *spec["steps"],
    ]
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    local = _run(pipeline, tmp_path / "pandas", "pandas", monkeypatch)
    remote = _run(pipeline, tmp_path / "spark", "spark", monkeypatch)
    assert 0 < remote.timings["kanonymity_tuples"] < remote.rows_in
    kept = [step["rows_kept"] for step in local.report["steps"][:2]]
    assert remote.rows_in > kept[0] > kept[1] > 0  # both steps leave rows out
    assert local.target is not None and remote.target is not None
    _same(local.target, remote.target)
    assert [_untimed(s) for s in local.report["steps"]] == [
        _untimed(s) for s in remote.report["steps"]
    ]
