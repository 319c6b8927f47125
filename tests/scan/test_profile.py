"""Column profiles: role from the header, else from the values; examples never raw."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from anonymizer.detect import Detector, Finding
from anonymizer.scan import scan_frame
from anonymizer.scan.profile import infer_values


@pytest.fixture(scope="module")
def det() -> Detector:
    with Detector(mode="fast") as d:
        yield d


def F(entity: str, start: int, end: int) -> Finding:
    return Finding(entity, start, end, 0.9, "test")


# -- infer_values (the header is unknown) -------------------------------------------------------
def _codes(n: int) -> list[str]:
    return [f"A{1000 + i:05d}" for i in range(n)]


@pytest.mark.parametrize(
    ("cells", "findings", "distinct", "role", "entity"),
    [
        # cells mostly made of one personal entity → identifier (or QI for AGE, DOB, postal code)
        (
            ["090-1234-5678"] * 10,
            [[F("JP_PHONE_NUMBER", 0, 13)]] * 10,
            10,
            "direct_identifier",
            "JP_PHONE_NUMBER",
        ),
        (["山田太郎"] * 10, [[F("PERSON", 0, 4)]] * 10, 3, "direct_identifier", "PERSON"),
        (["45歳"] * 10, [[F("AGE", 0, 3)]] * 10, 10, "quasi_identifier", "AGE"),
        (
            ["1970/3/2"] * 10,
            [[F("DATE_OF_BIRTH", 0, 8)]] * 10,
            10,
            "quasi_identifier",
            "DATE_OF_BIRTH",
        ),
        (
            ["186-0003"] * 10,
            [[F("JP_POSTAL_CODE", 0, 8)]] * 10,
            10,
            "quasi_identifier",
            "JP_POSTAL_CODE",
        ),
        # 3 of 10 cells covered: still an identifier column (threshold 0.3)
        (
            ["山田太郎"] * 3 + ["-"] * 7,
            [[F("PERSON", 0, 4)]] * 3 + [[]] * 7,
            2,
            "direct_identifier",
            "PERSON",
        ),
        # the dominant entity wins
        (
            ["山田太郎"] * 6 + ["090-1234-5678"] * 4,
            [[F("PERSON", 0, 4)]] * 6 + [[F("JP_PHONE_NUMBER", 0, 13)]] * 4,
            10,
            "direct_identifier",
            "PERSON",
        ),
        # event dates narrow people down → quasi-identifier without an entity
        (["2024/4/1"] * 10, [[F("DATE", 0, 8)]] * 10, 10, "quasi_identifier", None),
        (["令和6年4月1日"] * 10, [[F("DATE", 0, 8)]] * 10, 1, "quasi_identifier", None),
        # a corporate number is not personal: a unique code column, not PERSON-like
        (
            ["1234567890123"] * 25,
            [[F("JP_CORPORATE_NUMBER", 0, 13)]] * 25,
            25,
            "direct_identifier",
            None,
        ),
        # sentences, long cells, or names inside longer text → free text
        (["書類を郵送した。"] * 10, [[]] * 10, 1, "free_text", None),
        (["あ" * 25] * 10, [[]] * 10, 1, "free_text", None),
        (
            ["山田さんから電話があり折り返した"] * 10,
            [[F("PERSON", 0, 2)]] * 10,
            1,
            "free_text",
            None,
        ),
        # unique code-like values (20+ non-empty, ≥ 90 % distinct) → a linking code
        (_codes(20), [[]] * 20, 20, "direct_identifier", None),
        ([str(i) for i in range(30)], [[]] * 30, 30, "direct_identifier", None),
        # …written the Japanese way: a permit's or a reception's number
        ([f"R3多立生食第{i:05d}号" for i in range(20)], [[]] * 20, 20, "direct_identifier", None),
        ([f"受付第{100 + i}号" for i in range(20)], [[]] * 20, 20, "direct_identifier", None),
        # amounts and counts with their unit, or a number inside words, are no codes
        ([f"{1000 + 37 * i}円" for i in range(20)], [[]] * 20, 20, "other", None),
        ([f"すし処{i}号店" for i in range(20)], [[]] * 20, 20, "other", None),
        # negatives: too few rows, not unique enough, not code-like, categories
        (_codes(19), [[]] * 19, 19, "other", None),
        (_codes(20), [[]] * 20, 17, "other", None),
        ([f"区分{i}" for i in range(20)], [[]] * 20, 20, "other", None),
        (["A", "B", "C"] * 10, [[]] * 30, 3, "other", None),
        ([], [], 0, "other", None),
    ],
)
def test_infer_values(cells, findings, distinct, role, entity):
    assert infer_values(cells, findings, distinct, len(cells))[:2] == (role, entity)


# -- scan_frame ------------------------------------------------------------------------------
N = 30
SURNAMES = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤"]
GIVEN = ["太郎", "花子", "一郎", "次郎", "美咲"]


def _frame() -> tuple[pd.DataFrame, list[str]]:
    names = [f"{SURNAMES[i % 6]}{GIVEN[i % 5]}" for i in range(N)]
    phones = [f"090-{1000 + i}-{5000 + i}" for i in range(N)]
    mails = [f"user{i}@example.jp" for i in range(N)]
    codes = [f"A{7000 + i:05d}" for i in range(N)]
    frame = pd.DataFrame(
        {
            "氏名": names,
            "連絡": phones,  # unknown header: role from the values
            "col_e": mails,
            "col_code": codes,
            "col_note": [
                f"{names[i]}さんから電話（{phones[i]}）があり、折り返した。" for i in range(N)
            ],
            "col_date": [f"2024/4/{1 + i % 28}" for i in range(N)],
            "col_age": [f"{20 + i}歳" for i in range(N)],
            "col_cat": ["A", "B", "C"] * (N // 3),
            "col_empty": [""] * N,
            "相談内容": ["特記事項なし。"] * N,
        }
    )
    return frame, names + phones + mails + codes


def test_scan_frame_roles_and_counts(det):
    frame, _ = _frame()
    cols = {c.name: c for c in scan_frame(frame, det)}
    assert list(cols) == list(frame.columns)
    got = {n: (c.role, c.role_source, c.entity) for n, c in cols.items()}
    assert got == {
        "氏名": ("direct_identifier", "header", "PERSON"),
        "連絡": ("direct_identifier", "values", "JP_PHONE_NUMBER"),
        "col_e": ("direct_identifier", "values", "EMAIL_ADDRESS"),
        "col_code": ("direct_identifier", "values", None),
        "col_note": ("free_text", "values", None),
        "col_date": ("quasi_identifier", "values", None),
        "col_age": ("quasi_identifier", "values", "AGE"),
        "col_cat": ("other", "values", None),
        "col_empty": ("other", "values", None),
        "相談内容": ("free_text", "header", None),
    }
    assert cols["氏名"].entities == {"PERSON": N}
    assert cols["連絡"].entities == {"JP_PHONE_NUMBER": N}
    assert cols["col_note"].entities == {"JP_PHONE_NUMBER": N, "PERSON": N}
    assert (cols["氏名"].rows, cols["氏名"].non_empty, cols["氏名"].distinct) == (N, N, 30)
    assert (cols["col_cat"].distinct, cols["col_cat"].sampled) == (3, N)
    assert (cols["col_empty"].non_empty, cols["col_empty"].sampled, cols["col_empty"].examples) == (
        0,
        0,
        [],
    )
    assert all(len(c.examples) <= 3 for c in cols.values())
    assert len(set(cols["col_cat"].examples)) == len(cols["col_cat"].examples)  # deduplicated


def test_examples_never_contain_a_planted_value(det):
    frame, planted = _frame()
    blob = json.dumps([c.to_dict() for c in scan_frame(frame, det)], ensure_ascii=False)
    leaked = [v for v in planted if v in blob]
    assert leaked == []
    for part in {p for v in planted for p in v.split("-") if len(p) >= 4}:
        assert part not in blob  # not even a digit group of a phone number
    cols = {c.name: c for c in scan_frame(frame, det)}
    assert cols["氏名"].examples == ["＜氏名＞"]
    assert cols["連絡"].examples == ["＜電話番号＞"]
    assert cols["col_code"].examples == ["＊99999"]
    assert all("＜氏名＞さんから電話（＜電話番号＞）" in e for e in cols["col_note"].examples)


def test_sampling_is_deterministic_and_bounded(det):
    frame, _ = _frame()
    a = scan_frame(frame, det, sample=5)
    b = scan_frame(frame, det, sample=5)
    assert [c.to_dict() for c in a] == [c.to_dict() for c in b]
    cols = {c.name: c for c in a}
    assert cols["氏名"].sampled == 5
    assert cols["氏名"].non_empty == N  # counts are over the whole column, not the sample
    assert sum(cols["氏名"].entities.values()) == 5


def test_missing_cells_are_empty(det):
    frame = pd.DataFrame({"電話番号": pd.array(["03-1234-5678", None, ""], dtype="string")})
    (col,) = scan_frame(frame, det)
    assert (col.rows, col.non_empty, col.sampled) == (3, 1, 1)
    assert col.entities == {"JP_PHONE_NUMBER": 1}


def test_header_gives_context_to_bare_values(det):
    frame = pd.DataFrame(
        {"年齢": [str(20 + i) for i in range(N)], "col": [str(20 + i) for i in range(N)]}
    )
    cols = {c.name: c for c in scan_frame(frame, det)}
    assert cols["年齢"].entities == {"AGE": N}
    assert cols["col"].entities == {}


def test_to_dict_shape(det):
    frame, _ = _frame()
    d = scan_frame(frame, det)[0].to_dict()
    assert list(d) == [
        "name",
        "role",
        "role_source",
        "entity",
        "value_role",
        "value_entity",
        "value_kind",
        "rows",
        "non_empty",
        "distinct",
        "sampled",
        "entities",
        "examples",
        "categories",
    ]


def test_a_category_column_shows_its_values_with_counts_rare_ones_grouped(det):
    frame = pd.DataFrame({
        "区分": ["福祉"] * 9 + ["税務"] * 6 + ["環境"] * 2 + ["教育"] * 1,
        "氏名": ["山田　太郎", "佐藤　花子", "鈴木　一郎"] * 6,
        "番号": [f"Z{i:04d}" for i in range(18)],
    })  # fmt: skip
    cols = {c.name: c for c in scan_frame(frame, det)}
    # k = 5 (rules/policy.yaml): 環境 (2) and 教育 (1) could single someone out
    assert cols["区分"].categories == [("福祉", 9), ("税務", 6), ("その他", 3)]
    assert cols["区分"].to_dict()["categories"][0] == {"value": "福祉", "count": 9}
    assert cols["氏名"].categories == []  # a direct identifier: never its values
    assert cols["番号"].categories == []  # 18 distinct values: shapes only


def test_sensitive_categories_and_workplaces_leave_a_structured_column_as_it_was(det):
    """A 障害区分 or 勤務先 column is counted (the reviewer sees what it holds) and its
    category view is what it was before those entities existed; a column of workplaces is a
    quasi-identifier by its values, as 勤務先 is by its header."""
    frame = pd.DataFrame({
        "区分X": ["身体障害者手帳1級"] * 9 + ["療育手帳B1"] * 6 + ["なし"] * 3,
        "先X": ["株式会社多摩物流", "有限会社丸山工務店", "国立第一中学校"] * 6,
    })  # fmt: skip
    cols = {c.name: c for c in scan_frame(frame, det)}
    assert cols["区分X"].entities == {"JP_SENSITIVE_MEDICAL": 15}
    assert (cols["区分X"].role, cols["区分X"].value_entity) == ("other", None)
    assert cols["区分X"].categories == [("身体障害者手帳1級", 9), ("療育手帳B1", 6), ("その他", 3)]
    assert cols["先X"].entities == {"ORGANIZATION": 18}
    assert (cols["先X"].role, cols["先X"].value_entity) == ("quasi_identifier", None)
    assert cols["先X"].value_kind == "organization"
    workplaces = [("株式会社多摩物流", 6), ("有限会社丸山工務店", 6), ("国立第一中学校", 6)]
    assert cols["先X"].categories == workplaces


# -- value rules (rules/headers.yaml `values`): an unknown header judged by its values ----------

_AGES = [str(a) for a in range(20, 100)] * 2
_SEX = ["男", "女"] * 40
_CARE = ["要介護1", "要支援2", "要介護3"] * 20


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (_SEX, ("quasi_identifier", None, "sex")),
        (["男性", "女性", "女性"] * 20, ("quasi_identifier", None, "sex")),
        (["世帯主", "妻", "長男", "長女", "母"] * 10, ("quasi_identifier", None, "relationship")),
        (["既婚", "未婚", "死別"] * 10, ("quasi_identifier", None, "marital_status")),
        (_AGES, ("quasi_identifier", "AGE", "age")),
        (_CARE, ("sensitive", None, "care_level")),
        # 世帯人数 or 件数: too few distinct numbers to be read as ages; a sex coded 1 / 2
        (["1", "2", "3", "4", "5", "6"] * 20, ("quasi_identifier", None, "small_number")),
        (["1", "2"] * 30, ("quasi_identifier", None, "small_number")),
        # fees: outside the range of an age, too few to be codes
        ([str(500 * i) for i in range(1, 11)] * 15, ("other", None, None)),
        # one sex only is a constant, not a column that splits anyone
        (["女"] * 60, ("other", None, None)),
        # a category the rules do not know
        (["福祉", "子育て", "税", "その他"] * 15, ("other", None, None)),
        # a unique row number is a code first (dropped), not an age
        ([str(i) for i in range(1, 61)], ("direct_identifier", None, None)),
        # a household number its members share: a linking code (dropped), as a unique one is
        ([f"{10**7 + i // 3:08d}" for i in range(150)], ("direct_identifier", None, None)),
        ([f"ケース第{100 + i // 3}号" for i in range(150)], ("direct_identifier", None, None)),
        # a code many rows share is a category (a 4-digit 事業所 code of 8 offices)
        ([f"{1000 + i % 8}" for i in range(150)], ("other", None, None)),
        # mostly sexes, but not enough of them
        (["男", "女"] * 45 + ["福祉"] * 10, ("other", None, None)),
    ],
)
def test_value_rules_read_a_column_no_header_rule_knows(cells, expected):
    found = [[] for _ in cells]
    assert infer_values(cells, found, len(set(cells)), len(cells)) == expected


def test_corporate_numbers_a_few_offices_share_are_not_a_linking_code(det):
    """法人番号 repeat over a company's offices like a household number over its members, but
    they are a public register's numbers: kept for the steward to decide, not dropped."""
    import numpy as np

    from samples._ids import corporate_numbers

    numbers = corporate_numbers(np.random.default_rng(3), 40)
    frame = pd.DataFrame({"番号X": [numbers[i // 2] for i in range(80)]})
    (col,) = scan_frame(frame, det)
    assert col.entities.get("JP_CORPORATE_NUMBER", 0) == 80
    assert (col.role, col.value_kind) == ("other", None)
    # the same shape without a checksum is a linking code
    frame = pd.DataFrame({"番号X": [f"{10**12 + 7 * (i // 2)}" for i in range(80)]})
    (col,) = scan_frame(frame, det)
    assert col.role == "direct_identifier"


def test_scan_reports_the_value_kind_and_the_policy_measures_it(det):
    from anonymizer.policy.columns import quasi_reason
    from anonymizer.policy.rules import load_policy_rules

    frame = pd.DataFrame({"KBN1": _SEX * 2, "KBN2": _AGES, "KBN3": ["A", "B"] * 80})
    cols = {c.name: c for c in scan_frame(frame, det)}
    assert (cols["KBN1"].role, cols["KBN1"].value_kind) == ("quasi_identifier", "sex")
    assert (cols["KBN2"].entity, cols["KBN2"].value_kind) == ("AGE", "age")
    assert cols["KBN3"].role == "other" and cols["KBN3"].value_kind is None
    rules = load_policy_rules()
    assert quasi_reason("other", cols["KBN1"], rules) == "values"
    assert quasi_reason("other", cols["KBN2"], rules) == "values"
    assert quasi_reason("other", cols["KBN3"], rules) is None


def test_a_column_of_year_months_is_an_event_date(det):
    """受付月 2024-05 (no header rule knows it): measured like 受付日."""
    frame = pd.DataFrame({"受付月": [f"2024-{m:02d}" for m in range(1, 13)] * 5})
    (col,) = scan_frame(frame, det)
    assert (col.role, col.role_source, col.entity) == ("quasi_identifier", "values", None)


def test_a_column_of_company_names_is_a_workplace_and_measured(det):
    """特別徴収義務者 (no header rule knows it): a person's employer narrows them down like a
    勤務先 column; read by its values it is a quasi-identifier."""
    companies = ["株式会社ミドリ食品", "多摩物流株式会社", "有限会社山田工務店", "ABC商事㈱"]
    frame = pd.DataFrame({"特別徴収義務者": companies * 20, "区分": ["A", "B"] * 40})
    cols = {c.name: c for c in scan_frame(frame, det)}
    assert (cols["特別徴収義務者"].role, cols["特別徴収義務者"].value_kind) == (
        "quasi_identifier", "organization",
    )  # fmt: skip
    assert cols["区分"].role == "other"


@pytest.mark.parametrize(
    ("header", "kind"),
    [("項目5", "age"), ("AGE_Y", "age"), ("相談時間（分）", None), ("訪問回数X", None),
     ("SCORE", None)],
)  # fmt: skip
def test_numbers_under_a_header_naming_a_unit_are_not_ages(header, kind):
    """相談時間（分） holds 5…120 like an age column: its header says it is a quantity of the
    record (rules/headers.yaml values: unless_header)."""
    cells = [str(a) for a in range(20, 100)] * 2
    found = [[] for _ in cells]
    role, _entity, got = infer_values(cells, found, 80, len(cells), header=header)
    assert got == kind and role == ("quasi_identifier" if kind else "other")


def test_the_sample_is_chosen_by_row_number_spread_over_the_table_whatever_the_order():
    from anonymizer.scan.profile import sample_cells

    values = pd.Series([f"v{i}" for i in range(10_000)], dtype="string")
    picked = sample_cells(values, 200)
    assert len(set(picked)) == 200
    rows = sorted(int(v[1:]) for v in picked)
    # spread evenly: every tenth of the table gives about a tenth of the sample
    per_tenth = [sum(1 for r in rows if t * 1000 <= r < (t + 1) * 1000) for t in range(10)]
    assert min(per_tenth) >= 15 and max(per_tenth) <= 25
    # the same cells, in the same order, whatever order the rows are held in
    shuffled = values.sample(frac=1.0, random_state=3)
    assert sample_cells(shuffled, 200) == picked
    assert sample_cells(values.iloc[:0], 5) == []
    assert sorted(sample_cells(values.iloc[:3], 5)) == ["v0", "v1", "v2"]
