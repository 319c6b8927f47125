"""The gate's row-level checks on Spark (#21 item 4) are the pandas gate's: the same re-scan and
raw-value check — findings, counts, the rows listed, the wording — on small tables with
planted leaks (a raw name in free text, a phone split over two columns, a denied word, a
public cell, a place name), whether Spark holds the released table itself or is given it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from anonymizer.detect import Detector
from anonymizer.engine.base import LocalChecks
from anonymizer.engine.spark.checks import SparkChecks
from anonymizer.errors import ConfigError
from anonymizer.pipeline import gate
from anonymizer.pipeline.run import _place_names, deny_entries
from anonymizer.pipeline.spec import load_pipeline
from anonymizer.steps import PublicCells

REASON = "法人の商号又は名称（国税庁法人番号公表サイトで公表）"

SPEC: dict[str, Any] = {
    "version": 1,
    "name": "gate-test",
    "mode": "fast",
    "input": {"path": "in.csv"},
    "columns": {
        "氏名": {"role": "direct_identifier", "entity": "PERSON", "actions": ["drop"]},
        "電話番号": {"role": "direct_identifier", "entity": "JP_PHONE_NUMBER", "actions": ["drop"]},
        "住所": {"role": "direct_identifier", "entity": "JP_ADDRESS", "actions": ["drop"]},
        # a name held in two columns: hunted as the row's joined name
        "保護者姓": {"role": "direct_identifier", "entity": "PERSON", "name_part": "family",
                  "actions": ["drop"]},
        "保護者名": {"role": "direct_identifier", "entity": "PERSON", "name_part": "given",
                  "actions": ["drop"]},
        "事業者": {"role": "other", "actions": ["keep"]},
        "町丁": {"role": "quasi_identifier", "actions": ["keep"]},
        "相談内容": {"role": "free_text", "actions": ["keep"]},
        "備考": {"role": "free_text", "actions": ["keep"]},
    },
    "metadata": {
        "title": "相談記録（テスト）",
        "publisher": "国立市（テスト）",
        "license": "CC-BY-4.0",
        "municipality_code": "132152",
        "issued": "2026-04-01",
    },
    "output": {"file": "out.csv"},
    "gate": {"deny": [{"column": "備考", "terms": ["ひまわり会"]}]},
}

INPUT = {
    "氏名": ["北　恵子", "山田　太郎", "佐藤　花子", "鈴木　一郎", "高橋　美咲", "田中　誠"],
    "電話番号": ["090-1234-5678", "080-2222-3333", None, "042-576-0000", None, "090-8765-4321"],
    "住所": ["東京都国立市富士見台2丁目47番", None, "国立市中1-5", None, None, None],
    "保護者姓": ["上杉", "ジョンソン", "", "林", "高橋", None],
    "保護者名": ["謙信", "マイケル", "花子", "翔太", "", "誠"],
    "事業者": ["鈴木屋", "佐藤フーズ", "", "鈴木 一郎", "個人", ""],
    "町丁": ["富士見台", "谷保", "富士見台", "中", "東", "谷保"],
    "相談内容": [""] * 6,
    "備考": [""] * 6,
}

#: clean released cells: what a masked release holds
CLEAN = {
    "事業者": ["有", "無", "", "", "", ""],
    "町丁": INPUT["町丁"],
    "相談内容": ["＜氏名＞さんから電話", "特になし", None, "窓口で対応", "", "特になし"],
    "備考": ["", "継続", "継続", None, "", "終了"],
}


def _spec(tmp_path: Path, **gate: Any) -> Any:
    path = tmp_path / "gate.yaml"
    spec = {**SPEC, "gate": {**SPEC["gate"], **gate}}
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_pipeline(path)


def _frame(columns: dict[str, list[str | None]], index: list[int] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({k: pd.array(v, dtype="string") for k, v in columns.items()})
    if index is not None:
        frame.index = pd.Index(index)
    return frame


def _infos(out: pd.DataFrame, spec: Any) -> dict[str, gate.OutputColumnInfo]:
    return {
        c: gate.OutputColumnInfo(c, c, spec.columns[c].role, False) for c in out.columns
    }


def _spark_checks(spark, spec, frame: pd.DataFrame, out: pd.DataFrame, native: bool) -> SparkChecks:
    columns = tuple(frame.columns)
    data = pd.DataFrame({f"i{k}": frame[c].astype(object) for k, c in enumerate(columns)})
    data = data.where(data.notna(), None)
    data.insert(0, "__row", [int(i) for i in frame.index])
    schema = ", ".join(["__row long", *(f"i{k} string" for k in range(len(columns)))])
    rows = spark.createDataFrame(data, schema)
    if not native:
        return SparkChecks(spark, spec, rows, columns)
    released = pd.DataFrame({f"s{k}": out[c].astype(object) for k, c in enumerate(out.columns)})
    released = released.where(released.notna(), None)
    released.insert(0, "__row", [int(i) for i in out.index])
    released.insert(0, "__pos", [int(i) for i in out.index])
    schema = ", ".join(
        ["__pos long", "__row long", *(f"s{k} string" for k in range(len(out.columns)))]
    )
    table = spark.createDataFrame(released, schema)
    return SparkChecks(spark, spec, rows, columns, table, tuple(out.columns))


#: the row-level checks, in the order the run calls them
CHECKS = ("rescan", "raw", "headers")


def _gate(
    checks: Any, spec: Any, out: pd.DataFrame, public: dict, fast: Detector,
    which: tuple[str, ...] = CHECKS,
) -> list[str]:  # fmt: skip
    """The row-level checks (``which`` of them) as the run calls them, as JSON (order
    included)."""
    infos = _infos(out, spec)
    free = [c for c, i in infos.items() if i.role == "free_text"]
    addresses = [c for c, cs in spec.columns.items() if cs.entity == "JP_ADDRESS"]
    numbered = sorted(spec.numbered_only())
    run = {
        "rescan": lambda: checks.rescan(
            out, infos, spec.gate, fast, fast, deny_entries(spec), public, _place_names(spec)
        ),
        "raw": lambda: checks.raw_values(out, spec, public, free, addresses, numbered),
        "headers": lambda: checks.raw_values(
            _frame({str(i + 1): [c] for i, c in enumerate(out.columns)}), spec, public,
            numbered_only=numbered, headers=True,
        ),
    }  # fmt: skip
    return [json.dumps(run[name]().to_dict(), ensure_ascii=False) for name in which]


def _same(
    spark, tmp_path, fast, out, public=None, native=True, which=CHECKS, **gate
) -> list[dict]:
    """The checks ``which`` (each a Spark job or several: those a test asserts on) on both
    engines: the same JSON."""
    spec = _spec(tmp_path, **gate)
    frame = _frame(INPUT)
    local = _gate(LocalChecks(frame), spec, out, public or {}, fast, which)
    remote = _gate(
        _spark_checks(spark, spec, frame, out, native), spec, out, public or {}, fast, which
    )
    assert remote == local
    return [json.loads(c) for c in local]


@pytest.fixture(scope="module")
def fast() -> Detector:
    return Detector("fast")


@pytest.fixture(params=["shares", "joined"])
def searched(request, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    """How the raw-value check searches the released texts, on the executors: ``shares``,
    each task matching a chunk of them with an automaton of a share of the values (forced
    here into many shares and chunks; the other tests search in one share, as a city's release
    is), or ``joined`` with the values on anchors (a national register's; forced here)."""
    from anonymizer.engine.spark import raw

    if request.param == "shares":
        monkeypatch.setattr(raw, "VALUES_PER_TASK", 7)
        monkeypatch.setattr(raw, "CHUNK_CHARS", 40)
    if request.param == "joined":
        monkeypatch.setattr(raw, "GROUPED_SHARES", 0)
    return str(request.param)


@pytest.mark.parametrize("native", [True, False])
def test_a_clean_release_passes_both_gates_alike(spark, tmp_path, fast, native):
    rescan, raw, headers = _same(spark, tmp_path, fast, _frame(CLEAN), native=native)
    assert rescan["passed"] and raw["passed"] and headers["passed"], (rescan, raw)
    assert raw["data"]["values_checked"] > 0


@pytest.mark.parametrize(
    ("native", "searched"), [(True, "shares"), (False, "joined")], indirect=["searched"]
)
def test_planted_leaks_are_refused_alike(spark, tmp_path, fast, native, searched):
    """Each way of holding the released table (``native``: Spark holds it; else it is given
    it) and each search, once: they are independent (the search reads the cells either way
    holds), so pairs, not their product."""
    out = _frame(CLEAN)
    # a raw name (another spelling) in free text, twice; an address with its street number
    out.loc[0, "相談内容"] = "世帯主北恵子さんから電話"
    out.loc[3, "相談内容"] = "北 恵子さんが来所"
    out.loc[5, "相談内容"] = "訪問先は東京都国立市富士見台２丁目４７番"
    # a phone number split over the two free-text cells of one row
    out.loc[1, "相談内容"] = "連絡先は080-2222"
    out.loc[1, "備考"] = "-3333まで"
    # a denied word
    out.loc[2, "備考"] = "ひまわり会の件"
    # a name held in two columns, joined (and a kana name given name first)
    out.loc[4, "相談内容"] = "上杉謙信さんの件"
    out.loc[4, "備考"] = "マイケル・ジョンソン氏"
    rescan, raw, headers = _same(spark, tmp_path, fast, out, native=native)
    assert not rescan["passed"] and "備考" in rescan["data"]["findings"]
    assert rescan["data"]["findings"]["備考"]["DENY_LIST"]["rows"] == [3]
    problems = raw["data"]["problems"]
    assert not raw["passed"] and problems["相談内容"]["rows"] == [1, 2, 4, 5, 6]
    assert problems["相談内容"]["from_columns"] == ["住所", "保護者姓+保護者名", "氏名"]
    assert problems["備考"]["split_cells"] == 1
    assert problems["備考"]["from_columns"] == ["保護者姓+保護者名"]
    assert headers["passed"]


def test_allow_listed_findings_and_place_names_are_counted_alike(spark, tmp_path, fast):
    out = _frame(CLEAN)
    out["備考"] = pd.array(["042-576-1111", "", "042-576-2111", "042-576-1111", "", None],
                           dtype="string")  # fmt: skip
    out["事業者"] = pd.array(["", "042-576-2111", "", "", "", ""], dtype="string")
    allow = [{"column": c, "entity": "JP_PHONE_NUMBER", "reason": "市の施設の代表番号"}
             for c in ("事業者", "備考")]  # fmt: skip
    (rescan,) = _same(spark, tmp_path, fast, out, which=("rescan",), allow=allow)
    assert rescan["passed"], rescan["detail"]
    allowed = ["事業者:JP_PHONE_NUMBER", "備考:JP_PHONE_NUMBER"]
    assert list(rescan["data"]["allow_listed"]) == allowed


def test_public_cells_and_an_unordered_index_are_judged_alike(spark, tmp_path, fast):
    out = _frame(CLEAN, index=[5, 3, 1, 0, 2, 4])
    out["事業者"] = pd.array(["鈴木屋", "佐藤フーズ", "鈴木 一郎", "個人", "", ""], dtype="string")
    public = {"事業者": PublicCells(pd.Series([True, True, False, False, False, False],
                                              index=out.index), REASON)}  # fmt: skip
    rescan, raw = _same(spark, tmp_path, fast, out, public, native=False, which=CHECKS[:2])
    assert rescan["data"]["public"]["事業者"]["reason"] == REASON
    assert rescan["data"]["findings"]["事業者"]["PERSON"]["rows"] == [2]
    assert not raw["passed"]  # 鈴木 一郎 is a raw name of 氏名, in a row not declared public


def test_a_header_holding_a_raw_value_is_found_alike(spark, tmp_path, fast, searched):
    out = _frame({**CLEAN, "山田太郎": ["1"] * 6})
    spec_columns = SPEC["columns"]
    spec_columns["山田太郎"] = {"role": "other", "actions": ["keep"]}
    try:
        (headers,) = _same(spark, tmp_path, fast, out, native=False, which=("headers",))
    finally:
        del spec_columns["山田太郎"]
    assert list(headers["data"]["problems"]) == ["5"]


def test_the_grams_spark_cuts_are_pythons_slices(spark):
    """The raw-value check's grams are cut by Spark's string functions: characters, not bytes
    or UTF-16 units, as Python slices them (a non-BMP kanji, a kana, a digit)."""
    from anonymizer.engine.spark.raw import _cut

    keys = ["𠮷田太郎", "ab", "ｱ𠮷1𠀋x", "東京都国立市中1丁目"]
    frame = spark.createDataFrame([(i, k) for i, k in enumerate(keys)], "id long, key string")
    got = sorted(tuple(r) for r in _cut(frame, ["id"], [2, 5], "pos").collect())
    want = sorted(
        (i, k[p : p + n], p) for i, k in enumerate(keys) for n in (2, 5)
        for p in range(len(k) - n + 1)
    )  # fmt: skip
    assert got == want


def test_the_headers_reuse_the_values_hunted_without_their_digit_groupings(
    spark, tmp_path, fast, searched
):
    # 国立市中1-5 (住所) folds to 国立市中15: in a cell, 国立市中15番 is another dwelling (its
    # digits are grouped otherwise); in a header, the pandas check takes the key anywhere
    out = _frame({**CLEAN, "国立市中15番": ["1"] * 6})
    out["備考"] = pd.array(["国立市中15番", "", "", "", "", ""], dtype="string")
    spec_columns = SPEC["columns"]
    spec_columns["国立市中15番"] = {"role": "other", "actions": ["keep"]}
    try:
        spec = _spec(tmp_path)
        frame = _frame(INPUT)
        checks = _spark_checks(spark, spec, frame, out, native=True)
        _, raw, headers = [json.loads(c) for c in _gate(checks, spec, out, {}, fast)]
        local = _gate(LocalChecks(frame), spec, out, {}, fast)
    finally:
        del spec_columns["国立市中15番"]
    assert [json.loads(c) for c in local][1:] == [raw, headers]
    assert raw["passed"] and list(headers["data"]["problems"]) == ["5"]
    assert len(checks._hunted) == 1  # built once, for both checks
    ((_, hunted, _),) = checks._hunted.values()
    # the values are anchored only for a join (a cached property, computed when first read)
    assert ("frame" in vars(hunted)) == (searched == "joined")

def test_a_spark_failure_in_the_gate_is_an_exit_2_naming_no_value(spark, tmp_path, fast):
    from pyspark.sql import functions as F

    spec = _spec(tmp_path)
    frame = _frame(INPUT)
    checks = _spark_checks(spark, spec, frame, _frame(CLEAN), native=False)
    broken = F.udf(lambda v: str(1 // 0 if v else v))  # fails on the executor
    failing = SparkChecks(
        spark, spec, checks.rows.withColumn("i0", broken("i0")), checks.columns
    )
    with pytest.raises(ConfigError) as err:
        failing.raw_values(_frame(CLEAN), spec, {})
    assert err.value.exit_code == 2
    assert "the release gate's checks failed" in err.value.message
    assert "nothing was released" in err.value.message
    assert not any(name in err.value.message for name in INPUT["氏名"])


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["kaigo", "soudan"])
def test_the_executors_released_table_is_the_drivers(spark, tmp_path, name):
    """k-anonymity by aggregation as the only step: the checks read the executors' rows, and
    those are the pandas engine's released table, row for row and cell for cell (the run
    never collects them: :class:`~anonymizer.engine.spark.released.SparkReleased`)."""
    from anonymizer.engine import transform
    from anonymizer.engine.spark.released import SparkReleased
    from anonymizer.io.rows import begin, end
    from anonymizer.pipeline.plan import RunOptions
    from anonymizer.pipeline.run import prepare
    from anonymizer.progress import no_progress

    spec = yaml.safe_load((ROOT / "pipelines" / f"{name}.yaml").read_text(encoding="utf-8"))
    spec["input"]["path"] = str((ROOT / "pipelines" / spec["input"]["path"]).resolve())
    spec["spark"] = {**spec.get("spark", {}), "gate": "executors"}
    pipeline = tmp_path / f"{name}.yaml"
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    done = {}
    for engine in ("pandas", "spark"):
        opts = RunOptions(pipeline, tmp_path / "out", seed=7, progress=False,
                          engine=engine, master="local[2]")  # fmt: skip
        plan = prepare(opts)
        token = begin(None)
        try:
            done[engine] = transform(plan, opts, no_progress, {})
        finally:
            end(token)
            plan.detector.close()
    local, remote = done["pandas"].out, done["spark"].out
    assert isinstance(remote, SparkReleased) and len(remote) == len(local)
    checks = done["spark"].checks
    assert isinstance(checks, SparkChecks) and checks.native is not None
    native = checks.native.toPandas().sort_values("__pos", kind="stable")
    assert native["__row"].tolist() == [int(i) for i in local.index]
    assert list(checks.native_columns) == list(local.columns) == list(remote.columns)
    for j, col in enumerate(checks.native_columns):
        released = local[col].astype("string").fillna("").tolist()
        assert native[f"s{j}"].fillna("").tolist() == released, col


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["notes kept", "no kanonymity step"])
def test_a_refused_run_is_refused_alike_on_both_engines(spark, tmp_path, variant):
    """The kaigo sample with its notes kept and a resident's name planted in three of them, or
    without its k-anonymity step (classes of one person, the drivers named): both engines
    refuse, with the same checks (the rows and the classes counted on the executors)."""
    from click.testing import CliRunner

    from anonymizer.cli.main import cli

    sample = pd.read_csv(ROOT / "samples" / "kaigo_utf8.csv", dtype=str, keep_default_na=False)
    for i in (2, 7, 11):
        sample.loc[i, "主治医意見書"] = f"{sample.loc[i + 1, '氏名']}さんと同居。"
    data = tmp_path / "kaigo.csv"
    sample.to_csv(data, index=False)
    spec = yaml.safe_load((ROOT / "pipelines" / "kaigo.yaml").read_text(encoding="utf-8"))
    spec["input"]["path"] = str(data)
    if variant == "notes kept":
        spec["columns"]["主治医意見書"]["actions"] = ["keep"]
        spec["output"]["columns"].append("主治医意見書")
    else:
        del spec["steps"]
    spec["spark"] = {**spec.get("spark", {}), "gate": "executors"}  # the pandas engine ignores it
    pipeline = tmp_path / "kaigo.yaml"
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    refusals = []
    for engine in ("pandas", "spark"):
        out = tmp_path / engine
        args = ["run", str(pipeline), "--out", str(out), "--insecure-seed", "7", "--no-progress",
                "--engine", engine, "--master", "local[2]"]  # fmt: skip
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert not (out / "kaigo").exists()
        report = json.loads((out / "kaigo.refused.json").read_text(encoding="utf-8"))
        refusals.append(report["gate"])
    local, remote = refusals
    assert remote == local
    failed = {c["name"] for c in local["checks"] if not c["passed"]}
    if variant == "notes kept":
        assert {"rescan", "raw_values"} <= failed
    else:
        assert failed == {"reidentification"}
        check = next(c for c in local["checks"] if c["name"] == "reidentification")
        assert check["data"]["drivers"] and check["data"]["min_class"] == 1


@pytest.mark.parametrize("who", ["shared", "each", None])
def test_what_the_policy_and_report_count_by_group_bys_is_the_pandas_count(spark, tmp_path, who):
    """Classes counted in persons (some with two rows; or each row its own person, counted
    by rows without joining them) or in rows, as the pandas engine counts them."""
    from anonymizer.policy.measure import LocalTable

    spec = _spec(tmp_path)
    frame = _frame(INPUT)
    out = _frame(
        {"町丁": ["富士見台", "谷保", "富士見台", None, "", "谷保"],
         "性別": ["男", "女", "男", "男", "女", "女"]},
        index=[0, 1, 2, 3, 5, 4],
    )  # fmt: skip
    persons = who is not None
    named = ["a", "b", "a", "c", "d", "b"] if who == "shared" else list("abcdef")
    ids = pd.Series(named, index=range(6), dtype="string") if persons else None
    checks = _spark_checks(spark, spec, frame, out, native=False)
    if ids is not None:
        people = spark.createDataFrame(
            [(int(i), str(p)) for i, p in ids.items()], "__row long, __person string"
        )
        checks = SparkChecks(spark, spec, checks.rows, checks.columns, persons=people)
    remote_table = checks.held(out, ids)
    assert checks._one_row_each == (who == "each")
    local_table = LocalTable(out, ids)
    assert len(remote_table) == len(local_table) == 6
    assert remote_table.in_persons == local_table.in_persons == persons
    sets = ([], ["町丁"], ["性別"], ["町丁", "性別"])
    together = remote_table.classes_of(sets)  # one job for the four
    alone = checks.held(out, ids)  # a job for each
    for columns, counted in zip(sets, together, strict=True):
        local = local_table.classes(columns)
        for remote in (counted, alone.classes(columns)):
            assert remote.count == local.count and remote.smallest() == local.smallest()
            for k in (1, 2, 3):
                assert remote.below(k) == local.below(k)
                assert remote.share_below(k) == local.share_below(k)
            assert remote.share_unique() == local.share_unique()
        if columns:  # the smallest classes, ties by their values
            pd.testing.assert_frame_equal(
                remote_table.smallest(columns, 3), local_table.smallest(columns, 3),
                check_dtype=False,
            )  # fmt: skip
    both = ["町丁", "性別"]
    assert remote_table.value_counts(both, 5) == local_table.value_counts(both, 5)
    assert remote_table.value_counts(both, 2) == local_table.value_counts(both, 2)
    assert local_table.value_counts(both, 2) == {"町丁": None, "性別": {"男": 3, "女": 3}}
    assert remote_table.value_counts(both, 1) == local_table.value_counts(both, 1)
    assert set(local_table.value_counts(both, 1).values()) == {None}


def test_the_input_columns_facts_on_spark_are_the_pandas_ones(spark, tmp_path):
    """Rows, cells not blank (an ideographic space is blank), distinct values, a few values'
    counts in the order they first appear, and the same sampled cells in the same order (each
    partition's few, in batches of 64 rows, merged)."""
    from anonymizer.scan.profile import column_facts

    spec = _spec(tmp_path)
    n = 700
    frame = pd.DataFrame(
        {
            "氏名": [f"名前{i % 311}" if i % 7 else "　" for i in range(n)],
            "性別": [["女", "男", None, " "][i % 4] for i in range(n)],
            "区分": [["B", "A", "B", "C", "A"][i % 5] for i in range(n)],
        },
        index=pd.RangeIndex(n),
        dtype="string",
    )
    checks = _spark_checks(spark, spec, frame, frame, native=False)
    local = column_facts(frame, 50)
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
    try:
        remote = checks.facts(50)
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
    assert [f.name for f in remote] == ["氏名", "性別", "区分"]
    for a, b in zip(local, remote, strict=True):
        assert (a.rows, a.non_empty, a.distinct, a.cells) == (b.rows, b.non_empty, b.distinct, b.cells)
        assert len(a.cells) == 50
        if a.counts is None:
            assert b.counts is None
        else:
            assert a.counts.to_dict() == b.counts.to_dict()
            assert list(a.counts.index) == list(b.counts.index)
    by = {f.name: f for f in remote}
    assert by["氏名"].counts is None and by["氏名"].non_empty == n - 100
    assert list(by["区分"].counts.items()) == [("B", 280), ("A", 280), ("C", 140)]
    assert by["性別"].non_empty == 350 and by["性別"].distinct == 2
    table = checks.held_input(None)
    assert len(table) == n and table.columns == ["氏名", "性別", "区分"]
    assert table.value_counts(["区分"], 5) == {"区分": {"B": 280, "A": 280, "C": 140}}
