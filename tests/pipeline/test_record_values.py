"""The record's own identifier values are masked in free text and refused in kept columns,
whatever their spelling (the city-style export: 氏名 北　恵子, free text 世帯主北恵子…)."""

from __future__ import annotations

import pytest

from tests.pipeline.conftest import ROWS, base_pipeline, leaks, released_texts

CITY = [dict(r) for r in ROWS]
CITY[0].update(氏名="北　恵子", 相談内容="世帯主北恵子、生活保護の申請。")
CITY[1].update(相談内容="連絡先 ０９０　１２３４　５６７８（北恵子）")  # another row's values
CITY[3].update(氏名="ワン・ウェイ", 相談内容="ワンウェイ氏より")
CITY[4].update(相談内容="個人番号12345678\u200b9018を確認")  # hidden: a zero-width space


def test_identifier_values_of_the_table_are_masked_in_free_text(work):
    result = work.setup(base_pipeline(), CITY).run()
    assert result.exit_code == 0, result.stderr
    text = work.data()["相談内容"].tolist()
    assert text[0] == "世帯主＜氏名＞、生活保護の申請。"
    assert "北恵子" not in text[1] and "1234" not in text[1]
    assert text[3] == "＜氏名＞氏より"
    assert "9018" not in text[4]
    planted = ("北恵子", "北　恵子", "ワンウェイ", "ワン・ウェイ", "０９０　１２３４　５６７８", "123456789018")
    assert leaks(released_texts(work.release).values(), planted) == []
    report = (work.release / "report.json").read_text(encoding="utf-8")
    assert "北恵子" not in report and "ワン" not in report


@pytest.mark.parametrize(
    "copied",
    ["北恵子", "キタ ケイコ", "北\u200b恵子", "０９０－１２３４－５６７８", "世帯主 北 恵子 様"],
)
def test_a_kept_column_holding_a_raw_value_in_another_spelling_is_refused(work, copied):
    spec = base_pipeline()
    spec["columns"]["窓口"] = {"role": "other", "actions": ["keep"]}
    spec["output"]["columns"].append("窓口")
    rows = [dict(r, 窓口="総合窓口") for r in CITY]
    rows[2]["窓口"] = copied
    rows[0]["電話番号"] = "090-1234-5678"
    if "キタ" in copied:
        spec["columns"]["フリガナ"] = {"role": "direct_identifier", "entity": "PERSON", "actions": ["drop"]}
        rows = [dict(r, フリガナ="キタ　ケイコ" if i == 0 else "ヤマダ　タロウ") for i, r in enumerate(rows)]
    result = work.setup(spec, rows).run()
    assert result.exit_code == 1, result.stdout
    assert "raw_values" in result.stderr and "窓口 (1 cells" in result.stderr
    assert copied not in result.stderr


def _two_free_text_columns() -> tuple[dict, list[dict[str, str]]]:
    """BASE with a second free-text column 備考 after 相談内容."""
    spec = base_pipeline()
    spec["columns"]["備考"] = {"role": "free_text", "actions": ["mask_text"]}
    spec["output"]["columns"].append("備考")
    spec["review"].append({"column": "備考", "role": "個人情報保護担当", "reason": "テスト用: 置換結果を確認"})
    return spec, [dict(r, 備考="") for r in ROWS]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("個人番号は1234 5678", "9018です"),  # row 0's own My Number, split 8 + 4
        ("番号 12345", "6789018、確認済み"),
        ("電話 090-1234-", "5678 へ折り返し"),
    ],
)
def test_a_value_split_over_two_free_text_cells_is_masked_in_both(work, first, second):
    spec, rows = _two_free_text_columns()
    rows[0].update(相談内容=first, 備考=second)
    rows[0]["個人番号"] = "123456789018"
    result = work.setup(spec, rows).run()
    assert result.exit_code == 0, result.stderr
    data = work.data()
    joined = data["相談内容"][0] + data["備考"][0]
    digits = "".join(ch for ch in joined if ch.isdigit())
    assert "123456789018" not in digits and "09012345678" not in digits
    # what is not part of the value stays
    assert ("確認済み" in joined) == ("確認済み" in second) and ("折り返し" in joined) == ("折り返し" in second)


def test_a_value_split_over_two_released_free_text_cells_is_refused(work):
    spec, rows = _two_free_text_columns()
    spec["columns"]["相談内容"]["actions"] = ["keep"]
    spec["columns"]["備考"]["actions"] = ["keep"]
    rows = [dict(r, 相談内容="特になし") for r in rows]
    rows[0].update(相談内容="番号は 3195 4093", 備考="7822 です")  # row 3's My Number
    result = work.setup(spec, rows).run()
    assert result.exit_code == 1, result.stdout
    assert "raw_values" in result.stderr and "split with another column" in result.stderr
    assert "3195" not in result.stderr and "7822" not in result.stderr


def _with_address(role: str, addresses: list[str], texts: list[str]) -> tuple[dict, list[dict]]:
    """BASE with a 住所 column of ``role`` (dropped) and the given free texts."""
    spec = base_pipeline()
    spec["columns"]["住所"] = {"role": role, "entity": "JP_ADDRESS", "actions": ["drop"]}
    rows = [dict(r, 住所=a, 相談内容=t) for r, a, t in zip(ROWS, addresses, texts, strict=False)]
    return spec, rows


@pytest.mark.parametrize("role", ["direct_identifier", "quasi_identifier"])
def test_an_address_is_masked_whole_with_the_building_after_its_street_number(work, role):
    # the detector alone ends the address at the street number when the building has no
    # building word (シャルム宮の森三条 307): the record's value is found first, whole
    address = "北海道札幌市中央区宮の森三条2-2-28 シャルムミヤノモリ 307"
    spec, rows = _with_address(
        role,
        [address, "国立市中1-2-3", "国立市中", "国立市東2丁目", "", ""],
        [f"住所{address}に変更あり。", "", "", "", "", ""],
    )
    result = work.setup(spec, rows).run()
    assert result.exit_code == 0, result.stderr
    text = work.data()["相談内容"].tolist()
    assert text[0] == "住所＜住所＞に変更あり。"
    assert leaks(released_texts(work.release).values(), ["シャルムミヤノモリ"]) == []


def test_an_address_split_over_columns_is_masked_whole_in_free_text(work):
    # 番地 in its own column (a quasi-identifier, dropped): the record's value 1896-23 and the
    # detector's address are masked together, so the 町字 before the street number goes too
    # (masked one after the other, 1896-23 went first and 仙台市青葉区山手町 no longer read as one)
    spec, rows = _with_address(
        "quasi_identifier",
        ["1896-23", "1-2-3", "", "", "", ""],
        ["住所仙台市青葉区山手町1896-23は秘匿すること。", "", "", "", "", ""],
    )
    spec["columns"]["番地"] = spec["columns"].pop("住所")
    rows = [{**{k: v for k, v in r.items() if k != "住所"}, "番地": r["住所"]} for r in rows]
    result = work.setup(spec, rows).run()
    assert result.exit_code == 0, result.stderr
    assert work.data()["相談内容"][0] == "住所＜住所＞は秘匿すること。"


def test_a_quasi_identifier_address_is_refused_only_with_its_street_number(work):
    # a 住所 kept as a quasi-identifier: a kept column holding a dwelling's value is refused,
    # but its 町字 alone (what a generalized address publishes) is not a raw value
    spec, rows = _with_address(
        "quasi_identifier",
        ["国立市中1-2-3 メゾン中 101", "国立市東2丁目", "国立市富士見台", "", "", ""],
        ["", "", "", "", "", ""],
    )
    spec["columns"]["窓口"] = {"role": "other", "actions": ["keep"]}
    spec["output"]["columns"].append("窓口")
    spec["review"].append({"column": "窓口", "role": "個人情報保護担当", "reason": "テスト用: 窓口名のみ"})
    for i, r in enumerate(rows):
        r["窓口"] = ["国立市東2丁目", "国立市富士見台", "総合窓口", "総合窓口", "総合窓口", "総合窓口"][i]
    result = work.setup(spec, rows).run()
    assert result.exit_code == 0, result.stderr
    rows[3]["窓口"] = "国立市中1-2-3メゾン中101"
    result = work.setup(spec, rows).run("--force")
    assert result.exit_code == 1, result.stderr
    assert "raw_values" in result.stderr and "窓口 (1 cells" in result.stderr
    assert "メゾン" not in result.stderr


def _split_names() -> tuple[dict, list[dict[str, str]]]:
    """BASE with 氏名 as 姓 and 名 columns (name_part), and a kept 学校名 that holds a family
    name of the table inside a school's name."""
    spec = base_pipeline()
    columns = {}
    for col, cs in spec["columns"].items():
        if col == "氏名":
            columns["姓"] = {"role": "direct_identifier", "entity": "PERSON", "name_part": "family",
                            "actions": ["drop"]}
            columns["名"] = {"role": "direct_identifier", "entity": "PERSON", "name_part": "given",
                            "actions": ["drop"]}
        else:
            columns[col] = cs
    columns["学校名"] = {"role": "other", "actions": ["keep"]}
    spec["columns"] = columns
    spec["output"]["columns"] = [c for c in spec["output"]["columns"] if isinstance(c, str)]
    spec["output"]["columns"].append("学校名")
    spec.pop("pseudonym")
    rows = []
    for r in ROWS:
        family, given = r["氏名"].replace("\u3000", " ").split(" ")
        rows.append({**{k: v for k, v in r.items() if k != "氏名"}, "姓": family, "名": given,
                     "学校名": "市立山田小学校"})
    return spec, rows


def test_a_name_in_two_columns_is_masked_joined_and_its_parts_in_their_own_row(work):
    spec, rows = _split_names()
    rows[1]["相談内容"] = "山田太郎さんの件で佐藤さんから電話"  # row 0's full name; its own family name
    rows[2]["相談内容"] = "学区は山田小学校"  # 山田 is row 2's own family name too
    result = work.setup(spec, rows).run()
    assert result.exit_code == 0, result.stderr
    data = work.data()
    assert data["相談内容"][1] == "＜氏名＞さんの件で＜氏名＞さんから電話"
    # a part alone is no one's name in a school's name, in any row's kept cell
    assert set(data["学校名"]) == {"市立山田小学校"}
    assert "山田太郎" not in "".join(data["相談内容"])


def test_a_joined_name_in_a_kept_column_is_refused(work):
    spec, rows = _split_names()
    rows[3]["学校名"] = "佐藤 花子"  # row 1's name, copied into another row's kept cell
    result = work.setup(spec, rows).run()
    assert result.exit_code == 1, result.stdout
    assert "raw_values" in result.stderr and "学校名 (1 cells" in result.stderr
    assert "花子" not in result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"性別": {"role": "quasi_identifier", "name_part": "family", "actions": ["keep"]}},
         "name_part is for a PERSON column"),
        ({"名": {"role": "direct_identifier", "entity": "PERSON", "actions": ["drop"]}},
         "columns.姓.name_part: no column holds the other part"),
    ],
)
def test_a_name_part_without_a_partner_or_a_person_is_a_config_error(work, change, message):
    spec, rows = _split_names()
    spec["columns"].update(change)
    result = work.setup(spec, rows).run()
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
