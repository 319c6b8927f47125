"""要配慮個人情報 in the report: counted per category (replaced in free text, still in the
output), in report.json and on the page, public report included — figures only, no values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anonymizer.entities import SENSITIVE
from tests.report._html import parse
from tests.report._releases import copy_pipeline, report_json, run_cli

#: 要配慮 wording of the sample's free text (samples/templates.yaml): never in a report
SAMPLE_WORDS = ("聴覚に障害", "障害基礎年金", "障害福祉サービス", "大槻食品")


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pipelines/soudan.yaml in fast mode: its free text mentions 障害 of several kinds."""
    d = tmp_path_factory.mktemp("sensitive")
    pipeline = copy_pipeline("soudan", d, mode="fast")
    result = run_cli("run", pipeline, "--out", d / "out", "--no-progress")
    assert result.exit_code == 0, result.stderr
    return d / "out" / "soudan"


def _internal(release: Path) -> dict:
    path = release.parent / "soudan.internal" / "report.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_category_is_counted_in_both_reports(release):
    for rep in (report_json(release), _internal(release)):
        sensitive = rep["detection"]["sensitive"]
        assert list(sensitive) == list(SENSITIVE)
        masked = rep["detection"]["masked_in_free_text"]
        for entity, counts in sensitive.items():
            assert counts["masked"] == sum(types.get(entity, 0) for types in masked.values())
            assert counts["in_output"] == 0  # released: the re-scan found none
        # the sample: 聴覚に障害あり (備考), 障害基礎年金 and 障害福祉サービス (相談内容)
        assert sensitive["JP_SENSITIVE_MEDICAL"]["masked"] > 0
        assert masked["相談内容"]["JP_SENSITIVE_MEDICAL"] and masked["備考"]["JP_SENSITIVE_MEDICAL"]
        assert masked["相談内容"]["ORGANIZATION"] > 0  # 株式会社… of the 支払調書 template


def test_the_page_shows_each_category_from_the_json(release):
    report, html = report_json(release), (release / "report.html").read_text(encoding="utf-8")
    figures = {tuple(path): text for path, _, text in parse(html).figures}
    for entity in SENSITIVE:
        for field in ("masked", "in_output"):
            path = ("detection", "sensitive", entity, field)
            assert figures[path] == str(report["detection"]["sensitive"][entity][field]), path
    assert "要配慮個人情報（カテゴリ別）" in html and "要配慮（病歴・心身の障害）" in html


def test_no_sensitive_value_reaches_a_report_or_the_data(release):
    data = (release / "soudan.csv").read_text(encoding="utf-8-sig")
    assert "＜要配慮＞" in data and "＜勤務先・学校＞" in data
    texts = [data] + [
        (d / name).read_text(encoding="utf-8")
        for d in (release, release.parent / "soudan.internal")
        for name in ("report.json", "report.html")
    ]
    assert [w for w in SAMPLE_WORDS for t in texts if w in t] == []
