from datetime import date
from pathlib import Path

import pytest
import yaml

from anonymizer.errors import ConfigError
from anonymizer.rules import rules_dir
from anonymizer.text.dates import Calendar, load_date_grammar, parse_date, parse_date_parts

RULES = rules_dir()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("昭和45年3月2日", date(1970, 3, 2)),
        ("S45.3.2", date(1970, 3, 2)),
        ("S45/3/2", date(1970, 3, 2)),
        ("S45-3-2", date(1970, 3, 2)),
        ("H元.1.8", date(1989, 1, 8)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("令和6年4月1日", date(2024, 4, 1)),
        ("R6.4.1", date(2024, 4, 1)),
        ("昭和四十五年三月二日", date(1970, 3, 2)),
        ("1970/3/2", date(1970, 3, 2)),
        ("1970-03-02", date(1970, 3, 2)),
        ("1970.3.2", date(1970, 3, 2)),
        ("1970年3月2日", date(1970, 3, 2)),
        ("19700302", date(1970, 3, 2)),  # compact: a date in a date column
        ("2024(令和6)年4月1日", date(2024, 4, 1)),
        # 全角, ligatures, hyphen variants, spaces around
        ("昭和４５年３月２日", date(1970, 3, 2)),
        ("Ｓ４５．３．２", date(1970, 3, 2)),
        ("１９７０－０３－０２", date(1970, 3, 2)),
        ("1970‐03‐02", date(1970, 3, 2)),
        ("1970−03−02", date(1970, 3, 2)),
        ("1970ー03ー02", date(1970, 3, 2)),
        ("㍻元年1月8日", date(1989, 1, 8)),
        ("㋿2年5月1日", date(2020, 5, 1)),
        ("  1970/3/2\u3000", date(1970, 3, 2)),
        ("昭和 45年 3月 2日", date(1970, 3, 2)),
        # not a whole date, or not one that exists
        ("昭和45年3月", None),
        ("1970年", None),
        ("平成32年4月1日", None),
        ("昭和65年1月1日", None),
        ("令和0年4月1日", None),
        ("2023/2/29", None),
        ("1970/13/02", None),
        ("19701302", None),
        ("2024年度", None),
        ("1970/3/2生", None),
        ("生年月日 1970/3/2", None),
        ("1970", None),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("昭和45年3月", (1970, 3)),
        ("昭和45年", (1970,)),
        ("平成元年", (1989,)),
        ("1970年3月", (1970, 3)),
        ("1970年", (1970,)),
        ("1970/3/2", date(1970, 3, 2)),
        ("昭和45年13月", None),
    ],
)
def test_parse_date_parts(text, expected):
    assert parse_date_parts(text) == expected


def test_grammar_is_the_recognizers():
    """One grammar: the recognizer and parse_date read the same rules file."""
    from anonymizer.recognizers.ja.date import DateParams

    assert issubclass(DateParams, Calendar)
    grammar = load_date_grammar()
    data = yaml.safe_load((RULES / "recognizers" / "ja.date.v1.yaml").read_text(encoding="utf-8"))
    assert [e.name for e in grammar.calendar.eras] == [e["name"] for e in data["params"]["eras"]]


def _rules_copy(tmp_path: Path, edit) -> Path:
    src = RULES / "recognizers" / "ja.date.v1.yaml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    edit(data)
    (tmp_path / "recognizers").mkdir()
    (tmp_path / "recognizers" / "ja.date.v1.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    return tmp_path


def test_a_new_era_is_data(tmp_path):
    def add_era(d):
        d["params"]["eras"][-1]["last_year"] = 10
        d["params"]["eras"].append({"name": "未来", "initial": "Z", "first_year": 2028,
                                    "last_year": None})

    directory = _rules_copy(tmp_path, add_era)
    assert parse_date("未来2年3月4日", directory) == date(2029, 3, 4)
    assert parse_date("Z2.3.4", directory) == date(2029, 3, 4)
    assert parse_date("令和11年1月1日", directory) is None
    assert parse_date("未来2年3月4日") is None  # the shipped rules know no such era


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda d: d["params"].pop("eras"), "params.eras"),
        (lambda d: d["params"]["eras"][2].update(initial="SS"), "params.eras[2].initial"),
        (lambda d: d["params"]["eras"][4].update(initial="H"), "era names"),
        (lambda d: d["params"]["western_years"].update(min=2100), "params.western_years"),
        (lambda d: d["patterns"][0].update(regex="(?P<x>\\d)"), "patterns[0].regex"),
        (lambda d: d.pop("patterns"), "patterns"),
        (lambda d: d.pop("params"), "params"),
    ],
)
def test_broken_rules_name_the_file_and_path(tmp_path, edit, where):
    directory = _rules_copy(tmp_path, edit)
    with pytest.raises(ConfigError) as err:
        parse_date("1970/3/2", directory)
    assert err.value.message.startswith(str(directory / "recognizers" / "ja.date.v1.yaml"))
    assert where in err.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024/4/1 10:30", date(2024, 4, 1)),
        ("2024-04-01T10:30:00+09:00", date(2024, 4, 1)),
        ("2024/4/1 9:05 AM", date(2024, 4, 1)),
        ("令和6年4月1日（月）", date(2024, 4, 1)),
        ("2024/04/01 (月) 14:00", date(2024, 4, 1)),
        ("R6.4.1 午後2時30分", date(2024, 4, 1)),
        ("2024/4/1 月曜日", date(2024, 4, 1)),
        # what follows must be a weekday or a time of day, after the whole date
        ("2024年4月1日月", None),
        ("2024/4/1 受付", None),
        ("2024/13/1 10:30", None),
        ("10:30", None),
        ("(月)", None),
    ],
)
def test_a_weekday_or_a_time_after_a_whole_cell_date(text, expected):
    """受付日時 and 来庁日 columns carry a time of day or a weekday (params.cell_trailers)."""
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05", (2024, 5)),
        ("2024/5", (2024, 5)),
        ("R6.5", (2024, 5)),
        ("H元.5", (1989, 5)),
        ("202405", (2024, 5)),
        ("202413", None),  # no 13th month
        ("123456", None),  # no year 1234
        ("2024", None),
    ],
)
def test_a_year_and_month_as_a_whole_cell(text, expected):
    """受付月 2024-05 — what year_month itself writes (params.cell_patterns: cells only)."""
    assert parse_date_parts(text) == expected


def test_cell_forms_are_not_searched_in_free_text():
    from anonymizer.detect import Detector

    with Detector(mode="fast") as det:
        found = det.detect("整理番号2024-05の書類を送付")
    assert [f for f in found if f.type == "DATE"] == []
