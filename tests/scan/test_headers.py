"""Header synonyms (rules/headers.yaml) → role and expected entity."""

import pytest

from anonymizer.errors import ConfigError
from anonymizer.scan import ROLES, match_header
from anonymizer.scan.headers import load_header_rules, name_part, normalize_header


@pytest.mark.parametrize(
    ("header", "role", "entity", "how"),
    [
        ("氏名", "direct_identifier", "PERSON", "exact"),
        # NFKC, spaces (半角/全角) and brackets of every kind are ignored
        ("氏\u3000名", "direct_identifier", "PERSON", "exact"),
        ("氏 名", "direct_identifier", "PERSON", "exact"),
        ("【氏名】", "direct_identifier", "PERSON", "exact"),
        ("「氏名」", "direct_identifier", "PERSON", "exact"),
        ("［氏名］", "direct_identifier", "PERSON", "exact"),
        ("氏名（漢字）", "direct_identifier", "PERSON", "exact"),
        ("氏名(カナ)", "direct_identifier", "PERSON", "exact"),
        ("ﾌﾘｶﾞﾅ", "direct_identifier", "PERSON", "exact"),  # 半角 katakana
        ("保護者 氏名", "direct_identifier", "PERSON", "exact"),
        ("氏名：", "direct_identifier", "PERSON", "exact"),
        ("緊急連絡先氏名", "direct_identifier", "PERSON", "contains"),
        ("電話番号", "direct_identifier", "JP_PHONE_NUMBER", "exact"),
        ("ＴＥＬ", "direct_identifier", "JP_PHONE_NUMBER", "exact"),  # 全角 letters, any case
        ("tel", "direct_identifier", "JP_PHONE_NUMBER", "exact"),
        ("Fax番号", "direct_identifier", "JP_PHONE_NUMBER", "exact"),
        ("緊急連絡先電話", "direct_identifier", "JP_PHONE_NUMBER", "contains"),
        ("E-MAIL", "direct_identifier", "EMAIL_ADDRESS", "exact"),
        ("Ｅメール", "direct_identifier", "EMAIL_ADDRESS", "exact"),
        ("住所１", "direct_identifier", "JP_ADDRESS", "exact"),
        ("住所（方書）", "direct_identifier", "JP_ADDRESS", "contains"),
        ("個人番号（マイナンバー）", "direct_identifier", "JP_MY_NUMBER", "exact"),
        ("個人番号(マイナンバー)", "direct_identifier", "JP_MY_NUMBER", "exact"),
        ("被保険者番号", "direct_identifier", "JP_HEALTH_INSURANCE_NUMBER", "exact"),
        ("宛名番号", "direct_identifier", None, "exact"),  # a linking code
        ("整理番号", "direct_identifier", None, "exact"),
        ("生年月日", "quasi_identifier", "DATE_OF_BIRTH", "exact"),
        ("生年 月日", "quasi_identifier", "DATE_OF_BIRTH", "exact"),
        ("年齢", "quasi_identifier", "AGE", "exact"),
        ("〒", "quasi_identifier", "JP_POSTAL_CODE", "exact"),
        ("性別", "quasi_identifier", None, "exact"),
        # a person's own attribute, named after the person
        ("児童性別", "quasi_identifier", None, "contains"),
        ("学年", "quasi_identifier", None, "exact"),
        ("児童学年", "quasi_identifier", None, "contains"),
        ("申請者 国籍", "quasi_identifier", None, "contains"),
        ("世帯主との続柄", "quasi_identifier", None, "contains"),
        ("児童生年月日", "quasi_identifier", "DATE_OF_BIRTH", "contains"),
        ("本人年齢", "quasi_identifier", "AGE", "contains"),
        ("送付先郵便番号", "quasi_identifier", "JP_POSTAL_CODE", "contains"),
        # …but a person's phone or address stays theirs
        ("保護者勤務先電話", "direct_identifier", "JP_PHONE_NUMBER", "contains"),
        ("LINE ID", "direct_identifier", "ONLINE_ACCOUNT", "exact"),
        ("自動車登録番号", "direct_identifier", "JP_VEHICLE_NUMBER", "exact"),
        ("在留カード番号", "direct_identifier", "JP_RESIDENCE_CARD", "exact"),
        # an export for foreign residents, in English
        ("Full Name", "direct_identifier", "PERSON", "exact"),
        ("TEL No.", "direct_identifier", "JP_PHONE_NUMBER", "exact"),
        ("DOB", "quasi_identifier", "DATE_OF_BIRTH", "exact"),
        ("Sex", "quasi_identifier", None, "exact"),
        ("Nationality", "quasi_identifier", None, "exact"),
        ("在留資格", "quasi_identifier", None, "exact"),
        ("Remarks", "free_text", None, "exact"),
        ("本人SNSアカウント", "direct_identifier", "ONLINE_ACCOUNT", "contains"),
        ("転入日", "quasi_identifier", None, "exact"),
        ("要介護度", "sensitive", None, "exact"),
        ("障害の種別", "sensitive", None, "contains"),
        ("課税所得", "sensitive", None, "contains"),
        ("相談内容", "free_text", None, "exact"),
        ("備考欄", "free_text", None, "contains"),
        ("対応経過", "free_text", None, "exact"),
    ],
)
def test_match(header, role, entity, how):
    m = match_header(header)
    assert m is not None
    assert (m.role, m.entity, m.how) == (role, entity, how)
    assert m.role in ROLES


@pytest.mark.parametrize(
    "header", ["受付日", "区分", "ID", "col_a", "", "ｼﾒｲ", "人数"]
)
def test_unknown_headers(header):
    assert match_header(header) is None


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("【氏　名】", "氏名"),
        ("ＴＥＬ（自宅）", "tel自宅"),
        ("生年・月日", "生年月日"),
        ("E_Mail", "email"),
        ("住所[1]", "住所1"),
        ("「備考」：", "備考"),
        (12, "12"),
    ],
)
def test_normalize_header(header, key):
    assert normalize_header(header) == key


def test_exact_names_win_over_substrings_of_earlier_rules(tmp_path):
    (tmp_path / "headers.yaml").write_text(
        "version: 1\nrules:\n"
        "  - {role: free_text, contains: [番号]}\n"
        "  - {role: direct_identifier, entity: JP_PHONE_NUMBER, names: [電話番号]}\n",
        encoding="utf-8",
    )
    rules = load_header_rules(tmp_path)
    assert match_header("電話番号", rules).role == "direct_identifier"  # exact beats contains
    assert match_header("整理番号", rules).role == "free_text"  # then substrings, in file order


def test_first_matching_rule_wins(tmp_path):
    (tmp_path / "headers.yaml").write_text(
        "version: 1\nrules:\n"
        "  - {role: sensitive, contains: [所得]}\n"
        "  - {role: other, contains: [所得]}\n",
        encoding="utf-8",
    )
    assert match_header("所得額", load_header_rules(tmp_path)).role == "sensitive"


@pytest.mark.parametrize(
    ("yaml_text", "where"),
    [
        (
            "version: 1\nrules:\n  - {role: direct_identifier, entity: NAME, names: [x]}\n",
            "rules[0].entity",
        ),
        ("version: 1\nrules:\n  - {role: secret, names: [x]}\n", "rules[0].role"),
        ("version: 1\nrules:\n  - {role: other, names: [x], synonyms: [y]}\n", "rules[0].synonyms"),
        ("version: 2\nrules: []\n", "version"),
        ("version: 1\n", "rules"),
        (
            "version: 1\nrules: []\nvalues:\n  - {kind: sex, words: [男], integers: [0, 9]}\n",
            "values[0]",
        ),
        ("version: 1\nrules: []\nvalues:\n  - {kind: age, integers: [9, 0]}\n", "values[0]"),
        ("version: 1\nrules: []\nvalues:\n  - {kind: '', words: [男]}\n", "values[0].kind"),
    ],
)
def test_bad_header_rules_name_the_yaml_path(tmp_path, yaml_text, where):
    path = tmp_path / "headers.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_header_rules(tmp_path)
    assert str(err.value).startswith(f"[E002] {path}: {where}")


def test_unknown_entity_lists_the_valid_ones(tmp_path):
    (tmp_path / "headers.yaml").write_text(
        "version: 1\nrules:\n  - {role: direct_identifier, entity: NAME}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="valid: PERSON, JP_ADDRESS"):
        load_header_rules(tmp_path)


@pytest.mark.parametrize(
    ("header", "role", "entity", "part"),
    [
        # a vendor system's romaji column codes
        ("SHIMEI", "direct_identifier", "PERSON", None),
        ("KANA_SHIMEI", "direct_identifier", "PERSON", None),
        ("SEI", "direct_identifier", "PERSON", "family"),
        ("MEI_KANA", "direct_identifier", "PERSON", "given"),
        ("SEINENGAPPI", "quasi_identifier", "DATE_OF_BIRTH", None),
        ("SEIBETSU", "quasi_identifier", None, None),
        ("NENREI", "quasi_identifier", "AGE", None),
        ("JUSHO1", "direct_identifier", "JP_ADDRESS", None),
        ("YUBIN_NO", "quasi_identifier", "JP_POSTAL_CODE", None),
        ("TEL_NO", "direct_identifier", "JP_PHONE_NUMBER", None),
        ("MAIL_ADDR", "direct_identifier", "EMAIL_ADDRESS", None),
        ("SETAI_NINZU", "quasi_identifier", None, None),
        ("YOKAIGODO", "sensitive", None, None),
        ("SODAN_NAIYO", "free_text", None, None),
        ("BIKO", "free_text", None, None),
    ],
)
def test_romaji_headers(header, role, entity, part):
    m = match_header(header)
    assert (m.role, m.entity) == (role, entity)
    assert name_part(header) == part


@pytest.mark.parametrize(
    ("header", "part"), [("SHIMEI", None), ("TANTO_SHIMEI", None), ("SEIKANA", "family")]
)
def test_romaji_name_parts_need_the_whole_code(header, part):
    """"mei" ends "shimei": only the whole code SEI / MEI (with KANA, KANJI) is a part."""
    assert name_part(header) == part


@pytest.mark.parametrize("header", ["件数", "金額", "相談回数", "KENSU"])
def test_counts_and_amounts_are_other_by_their_header(header):
    """Their small numbers would otherwise be read as quasi-identifying (rules/headers.yaml
    values); the header says what they are."""
    m = match_header(header)
    assert (m.role, m.entity) == ("other", None)


@pytest.mark.parametrize("header", ["都道府県", "市区町村", "市区町村名", "市町村", "町名"])
def test_the_parts_of_an_address_split_over_columns_are_quasi_identifiers(header):
    """An export that splits 住所 into 都道府県 / 市区町村 / 町名 / 番地: every part above the
    番地 is where a person lives, measured by the gate like the 町字 of a whole address."""
    m = match_header(header)
    assert (m.role, m.entity) == ("quasi_identifier", None)
    assert match_header("番地").entity == "JP_ADDRESS"


@pytest.mark.parametrize(
    ("header", "role", "entity"),
    [
        ("Phone No.", "direct_identifier", "JP_PHONE_NUMBER"),
        ("Mobile phone", "direct_identifier", "JP_PHONE_NUMBER"),
        ("Name (Kana)", "direct_identifier", "PERSON"),
        ("Prefecture", "quasi_identifier", None),
        ("City", "quasi_identifier", None),
    ],
)
def test_english_headers_of_an_export_for_foreign_residents(header, role, entity):
    m = match_header(header)
    assert (m.role, m.entity) == (role, entity)


@pytest.mark.parametrize("header", ["Page", "Message", "Average", "Stage"])
def test_english_words_that_contain_age_are_not_ages(header):
    assert match_header(header) is None
