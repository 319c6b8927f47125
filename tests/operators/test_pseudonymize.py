import hashlib
import hmac
import re

import pandas as pd
import pytest

from anonymizer.errors import ConfigError, KeyMissingError
from anonymizer.keys import key_id
from tests.operators.conftest import KEY, column, make

PSEUDONYM = re.compile(r"ID-[a-p]{16}")


def expected(value: str, key: bytes = KEY, domain: str = "") -> str:
    """Independent reference: HMAC-SHA256 over domain ‖ 0x1f ‖ value, hex digits → a–p."""
    digest = hmac.new(key, domain.encode() + b"\x1f" + value.encode(), hashlib.sha256).hexdigest()
    return "ID-" + "".join("abcdefghijklmnop"[int(c, 16)] for c in digest[:16])


def pseudo(value, key=KEY, domain="city-2024", **params):
    return make("pseudonymize", params, key=key, domain=domain).apply(column(value)).tolist()[0]


@pytest.mark.parametrize(
    ("value", "normalized"),
    [
        ("山田太郎", "山田太郎"),
        ("090-1234-5678", "090-1234-5678"),
        ("０９０－１２３４－５６７８", "090-1234-5678"),  # 全角 links to 半角
        ("090‐1234‐5678", "090-1234-5678"),  # hyphen variants too
        ("090ー1234ー5678", "090-1234-5678"),
        ("  山田太郎\u3000", "山田太郎"),  # stripped
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"),  # 半角カナ (NFKC)
        ("0012345", "0012345"),  # leading zeros are kept
        ("00123", "00123"),
    ],
)
def test_pseudonym_is_keyed_hmac_of_normalized_value(value, normalized):
    assert pseudo(value) == expected(normalized, domain="city-2024")


def test_pseudonyms_are_letters_only_and_distinct():
    values = [f"{i:012d}" for i in range(2000)]  # digit strings like My Numbers
    out = make("pseudonymize", key=KEY, domain="d").apply(column(*values))
    assert all(PSEUDONYM.fullmatch(p) for p in out)
    assert out.nunique() == len(values)
    assert not out.str.contains(r"\d", regex=True).any()


def test_same_key_domain_value_links_across_rows_and_columns():
    a = make("pseudonymize", key=KEY, domain="d", column="世帯主")
    b = make("pseudonymize", key=KEY, domain="d", column="申請者")
    s = column("山田太郎", "佐藤花子", "山田太郎")
    out_a, out_b = a.apply(s), b.apply(s)
    assert out_a.tolist() == out_b.tolist()
    assert out_a[0] == out_a[2] != out_a[1]


@pytest.mark.parametrize(
    ("other", "same"),
    [
        ({"domain": "city-2024"}, True),
        ({"domain": "city-2025"}, False),
        ({"key": b"x" * 32}, False),
    ],
)
def test_other_key_or_domain_unlinks(other, same):
    assert (pseudo("山田太郎") == pseudo("山田太郎", **other)) is same


def test_param_domain_overrides_the_release_domain():
    op = make("pseudonymize", {"domain": "b"}, key=KEY, domain="a")
    assert op.apply(column("x")).tolist() == [expected("x", domain="b")]


def test_domain_separator_prevents_boundary_collisions():
    a = make("pseudonymize", {"domain": "ab"}, key=KEY).apply(column("c")).tolist()
    b = make("pseudonymize", {"domain": "a"}, key=KEY).apply(column("bc")).tolist()
    assert a != b


@pytest.mark.parametrize(
    ("params", "pattern"),
    [({"prefix": "P_", "length": 20}, r"P_[a-p]{20}"), ({"prefix": ""}, r"[a-p]{16}"),
     ({"length": 64}, r"ID-[a-p]{64}")],
)
def test_prefix_and_length(params, pattern):
    assert re.fullmatch(pattern, pseudo("山田", **params))


def test_blank_cells_stay():
    out = make("pseudonymize", key=KEY).apply(column("", " ", pd.NA, "\u3000", index=[3, 4, 5, 6]))
    assert out[3] == "" and out[4] == " " and out[5] is pd.NA and out[6] == "\u3000"
    assert out.index.tolist() == [3, 4, 5, 6]


@pytest.mark.parametrize("key", [None, b"", b"short", b"k" * 31])
def test_refuses_without_a_usable_key(key):
    with pytest.raises(KeyMissingError) as err:
        make("pseudonymize", key=key, column="氏名")
    assert err.value.exit_code == 2
    assert "'氏名'" in err.value.message and "32 bytes" in err.value.message


def test_describe_names_the_key_by_fingerprint_only():
    desc = make("pseudonymize", key=KEY, domain="d").describe()
    assert desc["key_id"] == key_id(KEY)
    assert KEY.decode("latin-1") not in repr(desc)
    assert desc["operator"] == "pseudonymize"


def test_controlled_output():
    assert make("pseudonymize", key=KEY).CONTROLLED_OUTPUT is True


@pytest.mark.parametrize(
    ("params", "where"),
    [({"prefix": "ID9-"}, "prefix"), ({"prefix": "ID９"}, "prefix"), ({"length": 8}, "length"),
     ({"length": 65}, "length"), ({"domain": "a\x1fb"}, "domain")],
)
def test_bad_params(params, where):
    with pytest.raises(ConfigError) as err:
        make("pseudonymize", params, key=KEY)
    assert err.value.message.startswith(f"pipeline.yaml: steps[0]: {where}")
