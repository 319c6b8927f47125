import pytest

from anonymizer.recognizers.ja.phone_number import is_valid_phone

NAME = "ja.phone_number.v1"


def found(recognizers, text):
    results = recognizers[NAME].analyze(text, ["JP_PHONE_NUMBER"])
    assert all(r.entity_type == "JP_PHONE_NUMBER" for r in results)
    return [(r.start, r.end) for r in results]


def spans(text, *subs):
    """Expected spans, located in the ORIGINAL text (全角 and hyphen variants included)."""
    return [(text.index(s), text.index(s) + len(s)) for s in subs]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # fixed lines: 2-, 3-, 4- and 5-digit area codes
        ("電話 03-1234-5678", ["03-1234-5678"]),
        # as dictated, の between the groups: with a phone word only
        ("電話番号は０９０の１２３４の５６７８とのこと", ["０９０の１２３４の５６７８"]),
        ("会議は3の1の2教室で", []),
        ("TEL 042-576-2111（代表）", ["042-576-2111"]),
        ("TEL.0422-12-3456", ["0422-12-3456"]),
        ("Tel:04992-1-2345", ["04992-1-2345"]),
        ("03 1234 5678", ["03 1234 5678"]),
        # parentheses
        ("電話03(1234)5678", ["03(1234)5678"]),
        ("(03)1234-5678", ["(03)1234-5678"]),
        ("連絡先 (03) 1234 5678", ["(03) 1234 5678"]),
        ("０３（１２３４）５６７８", ["０３（１２３４）５６７８"]),
        # mobile, IP phone, toll-free, navi-dial
        ("携帯 090-1234-5678", ["090-1234-5678"]),
        ("080-1234-5678", ["080-1234-5678"]),
        ("070-1234-5678", ["070-1234-5678"]),
        ("050-1234-5678", ["050-1234-5678"]),
        ("フリーダイヤル 0120-123-456", ["0120-123-456"]),
        ("0800-123-4567", ["0800-123-4567"]),
        ("0570-123-456", ["0570-123-456"]),
        # 全角 digits and every hyphen variant
        ("携帯：０９０ー１２３４ー５６７８", ["０９０ー１２３４ー５６７８"]),
        ("０９０－１２３４－５６７８", ["０９０－１２３４－５６７８"]),
        ("090‐1234‐5678", ["090‐1234‐5678"]),
        ("090―1234―5678", ["090―1234―5678"]),
        ("090−1234−5678", ["090−1234−5678"]),
        ("０３　１２３４　５６７８", ["０３　１２３４　５６７８"]),
        ("℡03-1234-5678", ["03-1234-5678"]),
        # +81
        ("+81-90-1234-5678", ["+81-90-1234-5678"]),
        ("+81 3 1234 5678", ["+81 3 1234 5678"]),
        ("+81(0)3-1234-5678", ["+81(0)3-1234-5678"]),
        ("＋８１－９０－１２３４－５６７８", ["＋８１－９０－１２３４－５６７８"]),
        ("+81312345678", ["+81312345678"]),
        # unseparated runs
        ("09012345678", ["09012345678"]),
        ("電話0312345678", ["0312345678"]),
        # several in one text, Japanese directly around them
        (
            "自宅03-1234-5678、携帯090-8765-4321まで",
            ["03-1234-5678", "090-8765-4321"],
        ),
        # negatives: not Japanese phone numbers
        ("会議日 2024-04-01", []),
        ("郵便番号 186-0004", []),
        ("〒060-0001", []),
        ("予算額 1,234,567千円", []),
        ("例規 第2024-123号", []),
        ("文書番号 第03-1234-5678号", []),
        ("No.03-1234-5678", []),
        ("整理番号 0312345678", []),
        ("JIS X 8341-3:2016", []),
        ("ID 012345678901", []),  # 12 digits
        ("0123 4567 8901", []),  # 12 digits grouped 4-4-4
        ("0120-1234-5678", []),  # toll-free has 6 digits after 0120
        ("03-1234-567", []),  # too short
        ("03-1234-5678-9", []),  # glued to more digits
        ("1.03-1234-5678", []),  # part of a decimal figure
        ("+1-212-555-0100", []),  # not Japan
        ("+81-1234", []),
        ("口座 1234567", []),
        ("", []),
    ],
)
def test_spans(recognizers, text, expected):
    assert found(recognizers, text) == spans(text, *expected)


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("03-1234-5678", 0.6),
        ("電話 03-1234-5678", 0.9),
        ("FAX：03-1234-5679", 0.9),
        ("+81-3-1234-5678", 0.7),
        ("09012345678", 0.55),
        ("0312345678", 0.4),  # a bare 10-digit run could be an ID: below the threshold
        ("TEL 0312345678", 0.7),
    ],
)
def test_scores(recognizers, text, score):
    (result,) = recognizers[NAME].analyze(text, [])
    assert result.score == pytest.approx(score)


def test_offsets_index_the_original_string(recognizers):
    text = "℡　０３（１２３４）５６７８　担当"
    (result,) = recognizers[NAME].analyze(text, [])
    assert (result.start, result.end) == (2, 14)
    assert text[result.start : result.end] == "０３（１２３４）５６７８"


@pytest.mark.parametrize(
    ("candidate", "valid"),
    [
        ("03-1234-5678", True),
        ("0422-12-3456", True),  # libphonenumber groups it 042-212-3456; still valid
        ("090-1234-5678", True),
        ("+81 3 1234 5678", True),
        ("0120-123-456", True),
        ("0120-1234-5678", False),
        ("+1 212 555 0100", False),  # valid in the US, not in JP
        ("not a number", False),
        ("0000-00-0000", False),
    ],
)
def test_validator(candidate, valid):
    assert is_valid_phone(candidate, "JP") is valid
