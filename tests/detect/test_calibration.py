"""Calibrated scores: the table's validation, the mapping, and what the detector reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anonymizer.detect import Detector
from anonymizer.detect.calibration import Calibration, Calibrator, load_calibration
from anonymizer.errors import ConfigError

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

_GOOD = """\
version: 1
fitted: test
default_min_score: 0.3
fallback:
  - {evidence: 0.0, probability: 0.0}
  - {evidence: 0.5, probability: 0.3}
  - {evidence: 1.0, probability: 1.0}
modes:
  fast:
    PERSON:
      ja.person.v1:
        - {evidence: 0.4, probability: 0.1, hits: 10}
        - {evidence: 0.6, probability: 0.7, hits: 20}
        - {evidence: 0.85, probability: 0.9, hits: 30}
    JP_PHONE_NUMBER:
      ja.phone_number.v1:
        - {evidence: 0.7, probability: 1.0, hits: 40}
"""


def _load(tmp_path: Path, text: str) -> Calibration:
    (tmp_path / "calibration.yaml").write_text(text, encoding="utf-8")
    return load_calibration(tmp_path)


@pytest.mark.parametrize(
    ("yaml_text", "where"),
    [
        (_GOOD.replace("fitted: test\n", "fitted: test\nextra: 1\n"), "extra"),
        (_GOOD.replace("hits: 10}", "hits: 10, why: x}"), "why"),
        # a curve never decreases: more evidence is never less likely right
        (_GOOD.replace("probability: 0.9, hits: 30", "probability: 0.5, hits: 30"), "ja.person.v1"),
        (_GOOD.replace("evidence: 0.85, probability: 0.9", "evidence: 0.6, probability: 0.9"),
         "ja.person.v1"),
        (_GOOD.replace("probability: 0.7, hits: 20", "probability: 1.7, hits: 20"), "probability"),
        (_GOOD.replace("  fast:\n", "  turbo:\n"), "turbo"),
        (_GOOD.replace("    PERSON:\n", "    NAME:\n"), "NAME"),
        (_GOOD.replace("default_min_score: 0.3", "default_min_score: 1.3"), "default_min_score"),
        (_GOOD.replace("default_min_score: 0.3\n", ""), "default_min_score"),
        (_GOOD.replace(
            "      ja.phone_number.v1:\n        - {evidence: 0.7, probability: 1.0, hits: 40}\n",
            "      ja.phone_number.v1: []\n"), "ja.phone_number.v1"),
    ],
)
def test_bad_tables_name_the_yaml_path(tmp_path, yaml_text, where):
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, yaml_text)
    msg = str(err.value)
    assert str(tmp_path / "calibration.yaml") in msg and where in msg


def test_the_curve_maps_evidence_to_a_probability(tmp_path):
    cal = Calibrator(_load(tmp_path, _GOOD), "fast")
    assert cal("PERSON", "ja.person.v1", 0.6) == 0.7  # a fitted level
    assert cal("PERSON", "ja.person.v1", 0.5) == pytest.approx(0.4)  # between two: linear
    assert cal("PERSON", "ja.person.v1", 1.0) == 0.9  # above every level: clipped
    # weaker than any fitted level: no more than the fallback says
    assert cal("PERSON", "ja.person.v1", 0.3) == pytest.approx(0.1)
    assert cal("JP_PHONE_NUMBER", "ja.phone_number.v1", 0.4) == pytest.approx(0.24)
    assert cal("JP_PHONE_NUMBER", "ja.phone_number.v1", 0.9) == 1.0


def test_a_class_without_a_curve_keeps_the_default_where_evidence_0_5_was(tmp_path):
    table = _load(tmp_path, _GOOD)
    fast, accurate = Calibrator(table, "fast"), Calibrator(table, "accurate")  # no curves
    assert not fast.knows("DATE", "ja.date.v1")
    assert fast("DATE", "ja.date.v1", 0.5) == table.default_min_score
    assert accurate("PERSON", "ja.person.v1", 0.5) == table.default_min_score
    assert fast("DATE", "ja.date.v1", 0.49) < table.default_min_score


def test_the_rules_table_loads_and_is_fitted_for_both_modes():
    table = load_calibration()
    assert set(table.modes) == {"fast", "accurate"}
    assert "ja.person.v1" in table.modes["accurate"]["PERSON"]


@pytest.mark.parametrize("text", ["山田太郎さんが来た。", "電話 03-7777-0001", "ゼルテンが来た。"])
def test_the_detector_reports_the_tables_probability(fast, text):
    raw = Detector(mode="fast", calibrated=False, min_score=0.0).detect(text)
    cal = Calibrator(load_calibration(), "fast")
    assert raw and all(cal.knows(f.type, f.recognizer) for f in raw)
    expected = [(f.type, f.start, f.end, cal(f.type, f.recognizer, f.score)) for f in raw]
    calibrated = Detector(mode="fast", min_score=0.0).detect(text)
    assert [(f.type, f.start, f.end, f.score) for f in calibrated] == expected


def test_overlaps_are_resolved_on_the_evidence(fast):
    # the organisation's 0.85 holds the surname inside it, whatever their probabilities
    text = "株式会社山田商店に勤務"
    assert [(f.type, text[f.start : f.end]) for f in fast.detect(text)] == [
        ("ORGANIZATION", "株式会社山田商店")
    ]


def _sample_texts() -> list[str]:
    return [
        json.loads(line)["text"]
        for name in ("texts.jsonl", "clean_texts.jsonl")
        for line in (SAMPLES / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _masked(det: Detector, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    return [[(f.start, f.end, f.type) for f in fs] for fs in det.detect_many(texts)]


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_the_default_threshold_masks_what_evidence_0_5_masked(mode):
    texts = _sample_texts()
    with Detector(mode=mode, calibrated=False) as before, Detector(mode=mode) as after:
        assert after.min_score == load_calibration().default_min_score
        assert _masked(after, texts) == _masked(before, texts)
