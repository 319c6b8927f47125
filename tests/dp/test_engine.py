"""``run_dp_aggregate`` end to end: keys, bounding, composition, refusal, post-processing.

Exactness checks use a very large ε (1e6): diffprivlib's mechanisms then add no noise, so the
published table must equal the exact aggregate of the bounded rows.
"""

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from anonymizer.config import validate_model
from anonymizer.dp import ApproxDP, DpAggregateSpec, DpRandom, Ledger, run_dp_aggregate
from anonymizer.errors import BudgetRefused, ConfigError, InputError

TOWNS = ["青柳", "石田", "泉", "北", "中", "西", "東", "富士見台", "谷保", "矢川"]
HUGE = 1e6


def make_spec(**kw) -> DpAggregateSpec:
    data = {
        "epsilon": 1.0,
        "group_by": [{"column": "町", "keys_file": "kunitachi_cho.txt"}],
        "measures": [{"type": "count"}],
        **kw,
    }
    return validate_model(data, DpAggregateSpec, "test")


@pytest.fixture
def ledger(tmp_path):
    led = Ledger(tmp_path / "state")
    led.set_total("pop", ApproxDP(1e7, 1e-3))
    return led


def frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["住民ID", "町", "年齢"], dtype="str")


def test_absent_keys_appear_and_other_values_never(ledger):
    df = frame(
        [("1", "青柳", "40"), ("2", "青柳", "50"), ("3", "立川", "60"), ("4", "山田太郎", "70")]
        + [("5", "１丁目", "30")]
    )
    res = run_dp_aggregate(df, make_spec(), ledger, "pop", "t.csv", DpRandom.insecure(1))
    assert res.table["町"].tolist() == TOWNS  # every public key, in key-file order
    text = res.csv.decode() + json.dumps(res.summary(), ensure_ascii=False)
    for private in ("立川", "山田太郎", "１丁目", "1丁目"):
        assert private not in text
    assert (res.table["count"] >= 0).all()
    assert res.table["count"].dtype.kind == "i"


def test_exact_aggregates_with_huge_epsilon(ledger):
    df = frame([(str(i), TOWNS[i % 3], str(20 + i)) for i in range(30)] + [("x", "北", "500")])
    spec = make_spec(
        epsilon=HUGE,
        measures=[
            {"type": "count"},
            {"type": "sum", "column": "年齢", "lower": 0, "upper": 100},
            {"type": "mean", "column": "年齢", "lower": 0, "upper": 100},
            {"type": "median", "column": "年齢", "lower": 0, "upper": 100},
        ],
    )
    res = run_dp_aggregate(df, spec, ledger, "pop", "t.csv", DpRandom.secure())
    t = res.table.set_index("町")
    ages = df.assign(年齢=df["年齢"].astype(float).clip(0, 100))  # the public clamp
    truth = ages.groupby("町")["年齢"]
    for town in TOWNS:
        n = int(truth.size().get(town, 0))
        assert t.loc[town, "count"] == n
        assert t.loc[town, "sum(年齢)"] == pytest.approx(truth.sum().get(town, 0), abs=1)
        if n:
            assert t.loc[town, "mean(年齢)"] == pytest.approx(truth.mean()[town], abs=0.01)
        if n >= 3:  # Smith's median of one value is uniform on [lo, value]: needs a few rows
            assert truth.min()[town] <= t.loc[town, "median(年齢)"] <= truth.max()[town]
    assert t.loc["北", "sum(年齢)"] == 100  # 500 was clamped to the public upper bound


def test_contribution_bounding_holds(ledger):
    heavy = [("p1", "青柳", "100")] * 50 + [("p1", "石田", "100")] * 5
    light = [("p2", "青柳", "10"), ("p3", "石田", "10")]
    spec = make_spec(
        epsilon=HUGE,
        privacy_unit={"id_column": "住民ID", "max_rows_per_id": 2},
        measures=[{"type": "count"}, {"type": "sum", "column": "年齢", "lower": 0, "upper": 100}],
    )
    for _ in range(5):
        res = run_dp_aggregate(frame(heavy + light), spec, ledger, "pop", "t", DpRandom.secure())
        t = res.table.set_index("町")
        # p1 keeps exactly 2 of its 55 rows, wherever they fell
        assert t.loc["青柳", "count"] + t.loc["石田", "count"] == 2 + 2
        assert t.loc["青柳", "sum(年齢)"] + t.loc["石田", "sum(年齢)"] == 200 + 20
    [count] = [m for m in res.measures if m.name == "count"]
    assert count.sensitivity == {"count": 2} and count.noise_scale == {"count": 2 / (HUGE / 2)}


def _grid_frame(rng: np.random.Generator) -> pd.DataFrame:
    """2,000 cells (50 × 40), 30–90 rows each, ids unique per row pair (≤ 2 rows per id)."""
    a = [f"A{i:02d}" for i in range(50)]
    b = [f"B{j:02d}" for j in range(40)]
    sizes = rng.integers(30, 90, size=2000)
    cells = np.repeat(np.arange(2000), sizes)
    n = len(cells)
    return pd.DataFrame(
        {
            "a": np.array(a)[cells // 40],
            "b": np.array(b)[cells % 40],
            "id": (np.arange(n) // 2).astype(str),
            "x": rng.uniform(-20, 120, n).round(1).astype(str),
        }
    )


@pytest.mark.slow
def test_empirical_error_matches_the_reported_noise(tmp_path):
    """Errors over 4 releases × 2,000 cells follow the mechanisms' distributions.

    False-failure rate: each of the three tests rejects at p < 1e-4 (χ² for the geometric
    count noise, KS for the Laplace sum noise, one-sided binomial for the 95% coverage of
    the per-cell mean bound), so a correct engine fails this test with probability < 3e-4.
    """
    from scipy import stats

    from tests.dp.test_mechanisms import P_MIN, geometric_pmf

    rng = np.random.default_rng(2024)
    df = _grid_frame(rng)
    x = df["x"].astype(float).clip(0, 100)
    truth = df.assign(x=x).groupby(["a", "b"])["x"].agg(["size", "sum", "mean"]).reset_index()
    spec = validate_model(
        {
            "epsilon": 0.9,
            "group_by": [
                {"column": "a", "keys": sorted(df["a"].unique())},
                {"column": "b", "keys": sorted(df["b"].unique())},
            ],
            "privacy_unit": {"id_column": "id", "max_rows_per_id": 2},
            "measures": [
                {"type": "count"},
                {"type": "sum", "column": "x", "lower": 0, "upper": 100},
                {"type": "mean", "column": "x", "lower": 0, "upper": 100},
            ],
            "post_processing": {"non_negative": False, "integers": False, "decimals": 12},
        },
        DpAggregateSpec,
        "test",
    )
    led = Ledger(tmp_path / "state")
    led.set_total("pop", ApproxDP(10.0))
    count_err, sum_err, covered = [], [], 0
    runs = 4
    for _ in range(runs):
        res = run_dp_aggregate(df, spec, led, "pop", "grid", DpRandom.secure())
        t = res.table.merge(truth, on=["a", "b"])
        count_err.append((t["count"] - t["size"]).to_numpy())
        sum_err.append((t["sum(x)"] - t["sum"]).to_numpy())
        bound = res.cell_error_bounds["mean(x)"].to_numpy()
        covered += int((np.abs(t["mean(x)"] - t["mean"]).to_numpy() <= bound).sum())
    reports = {m.name: m for m in res.measures}
    eps = spec.allocation()

    # counts: two-sided geometric with ε/3 and sensitivity k = 2
    errs = np.concatenate(count_err)
    assert reports["count"].noise_scale["count"] == pytest.approx(2 / eps["count"].epsilon)
    n = len(errs)
    support = np.arange(-12, 13)
    expected = n * geometric_pmf(support, eps["count"].epsilon, 2)
    observed = np.array([(errs == s).sum() for s in support])
    p = stats.chisquare(np.r_[observed, n - observed.sum()], np.r_[expected, n - expected.sum()])
    assert expected.min() >= 5 and p.pvalue > P_MIN

    # sums: Laplace with the reported scale k·max(|lo|,|hi|)/ε = 2·100/(ε/3)
    scale = reports["sum(x)"].noise_scale["sum"]
    assert scale == pytest.approx(200 / eps["sum(x)"].epsilon)
    assert stats.kstest(np.concatenate(sum_err), stats.laplace(scale=scale).cdf).pvalue > P_MIN

    # means: the per-cell 95% bound covers the truth at least 95% of the time
    cells = runs * 2000
    assert stats.binom.cdf(covered, cells, 0.95) > P_MIN


def test_budget_composes_and_refuses_before_any_parsing(tmp_path):
    led = Ledger(tmp_path / "state")
    led.set_total("pop", ApproxDP(1.0))
    df = frame([("1", "青柳", "40")])
    spec = make_spec(epsilon=0.6, measures=[{"type": "mean", "column": "年齢", "lower": 0,
                                             "upper": 100}])  # fmt: skip
    first = run_dp_aggregate(df, spec, led, "pop", "a.csv", DpRandom.secure())
    assert first.status.remaining == ApproxDP(0.4)
    garbage = frame([("1", "青柳", "山田太郎")])  # would be an InputError if it were parsed
    with pytest.raises(BudgetRefused, match="only ε=0.4") as err:
        run_dp_aggregate(garbage, spec, led, "pop", "b.csv", DpRandom.secure())
    assert err.value.exit_code == 1
    assert led.status("pop").releases == 1
    ok = run_dp_aggregate(df, make_spec(epsilon=0.4), led, "pop", "c.csv", DpRandom.secure())
    assert ok.status.remaining == ApproxDP(0.0)


def test_ledger_records_spend_queries_and_output_hash(ledger):
    res = run_dp_aggregate(
        frame([("1", "青柳", "40")]), make_spec(), ledger, "pop", "a.csv", DpRandom.insecure(5)
    )
    [rel] = ledger.releases("pop")
    assert rel["id"] == res.release_id and rel["dataset"] == "a.csv"
    assert rel["epsilon"] == 1.0 and rel["insecure_seed"] == 5
    assert rel["output_hashes"] == {"table.csv": hashlib.sha256(res.csv).hexdigest()}
    assert rel["queries"]["spec"]["measures"] == [
        {"type": "count", "name": None, "weight": 1.0}
    ]
    assert rel["queries"]["key_sources"]["町"]["keys"] == 10
    assert "INSECURE" in res.summary()["randomness"]


def test_insecure_seed_reproduces_and_secure_does_not(ledger):
    df = frame([(str(i), TOWNS[i % 10], "1") for i in range(100)])
    a, b = (
        run_dp_aggregate(df, make_spec(), ledger, "pop", "t", DpRandom.insecure(11)).csv
        for _ in range(2)
    )
    assert a == b
    secure = {run_dp_aggregate(df, make_spec(), ledger, "pop", "t").csv for _ in range(3)}
    assert len(secure) > 1


def test_tau_thresholding_publishes_only_common_values(ledger):
    rows = [(str(i), "相談", "1") for i in range(300)] + [(str(i), "苦情", "1") for i in range(200)]
    rows += [(f"s{i}", f"山田{i}郎", "1") for i in range(40)]  # one person each
    df = frame(rows).rename(columns={"町": "区分"})
    spec = make_spec(
        epsilon=1.0,
        delta=1e-9,
        group_by=[{"column": "区分", "discover": True}],
        key_discovery={"weight": 1},
    )
    res = run_dp_aggregate(df, spec, ledger, "pop", "t", DpRandom.secure())
    assert res.table["区分"].tolist() == ["相談", "苦情"]  # sorted: keys in code-point order
    assert "山田" not in res.csv.decode()
    info = res.summary()["key_discovery"]
    assert info["columns"]["区分"]["keys"] == 2
    assert info["columns"]["区分"]["threshold"] == pytest.approx(1 + 2 * np.log(1 / 2e-9))
    assert res.spent == ApproxDP(1.0, 1e-9)


def test_published_total_consistency(ledger):
    df = frame([(str(i), TOWNS[i % 4], "1") for i in range(57)])
    spec = make_spec(epsilon=0.5, post_processing={"total": 57})
    for _ in range(5):
        res = run_dp_aggregate(df, spec, ledger, "pop", "t", DpRandom.secure())
        counts = res.table["count"]
        assert counts.sum() == 57 and (counts >= 0).all() and counts.dtype.kind == "i"


def test_histogram_and_quantile_columns(ledger):
    df = frame([(str(i), TOWNS[i % 2], str(i % 100)) for i in range(400)])
    spec = make_spec(
        epsilon=HUGE,
        measures=[
            {"type": "histogram", "column": "年齢", "edges": [0, 20, 65, 100]},
            {"type": "quantile", "column": "年齢", "q": 0.9, "lower": 0, "upper": 100},
        ],
    )
    res = run_dp_aggregate(df, spec, ledger, "pop", "t", DpRandom.secure())
    t = res.table.set_index("町")
    assert list(t.columns) == ["年齢[0,20)", "年齢[20,65)", "年齢[65,100]", "q0.9(年齢)"]
    assert t.loc["青柳", ["年齢[0,20)", "年齢[20,65)", "年齢[65,100]"]].tolist() == [40, 92, 68]
    assert t.loc["泉"].iloc[:3].tolist() == [0, 0, 0]
    assert 80 <= t.loc["青柳", "q0.9(年齢)"] <= 95


def test_small_cells_are_flagged(ledger):
    df = frame([(str(i), "青柳", "1") for i in range(5000)] + [("x", "石田", "1")])
    res = run_dp_aggregate(df, make_spec(epsilon=0.5), ledger, "pop", "t", DpRandom.secure())
    flagged = {f.keys["町"] for f in res.flagged}
    assert "青柳" not in flagged and "石田" in flagged


@pytest.mark.parametrize(
    ("cells", "missing", "message"),
    [
        (["40", "山田太郎", "50"], "error", "1 of 3 cell(s) are not numbers"),
        (["40", "", "50"], "error", "1 empty cell(s)"),
        (["４０", "1,000", " 50 "], "error", None),  # 全角 digits and separators parse
        (["40", "", "50"], "drop", None),
    ],
)
def test_measure_column_parsing(ledger, cells, missing, message):
    df = frame([(str(i), "青柳", c) for i, c in enumerate(cells)])
    measure = {"type": "sum", "column": "年齢", "lower": 0, "upper": 2000, "missing": missing}
    spec = make_spec(epsilon=HUGE, measures=[measure])
    if message is None:
        res = run_dp_aggregate(df, spec, ledger, "pop", "t", DpRandom.secure())
        expected = sum(float(c.replace(",", "").replace("４０", "40")) for c in cells if c.strip())
        assert res.table.set_index("町").loc["青柳", "sum(年齢)"] == expected
        return
    before = ledger.status("pop").releases
    with pytest.raises(InputError, match="年齢") as err:
        run_dp_aggregate(df, spec, ledger, "pop", "t", DpRandom.secure())
    assert message in str(err.value) and "山田" not in str(err.value)
    assert ledger.status("pop").releases == before  # input errors spend nothing


def test_missing_columns_and_too_many_cells(ledger):
    with pytest.raises(InputError, match="'住所'"):
        run_dp_aggregate(frame([]), make_spec(group_by=[{"column": "住所", "keys": ["a"]}]),
                         ledger, "pop", "t")  # fmt: skip
    many = [{"column": c, "keys": [str(i) for i in range(100)]} for c in ("町", "年齢", "住民ID")]
    with pytest.raises(ConfigError, match="max_cells"):
        run_dp_aggregate(frame([]), make_spec(group_by=many, max_cells=10_000), ledger, "pop", "t")


def test_empty_input_still_publishes_every_key_with_noise(ledger):
    res = run_dp_aggregate(frame([]), make_spec(epsilon=1.0), ledger, "pop", "t")
    assert len(res.table) == 10 and (res.table["count"] >= 0).all()


def _summary(df: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The rows' distinct rows in the order of their first row, with their counts (what the
    Spark engine hands the step)."""
    counted = df.groupby(list(df.columns), sort=False, dropna=False).size()
    return counted.index.to_frame(index=False), counted.to_numpy(dtype=np.int64)


def test_a_summary_with_its_counts_releases_what_its_rows_release(tmp_path):
    """Every measure, discovered keys and a fixed seed: the noisy table of the distinct rows
    weighted by their counts is the table of the rows (the same noise, drawn in the same
    order), and a parse error counts the cells, not the distinct values."""
    rng = np.random.default_rng(8)
    n = 3_000
    df = pd.DataFrame({
        "町": rng.choice(TOWNS[:6] + ["立川"], n),
        "区分": rng.choice(["A", "B", "C", "Ｄ"], n, p=[0.5, 0.3, 0.15, 0.05]),
        "年齢": rng.integers(0, 9, n).astype(str) + "0",
    })  # fmt: skip
    spec = make_spec(
        epsilon=2.0,
        delta=1e-6,
        group_by=[
            {"column": "町", "keys_file": "kunitachi_cho.txt"},
            {"column": "区分", "discover": True},
        ],
        key_discovery={"weight": 1},
        measures=[
            {"type": "count"},
            {"type": "sum", "column": "年齢", "lower": 0, "upper": 100},
            {"type": "mean", "column": "年齢", "lower": 0, "upper": 100},
            {"type": "histogram", "column": "年齢", "edges": [0, 30, 60, 100]},
            {"type": "median", "column": "年齢", "lower": 0, "upper": 100},
        ],
    )
    tables = []
    for name, (rows, weight) in {"rows": (df, None), "summary": _summary(df)}.items():
        led = Ledger(tmp_path / name)
        led.set_total("pop", ApproxDP(10, 1e-3))
        res = run_dp_aggregate(rows, spec, led, "pop", "t", DpRandom.insecure(4), weight=weight)
        tables.append(res.table)
    summary_rows = len(_summary(df)[0])
    assert summary_rows < 300 and (tables[0]["区分"] == "A").any()
    pd.testing.assert_frame_equal(tables[0], tables[1])

    bad = df.assign(年齢=df["年齢"].where(df.index % 7 != 0, "不明"))
    messages = []
    for rows, weight in ((bad, None), _summary(bad)):
        led = Ledger(tmp_path / f"bad{len(messages)}")
        led.set_total("pop", ApproxDP(10, 1e-3))
        with pytest.raises(InputError) as err:
            run_dp_aggregate(rows, spec, led, "pop", "t", DpRandom.insecure(4), weight=weight)
        messages.append(str(err.value))
    assert messages[0] == messages[1] and f"{(n + 6) // 7} of {n}" in messages[0]
