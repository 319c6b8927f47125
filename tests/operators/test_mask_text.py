"""``mask_text``: detected spans in free text replaced by labels (real fast detector)."""

from __future__ import annotations

import pandas as pd
import pytest

from anonymizer.detect import Detector
from anonymizer.detect.finding import Finding
from anonymizer.errors import ConfigError
from tests.operators.conftest import column, make


@pytest.fixture(scope="module")
def fast() -> Detector:
    det = Detector("fast")
    yield det
    det.close()


def mask(detector: Detector, *values, params=None, header: str = "相談内容") -> list:
    op = make("mask_text", params, column=header, detector=detector)
    return op.apply(column(*values)).tolist()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("山田太郎さんから電話 090-1234-5678", "＜氏名＞さんから電話 ＜電話番号＞"),
        ("佐藤花子様が来所", "＜氏名＞様が来所"),
        ("鈴木一郎氏の件", "＜氏名＞氏の件"),
        # phone numbers: 半角, 全角, and the hyphen look-alikes people type
        ("連絡先は090-1234-5678", "連絡先は＜電話番号＞"),
        ("連絡先は０９０－１２３４－５６７８です", "連絡先は＜電話番号＞です"),
        ("連絡先は090ー1234ー5678", "連絡先は＜電話番号＞"),
        ("電話番号は 03-3456-7890 です", "電話番号は ＜電話番号＞ です"),
        # My Number: plain, 全角, spaced and hyphenated
        ("個人番号123456789018を確認", "個人番号＜個人番号＞を確認"),
        ("個人番号１２３４５６７８９０１８", "個人番号＜個人番号＞"),
        ("個人番号 1234-5678-9018", "個人番号 ＜個人番号＞"),
        ("マイナンバー 1234 5678 9018 を提示", "マイナンバー ＜個人番号＞ を提示"),
        ("返信先 yamada@example.jp まで", "返信先 ＜メールアドレス＞ まで"),
        # negatives: nothing personal, left exactly as it was
        ("特になし", "特になし"),
        ("窓口で制度を説明した。", "窓口で制度を説明した。"),
        # a wrong check digit in its context is still the person's number (mistyped)
        ("個人番号123456789019を確認", "個人番号＜個人番号＞を確認"),
        ("照会123456789019を確認", "照会123456789019を確認"),  # wrong check digit, no context
        ("受付番号 2024-0001", "受付番号 ＜管理番号＞"),  # a record number: 連結符号
        ("", ""),
        ("   ", "   "),
    ],
)
def test_mask_text_labels(fast, text, expected):
    assert mask(fast, text) == [expected]


def test_missing_cells_stay_missing_and_index_is_kept(fast):
    op = make("mask_text", column="相談内容", detector=fast)
    values = column("山田太郎さん", None, "", index=[10, 11, 12])
    out = op.apply(values)
    assert out.index.tolist() == [10, 11, 12] and str(out.dtype) == "string"
    assert (
        out.iloc[0] == "＜氏名＞さん"
        and out.isna().tolist() == [False, True, False]
        and out.iloc[2] == ""
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"style": "label"}, "＜氏名＞さんから電話 ＜電話番号＞"),
        ({"style": "fill"}, "＊＊＊＊さんから電話 ＊＊＊＊＊＊＊＊＊＊＊＊＊"),
        ({"style": "fill", "fill_char": "■"}, "■■■■さんから電話 ■■■■■■■■■■■■■"),
        ({"style": "redact"}, "さんから電話 "),
        ({"entities": ["JP_PHONE_NUMBER"]}, "山田太郎さんから電話 ＜電話番号＞"),
        ({"entities": ["PERSON"]}, "＜氏名＞さんから電話 090-1234-5678"),
    ],
)
def test_styles_and_entity_selection(fast, params, expected):
    assert mask(fast, "山田太郎さんから電話 090-1234-5678", params=params) == [expected]


def test_stats_count_findings_per_row(fast):
    op = make("mask_text", column="相談内容", detector=fast)
    op.apply(
        column(
            "山田太郎さんから電話 090-1234-5678",
            "山田太郎さんから電話 090-1234-5678",
            "特になし",
            None,
        )
    )
    assert dict(op.stats) == {"PERSON": 2, "JP_PHONE_NUMBER": 2}


def test_same_text_masks_the_same_in_every_row(fast):
    out = mask(fast, *["佐藤花子様が来所"] * 3, "特になし")
    assert out == ["＜氏名＞様が来所"] * 3 + ["特になし"]


def test_overlapping_findings_become_one_region(fast):
    op = make("mask_text", column="相談内容", detector=fast)
    text = "山田太郎090-1234-5678"
    found = [
        Finding("PERSON", 0, 6, 0.6, "t"),  # overlaps the phone number
        Finding("JP_PHONE_NUMBER", 4, 17, 0.9, "t"),
    ]
    assert op._mask(text, found) == "＜電話番号＞"
    # no character of either span survives, whichever way they overlap
    nested = [Finding("PERSON", 0, 4, 0.9, "t"), Finding("PERSON", 1, 3, 0.5, "t")]
    assert op._mask("山田太郎さん", nested) == "＜氏名＞さん"


def test_needs_a_detector():
    op = make("mask_text", column="相談内容")
    with pytest.raises(ConfigError, match="columns.相談内容: mask_text needs a detector"):
        op.apply(column("山田太郎さん"))


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"entities": ["NAME"]}, "unknown entity 'NAME'; valid: PERSON"),
        ({"style": "blur"}, "style"),
        ({"fill_char": "**"}, "fill_char"),
        ({"colour": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_bad_params_name_the_yaml_path(params, says):
    with pytest.raises(ConfigError) as exc:
        make("mask_text", params)
    assert exc.value.message.startswith("pipeline.yaml: steps[0]") and says in exc.value.message


def test_describe_lists_params_never_values(fast):
    op = make("mask_text", {"entities": ["PERSON"]}, column="相談内容", detector=fast)
    op.apply(column("山田太郎さん"))
    assert op.describe() == {
        "operator": "mask_text",
        "params": {"entities": ["PERSON"], "style": "label", "fill_char": "＊"},
    }


def test_output_is_a_string_series_of_the_same_length(fast):
    values = pd.Series(["山田太郎さん"] * 5, dtype="string")
    out = make("mask_text", column="相談内容", detector=fast).apply(values)
    assert len(out) == 5 and out.dtype == "string"


# -- 要配慮個人情報 and workplaces/schools (masked by default, the category not named) -------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "障害者手帳2級を持っており、聴覚障害あり筆談対応",
            "＜要配慮＞を持っており、＜要配慮＞筆談対応",
        ),
        ("夫からのDVで避難中", "夫からの＜要配慮＞で避難中"),
        ("勤務先は立川市の株式会社多摩物流", "勤務先は＜勤務先・学校＞"),
        ("長男は第三小学校に通う", "長男は＜勤務先・学校＞に通う"),
        ("前科があり、現在は保護観察中", "＜要配慮＞があり、現在は＜要配慮＞"),
        # a listed word in brackets is no name; the hospital one is treated at is masked whole
        ("母（認知症）が国立中央病院に入院中", "母（＜要配慮＞）が＜要配慮＞に＜要配慮＞"),
        ("株式会社山田の山田太郎さんから電話", "＜勤務先・学校＞の＜氏名＞さんから電話"),
        # negatives stay as they were
        ("電波障害で電話がつながらない", "電波障害で電話がつながらない"),
        ("障害物競走に参加した", "障害物競走に参加した"),
        ("がんばって通学している", "がんばって通学している"),
        ("障害福祉課の窓口を案内した。", "障害福祉課の窓口を案内した。"),
    ],
)
def test_sensitive_and_organizations_are_masked_by_default(fast, text, expected):
    assert mask(fast, text) == [expected]


def test_masked_sensitive_text_is_stable(fast):
    """The masked text is what the gate re-scans: masking it again changes nothing."""
    texts = ["障害者手帳2級を持っており、聴覚障害あり筆談対応", "勤務先は立川市の株式会社多摩物流"]
    once = mask(fast, *texts)
    assert mask(fast, *once) == once


def test_stats_count_each_category(fast):
    op = make("mask_text", column="相談内容", detector=fast)
    op.apply(column("障害者手帳2級、夫からのDVで避難中", "障害者手帳2級", "第三小学校に通う"))
    assert dict(op.stats) == {
        "JP_SENSITIVE_MEDICAL": 2,
        "JP_SENSITIVE_CRIME_VICTIM": 1,
        "ORGANIZATION": 1,
    }


def test_sensitive_entities_can_be_left_out(fast):
    params = {"entities": ["PERSON"]}
    out = mask(fast, "山田太郎さんは障害者手帳2級", params=params)
    assert out == ["＜氏名＞さんは障害者手帳2級"]
