"""The summary's protection of the KPI steps, from their recorded report sections."""

from anonymizer.cli.summary import protection_label
from anonymizer.release.summary import protections


def test_standard_layout_and_holders_are_named_with_their_counts(monkeypatch):
    monkeypatch.setenv("ANONYMIZER_LANG", "ja")
    steps = [
        {"type": "standard_layout", "profile": "population_by_area_age",
         "tables": {"persons": {"suppressed": 12, "cells": 1767}, "households": {"suppressed": 0, "cells": 31}}},
        {"type": "holders", "corporations": 405, "individuals": 495},
    ]  # fmt: skip
    found = protections("anonymized", steps, [])
    assert [p.kind for p in found] == ["standard_layout", "holders"]
    assert found[0].params == {"profile": "population_by_area_age", "cells": 12, "of": 1798}
    assert protection_label(found[0]) == "標準様式・セル秘匿 12セル"
    assert protection_label(found[1]) == "法人405件・個人495件（個人は保護）"
    monkeypatch.setenv("ANONYMIZER_LANG", "en")
    assert protection_label(found[0]) == "standard layout, cell suppression, 12 cell(s)"
