"""``anonymizer run``: exit 0 released, 1 refused, 2 usage/config/input error — messages name
the YAML path, column or file, never a value or the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonymizer.pipeline.spec import load_pipeline
from tests.pipeline.conftest import (
    KEY,
    PLANTED,
    ROWS,
    Work,
    base_pipeline,
    kamei_pipeline,
    cli_run,
    leaks,
    leftovers,
    new_work,
    set_path,
)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Work:
    return new_work(tmp_path, monkeypatch)


def test_release_exit_0_and_summary_on_stdout(work):
    result = work.setup().run()
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"released: {work.release} (6 rows from 6, ")
    assert "gate: 6 checks passed" in result.stdout and result.stderr == ""


VALID_OPERATORS = (
    "drop, generalize, keep, mask, mask_text, pseudonymize, redact, replace, top_bottom_code"
)


@pytest.mark.parametrize(
    ("dotted", "value", "message"),
    [
        ("colour", "red", "colour: Extra inputs are not permitted"),
        ("columns.氏名.action", ["drop"], "columns.氏名.action: Extra inputs are not permitted"),
        (
            "columns.氏名.actions",
            ["pseudonymise"],
            f"columns.氏名.actions[0]: unknown operator 'pseudonymise'; valid: {VALID_OPERATORS}",
        ),
        ("steps", [{"type": "kanon", "k": 5}], "steps[0].type: unknown step type 'kanon'; valid:"),
        (
            "columns.生年月日.actions",
            [{"generalize": {"to": "decade"}}],
            "columns.生年月日.actions[0]: to: Input should be",
        ),
        (
            "columns.生年月日.actions",
            [{"generalize": {"to": "age_band", "width": 7}}],
            "columns.生年月日.actions[0]",
        ),
        (
            "columns.氏名.actions",
            [{"pseudonymize": {"length": 4}}],
            "columns.氏名.actions[0]: length:",
        ),
        (
            "columns.相談内容.actions",
            [{"mask_text": {"entities": ["NAME"]}}],
            "columns.相談内容.actions[0]: entities[0]:",
        ),
        (
            "columns.氏名.entity",
            "NAME",
            "columns.氏名.entity: unknown entity 'NAME'; valid: PERSON",
        ),
        (
            "metadata.municipality_code",
            "132151",
            "metadata.municipality_code: check digit does not match",
        ),
        (
            "output.file",
            "public/soudan.csv",
            "output.file: a plain file name ending in .csv (no directories)",
        ),
        ("output.columns", ["性別", "住所"], "output.columns names undeclared columns ['住所']"),
        (
            "gate.allow",
            [{"column": "担当者", "entity": "PERSON", "reason": "職員名は公開情報"}],
            "gate.allow names undeclared column '担当者'",
        ),
        ("input.path", "nope.csv", "input.path: file not found (nope.csv)"),
    ],
)
def test_pipeline_errors_exit_2_with_the_yaml_path_before_data_is_read(
    work, dotted, value, message
):
    work.setup(set_path(base_pipeline(), dotted, value))
    work.input.write_text("a,b\r\n1,2,3\r\n", encoding="utf-8")  # reading it would fail differently
    result = work.run()
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"anonymizer: error: [E002] {work.pipeline}: ")
    assert message in result.stderr
    assert result.stdout == "" and not work.out.exists()


def test_the_valid_municipality_codes_run(work):
    for code in ("132152", "131016"):
        spec = set_path(base_pipeline(), "metadata.municipality_code", code)
        assert work.setup(spec).run("--force").exit_code == 0


def test_undeclared_input_column_exit_2_names_it(work):
    result = work.setup(rows=[dict(r, 世帯番号="H-0001") for r in ROWS]).run()
    assert result.exit_code == 2
    assert (
        f"{work.pipeline}: columns: input column(s) '世帯番号' have no declared role"
        in result.stderr
    )
    assert "H-0001" not in result.output and not work.out.exists()


def test_declared_column_missing_from_the_input_exit_2(work):
    result = work.setup(rows=[{k: v for k, v in r.items() if k != "件数"} for r in ROWS]).run()
    assert result.exit_code == 2
    assert f"{work.pipeline}: columns: '件数' not in the input file" in result.stderr


def test_pseudonymize_without_a_key_exit_2(work):
    result = work.setup(kamei_pipeline()).run(key=False)
    assert result.exit_code == 2
    assert "[E004] no secret key: pass a key file or set ANONYMIZER_KEY" in result.stderr
    assert "anonymizer keygen -o FILE" in result.stderr and not work.out.exists()


@pytest.mark.parametrize("length", [12, 16, 31])
def test_short_key_exit_2_says_bytes_needed_never_the_key(work, length):
    secret = ("Zq9#" * 8)[:length]
    work.key.write_text(secret, encoding="ascii")
    result = work.setup(kamei_pipeline()).run()
    assert result.exit_code == 2
    assert f"{work.key}: the key is too short; at least 32 bytes are needed" in result.stderr
    assert secret not in result.output


def test_short_key_in_the_environment_exit_2(work):
    result = cli_run(
        "run", work.setup(kamei_pipeline()).pipeline, "--out", work.out,
        env={"ANONYMIZER_KEY": "tooshort"},
    )
    assert result.exit_code == 2 and "$ANONYMIZER_KEY: the key is too short" in result.stderr
    assert "tooshort" not in result.output


def test_key_from_the_environment(work):
    result = cli_run(
        "run", work.setup(kamei_pipeline()).pipeline, "--out", work.out, env={"ANONYMIZER_KEY": KEY}
    )
    assert result.exit_code == 0, result.stderr
    assert KEY not in result.output


def test_an_existing_release_exit_2_unless_forced(work):
    assert work.setup().run().exit_code == 0
    result = work.run()
    assert result.exit_code == 2
    assert f"{work.release}: a release already exists; use --force to replace it" in result.stderr
    assert work.run("--force").exit_code == 0
    assert leftovers(work.out) == []


def test_gate_refusal_exit_1_on_stderr_without_values(work):
    spec = base_pipeline()
    spec["columns"]["担当者"] = {"role": "other", "actions": ["keep"]}
    spec["output"]["columns"].append("担当者")
    result = work.setup(spec, [dict(r, 担当者=r["氏名"]) for r in ROWS]).run()
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"anonymizer: error: [E100] {work.pipeline}: release refused, nothing was published"
    )
    assert "担当者 has PERSON×6" in result.stderr and result.stdout == ""
    assert not work.release.exists() and leaks([result.stdout, result.stderr], PLANTED) == []


def test_verbose_logging_shows_no_value(work):
    result = cli_run(
        "-v",
        "run",
        work.setup().pipeline,
        "--out",
        work.out,
        "--no-progress",
    )
    assert result.exit_code == 0, result.stderr
    assert leaks([result.stdout, result.stderr]) == [] and KEY not in result.output


def test_help_documents_exit_codes_and_an_example():
    result = cli_run("run", "--help")
    assert result.exit_code == 0
    assert (
        "Exit 0: released" in result.stdout
        and "anonymizer run pipelines/soudan.yaml" in result.stdout
    )


def test_missing_pipeline_file_exit_2(tmp_path):
    result = cli_run("run", tmp_path / "nope.yaml", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "nope.yaml: file not found" in result.stderr


def test_demo_pipeline_is_valid():
    spec = load_pipeline(Path(__file__).parents[2] / "pipelines" / "soudan.yaml")
    assert spec.metadata.municipality_code == "132152" and spec.columns[
        "氏名"
    ].operator_calls() == [("pseudonymize", {})]
