import shutil

import pandas as pd
import pytest

from anonymizer.errors import ConfigError, UsageError
from anonymizer.gazetteer import AddressParts, load_gazetteer
from anonymizer.rules import DEFAULT_RULES_DIR


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_prefectures_in_jis_order(gaz):
    assert len(gaz.prefectures) == 47
    assert gaz.prefectures[0] == "北海道"
    assert gaz.prefectures[12] == "東京都"  # JIS X 0401 code 13
    assert gaz.prefectures[26] == "大阪府"  # 27
    assert gaz.prefectures[-1] == "沖縄県"


def test_municipalities_have_codes(gaz):
    codes = [m.code for m in gaz.municipalities]
    assert len(codes) > 1700 and len(set(codes)) == len(codes)
    assert all(len(c) == 5 and c.isdigit() for c in codes)
    assert codes == sorted(codes)
    kunitachi = gaz.municipality("東京都", "国立市")
    assert kunitachi is not None and kunitachi.code == "13215" and kunitachi.code6 == "132152"
    mizuho = gaz.municipality("東京都", "西多摩郡瑞穂町")
    assert mizuho is not None and mizuho.code == "13303"
    assert gaz.municipality("東京都", "大阪市北区") is None
    assert gaz.municipality("広島県", "府中市").code != gaz.municipality("東京都", "府中市").code


def test_towns(gaz):
    towns = gaz.towns("東京都", "国立市")
    assert {"富士見台", "中", "谷保", "東", "矢川"} <= set(towns)
    assert "箱根ケ崎" in gaz.towns("東京都", "西多摩郡瑞穂町")
    assert "北一条西" in gaz.towns("北海道", "札幌市中央区")  # 全角 stays kanji, 丁目 note dropped
    assert "日吉本町" in gaz.towns("神奈川県", "横浜市")  # a 政令市: all its wards' 町字
    # per-floor rows of high-rises are not 町字
    assert not any("ビルディング" in t for t in gaz.towns("東京都", "新宿区"))
    with pytest.raises(UsageError):
        gaz.towns("東京都", "どこにもない市")


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("東京都国立市富士見台2-47-1", ("東京都", "国立市", "富士見台", "2-47-1")),
        ("国立市富士見台２－４７－１", ("東京都", "国立市", "富士見台", "2-47-1")),
        ("国立市中1丁目15番地", ("東京都", "国立市", "中", "1丁目15番地")),
        ("国立市中一丁目15番3号", ("東京都", "国立市", "中", "一丁目15番3号")),
        ("東京都 国立市 富士見台 2-47-1", ("東京都", "国立市", "富士見台", "2-47-1")),
        ("〒186-0003 東京都国立市富士見台2-47-1", ("東京都", "国立市", "富士見台", "2-47-1")),
        ("神奈川県横浜市港北区日吉本町1-2-3", ("神奈川県", "横浜市港北区", "日吉本町", "1-2-3")),
        # the ward of a 政令市 written without it comes from the 町字
        ("横浜市日吉本町1-2-3", ("神奈川県", "横浜市港北区", "日吉本町", "1-2-3")),
        ("港北区日吉本町1-2-3", ("神奈川県", "横浜市港北区", "日吉本町", "1-2-3")),
        ("西多摩郡瑞穂町箱根ケ崎2335番地", ("東京都", "西多摩郡瑞穂町", "箱根ケ崎", "2335番地")),
        ("瑞穂町箱根ヶ崎2335", ("東京都", "西多摩郡瑞穂町", "箱根ケ崎", "2335")),  # ヶ, no 郡
        ("瑞穂町大字箱根ケ崎字狭山2335", ("東京都", "西多摩郡瑞穂町", "箱根ケ崎", "字狭山2335")),
        (
            "北海道札幌市中央区北1条西2丁目1番地",
            ("北海道", "札幌市中央区", "北一条西", "2丁目1番地"),
        ),
        (
            "京都市中京区寺町通御池上る上本能寺前町488番地",
            ("京都府", "京都市中京区", "上本能寺前町", "488番地"),
        ),
        (
            "大阪府大阪市北区梅田１－２－３ 梅田ビル５Ｆ",
            ("大阪府", "大阪市北区", "梅田", "1-2-3 梅田ビル5F"),
        ),
        ("府中市宮町1-2", ("東京都", "府中市", "宮町", "1-2")),  # 町字 picks 東京都 over 広島県
        ("府中市1-2", (None, "府中市", None, "1-2")),  # ambiguous: no prefecture
        ("北区1-2-3", (None, "北区", None, "1-2-3")),  # 東京都北区 or one of eight wards
        ("国立市どこか町1-2", ("東京都", "国立市", None, "どこか町1-2")),
    ],
)
def test_split(gaz, address, expected):
    assert gaz.split(address) == AddressParts(*expected)


@pytest.mark.parametrize(
    "address",
    ["富士見台2-47-1", "東京都", "東京都横浜市港北区日吉本町1", "", "谷保駅", "2024-04-01"],
)
def test_split_without_municipality(gaz, address):
    assert gaz.split(address) is None


@pytest.mark.parametrize(
    ("address", "town", "city", "prefecture"),
    [
        ("東京都国立市富士見台2-47-1", "東京都国立市富士見台", "東京都国立市", "東京都"),
        ("国立市富士見台2-47-1 コーポ203", "東京都国立市富士見台", "東京都国立市", "東京都"),
        ("国立市中一丁目15番3号", "東京都国立市中", "東京都国立市", "東京都"),
        ("瑞穂町箱根ヶ崎2335", "東京都西多摩郡瑞穂町箱根ケ崎", "東京都西多摩郡瑞穂町", "東京都"),
        ("大阪市北区梅田1-2-3", "大阪府大阪市北区梅田", "大阪府大阪市北区", "大阪府"),
        # an unlisted 町字 is never echoed: the town level falls back to the municipality
        ("国立市どこか町1-2", "東京都国立市", "東京都国立市", "東京都"),
        ("府中市1-2", "府中市", "府中市", None),
        ("東京都どこか", None, None, "東京都"),
        ("富士見台2-47-1", None, None, None),
    ],
)
def test_generalize(gaz, address, town, city, prefecture):
    assert gaz.generalize(address, "town") == town
    assert gaz.generalize(address, "city") == city
    assert gaz.generalize(address, "prefecture") == prefecture


def test_hierarchy_is_one_parse_for_all_levels(gaz):
    expected = ("東京都国立市富士見台", "東京都国立市", "東京都")
    assert gaz.hierarchy("国立市富士見台2-47-1") == expected
    assert gaz.hierarchy("谷保駅") == (None, None, None)


def test_generalize_rejects_unknown_level(gaz):
    with pytest.raises(UsageError) as exc:
        gaz.generalize("国立市富士見台2-47-1", "street")
    assert "国立市" not in str(exc.value)


def test_generalize_series(gaz):
    s = pd.Series(
        ["国立市富士見台2-47-1", None, "国立市富士見台3-1", "富士見台2-47-1"],
        index=[10, 11, 12, 13],
        name="住所",
    )
    out = gaz.generalize_series(s, "town")
    assert out.name == "住所" and list(out.index) == [10, 11, 12, 13]
    assert out.tolist() == ["東京都国立市富士見台", pd.NA, "東京都国立市富士見台", pd.NA]


def test_load_is_cached_per_process():
    assert load_gazetteer() is load_gazetteer()


def test_broken_rules_name_the_file(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    (rules / "gazetteer.yaml").write_text("version: 1\ninterchangeable: 3\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_gazetteer(rules)
    assert str(exc.value).startswith(f"[E002] {rules / 'gazetteer.yaml'}")
