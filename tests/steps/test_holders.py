"""The ``holders`` step: a register of 営業許可 whose holders are corporations (released in full)
or individuals (name → label, home address → municipality), and nothing in between.

Registers are written in tmp_path from invented people (gimei's name lists, drawn with a
seeded generator), real 町 of 国立市 and 法人番号 made with the project's check digit; the
shipped pipeline (pipelines/eigyo_kyoka.yaml) runs over them through the real CLI.
"""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path
from typing import Any

import gimei
import pandas as pd
import pytest
import yaml

from anonymizer.match import fold_key
from anonymizer.errors import ConfigError, InputError
from anonymizer.pipeline.spec import load_pipeline
from anonymizer.recognizers.ja.corporate_number import corporate_check_digit
from anonymizer.steps import StepContext, build_step
from anonymizer.steps._corporate import CORPORATION, INDIVIDUAL, Classifier, LegalForm
from tests.pipeline.conftest import cli_run, leaks, released_texts, write_csv, write_pipeline
from tests.report._html import parse

PIPELINE = Path(__file__).resolve().parents[2] / "pipelines" / "eigyo_kyoka.yaml"
HEADER = [
    "許可番号",
    "営業者氏名又は名称",
    "法人番号",
    "営業者住所",
    "施設の名称",
    "施設所在地",
    "業種",
    "許可年月日",
    "有効期限",
]
TOWNS = ["青柳", "石田", "泉", "北", "中", "西", "東", "富士見台", "谷保", "矢川"]
TRADES = ["飲食店営業", "菓子製造業", "食肉販売業", "魚介類販売業", "喫茶店営業"]
SHOPS = [
    "喫茶 さくら",
    "ラーメン 龍門",
    "定食 ひまわり",
    "パン工房 こむぎ",
    "居酒屋 つばめ",
    "甘味処 あおば",
]


def corporate_number(seed: int, style: str = "plain") -> str:
    """A valid 法人番号 (check digit first), written plain, 全角 or grouped 1-4-4-4."""
    base = f"{(seed * 7_919_003 + 1_234_567) % 10**12:012d}"
    digits = f"{corporate_check_digit(base)}{base}"
    if style == "zenkaku":
        return digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if style == "grouped":
        return f"{digits[0]}-{digits[1:5]}-{digits[5:9]}-{digits[9:]}"
    return digits


def invalid_number(seed: int) -> str:
    good = corporate_number(seed)
    return f"{(int(good[0]) % 9) + 1}{good[1:]}"  # another leading digit: the check fails


CORPORATE_FORMS = [
    "株式会社{s}商店",
    "{s}フーズ株式会社",
    "㈱{s}食品",
    "（株）{s}製菓",
    "有限会社{s}屋",
    "合同会社{s}キッチン",
    "特定非営利活動法人くにたち{s}の会",
    "社会福祉法人{s}会",
    "一般社団法人{s}協会",
]


def register(
    individuals: int = 8, corporations: int = 8, seed: int = 18
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(rows, individuals' canaries): every second row an individual, the others corporations.

    Individuals' names are full gimei names (姓 名) and their homes lie at 番地 no facility
    has (21–40), so a canary found in the release can only be a leak."""
    rng = random.Random(seed)
    names = gimei.Gimei.NAMES
    surnames = [s[0] for s in names["last_name"]]
    firsts = [f[0] for g in ("male", "female") for f in names["first_name"][g]]
    rows: list[dict[str, str]] = []
    people: list[dict[str, str]] = []
    used: set[str] = set()
    for i in range(individuals + corporations):
        town = rng.choice(TOWNS)
        permit = {
            "許可番号": f"第R06-{100 + i:05d}号",
            "施設所在地": f"東京都国立市{town}{rng.randint(1, 3)}丁目"
            f"{rng.randint(1, 20)}番{rng.randint(1, 15)}号",
            "業種": rng.choice(TRADES),
            "許可年月日": f"2024-{rng.randint(4, 12):02d}-01",
            "有効期限": "2030-03-31",
        }
        if i % 2 == 0 and len(people) < individuals or len(rows) - len(people) >= corporations:
            while (name := f"{rng.choice(surnames)} {rng.choice(firsts)}") in used:
                pass
            used.add(name)
            city = (
                "東京都府中市宮西町" if len(people) % 4 == 3 else f"東京都国立市{rng.choice(TOWNS)}"
            )
            home = f"{city}{rng.randint(1, 3)}-{rng.randint(21, 40)}-{rng.randint(1, 9)}"
            people.append({"name": name, "home": home})
            rows.append(
                {
                    **permit,
                    "営業者氏名又は名称": name,
                    "法人番号": "",
                    "営業者住所": home,
                    "施設の名称": rng.choice(SHOPS),
                }
            )
        else:
            k = len(rows) - len(people)
            surname = rng.choice(surnames)
            style = ("plain", "zenkaku", "grouped")[k % 3]
            rows.append(
                {
                    **permit,
                    "営業者氏名又は名称": CORPORATE_FORMS[k % len(CORPORATE_FORMS)].format(
                        s=surname
                    ),
                    "法人番号": corporate_number(i, style),
                    "営業者住所": f"東京都立川市曙町2丁目{k + 1}番1号",
                    "施設の名称": f"{surname}商店 国立店",
                }
            )
    return [{h: r[h] for h in HEADER} for r in rows], people


def canaries(people: list[dict[str, str]]) -> list[str]:
    """Each individual's name (as written, without the space) and home address."""
    return [v for p in people for v in (p["name"], p["name"].replace(" ", ""), p["home"])]


def shipped(input_path: str = "in.csv") -> dict[str, Any]:
    spec = yaml.safe_load(PIPELINE.read_text(encoding="utf-8"))
    spec["input"]["path"] = input_path
    return spec


def run(tmp_path: Path, rows: list[dict[str, str]], spec: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    write_csv(tmp_path / "in.csv", rows, encoding="utf-8-sig")
    write_pipeline(tmp_path / "p.yaml", spec or shipped())
    return cli_run("run", tmp_path / "p.yaml", "--out", tmp_path / "out", "--no-progress")


def released(tmp_path: Path) -> pd.DataFrame:
    return pd.read_csv(
        tmp_path / "out" / "eigyo-kyoka" / "eigyo_kyoka.csv",
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
    )


# -- classification -------------------------------------------------------------------------

VALID = corporate_number(1)


@pytest.mark.parametrize(
    ("name", "number", "kind"),
    [
        ("株式会社山田商店", VALID, CORPORATION),  # 法人格 before
        ("山田商店株式会社", VALID, CORPORATION),  # and after
        ("株式会社　山田商店", VALID, CORPORATION),  # 全角 space
        ("㈱山田商店", VALID, CORPORATION),
        ("(株)山田商店", VALID, CORPORATION),
        ("山田商店（株）", VALID, CORPORATION),
        ("㈲鈴木屋", VALID, CORPORATION),
        ("株式会社山田商店", corporate_number(1, "zenkaku"), CORPORATION),
        ("株式会社山田商店", corporate_number(1, "grouped"), CORPORATION),
        (
            "株式会社山田商店",
            corporate_number(1, "grouped").replace("-", "\u2212"),
            CORPORATION,
        ),  # minus sign
        ("株式会社山田商店", f" {VALID} ", CORPORATION),
        ("特定非営利活動法人くにたち子ども食堂", VALID, CORPORATION),
        ("NPO法人くにたち子ども食堂", VALID, CORPORATION),
        ("ＮＰＯ法人くにたち子ども食堂", VALID, CORPORATION),  # 全角 letters
        ("くにたち子ども食堂（ＮＰＯ）", VALID, CORPORATION),
        ("医療法人社団高橋会", VALID, CORPORATION),
        ("(一社)国立料飲組合", VALID, CORPORATION),
        ("社会福祉法人くにたち福祉会", VALID, CORPORATION),
        ("国立市農業協同組合", VALID, CORPORATION),  # 協同組合 inside a longer word
        ("日本給食 合同会社", VALID, CORPORATION),
        ("山田 太郎", "", INDIVIDUAL),
        ("ヤマダ　タロウ", "", INDIVIDUAL),
        ("有田 誠", "", INDIVIDUAL),  # 有 is no 法人格 without its brackets
        ("株本 健", "", INDIVIDUAL),
        ("宗像 学", None, INDIVIDUAL),
        ("合田 学", "", INDIVIDUAL),
        ("有限会社鈴木屋", invalid_number(1), "invalid_number"),
        ("有限会社鈴木屋", "", "form_without_number"),
        ("有限会社鈴木屋", None, "form_without_number"),
        ("山田 太郎", VALID, "number_without_form"),  # a number, no 法人格
        ("山田 太郎", "123", "invalid_number"),
        ("株式会社山田商店", f"T{VALID}", "invalid_number"),  # an invoice number is not one
        ("株式会社山田商店", VALID[:12], "invalid_number"),
        ("株式会社山田商店", f"{VALID}0", "invalid_number"),
        ("", "", "empty_name"),
        (None, VALID, "empty_name"),
        ("　", "", "empty_name"),
    ],
)
def test_classification(name, number, kind):
    got = Classifier().classify(
        pd.Series([name], dtype="string"), pd.Series([number], dtype="string")
    )
    assert got.tolist() == [kind]


def test_an_abbreviation_must_be_bracketed():
    with pytest.raises(ValueError, match="not in brackets"):
        LegalForm(word="株式会社", abbreviations=("株",))
    assert LegalForm(word="株式会社", abbreviations=("㈱", "（株）")).abbreviations


# -- the step alone ---------------------------------------------------------------------------

ROLES = {c: "other" for c in HEADER} | {
    "営業者氏名又は名称": "direct_identifier",
    "営業者住所": "direct_identifier",
}


def step(**params: Any):  # type: ignore[no-untyped-def]
    base = {
        "name": "営業者氏名又は名称",
        "corporate_number": "法人番号",
        "personal": ["営業者住所"],
    }
    return build_step("holders", base | params, "p.yaml: steps[0]")


def context(roles: dict[str, str] = ROLES) -> StepContext:
    return StepContext("eigyo-kyoka", Path("p.yaml"), "食品等営業許可一覧", roles)


def frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, dtype="string")


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"colour": "red"}, "colour"),
        ({"personal": ["営業者氏名又は名称"]}, "more than once"),
        ({"address": "address_prefecture"}, "address"),
        ({"class_column": "法人番号"}, "class_column"),
        ({"individual_label": ""}, "individual_label"),
    ],
)
def test_parameters_are_checked_before_any_data(params, where):
    with pytest.raises(ConfigError, match=where):
        step(**params)


@pytest.mark.parametrize(
    ("address", "expected"),
    [("address_city", "東京都国立市"), ("address_town", "東京都国立市富士見台"), ("drop", "")],
)
def test_an_individual_is_protected_and_a_corporation_kept(address, expected):
    rows = [
        {
            **dict.fromkeys(HEADER, "x"),
            "営業者氏名又は名称": "山田 太郎",
            "法人番号": "",
            "営業者住所": "東京都国立市富士見台2-21-3",
        },
        {
            **dict.fromkeys(HEADER, "x"),
            "営業者氏名又は名称": "株式会社山田商店",
            "法人番号": VALID,
            "営業者住所": "東京都立川市曙町2丁目1番1号",
        },
    ]
    res = step(address=address, class_column="営業者区分", individual_label="個人営業").run(
        frame(rows), context()
    )
    out = res.frame.fillna("")
    assert list(out.columns[:3]) == ["許可番号", "営業者氏名又は名称", "営業者区分"]
    assert out["営業者氏名又は名称"].tolist() == ["個人営業", "株式会社山田商店"]
    assert out["営業者区分"].tolist() == ["個人", "法人"]
    assert out["営業者住所"].tolist() == [expected, "東京都立川市曙町2丁目1番1号"]
    assert out["法人番号"].tolist() == ["", VALID]
    assert {c: p.rows.tolist() for c, p in res.public.items()} == {
        "営業者氏名又は名称": [False, True],
        "法人番号": [False, True],
        "営業者住所": [False, True],
    }
    assert res.report["corporations"] == 1 and res.report["individuals"] == 1
    assert [(c.name, c.passed) for c in res.checks] == [("holders", True)]
    assert "山田" not in json.dumps(res.report, ensure_ascii=False).replace("株式会社山田商店", "")


def test_the_steps_own_check_rederives_the_release():
    rows = [
        {
            **dict.fromkeys(HEADER, "x"),
            "営業者氏名又は名称": "山田 太郎",
            "法人番号": "",
            "営業者住所": "東京都国立市中1-21-3",
        },
        {
            **dict.fromkeys(HEADER, "x"),
            "営業者氏名又は名称": "株式会社山田商店",
            "法人番号": VALID,
            "営業者住所": "東京都立川市曙町2丁目1番1号",
        },
    ]
    holders = step()
    res = holders.run(frame(rows), context())
    assert res.checks[0].passed
    tampered = res.frame.copy()
    tampered.loc[0, "営業者氏名又は名称"] = "山田 太郎"  # an individual's name left in
    tampered.loc[0, "営業者住所"] = "東京都国立市中1-21-3"  # and the home address
    tampered.loc[1, "法人番号"] = invalid_number(1)  # a public row that is no corporation
    check = holders.check(tampered, res.public)
    assert not check.passed
    assert check.data["problems"] == {
        "public_not_corporation": {"cells": 1, "rows": [2]},
        "name_not_label": {"cells": 1, "rows": [1]},
        "personal:営業者住所": {"cells": 1, "rows": [1]},
    }
    assert "山田" not in check.detail and "中1" not in check.detail


def test_a_label_that_reads_as_a_corporation_is_refused_before_any_data():
    with pytest.raises(ConfigError, match="individual_label must not contain a 法人格"):
        step(individual_label="個人（株）").preflight(PIPELINE)


def test_a_broken_rules_file_names_its_path(tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "corporate.yaml").write_text(
        "version: 1\nforms:\n  - {word: 株式会社, abbreviations: [株]}\n", encoding="utf-8"
    )
    monkeypatch.setenv("ANONYMIZER_RULES", str(rules))
    with pytest.raises(
        ConfigError, match=r"corporate\.yaml: forms\[0\]\.abbreviations: .*not in brackets"
    ):
        step().preflight(PIPELINE)


def test_the_name_and_personal_columns_must_be_direct_identifiers():
    rows = [{**dict.fromkeys(HEADER, "x"), "営業者氏名又は名称": "山田 太郎", "法人番号": ""}]
    with pytest.raises(ConfigError, match="営業者住所 must be declared role: direct_identifier"):
        step().run(frame(rows), context(ROLES | {"営業者住所": "other"}))


def test_an_individuals_address_the_gazetteer_cannot_place_stops_the_run():
    rows = [
        {
            **dict.fromkeys(HEADER, "x"),
            "営業者氏名又は名称": "山田 太郎",
            "法人番号": "",
            "営業者住所": "どこか遠く",
        }
    ]
    with pytest.raises(InputError) as exc:
        step().run(frame(rows), context())
    assert "'営業者住所'" in exc.value.message and "(data row 1)" in exc.value.message
    assert "どこか" not in exc.value.message


# -- through the CLI ----------------------------------------------------------------------------


def test_the_shipped_pipeline_declares_the_step():
    spec = load_pipeline(PIPELINE)
    assert spec.input.path == "../samples/city/eigyo_kyoka.csv"
    assert [s.type for s in spec.steps] == ["holders"]
    assert list(spec.columns) == HEADER
    assert (
        spec.metadata.title == "食品等営業許可一覧" and spec.metadata.municipality_code == "132152"
    )
    build_step("holders", spec.steps[0].params(), "steps[0]")


def test_a_register_is_released_with_no_individual_left_in_any_file(tmp_path):
    rows, people = register()
    result = run(tmp_path, rows)
    assert result.exit_code == 0, result.stderr
    release = tmp_path / "out" / "eigyo-kyoka"
    texts = released_texts(release)
    assert "eigyo_kyoka.csv" in texts and "report.html" in texts
    internal = released_texts(tmp_path / "out" / "eigyo-kyoka.internal")
    everything = [*texts.values(), *internal.values(), result.stdout, result.stderr]
    assert leaks(everything, canaries(people)) == []

    out = released(tmp_path)
    corps = [r for r in rows if r["法人番号"]]
    kept = out[out["営業者区分"] == "法人"]
    # corporations released as they came: name, number as written, head-office address
    assert kept["営業者氏名又は名称"].tolist() == [r["営業者氏名又は名称"] for r in corps]
    assert kept["法人番号"].tolist() == [r["法人番号"] for r in corps]
    assert kept["営業者住所"].tolist() == [r["営業者住所"] for r in corps]
    indiv = out[out["営業者区分"] == "個人"]
    assert len(indiv) == len(people) and set(indiv["営業者氏名又は名称"]) == {"個人"}
    assert set(indiv["営業者住所"]) == {"東京都国立市", "東京都府中市"}
    assert indiv["法人番号"].eq("").all()
    # the facility is what the register publishes
    assert out["施設所在地"].tolist() == [r["施設所在地"] for r in rows]

    report = json.loads(texts["report.json"])
    assert report["steps"][0] | {"protected": None} == {
        "type": "holders",
        "corporations": len(corps),
        "individuals": len(people),
        "individual_label": "個人",
        "address": "address_city",
        "protected": None,
    }
    checks = {c["name"]: c for c in report["gate"]["checks"]}
    assert all(c["passed"] for c in checks.values())
    # what the re-scan finds in corporations' cells (a head office's address; a surname in a
    # trade name) is counted with the reason, not refused: they are public
    public = checks["rescan"]["data"]["public"]
    assert checks["rescan"]["passed"] and not checks["rescan"]["data"]["findings"]
    assert all(d["cells"] >= 1 and "国税庁" in d["reason"] for d in public.values())
    assert checks["holders"]["data"] == {
        "corporations": len(corps),
        "individuals": len(people),
        "problems": {},
    }
    assert {a["measure"]: a["status"] for a in report["appi"]}["1"] == "done"
    figures = {tuple(path): text for path, _, text in parse(texts["report.html"]).figures}
    assert figures[("steps", 0, "corporations")] == str(len(corps))
    assert figures[("steps", 0, "individuals")] == str(len(people))


def test_flagged_rows_stop_the_run_naming_rows_and_columns_never_values(tmp_path):
    rows, people = register()
    rows[2] = {
        **rows[2],
        "営業者氏名又は名称": "有限会社カナリア屋",
        "法人番号": invalid_number(7),
    }  # row 3
    rows[6] = {**rows[6], "営業者氏名又は名称": "有限会社ツグミ屋", "法人番号": ""}  # row 7
    rows[8] = {**rows[8], "法人番号": corporate_number(99)}  # row 9: a person with a number
    result = run(tmp_path, rows)
    assert result.exit_code == 2
    err = result.stderr
    assert "[E003]" in err and "3 of 16 row(s) are neither a corporation" in err
    assert (
        "a 法人番号 that is not 13 digits with a valid check digit ('法人番号'): 1 row(s) (row 4 (data row 3))"
        in err
    )
    assert (
        "a 法人格 in the name but no 法人番号 ('営業者氏名又は名称', '法人番号'): 1 row(s) (row 8 (data row 7))"
        in err
    )
    assert (
        "a valid 法人番号 but no 法人格 in the name ('営業者氏名又は名称', '法人番号'): "
        "1 row(s) (row 10 (data row 9))" in err
    )
    flagged = ["カナリア", "ツグミ", invalid_number(7), corporate_number(99)]
    assert leaks([err, result.stdout], [*flagged, *canaries(people)]) == []
    assert not (tmp_path / "out" / "eigyo-kyoka").exists()


def test_a_surname_in_a_corporate_name_passes_but_a_smuggled_individual_is_refused(tmp_path):
    rows, people = register()
    corp = next(i for i, r in enumerate(rows) if r["法人番号"])
    rows[corp]["営業者氏名又は名称"] = "有限会社 鈴木屋"  # 鈴木 reads as a surname
    indiv = next(i for i, r in enumerate(rows) if not r["法人番号"])
    name = people[0]["name"]
    # the individual's own name inside the facility's name, without its space
    rows[indiv]["施設の名称"] = f"{name.replace(' ', '')}の店"
    result = run(tmp_path, rows)
    assert result.exit_code == 1, result.stderr
    refusal = json.loads(
        (tmp_path / "out" / "eigyo-kyoka.refused.json").read_text(encoding="utf-8")
    )
    checks = {c["name"]: c for c in refusal["gate"]["checks"]}
    assert checks["rescan"]["passed"], checks["rescan"]["detail"]
    # 有限会社 鈴木屋: an organisation (its 鈴木 is no person), in a public cell besides
    assert "営業者氏名又は名称" not in checks["rescan"]["data"]["findings"]
    assert not checks["raw_values"]["passed"]
    assert checks["raw_values"]["data"]["problems"] == {
        "施設の名称": {"cells": 1, "rows": [indiv + 1], "from_columns": ["営業者氏名又は名称"]}
    }
    texts = [p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*.refused.*")]
    assert leaks([*texts, result.stderr, result.stdout], canaries(people)) == []


def test_a_shop_in_the_home_is_generalized_with_home_in_and_refused_without(tmp_path):
    rows, people = register()
    indiv = next(i for i, r in enumerate(rows) if not r["法人番号"])
    home = rows[indiv]["営業者住所"]  # a shop in the home: the home address would be published
    rows[indiv]["施設所在地"] = unicodedata.normalize("NFKC", home).replace("-", "－") + " 1階"
    # the shipped pipeline lists 施設所在地 under home_in: that cell is cut like the home
    result = run(tmp_path, rows)
    assert result.exit_code == 0, result.stderr
    out = released(tmp_path)
    assert out.loc[indiv, "施設所在地"] == out.loc[indiv, "営業者住所"]
    assert all(fold_key(home) not in fold_key(v) for v in out["施設所在地"])
    # without home_in, the gate finds the home address in the facility's cell and refuses
    spec = shipped()
    spec["steps"][0].pop("home_in")
    result = run(tmp_path / "bare" if (tmp_path / "bare").mkdir() is None else tmp_path, rows, spec)
    assert result.exit_code == 1
    assert "raw_values: raw identifier values remain: 施設所在地 (1 cells, values of 営業者住所)" in result.stderr
    assert home not in result.stderr


def test_without_the_step_the_register_is_refused(tmp_path):
    """The same declarations with no holders step: every name and home address would go out."""
    rows, _ = register()
    spec = shipped()
    spec["steps"] = []
    result = run(tmp_path, rows, spec)
    assert result.exit_code == 1
    assert "raw_values: raw identifier values remain: 営業者氏名又は名称" in result.stderr
