"""A real spreadsheet opens released band labels: every one stays the text written.

LibreOffice (headless, CSV import in ja-JP with "detect special numbers", as Excel reads a CSV)
converts a CSV of every band label the producers emit, and the kaigo sample release, to xlsx;
openpyxl reads each cell's type back. The old labels (10-19, 1-2, 100+) are converted: that is
what makes the check mean something. The same check is ``python -m benchmarks labels``.
"""

from __future__ import annotations

import pytest

from benchmarks.bench_labels import (
    INSTALL,
    check_releases,
    check_table,
    new_labels,
    old_labels,
    soffice,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        soffice() is None, reason=f"LibreOffice (soffice) is not installed: {INSTALL}"
    ),
]


def test_no_band_label_is_converted_and_old_ones_were(tmp_path):
    new, old = new_labels(), old_labels()
    assert len(new) >= 10 and all(new.values())  # every producer emitted labels
    result = check_table({"new": new, "old": old}, tmp_path)
    for setting in ("utf-8-sig/excel_like", "cp932/excel_like", "utf-8-sig/libreoffice_default"):
        assert result[setting]["new"]["converted"] == 0, result[setting]["new"]["which"]
    converted = [w for ws in result["utf-8-sig/excel_like"]["old"]["which"].values() for w in ws]
    assert any(w.startswith("10-19 → d") for w in converted)  # a date, 10月19日
    assert any(w.startswith("1-2 → d") for w in converted)
    assert any(w.startswith("100+ → n") for w in converted)  # the number 100


def test_a_released_csv_keeps_its_band_columns_as_text(tmp_path):
    result = check_releases(tmp_path, ("kaigo",))["kaigo"]
    for column in ("年齢階級", "世帯人数"):
        assert result[column]["cells"] > 0 and result[column]["converted"] == 0, result[column]
    assert all("～" in v or "以上" in v for v in result["世帯人数"]["distinct"])
