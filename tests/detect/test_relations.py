"""Relations: a date right after a person's name is that person's birth date."""

import pytest

from anonymizer.detect import Finding
from anonymizer.detect.relations import Relations, apply_relations, load_relations
from anonymizer.errors import ConfigError

RULES = load_relations()


def name_and_date(text: str, name: str, date: str) -> list[Finding]:
    n, d = text.index(name), text.index(date)
    return [
        Finding("PERSON", n, n + len(name), 0.85, "ja.person.v1"),
        Finding("DATE", d, d + len(date), 0.6, "ja.date.v1"),
    ]


@pytest.mark.parametrize(
    ("text", "date", "birth"),
    [
        ("来庁者：山田太郎、昭和45年3月2日、国立市在住", "昭和45年3月2日", True),
        ("山田太郎 1970/3/2", "1970/3/2", True),
        ("山田太郎　1970/3/2", "1970/3/2", True),  # 全角 space
        ("山田太郎,1970-03-02", "1970-03-02", True),
        ("山田太郎／1970年3月2日", "1970年3月2日", True),
        ("山田太郎：1970年3月2日", "1970年3月2日", True),
        ("山田太郎、 1970年3月2日", "1970年3月2日", True),  # two separators
        ("山田太郎1970年3月2日", "1970年3月2日", True),  # no gap at all
        # negatives
        ("山田太郎、令和6年4月1日に来庁", "令和6年4月1日", False),  # particle → event date
        ("山田太郎、令和6年4月1日から入所", "令和6年4月1日", False),
        ("山田太郎、令和6年4月1日来庁", "令和6年4月1日", False),
        ("山田太郎、令和6年4月1日付で転出", "令和6年4月1日", False),
        ("山田太郎（昭和45年3月2日）", "昭和45年3月2日", False),  # bracket is not a separator
        ("山田太郎は昭和45年3月2日", "昭和45年3月2日", False),  # a particle in the gap
        ("山田太郎、、、、昭和45年3月2日", "昭和45年3月2日", False),  # gap longer than max_gap
    ],
)
def test_birth_date_after_name(text, date, birth):
    out = apply_relations(text, name_and_date(text, "山田太郎", date), RULES)
    types = [f.type for f in out]
    assert types == ["PERSON", "DATE_OF_BIRTH" if birth else "DATE"]
    if birth:
        assert out[1].score == RULES.birth_date_after_name.score
        assert (out[1].start, out[1].end, out[1].recognizer) == (
            text.index(date),
            text.index(date) + len(date),
            "ja.date.v1",
        )
    else:
        assert out[1].score == 0.6


def test_date_before_the_name_is_not_a_birth_date():
    text = "令和6年4月1日、山田太郎が来庁"
    out = apply_relations(text, name_and_date(text, "山田太郎", "令和6年4月1日")[::-1], RULES)
    assert [f.type for f in out] == ["DATE", "PERSON"]


def test_score_never_decreases():
    text = "山田太郎 1970/3/2"
    found = [Finding("PERSON", 0, 4, 0.85, "p"), Finding("DATE", 5, 13, 0.95, "d")]
    out = apply_relations(text, found, RULES)
    assert out[1] == Finding("DATE_OF_BIRTH", 5, 13, 0.95, "d")


def test_no_name_or_single_finding_unchanged():
    text = "1970/3/2 1970/3/3"
    dates = [Finding("DATE", 0, 8, 0.6, "d"), Finding("DATE", 9, 17, 0.6, "d")]
    assert apply_relations(text, dates, RULES) == dates
    assert apply_relations("1970/3/2", dates[:1], RULES) == dates[:1]
    assert apply_relations("", [], RULES) == []


def test_disabled_rule_does_nothing():
    off = Relations.model_validate(
        {
            "version": 1,
            "birth_date_after_name": {**RULES.birth_date_after_name.model_dump(), "enabled": False},
            "corporate_number_of_organization": RULES.corporate_number_of_organization.model_dump(),
        }
    )
    text = "山田太郎 1970/3/2"
    assert [
        f.type for f in apply_relations(text, name_and_date(text, "山田太郎", "1970/3/2"), off)
    ] == [
        "PERSON",
        "DATE",
    ]


@pytest.mark.parametrize(
    ("entities", "expected"),
    [
        (None, ["PERSON", "DATE_OF_BIRTH"]),
        (frozenset({"DATE_OF_BIRTH"}), ["DATE_OF_BIRTH"]),  # retyped before filtering
        (frozenset({"DATE"}), []),
        (frozenset({"PERSON"}), ["PERSON"]),
    ],
)
def test_entity_filter_after_retyping(entities, expected):
    text = "山田太郎 1970/3/2"
    out = apply_relations(text, name_and_date(text, "山田太郎", "1970/3/2"), RULES, entities)
    assert [f.type for f in out] == expected


# -- rules file ----------------------------------------------------------------------------
_GOOD = """version: 1
birth_date_after_name:
  max_gap: 1
  separators: "、"
  score: 0.8
corporate_number_of_organization:
  max_gap: 12
  stops: "。"
"""


def test_custom_rules_directory(tmp_path):
    (tmp_path / "relations.yaml").write_text(_GOOD, encoding="utf-8")
    rules = load_relations(tmp_path)
    assert rules.birth_date_after_name.max_gap == 1
    text = "山田太郎 1970/3/2"  # a space is not a separator in these rules
    assert [
        f.type for f in apply_relations(text, name_and_date(text, "山田太郎", "1970/3/2"), rules)
    ] == [
        "PERSON",
        "DATE",
    ]


@pytest.mark.parametrize(
    ("yaml_text", "where"),
    [
        (_GOOD.replace("max_gap: 1", "max_gap: 11"), "birth_date_after_name.max_gap"),
        (_GOOD.replace("score: 0.8", "score: 1.5"), "birth_date_after_name.score"),
        (_GOOD.replace("  score: 0.8\n", "  score: 0.8\n  extra: 1\n"), "birth_date_after_name.extra"),
        (_GOOD.replace("  max_gap: 12", "  max_gap: 99"), "corporate_number_of_organization.max_gap"),
        (_GOOD.replace("version: 1", "version: 2"), "version"),
        (_GOOD.replace('  separators: "、"\n', ""), "birth_date_after_name.separators"),
    ],
)
def test_bad_rules_name_the_yaml_path(tmp_path, yaml_text, where):
    path = tmp_path / "relations.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_relations(tmp_path)
    msg = str(err.value)
    assert str(path) in msg and where in msg


def test_missing_rules_file(tmp_path):
    with pytest.raises(ConfigError, match="relations.yaml: file not found"):
        load_relations(tmp_path)


# -- a 法人番号 beside a workplace ---------------------------------------------------------------
NUMBER = "9234567890123"  # a valid 法人番号 (check digit 9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"勤務先は株式会社多摩物流（法人番号：{NUMBER}）です。", "ORGANIZATION"),
        (f"法人番号{NUMBER}（株式会社多摩物流）", "ORGANIZATION"),  # before it
        (f"法人番号{NUMBER}の事業者一覧。", "JP_CORPORATE_NUMBER"),  # alone: public
        (f"株式会社多摩物流に勤務。別件で法人番号{NUMBER}を照会した。", "JP_CORPORATE_NUMBER"),
    ],
)
def test_a_corporate_number_beside_a_workplace_is_masked_with_it(fast, text, expected):
    """The 法人番号 of a masked workplace would give its name back through the public register:
    beside an ORGANIZATION (no sentence end between) it is typed ORGANIZATION; alone, or in
    another sentence, it stays a public number."""
    (number,) = [f for f in fast.detect(text) if text[f.start : f.end] == NUMBER]
    assert number.type == expected
