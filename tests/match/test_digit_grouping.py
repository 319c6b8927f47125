"""The raw-value check's numbers: an address value counts only with its own digit grouping, and
no value ending in a digit counts inside a longer number."""

import pandas as pd

from anonymizer.match import RecordMatcher, fold_key


def _hits(values: dict[str, list[str]], texts: list[str], addresses=()) -> set[int]:
    m = RecordMatcher({c: pd.Series(v, dtype="string") for c, v in values.items()}, address_columns=addresses)
    return set(m.columns_in([fold_key(t) for t in texts], texts))


def test_an_address_is_not_found_in_another_with_other_numbers():
    home = {"住所": ["東京都国立市泉二丁目1-5", "東京都国立市泉一丁目9-1"]}
    texts = [
        "東京都国立市泉二丁目15番14号",  # 1-5 folded is 15…: another address
        "東京都国立市泉一丁目9-19",  # 9-1 inside 9-19
        "東京都国立市泉一丁目9-1 9階",  # the value, then a floor
        "東京都国立市泉二丁目１－５",  # the value in 全角
        "東京都国立市泉二丁目1‐5 ハイツ",
    ]
    assert _hits(home, texts, addresses=["住所"]) == {2, 3, 4}


def test_a_phone_number_is_found_with_or_without_its_hyphens():
    phone = {"電話": ["090-1234-5678"]}
    texts = ["電話09012345678です", "０９０ １２３４ ５６７８", "0901234567890"]
    assert _hits(phone, texts) == {0, 1}
