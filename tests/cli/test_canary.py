"""Errors never echo input: canary values go through every error path — each failure class in
every input format — and none appears in stdout, stderr or any file written (the output
directory and the state directory).

Failure classes: a missing header row, an undeclared header that is a value, a released header
holding personal information (a refusal, exit 1), header-only and empty files, a ragged row, an
encoding error, an empty person id, an unreadable date, a cell over the stated size limit, the
wrong Excel sheet, a full disk and a read-only output directory (injected at the release
writer), unreadable DP measure values, a denormal ε, and a tampered ledger.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest

from anonymizer.io import table as table_module
from tests.pipeline.conftest import ROWS, base_pipeline, cli_run, write_key, write_pipeline

CANARY_NAME, CANARY_PHONE, CANARY_MAIL = "鳥羽カナリア", "090-7319-4242", "canary.7319@example.jp"
CANARY_ID, CANARY_DATE = "CNRY-7319", "カナリア年7月31日"
CANARIES = (CANARY_NAME, CANARY_PHONE, "09073194242", CANARY_MAIL, CANARY_ID, "カナリア")
FORMATS = ("csv-utf8", "csv-cp932", "xlsx", "parquet")


def canary_rows() -> list[dict[str, str]]:
    rows = copy.deepcopy(ROWS)
    rows[0].update({
        "管理番号": CANARY_ID, "氏名": CANARY_NAME, "電話番号": CANARY_PHONE,
        "相談内容": f"{CANARY_NAME}さん {CANARY_MAIL}", "メモ": "カナリアのメモ",
    })  # fmt: skip
    return rows


def write_input(path: Path, fmt: str, rows: list[dict[str, str]], header: bool = True) -> Path:
    frame = pd.DataFrame(rows, dtype="string")
    if fmt.startswith("csv"):
        path = path.with_suffix(".csv")
        encoding = "cp932" if fmt == "csv-cp932" else "utf-8"
        frame.to_csv(path, index=False, header=header, encoding=encoding, lineterminator="\r\n")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        path = path.with_suffix(".xlsx")
        wb = Workbook()
        wb.active.title = "data"
        if header and len(frame.columns):
            wb.active.append(list(frame.columns))
        for r in frame.itertuples(index=False):
            wb.active.append(list(r))
        wb.save(path)
    else:
        path = path.with_suffix(".parquet")
        if not header:  # a parquet file always has names: the first record becomes them
            frame = pd.DataFrame(frame.iloc[1:].to_numpy(), columns=list(frame.iloc[0]))
        frame.to_parquet(path)
    return path


class Case:
    def __init__(self, tmp: Path, fmt: str) -> None:
        self.tmp, self.fmt = tmp, fmt
        self.spec = base_pipeline()
        self.rows = canary_rows()
        self.header = True
        self.args: list[str] = []
        self.env: dict[str, str] = {}
        self.key = write_key(tmp / "city.key")
        self.out = tmp / "out"

    def run(self, *argv: str | Path):
        return cli_run(*argv, env=self.env or None)

    def pipeline(self) -> Path:
        src = write_input(self.tmp / "in", self.fmt, self.rows, self.header)
        self.spec["input"] = {"path": src.name, **({"sheet": "data"} if self.fmt == "xlsx" else {})}
        return write_pipeline(self.tmp / "p.yaml", self.spec)

    def run_pipeline(self):
        p = self.pipeline()
        return self.run("run", p, "--out", self.out, "--no-progress",
                        *self.args)  # fmt: skip


def no_header(c: Case):
    c.header = False
    return c.run_pipeline(), 2


def value_as_undeclared_header(c: Case):
    c.rows = [dict(r, **{CANARY_MAIL: "x"}) for r in c.rows]
    return c.run_pipeline(), 2


def header_holding_personal_information(c: Case):
    c.spec["output"]["columns"][1] = {"from": "性別", "to": f"連絡先{CANARY_PHONE}"}
    return c.run_pipeline(), 1


def header_only(c: Case):
    c.rows = [{k: v for k, v in r.items()} for r in c.rows][:0]
    if c.fmt != "parquet":
        c.rows = []
    path = c.pipeline()
    src = c.tmp / Path(c.spec["input"]["path"])
    columns = list(ROWS[0])
    if c.fmt.startswith("csv"):
        src.write_text(",".join(columns) + "\r\n", encoding="utf-8")
    elif c.fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.title = "data"
        wb.active.append(columns)
        wb.save(src)
    else:
        pd.DataFrame({k: pd.array([], dtype="string") for k in columns}).to_parquet(src)
    return c.run("run", path, "--out", c.out, "--no-progress"), 2


def empty_file(c: Case):
    path = c.pipeline()
    src = c.tmp / c.spec["input"]["path"]
    if c.fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.title = "data"
        wb.save(src)
    elif c.fmt == "parquet":
        pd.DataFrame().to_parquet(src)
    else:
        src.write_bytes(b"")
    return c.run("run", path, "--out", c.out, "--no-progress"), 2


def ragged_row(c: Case):
    path = c.pipeline()
    src = c.tmp / c.spec["input"]["path"]
    enc = "cp932" if c.fmt == "csv-cp932" else "utf-8"
    src.write_bytes(src.read_bytes() + f"{CANARY_NAME},{CANARY_PHONE},extra\r\n".encode(enc))
    return c.run("run", path, "--out", c.out, "--no-progress"), 2


def encoding_error(c: Case):
    c.spec["input"] = {"path": "in.csv", "encoding": "utf-8"}
    write_input(c.tmp / "in", "csv-cp932", c.rows)
    path = write_pipeline(c.tmp / "p.yaml", c.spec)
    return c.run("run", path, "--out", c.out, "--no-progress"), 2


def empty_person_id(c: Case):
    c.spec["person_column"] = "氏名"
    c.rows[3]["氏名"] = ""
    return c.run_pipeline(), 2


def unreadable_date(c: Case):
    c.rows[0]["生年月日"] = CANARY_DATE
    return c.run_pipeline(), 2


def oversized_cell(c: Case):
    c.rows[0]["相談内容"] = (CANARY_NAME + " ") * 40
    return c.run_pipeline(), 2


def wrong_sheet(c: Case):
    path = c.pipeline()
    c.spec["input"]["sheet"] = "存在しない"
    write_pipeline(path, c.spec)
    return c.run("run", path, "--out", c.out, "--no-progress"), 2


def disk_full(c: Case):
    c.env = {"ANONYMIZER_FAULT": "enospc@write report.json"}
    return c.run_pipeline(), 2


def read_only_output(c: Case):
    c.env = {"ANONYMIZER_FAULT": "erofs@mkdir partial"}
    return c.run_pipeline(), 2


def _dp(c: Case, *extra: str):
    src = write_input(c.tmp / "in", c.fmt, c.rows)
    state = c.tmp / "state"
    assert c.run("budget", "pop", "--state-dir", state, "--total", "1").exit_code == 0
    return c.run("dp", src, "--count", "--epsilon", "0.5", "--population", "pop",
                 "--state-dir", state, "--out", c.out / "dp.csv", *extra)  # fmt: skip


def dp_unreadable_values(c: Case):
    return _dp(c, "--sum", "電話番号:0:10"), 2


def dp_denormal_epsilon(c: Case):
    result = _dp(c, "--epsilon", "1e-320")
    from anonymizer.state import Ledger

    assert Ledger(c.tmp / "state").status("pop").releases == 0  # nothing spent
    return result, 2


def dp_tampered_ledger(c: Case):
    from anonymizer.dp.budget import ApproxDP
    from anonymizer.state import Ledger

    led = Ledger(c.tmp / "state")
    led.set_total("pop", ApproxDP(5))
    led.spend("pop", "x", ApproxDP(0.5), {})
    raw = led.path.read_bytes()
    i = raw.rindex(b'"epsilon":"0.5"')
    led.path.write_bytes(raw[:i] + b'"epsilon":"0.0"' + raw[i + 15 :])
    src = write_input(c.tmp / "in", c.fmt, c.rows)
    return c.run("dp", src, "--count", "--epsilon", "0.5", "--population", "pop",
                 "--state-dir", c.tmp / "state", "--out", c.out / "dp.csv"), 2  # fmt: skip


CLASSES = [
    no_header, value_as_undeclared_header, header_holding_personal_information, header_only,
    empty_file, ragged_row, encoding_error, empty_person_id, unreadable_date, oversized_cell,
    wrong_sheet, disk_full, read_only_output, dp_unreadable_values, dp_denormal_epsilon,
    dp_tampered_ledger,
]  # fmt: skip
ONLY = {ragged_row: ("csv-utf8", "csv-cp932"), encoding_error: ("csv-cp932",),
        oversized_cell: ("csv-utf8", "csv-cp932"), wrong_sheet: ("xlsx",)}  # fmt: skip
CASES = [(f, fmt) for f in CLASSES for fmt in FORMATS if fmt in ONLY.get(f, FORMATS)]


def written(root: Path) -> list[str]:
    """Every file under ``root`` as text (UTF-8, CP932 or bytes with errors dropped)."""
    texts = []
    for p in root.rglob("*"):
        inputs = ("in.csv", "in.xlsx", "in.parquet", "p.yaml")
        if p.is_file() and not p.is_symlink() and p.name not in inputs:
            raw = p.read_bytes()
            texts += [raw.decode("utf-8", "ignore"), raw.decode("cp932", "ignore")]
    return texts


@pytest.mark.parametrize(("failure", "fmt"), CASES, ids=[f"{f.__name__}-{m}" for f, m in CASES])
def test_no_error_path_echoes_input(tmp_path, monkeypatch, failure, fmt):
    monkeypatch.delenv("ANONYMIZER_KEY", raising=False)
    monkeypatch.setattr(table_module, "MAX_CELL_CHARS", 200)
    case = Case(tmp_path, fmt)
    result, expected = failure(case)
    assert result.exit_code == expected, result.stderr
    assert "Traceback" not in result.stderr and "anonymizer: error:" in result.stderr
    hay = [result.stdout, result.stderr, *written(tmp_path)]
    found = sorted({c for c in CANARIES for h in hay if c in h})
    assert found == [], f"{failure.__name__}/{fmt} echoed {found}"


#: every error path once (its first format), and each in CP932, in Japanese too
JA_CASES = [(f, m) for f, m in CASES if m == "csv-cp932" or m == ONLY.get(f, FORMATS)[0]]


@pytest.mark.parametrize(
    ("failure", "fmt"), JA_CASES, ids=[f"{f.__name__}-{m}-ja" for f, m in JA_CASES]
)
def test_no_error_path_echoes_input_in_japanese(tmp_path, monkeypatch, failure, fmt):
    """The same error paths in the default language: the translated messages name the same
    files, rows, columns and YAML paths, and quote no value either."""
    monkeypatch.setenv("ANONYMIZER_LANG", "ja")
    monkeypatch.delenv("ANONYMIZER_KEY", raising=False)
    monkeypatch.setattr(table_module, "MAX_CELL_CHARS", 200)
    case = Case(tmp_path, fmt)
    result, expected = failure(case)
    assert result.exit_code == expected, result.stderr
    assert "Traceback" not in result.stderr and "anonymizer: エラー:" in result.stderr
    hay = [result.stdout, result.stderr, *written(tmp_path)]
    found = sorted({c for c in CANARIES for h in hay if c in h})
    assert found == [], f"{failure.__name__}/{fmt} echoed {found}"
