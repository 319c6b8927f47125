"""The re-scan does not take a place name of the publishing municipality for a surname or an
address in a category column (石田 as a 町丁) — but still does in an identifier's column, and
still flags a full address."""

from __future__ import annotations

import pandas as pd

from anonymizer.gazetteer import load_gazetteer
from anonymizer.pipeline.gate import OutputColumnInfo, rescan
from anonymizer.pipeline.spec import GateSpec


def test_is_place_reads_towns_with_their_chome_but_no_lot_numbers():
    g = load_gazetteer()
    within = "東京都国立市"
    assert all(g.is_place(v, within) for v in ["石田", "谷保", "泉一丁目", "東京都国立市富士見台", "東京都国立市"])
    assert not any(g.is_place(v, within) for v in ["佐藤", "山田太郎", "東京都国立市泉一丁目5-3", "中村"])
    assert not g.is_place("石田")  # a bare 町字 needs its municipality


def test_place_names_pass_in_category_columns_only(fast):
    frame = pd.DataFrame({"町丁": ["石田", "谷保", "泉一丁目"] * 3, "住所": ["東京都国立市石田1-2-3"] * 9}, dtype="string")
    columns = {
        "町丁": OutputColumnInfo("町丁", "町丁", "quasi_identifier", ner_done=False),
        "住所": OutputColumnInfo("住所", "住所", "quasi_identifier", ner_done=False),
    }
    g = load_gazetteer()
    check = rescan(frame, columns, GateSpec(), fast, fast, place=lambda v: g.is_place(v, "東京都国立市"))
    findings = check.data["findings"]
    assert "町丁" not in findings and check.data["place_names"]["町丁"] == 3  # the three 石田 cells
    assert "JP_ADDRESS" in findings["住所"]  # a full address is still one
    as_names = {c: OutputColumnInfo(c, c, "direct_identifier", ner_done=False) for c in frame.columns}
    check = rescan(frame[["町丁"]], as_names, GateSpec(), fast, fast, place=lambda v: g.is_place(v, "東京都国立市"))
    assert "PERSON" in check.data["findings"]["町丁"]
