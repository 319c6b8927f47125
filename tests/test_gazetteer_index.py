import pytest

from anonymizer.gazetteer import load_gazetteer
from anonymizer.gazetteer_index import GazetteerRules, _speller, check_digit
from anonymizer.rules import load_rules


@pytest.mark.parametrize(
    ("code5", "expected"),
    [
        ("13101", "6"),  # 千代田区 131016
        ("01100", "2"),  # 札幌市 011002
        ("14100", "3"),  # 横浜市 141003
        ("14130", "5"),  # 川崎市 141305
        ("13215", "2"),  # 国立市 132152
        ("01101", "1"),  # 札幌市中央区 011011: remainder 0 → 11 → 1
        ("00006", "0"),  # Σ = 12, remainder 1 → 10 → 0
        ("00003", "5"),  # Σ = 6 → 5
    ],
)
def test_check_digit(code5, expected):
    assert check_digit(code5) == expected


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("箱根ケ崎", {"箱根ケ崎", "箱根ヶ崎", "箱根が崎"}),
        ("丸の内", {"丸の内", "丸ノ内"}),
        ("北一条西", {"北一条西", "北1条西"}),
        ("東札幌三条", {"東札幌三条", "東札幌3条"}),
        ("十二丁目", {"十二丁目", "12丁目"}),
        ("富士見台", {"富士見台"}),
        ("二本木", {"二本木"}),  # not before a counter: a name, not a number
    ],
)
def test_spellings(name, variants):
    spell = _speller(load_rules("gazetteer.yaml", GazetteerRules))
    assert set(spell(name)) == variants


def test_designated_cities_derived_from_wards():
    by_name = {m.name: m for m in load_gazetteer().designated_cities}
    assert len(by_name) == 20
    assert by_name["横浜市"].code6 == "141003"
    assert by_name["川崎市"].code == "14130"
    assert by_name["堺市"].code == "27140"
    assert by_name["浜松市"].code == "22130"
    assert by_name["福岡市"].code == "40130"
