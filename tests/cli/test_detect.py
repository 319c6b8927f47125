"""``anonymizer detect``: the JSON Lines contract, errors without values, options."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from anonymizer.cli.main import cli
from anonymizer.entities import ENTITIES

NAME, PHONE, MAIL = "山田太郎", "090-1234-5678", "taro@example.jp"


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, ["detect", "--mode", "fast", *args], input=input)


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def lines(result) -> list[dict]:
    return [json.loads(x) for x in result.stdout.splitlines()]


RECORDS = [
    {"id": 1, "text": f"{NAME}さん（45歳）の電話は{PHONE}"},
    {"id": "b-2", "text": "特記事項なし。"},
    {"id": None, "text": f"メール {MAIL}"},
    {"id": {"row": 4, "file": "x.csv"}, "text": "携帯：０９０ー８７６５ー４３２１（佐伯さん）"},
    {"text": "idのない行 03-1234-5678"},
    {"id": 6, "text": ""},
    {"id": 7, "text": "　 "},
    {"id": 8, "text": "長い" * 3000 + PHONE},
]


def test_jsonl_contract():
    result = run(input=jsonl(*RECORDS))
    assert result.exit_code == 0, result.output
    out = lines(result)
    # same order, ids preserved exactly (a missing id is null)
    assert [o["id"] for o in out] == [r.get("id") for r in RECORDS]
    assert all(set(o) == {"id", "entities"} for o in out)
    for rec, o in zip(RECORDS, out, strict=True):
        for e in o["entities"]:
            assert set(e) == {"type", "start", "end", "score", "recognizer"}  # no text
            assert 0 <= e["start"] < e["end"] <= len(rec["text"])
    # offsets index the ORIGINAL text (全角 digits, ー as a dash)
    got = [
        [(e["type"], r["text"][e["start"] : e["end"]]) for e in o["entities"]]
        for r, o in zip(RECORDS, out, strict=True)
    ]
    assert got == [
        [("PERSON", NAME), ("AGE", "45歳"), ("JP_PHONE_NUMBER", PHONE)],
        [],
        [("EMAIL_ADDRESS", MAIL)],
        [("JP_PHONE_NUMBER", "０９０ー８７６５ー４３２１"), ("PERSON", "佐伯")],
        [("JP_PHONE_NUMBER", "03-1234-5678")],
        [],
        [],
        [("JP_PHONE_NUMBER", PHONE)],
    ]


def test_no_text_is_echoed_by_default():
    result = run(input=jsonl(*RECORDS))
    assert result.exit_code == 0
    for value in (NAME, PHONE, MAIL, "佐伯", "０９０", "45歳"):
        assert value not in result.output
    assert result.stderr == ""


def test_show_text_echoes_each_finding():
    result = run("--show-text", input=jsonl(RECORDS[0]))
    assert result.exit_code == 0
    (o,) = lines(result)
    assert [e["text"] for e in o["entities"]] == [NAME, "45歳", PHONE]


def test_reads_a_file_and_blank_lines_are_skipped(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n" + jsonl(RECORDS[0]) + "\n\n" + jsonl(RECORDS[2]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["detect", "--mode", "fast", str(path)])
    assert result.exit_code == 0, result.output
    assert [o["id"] for o in lines(result)] == [1, None]


def test_utf8_bom_file(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + jsonl(RECORDS[0]).encode("utf-8"))
    result = CliRunner().invoke(cli, ["detect", "--mode", "fast", str(path)])
    assert result.exit_code == 0, result.output
    assert [e["start"] for e in lines(result)[0]["entities"]] == [0, 7, 15]


@pytest.mark.parametrize("payload", ["", "\n", "\n\n  \n"])
def test_empty_input(payload):
    result = run(input=payload)
    assert result.exit_code == 0
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"id": 2, "text": "山田太郎 090-1234-5678"', "line 2: invalid JSON"),
        ('{"id": 2, "text": 山田太郎 090-1234-5678}', "line 2: invalid JSON"),
        ("山田太郎 090-1234-5678", "line 2: invalid JSON"),
        ('["山田太郎", "090-1234-5678"]', 'line 2: expected an object with "id" and "text"'),
        (
            '{"id": 2, "body": "山田太郎 090-1234-5678"}',
            'line 2: expected an object with "id" and "text"',
        ),
        ('{"id": 2, "text": ["山田太郎 090-1234-5678"]}', 'line 2: "text" must be a string'),
        ('{"id": 2, "text": 9012345678}', 'line 2: "text" must be a string'),
    ],
)
def test_bad_line_fails_the_whole_run_without_echoing_it(bad_line, message):
    payload = (
        jsonl({"id": 1, "text": "鈴木一郎 03-9999-0000"})
        + bad_line
        + "\n"
        + jsonl({"id": 3, "text": "x"})
    )
    result = run(input=payload)
    assert result.exit_code == 2
    assert result.stdout == ""  # nothing is written before every line parsed
    assert message in result.stderr
    for value in ("山田", "太郎", "090-1234-5678", "9012345678", "鈴木", "03-9999-0000"):
        assert value not in result.output


def test_bad_line_in_a_file_names_the_file(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        jsonl(RECORDS[0], RECORDS[1]) + '{"id": 3, "text": "佐藤花子\n', encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["detect", "--mode", "fast", str(path)])
    assert result.exit_code == 2
    assert f"{path}: line 3: invalid JSON" in result.stderr
    assert "佐藤花子" not in result.output


def test_not_utf8(tmp_path):
    path = tmp_path / "sjis.jsonl"
    path.write_bytes(jsonl({"id": 1, "text": "山田太郎"}).encode("cp932"))
    result = CliRunner().invoke(cli, ["detect", "--mode", "fast", str(path)])
    assert result.exit_code == 2
    assert "not UTF-8 text" in result.stderr
    assert "山田" not in result.output


@pytest.mark.parametrize("entities", ["NAME", "PERSON,PHONE", "person"])
def test_unknown_entity_lists_the_valid_ones(entities):
    result = run("--entities", entities, input=jsonl(RECORDS[0]))
    assert result.exit_code == 2
    assert "unknown entity" in result.stderr
    assert all(e in result.stderr for e in ENTITIES)
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("entities", "types"),
    [
        ("PERSON", ["PERSON"]),
        ("JP_PHONE_NUMBER,AGE", ["AGE", "JP_PHONE_NUMBER"]),
        ("EMAIL_ADDRESS", []),
    ],
)
def test_entities_option(entities, types):
    result = run("--entities", entities, input=jsonl(RECORDS[0]))
    assert result.exit_code == 0
    assert [e["type"] for e in lines(result)[0]["entities"]] == types


def test_min_score_option():
    payload = jsonl({"id": 1, "text": "長男の蓮が来た。電話 03-7777-0001"})
    # a lone one-character given name is right about one time in ten (rules/calibration.yaml)
    low = lines(run("--min-score", "0.05", input=payload))[0]["entities"]
    default = lines(run(input=payload))[0]["entities"]
    assert [e["type"] for e in low] == ["PERSON", "JP_PHONE_NUMBER"]
    assert [e["type"] for e in default] == ["JP_PHONE_NUMBER"]
    bad = run("--min-score", "1.5", input=payload)
    assert bad.exit_code == 2


def test_unknown_mode_is_a_usage_error():
    result = CliRunner().invoke(cli, ["detect", "--mode", "turbo"], input=jsonl(RECORDS[0]))
    assert result.exit_code == 2
    assert "turbo" in result.output and "fast" in result.output


def test_help_has_an_example():
    result = CliRunner().invoke(cli, ["detect", "--help"])
    assert result.exit_code == 0
    assert "anonymizer detect" in result.output and "--show-text" in result.output


@pytest.mark.slow
def test_accurate_mode_adds_ner_names():
    text = "長女さつきが来所し、就学について相談した。"
    fast = lines(run(input=jsonl({"id": 1, "text": text})))[0]["entities"]
    acc = CliRunner().invoke(
        cli, ["detect", "--mode", "accurate"], input=jsonl({"id": 1, "text": text})
    )
    assert acc.exit_code == 0, acc.output
    assert fast == []
    assert [(e["type"], e["start"], e["end"]) for e in lines(acc)[0]["entities"]] == [
        ("PERSON", 2, 5)
    ]
