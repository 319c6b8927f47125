import pytest

from anonymizer.text.numerals import parse_number


@pytest.mark.parametrize(
    ("token", "allow_gan", "expected"),
    [
        ("45", False, 45),
        ("045", False, 45),
        ("四十五", False, 45),
        ("十", False, 10),
        ("二十", False, 20),
        ("百二", False, 102),
        ("三十一", False, 31),
        ("二〇二四", False, 2024),  # positional kanji digits
        ("千九百七十", False, 1970),
        ("元", True, 1),
        ("4 5", False, 45),
        # negatives: malformed, not numerals, 元 outside an era year
        ("元", False, None),
        ("十十", False, None),
        ("二十二十", False, None),
        ("万", False, None),
        ("数十", False, None),
        ("45a", False, None),
        ("", False, None),
        ("４５", False, None),  # callers pass NFKC text: 全角 digits are already ASCII
    ],
)
def test_parse_number(token, allow_gan, expected):
    assert parse_number(token, allow_gan=allow_gan) == expected
