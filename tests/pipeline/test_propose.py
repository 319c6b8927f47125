"""``init``'s proposal: safe by default, valid as written, and it runs."""

from __future__ import annotations

import pytest
import yaml

from anonymizer.detect import Detector
from anonymizer.pipeline.propose import actions_for, propose, slug
from anonymizer.pipeline.spec import load_pipeline
from anonymizer.scan import scan_file
from anonymizer.scan.profile import ColumnProfile
from tests.pipeline.conftest import PLANTED, ROWS, cli_run, leaks, released_texts, write_csv

#: the base rows plus an address and a postal code, as a city export has them
ADDRESSES = [
    "東京都国立市富士見台2丁目6番7号",
    "国立市矢川1044-4",
    "東京都国立市富士見台2丁目6番7号",
    "東京都国立市中1-2-3",
    "国立市北3-4-5",
    "国立市矢川1044-4",
]
POSTAL = ["186-0003", "1860015", "186-0003", "186-0004", "186-0001", "1860015"]
INIT_ROWS = [dict(r, 住所=a, 郵便番号=p) for r, a, p in zip(ROWS, ADDRESSES, POSTAL, strict=True)]


@pytest.fixture(scope="module")
def fast() -> Detector:
    det = Detector("fast")
    yield det
    det.close()


def _profile(
    role: str, entity: str | None = None, entities: dict[str, int] | None = None, sampled: int = 10
) -> ColumnProfile:
    return ColumnProfile(
        "c", role, "header", entity, sampled, sampled, sampled, sampled, entities or {}
    )


@pytest.mark.parametrize(
    ("profile", "actions"),
    [
        (_profile("direct_identifier", "PERSON"), ["drop"]),
        (
            _profile("direct_identifier"),
            ["drop"],
        ),  # a linking code: pseudonymize needs a key, so drop
        (_profile("free_text"), ["mask_text"]),
        (
            _profile("quasi_identifier", "DATE_OF_BIRTH"),
            [{"generalize": {"to": "age_band", "width": 10}}, {"top_bottom_code": {"top": 90}}],
        ),
        (
            _profile("quasi_identifier", "AGE"),
            [{"generalize": {"to": "age_band", "width": 10}}, {"top_bottom_code": {"top": 90}}],
        ),
        (_profile("quasi_identifier", "JP_POSTAL_CODE"), [{"generalize": {"to": "postal3"}}]),
        (
            _profile("quasi_identifier", None, {"JP_ADDRESS": 4}),
            [{"generalize": {"to": "address_city"}}],
        ),
        (_profile("quasi_identifier", None, {"DATE": 5}), [{"generalize": {"to": "year_month"}}]),
        (_profile("quasi_identifier", None, {"DATE": 4}), ["keep"]),  # under half the cells
        (_profile("quasi_identifier"), ["keep"]),
        (_profile("sensitive"), ["keep"]),
        (_profile("other"), ["keep"]),
    ],
)
def test_actions_for_each_role(profile, actions):
    proposed, comment = actions_for(profile)
    assert proposed == actions and comment


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("soudan", "soudan"),
        ("Soudan 2024", "soudan-2024"),
        ("相談記録", "dataset"),
        ("_x_", "x"),
        ("a" * 80, "a" * 64),
    ],
)
def test_slug(text, expected):
    assert slug(text) == expected


def test_proposal_is_valid_and_safe_by_default(tmp_path, fast):
    (tmp_path / "data").mkdir()
    (tmp_path / "pipelines").mkdir()
    data = write_csv(tmp_path / "data" / "相談.csv", INIT_ROWS, "cp932")
    target = tmp_path / "pipelines" / "Soudan 2024.yaml"
    text = propose(scan_file(data, fast), target, None)
    target.write_text(text, encoding="utf-8")
    spec = load_pipeline(target)
    assert spec.name == "soudan-2024" and spec.mode == "fast"
    assert spec.input.path == "../data/相談.csv" and spec.input.encoding == "cp932"
    assert list(spec.columns) == list(INIT_ROWS[0])  # every input column declared, in order
    actions = {c: cs.operator_calls() for c, cs in spec.columns.items()}
    for col in ("管理番号", "氏名", "電話番号", "個人番号", "住所"):
        assert spec.columns[col].role == "direct_identifier" and actions[col] == [("drop", {})], col
    assert actions["相談内容"] == [("mask_text", {})]
    assert actions["生年月日"] == [
        ("generalize", {"to": "age_band", "width": 10}),
        ("top_bottom_code", {"top": 90}),
    ]
    assert actions["郵便番号"] == [("generalize", {"to": "postal3"})]
    assert actions["性別"] == [("keep", {})]
    assert spec.output.file == "soudan-2024.csv" and spec.output.encoding == "utf-8-sig"
    assert yaml.safe_load(text)["metadata"]["publisher"] == "（要記入）"
    # the comments count findings, they never quote a value
    assert "PERSON×6" in text and leaks([text]) == []


def test_proposal_runs_and_releases_nothing_planted(tmp_path, fast):
    data = write_csv(tmp_path / "in.csv", INIT_ROWS)
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(propose(scan_file(data, fast), pipeline, "proposed"), encoding="utf-8")
    result = cli_run("run", pipeline, "--out", tmp_path / "out", "--no-progress")
    assert result.exit_code == 0, result.stderr
    texts = released_texts(tmp_path / "out" / "proposed")
    assert leaks([*texts.values(), result.stdout, result.stderr], (*PLANTED, *ADDRESSES)) == []
    header = texts["proposed.csv"].split("\r\n")[0]
    assert header == "生年月日,性別,地区コード,件数,相談内容,メモ,郵便番号"
