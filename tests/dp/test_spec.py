import math

import pytest

from anonymizer.config import load_yaml_model, validate_model
from anonymizer.dp.spec import DpAggregateSpec
from anonymizer.errors import ConfigError

BASE = {
    "epsilon": 1.0,
    "group_by": [{"column": "町", "keys_file": "kunitachi_cho.txt"}],
    "measures": [{"type": "count"}],
}


def spec(**changes):
    return validate_model({**BASE, **changes}, DpAggregateSpec, "pipeline.yaml")


def test_minimal_spec_defaults():
    s = spec()
    assert s.type == "dp_aggregate"
    assert s.privacy_unit.rows_per_unit == 1
    assert s.post_processing.non_negative and s.post_processing.integers
    assert s.budget.epsilon == 1.0 and s.budget.delta == 0.0


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"group_by": [{"column": "町"}]}, "group_by[0]"),  # no key source
        ({"group_by": [{"column": "町", "keys": ["a"], "keys_file": "x.txt"}]}, "group_by[0]"),
        ({"group_by": [{"column": "町", "keys": []}]}, "group_by[0]"),
        ({"group_by": [{"column": "町", "keys": ["a"]}, {"column": "町", "keys": ["b"]}]}, ""),
        ({"measures": []}, "measures"),
        ({"measures": [{"type": "avg"}]}, "measures[0]"),  # unknown measure type
        ({"measures": [{"type": "mean", "column": "年齢", "lower": 10, "upper": 0}]}, "measures"),
        ({"measures": [{"type": "sum", "column": "x", "lower": 0, "upper": math.inf}]}, "upper"),
        ({"measures": [{"type": "sum", "column": "x", "upper": 10}]}, "lower"),  # bounds required
        ({"measures": [{"type": "histogram", "column": "x", "edges": [0, 10, 5]}]}, "edges"),
        ({"measures": [{"type": "quantile", "column": "x", "lower": 0, "upper": 1, "q": 2}]}, "q"),
        ({"measures": [{"type": "count"}, {"type": "count", "name": "n"}]}, "count"),
        ({"measures": [{"type": "count", "name": "町"}]}, "clash"),
        ({"epsilon": 0}, "epsilon"),
        ({"epsilon": -1}, "epsilon"),
        ({"epsilon": math.inf}, "epsilon"),
        ({"delta": 1e-6}, "nothing spends"),  # δ declared, pure release
        ({"measures": [{"type": "sum", "column": "x", "lower": 0, "upper": 1,
                        "mechanism": "gaussian"}]}, "delta must be > 0"),  # fmt: skip
        ({"group_by": [{"column": "c", "discover": True}], "delta": 1e-6}, "key_discovery"),
        ({"privacy_unit": {"id_column": "id"}}, "privacy_unit"),
        ({"privacy_unit": {"id_column": "id", "max_rows_per_id": 0}}, "max_rows_per_id"),
        ({"post_processing": {"total": 100}, "measures": [
            {"type": "sum", "column": "x", "lower": 0, "upper": 1}]}, "total"),  # fmt: skip
        ({"unexpected": 1}, "unexpected"),  # extra keys are errors
        ({"flag_error_share": 0}, "flag_error_share"),
    ],
)
def test_config_errors_name_the_path(changes, where):
    with pytest.raises(ConfigError) as err:
        spec(**changes)
    msg = str(err.value)
    assert msg.startswith("[E002] pipeline.yaml: ")
    assert where in msg


def test_yaml_file_errors_start_with_the_file(tmp_path):
    path = tmp_path / "step.yaml"
    path.write_text("epsilon: 1\nmeasures:\n  - type: mean\n    column: 年齢\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_yaml_model(path, DpAggregateSpec)
    assert str(err.value).startswith(f"[E002] {path}: measures[0].mean.lower")


def test_budget_split_by_weight():
    s = spec(
        epsilon=1.0,
        delta=1e-6,
        group_by=[{"column": "c", "discover": True}],
        key_discovery={"weight": 1},
        measures=[
            {"type": "count", "weight": 2},
            {"type": "mean", "column": "x", "lower": 0, "upper": 1, "mechanism": "gaussian"},
        ],
    )
    alloc = s.allocation()
    assert list(alloc) == ["count", "mean(x)", "_key_discovery"]
    assert alloc["count"].epsilon == pytest.approx(0.5)
    assert alloc["mean(x)"].epsilon == pytest.approx(0.25)
    assert alloc["count"].delta == 0.0  # δ only to what spends it
    assert alloc["mean(x)"].delta == pytest.approx(5e-7)
    assert alloc["_key_discovery"].delta == pytest.approx(5e-7)
    assert sum(a.epsilon for a in alloc.values()) <= 1.0  # never over the declared ε
    assert sum(a.delta for a in alloc.values()) <= 1e-6


@pytest.mark.parametrize("n", [3, 7, 10, 11])
def test_split_never_exceeds_epsilon(n):
    s = spec(epsilon=0.7, measures=[
        {"type": "sum", "column": f"c{i}", "lower": 0, "upper": 1} for i in range(n)
    ])  # fmt: skip
    total = 0.0
    for part in s.allocation().values():
        total += part.epsilon
    assert total <= 0.7


def test_histogram_bin_names():
    s = spec(measures=[{"type": "histogram", "column": "年齢", "edges": [0, 20, 65, 120]}])
    assert s.measures[0].bin_names() == ["年齢[0,20)", "年齢[20,65)", "年齢[65,120]"]
