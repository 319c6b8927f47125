from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from anonymizer.kanon.builders import MaskingSpec

ZIP = MaskingSpec(type="masking", levels=(1, 2, 4, 7))
MASKED = ["186-000*", "186-00**", "186-****", "***-****", "*"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("186-0004", ["186-0004", *MASKED]),
        ("１８６－０００４", ["１８６－０００４", *MASKED]),  # 全角 digits and dash
        ("186‐0004", ["186‐0004", *MASKED]),  # U+2010 hyphen
        ("1860004", ["1860004", "186000*", "18600**", "186****", "*******", "*"]),
        ("12", ["12", "1*", "**", "**", "**", "*"]),
    ],
)
def test_masks_from_the_right_keeping_separators(value, expected):
    h = ZIP.build("zip", "郵便番号", [value], Path("."))
    assert [str(x) for x in h.table[0]] == expected


def test_hyphen_variants_share_their_generalizations():
    h = ZIP.build("zip", "zip", ["186-0004", "１８６－０００４", "186-0014"], Path("."))
    assert sorted(h.table[:, 1]) == ["186-000*", "186-000*", "186-001*"]
    assert set(h.table[:, 2]) == {"186-00**"}


@pytest.mark.parametrize("levels", [(2, 1), (0, 1), (1, 1)])
def test_levels_must_increase(levels):
    with pytest.raises(ValidationError):
        MaskingSpec(type="masking", levels=levels)


def test_shipped_postal3_masks_three_digit_prefixes():
    from anonymizer.kanon.resolve import load_spec

    spec, _ = load_spec("postal3")
    h = spec.build("postal3", "郵便番号", ["186", "１８６", "185", "101", "001"], Path("."))
    rows = {str(r[0]): [str(x) for x in r[1:]] for r in h.table}
    assert rows == {
        "001": ["00*", "0**", "*"],
        "101": ["10*", "1**", "*"],
        "185": ["18*", "1**", "*"],
        "186": ["18*", "1**", "*"],
        "１８６": ["18*", "1**", "*"],  # 全角: same generalizations
    }
