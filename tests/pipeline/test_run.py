"""run_pipeline: everything is checked before data is read, input columns are checked before
any transformation, and no planted value reaches a released file or the terminal."""

from __future__ import annotations

import json

import pytest

from anonymizer.errors import ConfigError, InputError, KeyMissingError, UsageError
from anonymizer.pipeline.run import RunOptions, run_pipeline
from tests.pipeline.conftest import (
    KEY,
    PLANTED,
    RELEASED,
    ROWS,
    Work,
    base_pipeline,
    kamei_pipeline,
    leaks,
    leftovers,
    released_texts,
)


def _opts(work: Work, **kw) -> RunOptions:
    kw.setdefault("key_file", work.key if work.purpose == "pseudonymized" else None)
    return RunOptions(work.pipeline, work.out, progress=False, **kw)


def _ragged(work: Work) -> None:
    """An input that fails as soon as anything reads it."""
    work.input.write_text("a,b\r\n1,2,3\r\n", encoding="utf-8")


def test_run_returns_what_it_released(work):
    work.setup()
    result = run_pipeline(_opts(work))
    assert result.released and result.target == work.release
    assert (result.rows_in, result.rows_out) == (len(ROWS), len(ROWS))
    assert result.gate.passed and [c.name for c in result.gate.checks] == [
        "rescan", "raw_values", "headers", "publication", "reidentification", "free_text_review"
    ]
    assert set(result.timings) == {
        "read", "operators", "steps", "gate", "gate_rescan", "gate_raw_values", "gate_policy",
        "report",
    }
    assert result.report["output"]["columns"] == RELEASED


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (
            lambda s: s["columns"]["氏名"].update(actions=["pseudonymise"]),
            "columns.氏名.actions[0]: unknown operator",
        ),
        (
            lambda s: s["columns"]["生年月日"].update(actions=[{"generalize": {"to": "decade"}}]),
            "columns.生年月日.actions[0]: to:",
        ),
        (
            lambda s: s.update(steps=[{"type": "kanon", "k": 5}]),
            "steps[0].type: unknown step type 'kanon'",
        ),
        (lambda s: s.update(colour="red"), "colour: Extra inputs"),
        (
            lambda s: s["output"].update(columns=["電話番号"]),
            "output.columns[0]: '電話番号' is dropped by its actions",
        ),
        (lambda s: s["input"].update(path="missing.csv"), "input.path: file not found"),
    ],
)
def test_pipeline_problems_are_found_before_data_is_read(work, change, where):
    spec = base_pipeline()
    change(spec)
    work.setup(spec)
    _ragged(work)
    with pytest.raises(ConfigError) as exc:
        run_pipeline(_opts(work))
    assert exc.value.message.startswith(f"{work.pipeline}: "), exc.value.message
    assert where in exc.value.message
    assert not work.out.exists()


def test_a_ragged_input_is_an_input_error(work):
    work.setup()
    _ragged(work)
    with pytest.raises(InputError, match="row 2 has 3 fields"):
        run_pipeline(_opts(work))


def test_every_input_column_must_be_declared(work):
    rows = [dict(r, 担当者メモ="x") for r in ROWS]
    work.setup(rows=rows)
    with pytest.raises(ConfigError) as exc:
        run_pipeline(_opts(work))
    assert exc.value.message.startswith(
        f"{work.pipeline}: columns: input column(s) '担当者メモ' have no declared role"
    )
    assert "actions: [keep]" in exc.value.message
    assert not work.out.exists()


@pytest.mark.parametrize(
    ("header", "hint"),
    [
        ("性別 ", "(declared as '性別': the names differ only in spaces, 全角/半角 or case)"),
        ("性　別", "(declared as '性別': the names differ only in spaces, 全角/半角 or case)"),
        ("相談の内容", "(did you mean '相談内容'?)"),
    ],
)
def test_an_undeclared_header_names_the_declared_column_it_nearly_matches(work, header, hint):
    source = "性別" if "性" in header else "相談内容"
    rows = [{(header if k == source else k): v for k, v in r.items()} for r in ROWS]
    work.setup(rows=rows)
    with pytest.raises(ConfigError) as exc:
        run_pipeline(_opts(work))
    assert f"{header!r} {hint}" in exc.value.message


def test_a_declared_column_must_be_in_the_input(work):
    rows = [{k: v for k, v in r.items() if k != "性別"} for r in ROWS]
    work.setup(rows=rows)
    with pytest.raises(ConfigError, match=r"p\.yaml: columns: '性別' not in the input file"):
        run_pipeline(_opts(work))


def test_pseudonymize_needs_a_key(work, monkeypatch):
    work.setup(kamei_pipeline())
    _ragged(work)  # the key is checked before the input is read
    with pytest.raises(
        KeyMissingError, match="no secret key: pass a key file or set ANONYMIZER_KEY"
    ):
        run_pipeline(_opts(work, key_file=None))
    short = work.root / "short.key"
    short.write_text("k" * 31, encoding="ascii")
    with pytest.raises(KeyMissingError) as exc:
        run_pipeline(_opts(work, key_file=short))
    assert "at least 32 bytes are needed" in exc.value.message and "k" * 31 not in str(exc.value)
    monkeypatch.setenv("ANONYMIZER_KEY", "k" * 31)
    with pytest.raises(KeyMissingError, match=r"\$ANONYMIZER_KEY: the key is too short"):
        run_pipeline(_opts(work, key_file=None))


def test_key_from_the_environment_and_a_declared_variable(work, monkeypatch):
    work.setup(kamei_pipeline())
    monkeypatch.setenv("ANONYMIZER_KEY", KEY)
    from_env = run_pipeline(_opts(work, key_file=None))
    by_file = work.data()["相談者ID"].tolist()
    assert from_env.released

    spec = kamei_pipeline()
    spec["pseudonym"]["key_env"] = "SOUDAN_KEY"
    work.setup(spec)
    with pytest.raises(KeyMissingError, match="set SOUDAN_KEY"):
        run_pipeline(_opts(work, key_file=None, force=True))
    monkeypatch.setenv("SOUDAN_KEY", KEY)
    assert run_pipeline(_opts(work, key_file=None, force=True)).released
    assert work.data()["相談者ID"].tolist() == by_file


def test_no_key_is_needed_without_pseudonyms(work):
    spec = base_pipeline()
    spec["columns"]["氏名"]["actions"] = ["drop"]
    spec["output"]["columns"] = RELEASED[1:]
    work.setup(spec)
    result = run_pipeline(_opts(work, key_file=None))
    assert result.released and result.report["transformations"]["key_id"] is None


def test_an_existing_release_is_kept_unless_forced(work):
    work.setup()
    run_pipeline(_opts(work))
    before = (work.release / "soudan.csv").read_bytes()
    _ragged(work)  # checked before the input is read
    with pytest.raises(UsageError, match="a release already exists; use --force to replace it"):
        run_pipeline(_opts(work))
    assert (work.release / "soudan.csv").read_bytes() == before

    rows = [dict(r) for r in ROWS]
    rows[0]["件数"] = "99"
    work.setup(rows=rows)
    assert run_pipeline(_opts(work, force=True)).released
    assert work.data()["件数"].iloc[0] == "99"
    assert leftovers(work.out) == []


def test_cp932_input_gives_the_same_release_as_utf8(work):
    work.setup(encoding="utf-8")
    run_pipeline(_opts(work, seed=3))  # the per-release pseudonym key from the seed
    utf8 = (work.release / "soudan.csv").read_bytes()
    work.setup(encoding="cp932")
    result = run_pipeline(_opts(work, force=True, seed=3))
    assert result.report["input"]["encoding"] == "cp932"
    assert (work.release / "soudan.csv").read_bytes() == utf8


def test_columns_are_released_in_input_order_without_output_columns(work):
    spec = base_pipeline()
    del spec["output"]["columns"]
    spec["columns"]["氏名"]["actions"] = ["drop"]
    work.setup(spec)
    run_pipeline(_opts(work))
    assert list(work.data().columns) == [
        "生年月日",
        "性別",
        "地区コード",
        "件数",
        "相談内容",
        "メモ",
    ]


def test_output_columns_reorder_and_rename(work):
    spec = base_pipeline()
    spec["output"]["columns"] = [
        "件数",
        {"from": "生年月日", "to": "年代"},
        {"from": "氏名", "to": "相談者ID"},
    ]
    work.setup(spec)
    run_pipeline(_opts(work))
    data = work.data()
    assert list(data.columns) == ["件数", "年代", "相談者ID"]
    assert data["年代"].tolist() == [
        "70～79歳",
        "40～49歳",
        "70～79歳",
        "50～59歳",
        "20～29歳",
        "40～49歳",
    ]


def test_output_columns_must_not_release_a_name_twice(work):
    spec = base_pipeline()
    spec["output"]["columns"] = [{"from": "氏名", "to": "性別"}, "性別"]
    work.setup(spec)
    with pytest.raises(ConfigError, match=r"output\.columns releases \['性別'\] more than once"):
        run_pipeline(_opts(work))


def test_no_planted_value_in_any_released_file_or_terminal_output(work):
    result = work.setup().run()
    assert result.exit_code == 0, result.stderr
    texts = released_texts(work.release)
    assert sorted(texts) == [
        "ckan.json",
        "datapackage.json",
        "dcat.jsonld",
        "manifest.json",
        "metadata.json",
        "report.html",
        "report.json",
        "soudan.csv",
    ]
    assert leaks([*texts.values(), result.stdout, result.stderr]) == []
    # the masked free text is still there to read
    assert work.data()["相談内容"].tolist()[:2] == [
        "＜氏名＞さんから電話 ＜電話番号＞ があった",
        "個人番号 ＜個人番号＞ の確認",
    ]


def test_no_planted_value_leaks_from_a_cp932_input_and_output(work):
    spec = base_pipeline()
    spec["output"]["encoding"] = "cp932"
    result = work.setup(spec, encoding="cp932").run()
    assert result.exit_code == 0, result.stderr
    assert leaks([*released_texts(work.release).values(), result.stdout, result.stderr]) == []


def test_a_column_declared_other_shows_no_raw_value_in_the_refusal(work):
    # 備考… looks like free text to the header rules; the refusal must still not quote it
    spec = base_pipeline()
    spec["columns"]["備考コード"] = {"role": "other", "actions": ["keep"]}
    spec["output"]["columns"].append("備考コード")
    rows = [dict(r, 備考コード=r["管理番号"]) for r in ROWS]
    result = work.setup(spec, rows).run()
    assert result.exit_code == 1
    refusal = (work.out / "soudan-test.refused.json").read_text(encoding="utf-8")
    columns = {c["name"]: c for c in json.loads(refusal)["input"]["columns"]}
    assert columns["備考コード"]["examples"] and all(
        "9" in e for e in columns["備考コード"]["examples"]
    )
    assert leaks([refusal, result.stdout, result.stderr]) == []


@pytest.mark.slow
def test_accurate_mode_end_to_end(work):
    """Real GiNZA NER: a name only the neural model finds is masked in the data and is not
    published anywhere else either (the report's examples are masked the same way)."""
    spec = base_pipeline()
    spec["mode"] = "accurate"
    spec["columns"]["経過"] = {"role": "free_text", "actions": ["mask_text"]}
    spec["output"]["columns"].append("経過")
    spec["review"].append({"column": "経過", "role": "個人情報保護担当", "reason": "置換結果を確認"})
    rows = [dict(r, 経過="ゆうきくんが転校") for r in ROWS]
    result = work.setup(spec, rows).run()
    assert result.exit_code == 0, result.stderr
    data = work.data()
    assert data["経過"].tolist() == ["＜氏名＞くんが転校"] * len(ROWS)
    assert data["相談内容"].iloc[3] == "＜氏名＞氏より＜メールアドレス＞"
    report = json.loads((work.release / "report.json").read_text(encoding="utf-8"))
    assert report["pipeline"]["mode"] == "accurate"
    assert "ginza" in " ".join(report["provenance"]["versions"]).lower()
    texts = [*released_texts(work.release).values(), result.stdout, result.stderr]
    assert leaks(texts, (*PLANTED, "ゆうき")) == []
