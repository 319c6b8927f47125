"""``anonymizer init``: a proposed pipeline that loads, is safe by default, and — run with its
defaults — releases nothing that was planted, also on held-out rows it never saw."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonymizer.pipeline.publication import publication_check
from anonymizer.pipeline.spec import load_pipeline
from tests.pipeline.conftest import PLANTED, cli_run, leaks, released_texts, write_csv
from tests.pipeline.test_propose import ADDRESSES, INIT_ROWS, METADATA_FLAGS

#: other people in the same layout: what the proposal must also protect
HELD_OUT = [
    {
        "管理番号": "R07-000201",
        "氏名": "伊藤　健一",
        "電話番号": "070-4444-5555",
        "個人番号": "246813579021",
        "生年月日": "1938/01/09",
        "性別": "男",
        "地区コード": "0020",
        "件数": "2",
        "相談内容": "伊藤健一さんの長女から電話 070-4444-5555",
        "メモ": "",
        "住所": "東京都国立市青柳1-1-1",
        "郵便番号": "186-0013",
    },
    {
        "管理番号": "R07-000202",
        "氏名": "渡辺　由美",
        "電話番号": "042-111-2222",
        "個人番号": "555012345676",
        "生年月日": "1961/10/30",
        "性別": "女",
        "地区コード": "0021",
        "件数": "",
        "相談内容": "マイナンバー 5550 1234 5676 の再交付について渡辺由美様より",
        "メモ": "=HYPERLINK(1)",
        "住所": "国立市谷保5-6-7",
        "郵便番号": "1860011",
    },
    {
        "管理番号": "R07-000203",
        "氏名": "中村　翔",
        "電話番号": "09098765432",
        "個人番号": "808080808086",
        "生年月日": "2001/05/05",
        "性別": "男",
        "地区コード": "0020",
        "件数": "1",
        "相談内容": "中村翔さん (nakamura.sho@example.com) から苦情",
        "メモ": "",
        "住所": "国立市東1-2-3",
        "郵便番号": "186-0002",
    },
]
HELD_OUT_PLANTED = tuple(
    v
    for r in HELD_OUT
    for k, v in r.items()
    if k in ("管理番号", "氏名", "電話番号", "個人番号", "生年月日", "住所")
) + ("伊藤健一", "渡辺由美", "中村翔", "nakamura.sho@example.com", "5550 1234 5676")


def _init(data: Path, pipeline: Path, *extra: str):
    return cli_run("init", data, "-o", pipeline, "--mode", "fast", *extra)


@pytest.fixture
def proposed(tmp_path: Path) -> Path:
    write_csv(tmp_path / "in.csv", INIT_ROWS, "cp932")
    result = _init(tmp_path / "in.csv", tmp_path / "soudan.yaml", *METADATA_FLAGS)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"wrote {tmp_path / 'soudan.yaml'}: 12 columns; review it")
    assert leaks([result.stdout, result.stderr], (*PLANTED, *ADDRESSES)) == []
    return tmp_path / "soudan.yaml"


def test_init_proposes_a_valid_safe_pipeline(proposed):
    spec = load_pipeline(proposed)
    assert spec.name == "soudan" and spec.input.path == "in.csv"
    calls = {c: [n for n, _ in cs.operator_calls()] for c, cs in spec.columns.items()}
    for col in ("管理番号", "氏名", "電話番号", "個人番号", "相談内容"):
        assert calls[col] == ["drop"], col
    # no event date in this export: birth months, not ages (never at the publication date)
    assert spec.columns["生年月日"].operator_calls() == [("generalize", {"to": "year_month"})]
    assert spec.columns["住所"].operator_calls() == [("generalize", {"to": "address_town"})]
    (step,) = spec.steps
    assert step.type == "kanonymity" and step.params() == {
        "qis": {"生年月日": "year_month", "性別": "flat", "住所": "address", "郵便番号": "postal3"},
        "k": 5, "suppression": 0.05, "metric": "loss",
    }
    # 個人番号 has empty cells: it cannot count people; 佐藤　花子 has two rows, so persons are
    # counted by their name
    assert spec.person_column == "氏名"
    assert "persons are counted by their name" in proposed.read_text(encoding="utf-8")
    text = proposed.read_text(encoding="utf-8")
    assert "review every line" in text and leaks([text], (*PLANTED, *ADDRESSES)) == []


def test_init_then_run_with_defaults_releases_no_planted_value(proposed):
    out = proposed.parent / "out"
    result = cli_run("run", proposed, "--out", out, "--no-progress")
    assert result.exit_code == 0, result.stderr
    texts = released_texts(out / "soudan")
    assert "soudan.csv" in texts
    assert leaks([*texts.values(), result.stdout, result.stderr], (*PLANTED, *ADDRESSES)) == []


def test_the_proposal_also_protects_held_out_rows(proposed):
    """The proposal is judged on people it never saw: same layout, other values. Three
    residents cannot make a class of five, so nothing is released — and the refusal, too,
    holds none of their values."""
    write_csv(proposed.parent / "in.csv", HELD_OUT, "cp932")
    out = proposed.parent / "out"
    result = cli_run("run", proposed, "--out", out, "--no-progress")
    assert result.exit_code == 1, result.stderr
    assert "kanonymity: no transformation satisfies k=5" in result.stderr
    assert not (out / "soudan").exists()
    texts = released_texts(out)
    assert set(texts) == {"soudan.refused.json", "soudan.refused.html"}
    assert leaks([*texts.values(), result.stdout, result.stderr], HELD_OUT_PLANTED) == []


def test_init_refuses_to_overwrite_without_force(proposed):
    proposed.write_text("# edited by the steward\n", encoding="utf-8")
    result = _init(proposed.parent / "in.csv", proposed)
    assert result.exit_code == 2
    assert f"{proposed}: already exists; use --force to overwrite" in result.stderr
    assert proposed.read_text(encoding="utf-8") == "# edited by the steward\n"
    assert _init(proposed.parent / "in.csv", proposed, "--force").exit_code == 0
    assert load_pipeline(proposed).name == "soudan"


def test_init_name_and_relative_input_path(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "pipelines").mkdir()
    write_csv(tmp_path / "data" / "in.csv", INIT_ROWS)
    result = _init(
        tmp_path / "data" / "in.csv",
        tmp_path / "pipelines" / "x.yaml",
        "--name",
        "kunitachi-soudan",
    )
    assert result.exit_code == 0, result.stderr
    spec = load_pipeline(tmp_path / "pipelines" / "x.yaml")
    assert spec.name == "kunitachi-soudan" and spec.input.path == "../data/in.csv"
    assert spec.output.file == "kunitachi-soudan.csv"


def test_init_missing_input_exit_2(tmp_path):
    result = _init(tmp_path / "nope.csv", tmp_path / "p.yaml")
    assert result.exit_code == 2 and "nope.csv: file not found" in result.stderr
    assert not (tmp_path / "p.yaml").exists()


def test_init_help_has_an_example():
    result = cli_run("init", "--help")
    assert result.exit_code == 0 and "anonymizer init samples/" in result.stdout


def test_a_column_kept_as_it_is_is_rescanned_on_every_value_and_dropped_if_personal(tmp_path):
    """The gate re-scans every distinct value of a column released as it is: a name in one
    row of 600 (beyond any sample) would refuse the release, so init drops the column."""
    rows = [{"区分": ["福祉", "子育て", "税"][i % 3], "件数": str(i % 7)} for i in range(600)]
    rows[599]["区分"] = "山田太郎様より"
    write_csv(tmp_path / "in.csv", rows)
    result = _init(tmp_path / "in.csv", tmp_path / "p.yaml", "--sample", "50")
    assert result.exit_code == 0, result.stderr
    spec = load_pipeline(tmp_path / "p.yaml")
    assert spec.columns["区分"].operator_calls() == [("drop", {})]
    assert spec.columns["件数"].operator_calls() == [("keep", {})]
    assert "山田" not in (tmp_path / "p.yaml").read_text(encoding="utf-8")


def test_without_metadata_init_writes_placeholders_that_the_gate_refuses(tmp_path):
    write_csv(tmp_path / "in.csv", INIT_ROWS)
    assert _init(tmp_path / "in.csv", tmp_path / "p.yaml").exit_code == 0
    spec = load_pipeline(tmp_path / "p.yaml")
    assert spec.metadata.publisher == "（要記入）" and spec.metadata.municipality_code == "000001"
    check = publication_check(spec, tmp_path / "in.csv", str(tmp_path / "p.yaml"))
    assert not check.passed and check.data["problems"] == {
        "metadata.title": "equals_input_file",
        "metadata.publisher": "placeholder",
        "metadata.municipality_code": "unknown_code",
    }
    proposal = (tmp_path / "p.yaml").read_text(encoding="utf-8")
    assert "# to fill in: the publishing municipality and department" in proposal


def test_metadata_file_and_options_end_up_in_the_proposal(tmp_path):
    """A city keeps its metadata in a file once; options override it. Values are quoted
    safely (a colon, a quote, a #, a line separator)."""
    write_csv(tmp_path / "in.csv", INIT_ROWS)
    (tmp_path / "city.yaml").write_text(
        "title: 使われないタイトル\n"
        "publisher: 国立市 市民協働推進課\n"
        'municipality_code: "13215"\n'
        "license: PDL-1.0\n"
        "contact: 'shimin@city.kunitachi.example # 内線 123'\n"
        "keywords: [住民相談, 'a: \"b\"']\n",
        encoding="utf-8",
    )
    title = '住民相談記録: "2024年度" # 速報\u2028第1版'
    result = _init(
        tmp_path / "in.csv", tmp_path / "p.yaml", "--metadata", tmp_path / "city.yaml",
        "--title", title, "--municipality-code", "132152", "--description", "説明: テスト用",
    )
    assert result.exit_code == 0, result.stderr
    meta = load_pipeline(tmp_path / "p.yaml").metadata
    assert meta.title == title and meta.description == "説明: テスト用"
    assert meta.publisher == "国立市 市民協働推進課" and meta.license == "PDL-1.0"
    assert meta.municipality_code == "132152"
    assert meta.contact == "shimin@city.kunitachi.example # 内線 123"
    assert meta.keywords == ("住民相談", 'a: "b"')
    text = (tmp_path / "p.yaml").read_text(encoding="utf-8")
    assert "要記入" not in text.split("\nmetadata:\n")[1]


def test_options_alone_fill_the_metadata_and_pass_the_check(tmp_path):
    write_csv(tmp_path / "in.csv", INIT_ROWS)
    flags = (*METADATA_FLAGS, "--license", "PDL-1.0")
    result = _init(tmp_path / "in.csv", tmp_path / "p.yaml", *flags)
    assert result.exit_code == 0, result.stderr
    spec = load_pipeline(tmp_path / "p.yaml")
    assert (spec.metadata.title, spec.metadata.publisher, spec.metadata.license) == (
        "テストデータ", "国立市 テスト課", "PDL-1.0"
    )
    assert publication_check(spec, tmp_path / "in.csv", str(tmp_path / "p.yaml")).passed


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title: x\nissuer: 国立市\n", "city.yaml: issuer: Extra inputs are not permitted"),
        ("municipality_code: 132152\n", "municipality_code: write it quoted"),
        ('municipality_code: "000001"\n', "municipality_code: 000001 is not"),
        ('municipality_code: "132151"\n', "municipality_code: check digit"),
        ("license: CC0\n", "city.yaml: license:"),
        ("title: [x\n", "city.yaml: line 2: did not find expected"),
    ],
)
def test_a_bad_metadata_file_exits_2_naming_the_file_and_key(tmp_path, content, message):
    write_csv(tmp_path / "in.csv", INIT_ROWS)
    (tmp_path / "city.yaml").write_text(content, encoding="utf-8")
    result = _init(tmp_path / "in.csv", tmp_path / "p.yaml", "--metadata", tmp_path / "city.yaml")
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert f"{tmp_path / 'city.yaml'}: " in result.stderr
    assert not (tmp_path / "p.yaml").exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("000001", "--municipality-code: 000001 is not a 全国地方公共団体コード"),
        ("13124", "--municipality-code: 13124 is not a 全国地方公共団体コード"),
        ("132151", "--municipality-code: check digit does not match"),
        ("１３２１５２", "--municipality-code: 5 or 6 digits"),
    ],
)
def test_an_unknown_municipality_code_exits_2_naming_the_option(tmp_path, code, message):
    write_csv(tmp_path / "in.csv", INIT_ROWS)
    result = _init(tmp_path / "in.csv", tmp_path / "p.yaml", "--municipality-code", code)
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert not (tmp_path / "p.yaml").exists()


def test_unknown_birth_dates_are_generalized_with_the_rest_not_dropped(tmp_path):
    """不明 in a birth-date column is a missing value (rules/missing.yaml) for the proposal as
    for the run: init proposes the column's generalization (not a drop), and the run releases
    the unknown birth dates as an empty value, in a class counted like any other."""
    import random

    rng = random.Random(8)
    rows = [
        {"生年月日": "不明" if i % 10 == 0 else f"19{rng.randint(40, 99)}/{rng.randint(1, 12)}/{rng.randint(1, 28)}",
         "性別": "男" if i % 2 else "女"}
        for i in range(240)
    ]  # fmt: skip
    spec = _init_and_run(tmp_path, rows)
    assert spec.columns["生年月日"].operator_calls()[0][0] == "generalize"
    import pandas as pd

    (out,) = (tmp_path / "out" / spec.name).glob("*.csv")
    released = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if "生年月日" in released.columns:  # the search may also remove the column: both are safe
        assert (released["生年月日"] == "").sum() in (0, 24) or (released["生年月日"] == "").sum() >= 5
        assert "不明" not in set(released["生年月日"])


def test_init_pairs_a_name_held_in_two_columns_and_the_default_release_passes(tmp_path):
    """申請者姓 / 申請者名: init marks each column's name_part, and a kept school name that
    contains a family name of the table (市立上杉小学校) is no one's name: the default release
    passes (before name_part, every 上杉 in it was refused as a raw value)."""
    import random

    rng = random.Random(5)
    family = ["上杉", "山田", "佐藤", "中村", "小林", "加藤"]
    given = ["翔太", "花子", "健一", "美咲", "大輔", "陽菜"]
    rows = [
        {"申請者姓": rng.choice(family), "申請者名": rng.choice(given),
         "性別": rng.choice(["男", "女"]), "学校名": rng.choice(["市立上杉小学校", "市立東小学校"])}
        for _ in range(240)
    ]  # fmt: skip
    spec = _init_and_run(tmp_path, rows)
    assert spec.columns["申請者姓"].name_part == "family"
    assert spec.columns["申請者名"].name_part == "given"
    assert spec.name_pairs() == [("申請者姓", "申請者名")]
    texts = released_texts(tmp_path / "out" / spec.name)
    assert leaks(texts.values(), [f + g for f in family for g in given]) == []


def _init_and_run(tmp_path: Path, rows: list[dict[str, str]]):  # type: ignore[no-untyped-def]
    """``init`` (fast, the publication metadata only) then ``run`` on ``rows``: both exit 0."""
    src = write_csv(tmp_path / "in.csv", rows)
    pipeline = tmp_path / "p.yaml"
    res = cli_run("init", src, "-o", pipeline, "--mode", "fast", *METADATA_FLAGS)
    assert res.exit_code == 0, res.output
    run = cli_run("run", pipeline, "--out", tmp_path / "out", "--no-progress")
    assert run.exit_code == 0, run.stderr
    return load_pipeline(pipeline)


def test_a_vendor_export_with_codes_for_headers_is_measured_on_sex_and_age(tmp_path):
    """項目1…: no header rule knows a column, so its values say what it is. A person's sex and
    age kept as they came would split the released classes without being measured; read by
    their values they are quasi-identifiers, and every released class over them holds k."""
    import random

    import pandas as pd

    rng = random.Random(11)
    rows = [
        {"項目1": f"{rng.choice(['山田', '佐藤', '中村'])}　{rng.choice(['花子', '健一', '美咲'])}",
         "項目2": rng.choice(["男", "女"]), "項目3": str(rng.randint(65, 99)),
         "項目4": rng.choice(["要介護1", "要介護2", "要支援1"])}
        for _ in range(400)
    ]  # fmt: skip
    spec = _init_and_run(tmp_path, rows)
    (step,) = spec.steps
    assert {"項目2": "flat", "項目3": "age_5y"}.items() <= step.params()["qis"].items()
    assert spec.columns["項目4"].role == "sensitive"
    released = pd.read_csv(next((tmp_path / "out" / spec.name).glob("*.csv")), dtype=str)
    qis = [c for c in ("項目2", "項目3") if c in released.columns]
    assert qis  # not both removed
    assert released.fillna("").groupby(qis).size().min() >= 5


def test_a_repeat_visitor_counts_once_when_no_column_identifies_persons(tmp_path):
    """A consultation log without 宛名番号: one resident's five visits in one month share every
    quasi-identifier. Counted in rows that is a class of 5 — one person singled out; init counts
    persons by name, so the release holds no class of fewer than 5 persons."""
    import random

    import pandas as pd

    rng = random.Random(7)
    people = [
        (f"{rng.choice(['山田', '佐藤', '中村', '小林', '加藤', '吉田'])}　{g}{i}",
         rng.choice(["男", "女"]), str(rng.randint(30, 80)))
        for i, g in enumerate(["花子", "健一", "美咲", "大輔", "陽菜"] * 30)
    ]  # fmt: skip
    rows = [{"氏名": n, "性別": s, "年齢": a, "受付月": "2024-05"} for n, s, a in people]
    n, s, a = people[0]
    rows += [{"氏名": n, "性別": s, "年齢": "104", "受付月": "2024-06"}] * 5  # one person
    spec = _init_and_run(tmp_path, rows)
    assert spec.person_column == "氏名"
    released = pd.read_csv(next((tmp_path / "out" / spec.name).glob("*.csv")), dtype=str)
    qis = [c for c in ("性別", "年齢", "受付月") if c in released.columns]
    visits = released.fillna("").groupby(qis).size()
    # the centenarian's five June visits are not released as a class of their own
    assert not any(("2024-06" in key if isinstance(key, tuple) else key == "2024-06")
                   and size == 5 for key, size in visits.items())
