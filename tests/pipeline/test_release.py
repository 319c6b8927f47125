"""Writing a release: deterministic CSV bytes, CSV-injection neutralised, atomic directory."""

from __future__ import annotations

import pandas as pd
import pytest

from anonymizer.errors import UsageError
from anonymizer.pipeline.release import ReleaseWriter, csv_bytes, neutralize_formulas
from tests.pipeline.conftest import RELEASED, ROWS, base_pipeline, leftovers, visible


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("=1+1", "'=1+1"),
        ("+81…", "'+81…"),
        ("+81 3-0000-0000", "'+81 3-0000-0000"),
        ("-1+2", "'-1+2"),
        ("@x", "'@x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        # plain numbers stay numbers
        ("-5", "-5"),
        ("+3.2", "+3.2"),
        ("-0.5", "-0.5"),
        ("-.5", "-.5"),
        ("+1e5", "+1e5"),
        ("-12.", "-12."),
        # not at the start, or not a trigger character
        ("a=b", "a=b"),
        ("1-2", "1-2"),
        ("メール@", "メール@"),
        ("'=x", "'=x"),
        ("", ""),
    ],
)
def test_neutralize_formulas(cell, expected):
    frame = pd.DataFrame({"c": pd.array([cell], dtype="string")})
    out, changed = neutralize_formulas(frame)
    assert out["c"].iloc[0] == expected
    assert changed == int(cell != expected)


def test_neutralize_counts_over_columns_and_keeps_missing_cells():
    frame = pd.DataFrame(
        {
            "a": pd.array(["=1", None, "-5"], dtype="string"),
            "b": pd.array(["@x", "+1", "ok"], dtype="string"),
        }
    )
    out, changed = neutralize_formulas(frame)
    assert changed == 2
    assert out["a"].tolist() == ["'=1", pd.NA, "-5"]
    assert out["b"].tolist() == ["'@x", "+1", "ok"]
    assert frame["a"].iloc[0] == "=1"  # the input frame is not modified


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"地区": pd.array(["0012", None, "国立"], dtype="string"), "件数": ["1", "", "3"]}
    )


def test_csv_bytes_default_is_utf8_bom_crlf_and_empty_for_missing():
    data = csv_bytes(_frame(), "utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "地区,件数\r\n0012,1\r\n,\r\n国立,3\r\n"
    assert csv_bytes(_frame(), "utf-8") == data[3:]


def test_csv_bytes_cp932():
    data = csv_bytes(_frame(), "cp932")
    assert data.decode("cp932") == "地区,件数\r\n0012,1\r\n,\r\n国立,3\r\n"
    assert not data.startswith(b"\xef\xbb\xbf")


def test_csv_bytes_cp932_unencodable_names_the_column_never_the_value():
    frame = pd.DataFrame({"地区": ["国立"], "備考": ["𠮷野さん"]})
    with pytest.raises(UsageError) as exc:
        csv_bytes(frame, "cp932")
    assert "column '備考'" in exc.value.message and "utf-8-sig" in exc.value.message
    assert "𠮷" not in str(exc.value) and "野さん" not in str(exc.value)


def test_release_writer_publishes_by_one_switch(tmp_path):
    out = tmp_path / "out"
    writer = ReleaseWriter(out, "rel", force=False)
    writer.add("a.csv", b"x\r\n")
    assert not (out / "rel").exists()  # nothing visible before commit
    target = writer.commit()
    assert target == out / "rel" and (target / "a.csv").read_bytes() == b"x\r\n"
    assert visible(out) == ["rel"] and (out / "rel").is_symlink()
    with pytest.raises(UsageError, match="a release already exists; use --force"):
        ReleaseWriter(out, "rel", force=False)

    again = ReleaseWriter(out, "rel", force=True)
    again.add("b.csv", b"y\r\n")
    assert (out / "rel" / "a.csv").exists()  # the old release stays until the new one commits
    again.commit()
    assert sorted(p.name for p in (out / "rel").iterdir()) == ["b.csv"]
    assert leftovers(out) == []


def test_release_writer_abort_leaves_nothing(tmp_path):
    writer = ReleaseWriter(tmp_path, "rel", force=False)
    writer.add("a.csv", b"x")
    writer.abort()
    assert list(tmp_path.iterdir()) == []


# -- through a real run -----------------------------------------------------------------


def test_default_release_is_utf8_bom_crlf_with_columns_as_declared(work):
    result = work.setup().run()
    assert result.exit_code == 0, result.stderr
    raw = (work.release / "soudan.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == len(ROWS) + 1 and raw.count(b"\n") == raw.count(b"\r\n")
    assert raw.decode("utf-8-sig").split("\r\n")[0] == ",".join(RELEASED)
    assert list(work.data().columns) == RELEASED


def test_leading_zeros_empty_cells_and_formulas_survive_exactly(work):
    assert work.setup().run().exit_code == 0
    data = work.data()
    assert (
        data["地区コード"].tolist()
        == [r["地区コード"] for r in ROWS]
        == ["0012", "007", "0012", "", "0100", "007"]
    )
    assert data["件数"].tolist() == [r["件数"] for r in ROWS]
    assert data["メモ"].tolist() == ["'=SUM(A1)", "'+81…", "'-1+2", "'@x", "-5", "+3.2"]
    assert data["相談内容"].iloc[4] == ""  # empty free text stays empty
    report = (work.release / "report.json").read_text(encoding="utf-8")
    assert '"formulas_neutralized": 4' in report


def test_cp932_output(work):
    spec = base_pipeline()
    spec["output"]["encoding"] = "cp932"
    assert work.setup(spec).run().exit_code == 0
    raw = (work.release / "soudan.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    assert list(work.data("cp932").columns) == RELEASED
    assert work.data("cp932")["生年月日"].iloc[0] == "70～79歳"


def test_cp932_output_that_cannot_be_encoded_fails_without_leftovers(work):
    spec = base_pipeline()
    spec["output"]["encoding"] = "cp932"
    rows = [dict(r) for r in ROWS]
    rows[5]["メモ"] = "𠮷"  # outside CP932
    result = work.setup(spec, rows).run()
    assert result.exit_code == 2
    assert "column 'メモ'" in result.stderr and "𠮷" not in result.output
    assert not work.release.exists() and leftovers(work.out) == []


def test_same_input_key_and_seed_give_byte_identical_data_files(work):
    assert work.setup().run("--insecure-seed", "7").exit_code == 0
    first = {
        n: (work.release / n).read_bytes()
        for n in ("soudan.csv", "datapackage.json", "metadata.json")
    }
    assert work.run("--insecure-seed", "7", "--force").exit_code == 0
    second = {n: (work.release / n).read_bytes() for n in first}
    assert first == second
    assert leftovers(work.out) == []


def test_no_partial_directory_after_success_or_refusal(work):
    assert work.setup().run().exit_code == 0
    assert leftovers(work.out) == []
    rows = [dict(r, 担当者=r["氏名"]) for r in ROWS]
    spec = base_pipeline()
    spec["name"] = "refused"
    spec["columns"]["担当者"] = {"role": "other", "actions": ["keep"]}
    spec["output"]["columns"].append("担当者")
    work.setup(spec, rows)
    assert work.run().exit_code == 1
    assert leftovers(work.out) == []
    assert visible(work.out) == [
        "refused.refused.html",
        "refused.refused.json",
        "soudan-test",
        "soudan-test.internal",
    ]


def test_microdata_is_written_in_the_order_of_its_released_values():
    """The input's order (by 受付日 to the day) is gone: rows are sorted by what is released,
    an empty cell first; rows that tie are identical."""
    import pandas as pd

    from anonymizer.pipeline.release import in_released_order

    out = pd.DataFrame(
        {"受付日": ["2024年度"] * 4, "年代": ["60-69", "30-39", None, "30-39"],
         "性別": ["女", "男", "女", "女"]},
        index=[10, 11, 12, 13],
    ).astype("string")  # fmt: skip
    got = in_released_order(out)
    assert got.index.tolist() == [12, 13, 11, 10]
    assert got.loc[13].tolist() == ["2024年度", "30-39", "女"]  # rows keep their cells
    assert in_released_order(out.iloc[:0]).empty


def test_a_release_does_not_keep_the_order_of_its_input(tmp_path):
    """受付日 cut to the month: in the input's order the rows of a month still ran by day."""
    import random

    import pandas as pd

    from tests.cli.test_init import _init_and_run

    rng = random.Random(3)
    rows = sorted(
        ({"受付日": f"2024/{m}/{d}", "性別": rng.choice(["男", "女"]),
          "年代": rng.choice(["30代", "40代", "50代"])}
         for m in (4, 5) for d in range(1, 29) for _ in range(3)),
        key=lambda r: tuple(map(int, r["受付日"].split("/"))),
    )  # fmt: skip
    spec = _init_and_run(tmp_path, rows)
    released = pd.read_csv(next((tmp_path / "out" / spec.name).glob("*.csv")), dtype=str)
    keys = released.fillna("")
    assert keys.equals(keys.sort_values(list(keys.columns), kind="stable").reset_index(drop=True))
