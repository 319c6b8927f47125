"""Two purposes: 匿名加工情報 (anonymized, the default) and 仮名加工情報 (pseudonymized).

Under ``anonymized`` a pseudonym is made by person with a per-release key that is never
stored; under ``pseudonymized`` a kept key links releases, so such a release gets no licence
and no open-data metadata and says 仮名加工情報 wherever it is described. The release folder
holds only the public report; nothing of any direct-identifier or free-text input cell may
appear in any of its files but the data file.
"""

from __future__ import annotations

import json
import random

import pytest

from tests.pipeline.conftest import ROWS, Work, base_pipeline, kamei_pipeline, released_texts


def _with_person_ids(ids: list[str]) -> tuple[dict, list[dict[str, str]]]:
    """BASE with a 宛名番号 person column (dropped) holding ``ids`` row by row."""
    spec = base_pipeline()
    spec["columns"] = {"宛名番号": {"role": "direct_identifier", "actions": ["drop"]}, **spec["columns"]}
    spec["person_column"] = "宛名番号"
    rows = [{"宛名番号": i, **r} for i, r in zip(ids, ROWS, strict=True)]
    return spec, rows


def test_pseudonyms_are_by_person_not_by_name(work: Work):
    # rows 0 and 2: 山田 太郎, one person; rows 1 and 5: 佐藤 花子, two people
    spec, rows = _with_person_ids(["P00001", "P00002", "P00001", "P00003", "P00004", "P00005"])
    assert work.setup(spec, rows).run().exit_code == 0
    ids = work.data()["相談者ID"].tolist()
    assert ids[0] == ids[2]  # one person in two rows: one pseudonym
    assert ids[1] != ids[5]  # two persons with one name: two pseudonyms
    assert len(set(ids)) == 5
    assert all(i.startswith("ID-") and i[3:].isalpha() for i in ids)


def test_two_releases_of_the_same_data_share_no_pseudonym(work: Work):
    spec, rows = _with_person_ids(["P00001", "P00002", "P00001", "P00003", "P00004", "P00005"])
    work.setup(spec, rows)
    assert work.run().exit_code == 0
    first = work.data()["相談者ID"].tolist()
    assert work.run("--force").exit_code == 0
    second = work.data()["相談者ID"].tolist()
    assert not set(first) & set(second)
    # linked the same way inside each release
    assert [a == b for a in first for b in first] == [a == b for a in second for b in second]


def test_an_insecure_seed_gives_byte_identical_files_and_is_recorded(work: Work):
    spec, rows = _with_person_ids(["P00001", "P00002", "P00001", "P00003", "P00004", "P00005"])
    work.setup(spec, rows)
    assert work.run("--insecure-seed", "11").exit_code == 0
    data = (work.release / "soudan.csv").read_bytes()
    assert work.run("--force", "--insecure-seed", "11").exit_code == 0
    assert (work.release / "soudan.csv").read_bytes() == data
    manifest = json.loads((work.release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 11 and manifest["pseudonym_key"] == "per_release_insecure_seed"
    assert work.run("--force", "--insecure-seed", "12").exit_code == 0
    assert (work.release / "soudan.csv").read_bytes() != data


def test_a_pseudonymized_release_has_no_open_data_metadata_and_says_so(work: Work):
    assert work.setup(kamei_pipeline()).run().exit_code == 0
    files = sorted(p.name for p in work.release.iterdir())
    assert files == ["manifest.json", "report.html", "report.json", "soudan.csv"]
    manifest = json.loads((work.release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["purpose"] == "pseudonymized" and "仮名加工情報" in manifest["classification"]
    report = json.loads((work.release / "report.json").read_text(encoding="utf-8"))
    assert report["pipeline"]["purpose"] == "pseudonymized"
    html = (work.release / "report.html").read_text(encoding="utf-8")
    assert "仮名加工リスク報告書" in html and "仮名加工情報" in html and "第三者" in html
    assert "CC-BY" not in html and "PDL" not in html
    assert not {"license", "licenses", "metadata"} & set(manifest) and "metadata.json" not in manifest["outputs"]
    # its pseudonyms are by value under the kept key (the same name, the same ID)
    ids = work.data()["相談者ID"].tolist()
    assert ids[1] == ids[5]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda s: s.update(purpose="open"), "purpose"),
        (lambda s: s.pop("person_column"), "pseudonymize under purpose anonymized works by person"),
        (lambda s: s["metadata"].pop("license"), "metadata.license: required for open data"),
        (
            lambda s: s.update(purpose="pseudonymized"),
            "metadata.license: a 仮名加工情報 release (purpose pseudonymized)",
        ),
    ],
)
def test_bad_purposes_exit_2_naming_the_yaml_path(work: Work, change, where):
    spec = base_pipeline()
    change(spec)
    result = work.setup(spec).run()
    assert result.exit_code == 2 and where in result.stderr
    assert not work.release.exists()


def test_a_key_file_under_anonymized_exits_2(work: Work):
    result = work.setup().run("--key-file", work.key)
    assert result.exit_code == 2 and "--key-file: a persistent pseudonym key" in result.stderr
    assert not work.release.exists()


def test_a_pseudonymized_release_must_delete_card_and_bank_numbers(work: Work):
    spec = kamei_pipeline()
    spec["columns"]["個人番号"]["entity"] = "CREDIT_CARD"
    spec["columns"]["個人番号"]["actions"] = [{"mask": {"keep_last": 4}}]
    result = work.setup(spec).run()
    assert result.exit_code == 2
    assert "columns.個人番号: a 仮名加工情報 release must delete CREDIT_CARD" in result.stderr


def test_placeholder_metadata_is_refused_by_the_gate(work: Work):
    spec = base_pipeline()
    spec["metadata"]["publisher"] = "（要記入）"
    spec["metadata"]["municipality_code"] = "000001"
    result = work.setup(spec).run()
    assert result.exit_code == 1
    assert "metadata.publisher" in result.stderr and "metadata.municipality_code" in result.stderr
    assert not work.release.exists()


# -- the public report: nothing of any input cell ------------------------------------------

#: CJK Extension A: characters no template, label, hash or figure of the release contains
_CANARY_CHARS = [chr(c) for c in range(0x3400, 0x4DB5)]


def _canary(rng: random.Random) -> str:
    return "".join(rng.choice(_CANARY_CHARS) for _ in range(rng.randint(4, 10)))


def test_no_substring_of_an_identifier_or_free_text_cell_is_in_any_other_release_file(work: Work):
    rng = random.Random(20261204)
    spec = base_pipeline()
    direct = [c for c, cs in spec["columns"].items() if cs["role"] in ("direct_identifier", "free_text")]
    rows = []
    for i in range(40):
        base = dict(ROWS[i % len(ROWS)], メモ="")
        rows.append({**base, **{c: _canary(rng) for c in direct}})
    assert work.setup(spec, rows).run().exit_code == 0
    cells = {r[c] for r in rows for c in direct}
    grams = {cell[i : i + 3] for cell in cells for i in range(len(cell) - 2)}
    texts = released_texts(work.release)
    assert set(texts) >= {"report.html", "report.json", "manifest.json", "metadata.json"}
    for name, text in texts.items():
        if name == "soudan.csv":  # the data file: the gate's own checks judge it
            continue
        found = [g for g in grams if g in text]
        assert not found, f"{name} holds input text"
    # the internal report (outside the release folder) is where such text may go
    internal = (work.out / "soudan-test.internal" / "report.json").read_text(encoding="utf-8")
    assert any(g in internal for g in grams)


# -- cells that mean "no value" (#19) --------------------------------------------------------


def test_cells_that_mean_no_value_are_read_as_empty_not_an_abort(work: Work):
    rows = [dict(r) for r in ROWS]
    rows[1]["生年月日"] = "不明"  # would be an unreadable date
    rows[4]["氏名"] = "不明"  # would be a "raw identifier value" the gate hunts everywhere
    rows[2]["性別"] = "－"
    rows[3]["相談内容"] = "不明"  # free text is text: left as it is
    result = work.setup(base_pipeline(), rows).run()
    assert result.exit_code == 0, result.stderr
    data = work.data()
    assert data["生年月日"][1] == "" and data["性別"][2] == "" and data["相談者ID"][4] == ""
    assert data["相談内容"][3] == "不明"
    report = json.loads((work.release / "report.json").read_text(encoding="utf-8"))
    counts = {c["name"]: c["missing_values"] for c in report["input"]["columns"]}
    assert counts["生年月日"] == 1 and counts["氏名"] == 1 and counts["性別"] == 1
    assert counts["相談内容"] == 0


def test_a_column_can_say_no_value_is_missing_and_the_date_then_stops_the_run(work: Work):
    rows = [dict(r) for r in ROWS]
    rows[1]["生年月日"] = "不明"
    spec = base_pipeline()
    spec["columns"]["生年月日"]["missing"] = []
    result = work.setup(spec, rows).run()
    assert result.exit_code == 2 and "生年月日" in result.stderr and "不明" not in result.stderr


def test_なし_is_a_category_not_a_missing_value(work: Work):
    spec = base_pipeline()
    rows = [dict(r, 件数="なし" if i == 0 else r["件数"]) for i, r in enumerate(ROWS)]
    assert work.setup(spec, rows).run().exit_code == 0
    assert work.data()["件数"][0] == "なし"
