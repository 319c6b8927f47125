"""rules/report.yaml: the page's vocabulary is data, complete for every role and operator."""

from __future__ import annotations

import shutil

import pytest
import yaml

from anonymizer.errors import ConfigError
from anonymizer.operators.base import OPERATORS, import_all
from anonymizer.report.labels import load_report_labels, vocabulary
from anonymizer.rules import rules_dir


def test_every_operator_and_role_has_a_japanese_label():
    import_all()
    words = vocabulary()
    assert set(OPERATORS.names()) <= set(words["operators"])
    assert words["roles"]["direct_identifier"] == "直接識別子"
    assert words["entities"]["PERSON"] == "氏名"  # from entities.yaml, not repeated


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["operators"].pop("pseudonymize"), "operators.*pseudonymize"),
        (lambda d: d["roles"].pop("free_text"), "roles.*free_text"),
        (lambda d: d.update(colours={}), "colours: Extra inputs are not permitted"),
        (lambda d: d.update(version=2), "version"),
    ],
)
def test_a_broken_vocabulary_stops_with_the_yaml_path(tmp_path, edit, message):
    data = yaml.safe_load((rules_dir() / "report.yaml").read_text(encoding="utf-8"))
    edit(data)
    (tmp_path / "report.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=rf"report.yaml: .*{message}"):
        load_report_labels(tmp_path)


def test_missing_vocabulary_file_is_an_error(tmp_path):
    shutil.copy(rules_dir() / "entities.yaml", tmp_path / "entities.yaml")
    with pytest.raises(ConfigError, match="report.yaml"):
        vocabulary(tmp_path)
