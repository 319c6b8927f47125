"""``anonymizer summary OUT`` and the summary ``anonymizer run`` ends with: real runs of small
pipelines (and of the sample k-anonymity and DP pipelines) into one OUT, read back from what
the releases wrote — verdicts, rows, protection, paths; JSON; exit codes 0/1/2; no value."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from anonymizer.cli.summary import render_table
from anonymizer.release.summary import read_out
from tests.pipeline.conftest import (
    PLANTED,
    ROWS,
    Work,
    base_pipeline,
    cli_run,
    kamei_pipeline,
    leaks,
)

ROOT = Path(__file__).resolve().parents[2]
KAIGO = ROOT / "samples" / "kaigo_utf8.csv"


@pytest.fixture(scope="module", autouse=True)
def _japanese():
    """The summary's labels are asserted in Japanese, the language stewards read."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANONYMIZER_LANG", "ja")
        yield


def _refusing() -> dict:
    """BASE with a kept column that holds the names: the gate's re-scan refuses it."""
    spec = base_pipeline()
    spec["columns"]["担当者"] = {"role": "other", "actions": ["keep"]}
    spec["output"]["columns"].append("担当者")
    return spec


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One OUT: kaigo (k-anonymity), soudan-dp (DP; then a ledger refusal that writes nothing),
    soudan-kamei (仮名加工情報), and soudan-test released, then refused by the gate."""
    root = tmp_path_factory.mktemp("summary")
    out = root / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("ANONYMIZER_KEY", raising=False)
        mp.setenv("XDG_STATE_HOME", str(root / "state"))
        assert cli_run("budget", "kunitachi-residents", "--total", "0.8").exit_code == 0
        for pipeline in ("kaigo.yaml", "soudan_dp.yaml", "soudan_dp.yaml"):
            res = cli_run("run", ROOT / "pipelines" / pipeline, "--out", out, "--force",
                          "--no-progress")  # fmt: skip
            assert res.exit_code == (1 if "[E101]" in res.stderr else 0), res.stderr
        assert "[E101]" in res.stderr  # the second DP run: the ledger refused, nothing written

        kamei = _work(root / "kamei", out)
        spec = kamei_pipeline()
        spec["name"] = "soudan-kamei"
        assert kamei.setup(spec).run().exit_code == 0

        work = _work(root / "work", out)
        assert work.setup().run().exit_code == 0
        refused = work.setup(_refusing(), [dict(r, 担当者=r["氏名"]) for r in ROWS]).run("--force")
        assert refused.exit_code == 1, refused.stderr
    return out


def _work(root: Path, out: Path) -> Work:
    root.mkdir()
    work = Work(root)
    work.out = out
    return work


def _summary(out: Path, *extra: str):
    return cli_run("summary", out, *extra)


def _rows(stdout: str) -> dict[str, list[str]]:
    """Table lines by name (a name's release and refusal: the refusal under name + '!')."""
    lines = stdout.splitlines()[2:-1]
    rows: dict[str, list[str]] = {}
    for line in lines:
        cells = line.split()
        key = cells[0] + ("!" if "refused" in line else "")
        rows[key] = cells
    return rows


def test_every_release_and_refusal_with_verdict_rows_protection_and_path(out):
    res = _summary(out)
    assert res.exit_code == 1, res.output  # one refusal
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["名前", "判定", "行数", "保護", "場所"]
    assert set(lines[1]) == {"-", " "}
    rows = _rows(res.stdout)
    assert list(rows) == ["kaigo", "soudan-dp", "soudan-kamei", "soudan-test", "soudan-test!"]
    assert rows["kaigo"] == ["kaigo", "公開可", "486", "k=6", "ℓ=3", f"{out}/kaigo/"]
    assert rows["soudan-dp"] == ["soudan-dp", "公開可", "156", "ε=0.5", f"{out}/soudan-dp/"]
    assert rows["soudan-kamei"][:3] == ["soudan-kamei", "内部利用のみ", "6"]
    assert "仮名加工" in rows["soudan-kamei"][3]
    assert rows["soudan-kamei"][-1] == f"{out}/soudan-kamei/"
    # the refused run left the earlier release published: both are listed
    # six rows: the test pipeline exempts its two quasi-identifiers from the policy, and says so
    assert rows["soudan-test"] == [
        "soudan-test", "公開可", "6", "k≥5（再識別ポリシー、2列免除）", f"{out}/soudan-test/"
    ]  # fmt: skip
    assert rows["soudan-test!"] == [
        "soudan-test", "公開不可", "(refused)", "0",
        "不合格:", "公開前の再検査、直接識別子の原値照合", f"{out}/soudan-test.refused.json",
    ]  # fmt: skip
    assert lines[-1] == "計5件（公開可 3、内部利用のみ 1、公開不可 (refused) 1）"


def test_columns_are_aligned_in_display_cells():
    from rich.cells import cell_len

    res = _summary_of_table()
    widths = {cell_len(line[: line.index("/")]) for line in res.splitlines()[2:]}
    assert len(widths) == 1  # the path column starts at one display column on every line


def _summary_of_table() -> str:
    from anonymizer.release.summary import Protection, ReleaseSummary

    entries = [
        ReleaseSummary("a", "released", rows=12345, protection=(Protection("dp", {"epsilon": 1}),),
                       folder=Path("/o/a")),
        ReleaseSummary("長い名前", "internal", rows=7, protection=(Protection("pseudonymized"),),
                       folder=Path("/o/長い名前")),
        ReleaseSummary("b", "refused", rows=0, failed=("公開前の再検査",),
                       refusal_file=Path("/o/b.refused.json")),
    ]  # fmt: skip
    return render_table(entries)


def test_json_has_the_same_data(out):
    res = _summary(out, "--json")
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert data["out"] == str(out)
    assert data["counts"] == {"released": 3, "internal": 1, "refused": 1, "unreadable": 0}
    by = {(r["name"], r["status"]): r for r in data["releases"]}
    kaigo = by[("kaigo", "released")]
    assert kaigo["rows"] == 486 and kaigo["purpose"] == "anonymized"
    assert kaigo["folder"] == str(out / "kaigo") and kaigo["refusal_file"] is None
    assert kaigo["protection"] == [{
        "kind": "k_anonymity", "k": 6, "l": 3.0, "l_variant": "distinct",
        "counted_in": "persons", "suppressed": 14,
    }]  # fmt: skip
    dp = by[("soudan-dp", "released")]
    assert dp["protection"] == [
        {"kind": "dp", "epsilon": 0.5, "delta": 0.0, "population": "kunitachi-residents"}
    ]
    assert by[("soudan-kamei", "internal")]["purpose"] == "pseudonymized"
    assert by[("soudan-kamei", "internal")]["protection"][0] == {"kind": "pseudonymized"}
    assert by[("soudan-test", "released")]["protection"] == [
        {"kind": "policy", "k": 5, "min_class": 6, "waived": 2}
    ]
    refused = by[("soudan-test", "refused")]
    assert refused["rows"] == 0 and refused["folder"] is None
    assert refused["refusal_file"] == str(out / "soudan-test.refused.json")
    assert refused["failed_checks"] == ["公開前の再検査", "直接識別子の原値照合"]
    assert set(kaigo) == {
        "name", "status", "purpose", "title", "rows", "protection", "failed_checks", "folder",
        "refusal_file", "generated_at", "problem",
    }  # fmt: skip


def test_exit_0_when_every_release_is_released(out, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(out, copy, symlinks=True)  # the links are relative: they follow the copy
    for p in copy.glob("*.refused.*"):
        p.unlink()
    res = _summary(copy)
    assert res.exit_code == 0, res.output
    assert "公開不可" not in res.stdout and f"{copy}/kaigo/" in res.stdout
    assert _summary(copy, "--json").exit_code == 0


def test_exit_2_when_out_is_empty_missing_or_a_release_is_unreadable(out, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("x", encoding="utf-8")
    for where in (tmp_path / "empty", tmp_path / "nowhere"):
        for extra in ((), ("--json",)):
            res = _summary(where, *extra)
            assert res.exit_code == 2 and res.stdout == "", res.output
            assert res.stderr.startswith(f"anonymizer: エラー: [E001] {where}: ")
    copy = tmp_path / "broken"
    shutil.copytree(out, copy, symlinks=True)
    manifest = copy / "kaigo" / "manifest.json"
    manifest.chmod(0o644)
    manifest.write_text('{"purpose": "山田太郎', encoding="utf-8")  # truncated
    res = _summary(copy)
    assert res.exit_code == 2
    row = next(line for line in res.stdout.splitlines() if line.startswith("kaigo "))
    assert "読み取り不可" in row and "manifest.json: not JSON" in row and "山田" not in res.output


def test_no_value_from_the_input_appears(out):
    kaigo = pd.read_csv(KAIGO, dtype=str, keep_default_na=False)
    values = [*PLANTED, *kaigo["氏名"], *kaigo["被保険者番号"]]
    for extra in ((), ("--json",)):
        res = _summary(out, *extra)
        assert leaks([res.stdout, res.stderr], values) == []


def test_run_ends_with_its_release_summary(tmp_path, monkeypatch):
    monkeypatch.delenv("ANONYMIZER_KEY", raising=False)
    work = Work(tmp_path)
    res = work.setup().run()
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].startswith(f"公開しました: {work.release}（6 行から 6 行、")
    assert lines[1].split() == ["名前", "判定", "行数", "保護", "場所"]
    assert lines[3].split()[:3] == ["soudan-test", "公開可", "6"]
    assert lines[3].endswith(f"{work.release}/") and len(lines) == 4 and res.stderr == ""
    assert leaks([res.stdout]) == []


def test_a_refused_run_ends_with_its_summary_on_stderr(tmp_path, monkeypatch):
    monkeypatch.delenv("ANONYMIZER_KEY", raising=False)
    work = Work(tmp_path)
    res = work.setup(_refusing(), [dict(r, 担当者=r["氏名"]) for r in ROWS]).run()
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr.startswith(f"anonymizer: エラー: [E100] {work.pipeline}: ")
    table = res.stderr.splitlines()[-3:]
    assert table[0].split() == ["名前", "判定", "行数", "保護", "場所"]
    assert table[2].split()[:4] == ["soudan-test", "公開不可", "(refused)", "0"]
    assert table[2].endswith(str(work.out / "soudan-test.refused.json"))
    assert leaks([res.stderr]) == []


def test_read_out_lists_nothing_but_releases_and_refusals(out):
    names = [(s.name, s.status) for s in read_out(out)]
    assert ("soudan-test", "refused") in names
    assert not any(n.endswith(".internal") for n, _ in names)  # internal reports are not releases


def test_help_has_an_example_and_the_exit_codes():
    res = cli_run("summary", "--help")
    assert res.exit_code == 0
    assert "anonymizer summary out" in res.stdout and "1: 公開拒否" in res.stdout


@pytest.mark.parametrize(
    ("kind", "params", "label"),
    [
        ("k_anonymity", {"k": 5, "l": 2.3456, "t": 0.15}, "k=5 ℓ=2.3456 t=0.15"),
        ("k_anonymity", {"k": None}, "k=?"),
        ("policy", {"k": 5, "waived": 0}, "k≥5（再識別ポリシー）"),
        ("dp", {"epsilon": 0.5, "delta": 1e-6}, "ε=0.5 δ=1e-06"),
        ("dp", {"epsilon": 1.0, "delta": 0.0}, "ε=1"),
        ("cell_suppression", {"cells": 176, "of": 1056}, "セル秘匿 176セル"),
        ("pseudonymized", {}, "仮名加工"),
    ],
)
def test_protection_labels(kind, params, label):
    from anonymizer.cli.summary import protection_label
    from anonymizer.release.summary import Protection

    assert protection_label(Protection(kind, params)) == label


def test_protections_from_recorded_steps_and_checks():
    from anonymizer.release.summary import Protection, protections

    steps = [{"type": "kanonymity", "achieved": {
        "k-anonymity": 7.0, "entropy-l-diversity": 2.5, "t-closeness": 0.2, "average-risk": 0.1,
    }, "counted_in": "records", "suppressed": 3}]  # fmt: skip
    policy = [{"name": "reidentification", "data": {"k": 5, "min_class": 7, "waived": []}}]
    assert protections("pseudonymized", steps, policy) == (
        Protection("pseudonymized"),
        Protection("k_anonymity", {"k": 7, "l": 2.5, "l_variant": "entropy", "t": 0.2,
                                   "counted_in": "records", "suppressed": 3}),
    )  # fmt: skip  (the policy is shown only where no k-anonymity step ran)
    assert protections("anonymized", [], policy) == (
        Protection("policy", {"k": 5, "min_class": 7, "waived": 0}),
    )
    assert protections("anonymized", [{"type": "kanonymity_unsolved"}], []) == ()
