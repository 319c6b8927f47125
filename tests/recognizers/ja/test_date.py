from datetime import date
from pathlib import Path

import pytest
import yaml

from anonymizer.config import load_yaml_model
from anonymizer.errors import ConfigError
from anonymizer.recognizers.ja.date import JaDateRecognizer
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.rules import rules_dir

NAME = "ja.date.v1"
DOB, DATE = "DATE_OF_BIRTH", "DATE"
RULES = rules_dir() / "recognizers" / f"{NAME}.yaml"


def _build(path: Path) -> JaDateRecognizer:
    return JaDateRecognizer(load_yaml_model(path, RecognizerSpec), source=str(path))


@pytest.fixture(scope="module")
def rec() -> JaDateRecognizer:
    """Built from the shipped rules file alone, so other recognizers' rules cannot break it."""
    return _build(RULES)


def found(rec, text):
    return [(r.start, r.end, r.entity_type) for r in rec.analyze(text, [])]


def spans(text, *expected):
    """``(substring, entity)`` pairs → spans located in the ORIGINAL text (全角 included)."""
    out, pos = [], 0
    for sub, entity in expected:
        start = text.index(sub, pos)
        out.append((start, start + len(sub), entity))
        pos = start + len(sub)
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 和暦 with birth context: 生 / 生まれ directly after, labels before
        ("昭和45年3月2日生", [("昭和45年3月2日", DOB)]),
        ("昭和45年3月2日生まれの男性", [("昭和45年3月2日", DOB)]),
        ("昭和45年3月2日 生", [("昭和45年3月2日", DOB)]),
        ("生年月日：S45.3.2", [("S45.3.2", DOB)]),
        ("生年月日 S45/3/2", [("S45/3/2", DOB)]),
        ("生年月日 S45-3-2", [("S45-3-2", DOB)]),
        ("生年月日:H元.1.8", [("H元.1.8", DOB)]),
        ("誕生日は平成元年1月8日です", [("平成元年1月8日", DOB)]),
        ("出生 大正15年12月24日", [("大正15年12月24日", DOB)]),
        ("明治45年7月29日生", [("明治45年7月29日", DOB)]),
        ("令和6年4月1日生まれ", [("令和6年4月1日", DOB)]),
        ("R6.4.1生", [("R6.4.1", DOB)]),
        ("平成 元年 1月 8日 生まれ", [("平成 元年 1月 8日", DOB)]),
        ("昭和四十五年三月二日生", [("昭和四十五年三月二日", DOB)]),
        # 全角, ligature eras (NFKC: ㍻ → 平成), hyphen variants; offsets index the original
        ("昭和４５年３月２日生", [("昭和４５年３月２日", DOB)]),
        ("生年月日：Ｓ４５．３．２", [("Ｓ４５．３．２", DOB)]),
        ("生年月日：Ｓ４５－３－２", [("Ｓ４５－３－２", DOB)]),
        ("生年月日：S45‐3‐2", [("S45‐3‐2", DOB)]),
        ("生年月日：Ｓ４５／３／２", [("Ｓ４５／３／２", DOB)]),
        ("㍻元年1月8日生", [("㍻元年1月8日", DOB)]),
        ("㍼45年3月2日生", [("㍼45年3月2日", DOB)]),
        ("㍽15年生まれ", [("㍽15年", DOB)]),
        ("㍾45年生", [("㍾45年", DOB)]),
        ("㋿2年5月1日生", [("㋿2年5月1日", DOB)]),
        ("生年月日　昭和　４５年　３月　２日", [("昭和　４５年　３月　２日", DOB)]),
        # year-only and year-month birth statements
        ("1970年生まれ", [("1970年", DOB)]),
        ("昭和45年生", [("昭和45年", DOB)]),
        ("昭和45年3月生まれ", [("昭和45年3月", DOB)]),
        # 西暦
        ("生年月日：1970年3月2日", [("1970年3月2日", DOB)]),
        ("生年月日 1970/3/2", [("1970/3/2", DOB)]),
        ("生年月日 1970-03-02", [("1970-03-02", DOB)]),
        ("生年月日 1970.3.2", [("1970.3.2", DOB)]),
        ("生年月日 １９７０－０３－０２", [("１９７０－０３－０２", DOB)]),
        ("生年月日 1970ー03ー02", [("1970ー03ー02", DOB)]),
        ("生年月日 19700302", [("19700302", DOB)]),
        ("1970年3月2日、東京都で生まれる", [("1970年3月2日", DOB)]),
        # birth verb after a place or role, later in the same sentence (生活歴)
        ("昭和20年3月、A県B町で出生。", [("昭和20年3月", DOB)]),
        ("1927年、福岡県で農家の長男として生まれる。", [("1927年", DOB)]),
        # a label belongs to the nearest date; context does not cross 。
        ("生年月日 S45.3.2 登録日 R6.4.1", [("S45.3.2", DOB), ("R6.4.1", DATE)]),
        (
            "昭和20年3月、A市で出生。令和6年4月1日に転入。",
            [("昭和20年3月", DOB), ("令和6年4月1日", DATE)],
        ),
        # a date that bounds a range of birth dates is a rule's, not a person's
        (
            "平成16年4月2日から平成17年4月1日までに生まれた方",
            [("平成16年4月2日", DATE), ("平成17年4月1日", DATE)],
        ),
        ("平成元年～平成5年生まれの方", [("平成元年", DATE), ("平成5年", DATE)]),
        ("昭和20年以前に生まれた方", [("昭和20年", DATE)]),
        # DATE without birth context
        ("令和6年4月1日開催", [("令和6年4月1日", DATE)]),
        ("2024年4月1日から施行する", [("2024年4月1日", DATE)]),
        ("2024（令和6）年4月1日", [("2024（令和6）年4月1日", DATE)]),
        ("令和6(2024)年4月1日", [("令和6(2024)年4月1日", DATE)]),
        ("平成十二年三月三十一日条例第十五号", [("平成十二年三月三十一日", DATE)]),
        ("受付 2024/04/01 10:00", [("2024/04/01", DATE)]),
        ("平成31年5月1日付け", [("平成31年5月1日", DATE)]),  # era boundary days are not checked
        # 生 inside other words is not birth context
        ("令和6年4月1日生活保護開始", [("令和6年4月1日", DATE)]),
        ("2024年4月1日生涯学習センター開館", [("2024年4月1日", DATE)]),
        ("令和6年4月1日生徒総会", [("令和6年4月1日", DATE)]),
        ("学生証の交付日 2024年4月1日", [("2024年4月1日", DATE)]),
        ("事故発生年月日：2024年4月1日", [("2024年4月1日", DATE)]),
        ("衛生委員会 令和6年4月1日", [("令和6年4月1日", DATE)]),
        ("先生の着任日 2024年4月1日", [("2024年4月1日", DATE)]),
        ("令和5年の出生数は1,234人", [("令和5年", DATE)]),
        ("令和6年4月1日に生まれ変わった図書館", [("令和6年4月1日", DATE)]),
        ("令和6年4月1日、新たな支援制度が生まれました。", [("令和6年4月1日", DATE)]),
        ("厚生年金 1970年", [("1970年", DATE)]),
        # negatives: not a date that exists
        ("平成32年4月1日", []),
        ("昭和65年1月1日生", []),
        ("大正16年生まれ", []),
        ("明治46年生", []),
        ("令和0年4月1日", []),
        ("2023年2月29日生まれ", []),
        ("昭和45年2月30日生", []),
        ("昭和45年13月生まれ", []),
        ("生年月日 1970/13/02", []),
        ("生年月日 19701302", []),
        ("平成十十年", []),
        # negatives: fiscal years, decades, durations
        ("2024年度の予算", []),
        ("令和6年度予算", []),
        ("令和６年度一般会計", []),
        ("1970年代の音楽", []),
        ("2000年間", []),
        # negatives: compact digits without birth context, codes, versions, IPs
        ("受付番号 19700302", []),
        ("ABS45.3.2", []),
        ("1.2024.3.4", []),
        ("version 2.2024.1.5", []),
        ("192.168.1.1", []),
        ("電話 03-1234-5678", []),
        ("", []),
    ],
)
def test_spans(rec, text, expected):
    assert found(rec, text) == spans(text, *expected)


@pytest.mark.parametrize(
    ("text", "entity", "score"),
    [
        ("昭和45年3月2日生", DOB, 0.9),
        ("生年月日 1970/3/2", DOB, 0.9),
        ("昭和20年3月、A県B町で出生。", DOB, 0.85),
        ("令和6年4月1日開催", DATE, 0.6),
    ],
)
def test_scores(rec, text, entity, score):
    (result,) = rec.analyze(text, [])
    assert result.entity_type == entity
    assert result.score == pytest.approx(score)
    assert result.score >= 0.85 or entity == DATE


def test_entity_filter(rec):
    text = "生年月日 S45.3.2 登録日 R6.4.1"
    assert [r.entity_type for r in rec.analyze(text, [DATE])] == [DATE]
    assert rec.supported_entities == [DOB, DATE]


def test_built_by_the_loader(recognizers):
    assert isinstance(recognizers[NAME], JaDateRecognizer)


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ({"era": "S", "year": "45", "month": "3", "day": "2"}, date(1970, 3, 2)),
        ({"era": "昭和", "year": "64", "month": "1", "day": "7"}, date(1989, 1, 7)),
        ({"era": "H", "year": "元", "month": "1", "day": "8"}, date(1989, 1, 8)),
        ({"era": "令和", "year": "元", "month": "5", "day": "1"}, date(2019, 5, 1)),
        ({"era": "M", "year": "1"}, (1868,)),
        ({"era": "T", "year": "15", "month": "12"}, (1926, 12)),
        ({"era": "R", "year": "81"}, (2099,)),  # the open era is bounded by western_years
        ({"era": "R", "year": "82"}, None),
        ({"era": "H", "year": "32"}, None),
        ({"year": "1868"}, (1868,)),
        ({"year": "1867"}, None),
        ({"year": "2100"}, None),
        ({"year": "元"}, None),  # 元年 needs an era
        ({"year": "2024", "month": "2", "day": "29"}, date(2024, 2, 29)),
        ({"year": "2023", "month": "2", "day": "29"}, None),
        ({"year": "2023", "month": "0"}, None),
        ({"year": "2023", "month": "十二", "day": "三十一"}, date(2023, 12, 31)),
    ],
)
def test_parse_validates_calendar(rec, groups, expected):
    assert rec.parse(groups) == expected


# -- broken configuration: ConfigError naming the file and the YAML path ---------------------
def _with(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / f"{NAME}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda d: d["params"].pop("eras"), "params: eras: Field required"),
        (lambda d: d["params"]["eras"][2].update(initial="SS"), "params: eras[2].initial"),
        (lambda d: d["params"]["eras"][2].update(colour="red"), "params: eras[2].colour"),
        (lambda d: d["params"]["eras"][4].update(initial="H"), "era names and initials"),
        (lambda d: d["params"]["western_years"].update(min=2100), "params: western_years"),
        (lambda d: d["params"].update(context_only=["nope"]), "params: context_only[0]"),
        (lambda d: d["params"].pop("birth_exclusions"), "params: birth_exclusions"),
        (lambda d: d["params"]["clause_context"].update(boost=2), "params: clause_context.boost"),
        (lambda d: d["patterns"][0].update(regex="(?P<x>\\d)"), "patterns[0].regex"),
        (lambda d: d["patterns"][0].update(regex="(?P<year>"), "patterns[0].regex"),
        (lambda d: d.update(entity="BIRTHDAY"), "entity"),
    ],
)
def test_broken_config_names_the_path(tmp_path, edit, where):
    path = _with(tmp_path, edit)
    with pytest.raises(ConfigError) as err:
        _build(path)
    assert "\n" not in err.value.message
    assert err.value.message.startswith(str(path))
    assert where in err.value.message


def test_shipped_rules_build():
    rec = _build(RULES)
    assert [r.entity_type for r in rec.analyze("昭和45年3月2日生", [])] == [DOB]
