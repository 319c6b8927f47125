"""Small synthetic inputs and pipelines built in tmp_path, and the planted values to hunt for.

Every personal value here is invented and planted on purpose: the tests then grep every
released file and every line the CLI printed for each of them (raw, NFKC and digits-only).
Pipelines are Python dicts dumped to YAML, so a test changes one key and says which.
"""

from __future__ import annotations

import copy
import datetime as dt
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner, Result

from anonymizer.cli.main import cli
from anonymizer.detect import Detector

KEY = "0123456789abcdef" * 4  # 64 ASCII characters, as `anonymizer keygen` writes
OTHER_KEY = "fedcba9876543210" * 4

#: the input table: direct identifiers, quasi-identifiers, free text, codes and formula bait
ROWS: list[dict[str, str]] = [
    {
        "管理番号": "R06-000101",
        "氏名": "山田　太郎",
        "電話番号": "090-1234-5678",
        "個人番号": "123456789018",
        "生年月日": "1950/04/01",
        "性別": "男",
        "地区コード": "0012",
        "件数": "3",
        "相談内容": "山田太郎さんから電話 090-1234-5678 があった",
        "メモ": "=SUM(A1)",
    },
    {
        "管理番号": "R06-000102",
        "氏名": "佐藤　花子",
        "電話番号": "03-3456-7890",
        "個人番号": "987654321093",
        "生年月日": "1985/12/24",
        "性別": "女",
        "地区コード": "007",
        "件数": "",
        "相談内容": "個人番号 987654321093 の確認",
        "メモ": "+81…",
    },
    {
        "管理番号": "R06-000103",
        "氏名": "山田 太郎",
        "電話番号": "０９０－１２３４－５６７８",
        "個人番号": "",
        "生年月日": "1950/04/01",
        "性別": "男",
        "地区コード": "0012",
        "件数": "0",
        "相談内容": "連絡先は０３－３４５６－７８９０（佐藤花子様）",
        "メモ": "-1+2",
    },
    {
        "管理番号": "R06-000104",
        "氏名": "鈴木　一郎",
        "電話番号": "080-2222-3333",
        "個人番号": "319540937822",
        "生年月日": "1972/07/14",
        "性別": "男",
        "地区コード": "",
        "件数": "12",
        "相談内容": "鈴木一郎氏よりメール suzuki.ichiro@example.jp",
        "メモ": "@x",
    },
    {
        "管理番号": "R06-000105",
        "氏名": "高橋　美咲",
        "電話番号": "042-576-0000",
        "個人番号": "",
        "生年月日": "1999/02/28",
        "性別": "女",
        "地区コード": "0100",
        "件数": "",
        "相談内容": "",
        "メモ": "-5",
    },
    {
        "管理番号": "R06-000106",
        "氏名": "佐藤　花子",
        "電話番号": "03-3456-7890",
        "個人番号": "987654321093",
        "生年月日": "1985/12/24",
        "性別": "女",
        "地区コード": "007",
        "件数": "1",
        "相談内容": "特になし",
        "メモ": "+3.2",
    },
]

#: every planted personal value, in the spellings a leak could take
PLANTED: tuple[str, ...] = (
    "山田　太郎",
    "山田太郎",
    "山田 太郎",
    "佐藤　花子",
    "佐藤花子",
    "鈴木　一郎",
    "鈴木一郎",
    "高橋　美咲",
    "高橋美咲",
    "090-1234-5678",
    "09012345678",
    "０９０－１２３４－５６７８",
    "03-3456-7890",
    "0334567890",
    "080-2222-3333",
    "08022223333",
    "042-576-0000",
    "0425760000",
    "123456789018",
    "987654321093",
    "319540937822",
    "suzuki.ichiro@example.jp",
    "suzuki.ichiro",
    "R06-000101",
    "R06-000102",
    "R06-000103",
    "R06-000104",
    "R06-000105",
    "R06-000106",
    "1950/04/01",
    "1985/12/24",
    "1972/07/14",
    "1999/02/28",
)

COLUMNS: dict[str, dict[str, Any]] = {
    "管理番号": {"role": "direct_identifier", "actions": ["drop"]},
    "氏名": {"role": "direct_identifier", "entity": "PERSON", "actions": ["pseudonymize"]},
    "電話番号": {"role": "direct_identifier", "entity": "JP_PHONE_NUMBER", "actions": ["drop"]},
    "個人番号": {"role": "direct_identifier", "entity": "JP_MY_NUMBER", "actions": ["drop"]},
    "生年月日": {
        "role": "quasi_identifier",
        "entity": "DATE_OF_BIRTH",
        "actions": [
            {"generalize": {"to": "age_band", "width": 10, "reference_date": dt.date(2026, 4, 1)}}
        ],
    },
    "性別": {"role": "quasi_identifier", "actions": ["keep"]},
    "地区コード": {"role": "other", "actions": ["keep"]},
    "件数": {"role": "other", "actions": ["keep"]},
    "相談内容": {"role": "free_text", "actions": ["mask_text"]},
    "メモ": {"role": "other", "actions": ["keep"]},
}

BASE: dict[str, Any] = {
    "version": 1,
    "name": "soudan-test",
    "mode": "fast",
    "input": {"path": "in.csv"},
    "columns": COLUMNS,
    "output": {
        "file": "soudan.csv",
        # these tests follow each input row into the release (the default sorts the rows by
        # their released values: tests/pipeline/test_release.py)
        "order": "input",
        "columns": [
            {"from": "氏名", "to": "相談者ID"},
            "性別",
            "生年月日",
            "地区コード",
            "件数",
            "相談内容",
            "メモ",
        ],
    },
    "metadata": {
        "title": "相談記録（テスト）",
        "publisher": "国立市（テスト）",
        "license": "CC-BY-4.0",
        "municipality_code": "132152",
        "issued": dt.date(2026, 4, 1),
    },
    "pseudonym": {"domain": "test-domain"},
    # each row is a different consultation; 氏名 is pseudonymized by this person column
    "person_column": "管理番号",
    # six rows cannot hold classes of five persons: these tests are about detection and
    # outputs, so the quasi-identifiers are waived (tests/policy tests the policy itself)
    "policy": {
        "waivers": [
            {"column": "生年月日", "reason": "テスト用の6行の表（ポリシーは tests/policy で検査）"},
            {"column": "性別", "reason": "テスト用の6行の表（ポリシーは tests/policy で検査）"},
        ]
    },
    "review": [
        {"column": "相談内容", "role": "個人情報保護担当", "reason": "テスト用: 置換結果を確認"},
        {"column": "メモ", "role": "個人情報保護担当", "reason": "テスト用: 数式に見える値のみ"},
    ],
}

#: released header order of BASE
RELEASED = ["相談者ID", "性別", "生年月日", "地区コード", "件数", "相談内容", "メモ"]


def base_pipeline() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def kamei_pipeline() -> dict[str, Any]:
    """BASE as a 仮名加工情報 release: a persistent key (--key-file), no licence."""
    spec = base_pipeline()
    spec["purpose"] = "pseudonymized"
    del spec["metadata"]["license"]
    return spec


def set_path(spec: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """Set ``a.b.c`` in a pipeline dict (creating parents); returns the dict."""
    *parents, last = dotted.split(".")
    node = spec
    for p in parents:
        node = node.setdefault(p, {})
    node[last] = value
    return spec


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    """Plain CSV as a municipal export writes it (no index; every cell text)."""
    pd.DataFrame(rows, dtype="string").to_csv(
        path, index=False, encoding=encoding, lineterminator="\r\n"
    )
    return path


def write_pipeline(path: Path, spec: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_key(path: Path, key: str = KEY) -> Path:
    path.write_text(key + "\n", encoding="ascii")
    path.chmod(0o600)
    return path


def cli_run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    """The real CLI in-process; stdout and stderr kept apart (click ≥ 8.2)."""
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


class Work:
    """A tmp_path with an input, a pipeline, a key and an output directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.input = root / "in.csv"
        self.pipeline = root / "p.yaml"
        self.key = write_key(root / "city.key")
        self.out = root / "out"

    def setup(
        self,
        spec: dict[str, Any] | None = None,
        rows: list[dict[str, str]] | None = None,
        encoding: str = "utf-8",
    ) -> Work:
        write_csv(self.input, ROWS if rows is None else rows, encoding)
        write_pipeline(self.pipeline, base_pipeline() if spec is None else spec)
        return self

    @property
    def purpose(self) -> str:
        return str(yaml.safe_load(self.pipeline.read_text(encoding="utf-8")).get("purpose", "anonymized"))

    def run(self, *extra: str | Path, key: bool = True) -> Result:
        """``key``: pass the key file when the pipeline takes one (purpose pseudonymized)."""
        args: list[str | Path] = ["run", self.pipeline, "--out", self.out, "--no-progress"]
        if key and self.purpose == "pseudonymized":
            args += ["--key-file", self.key]
        return cli_run(*args, *extra)

    @property
    def release(self) -> Path:
        return self.out / yaml.safe_load(self.pipeline.read_text(encoding="utf-8"))["name"]

    def data(self, encoding: str = "utf-8-sig") -> pd.DataFrame:
        name = yaml.safe_load(self.pipeline.read_text(encoding="utf-8"))["output"]["file"]
        return pd.read_csv(self.release / name, dtype=str, keep_default_na=False, encoding=encoding)


def new_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Work:
    """A Work in tmp_path; $ANONYMIZER_KEY of the caller's shell never reaches a test."""
    monkeypatch.delenv("ANONYMIZER_KEY", raising=False)
    return Work(tmp_path)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Work:
    return new_work(tmp_path, monkeypatch)


def spellings(value: str) -> set[str]:
    """The value as written, NFKC-normalized, and (for numbers) without separators."""
    nfkc = unicodedata.normalize("NFKC", value)
    out = {value, nfkc}
    digits = "".join(ch for ch in nfkc if ch.isdigit())
    if len(digits) >= 10 and len(digits) >= len(nfkc) - 3:
        out.add(digits)
    return out


def leaks(texts: Iterable[str], planted: Iterable[str] = PLANTED) -> list[str]:
    """Planted values found in any of ``texts`` (each also NFKC-normalized); names only."""
    hay = [t for text in texts for t in (text, unicodedata.normalize("NFKC", text))]
    return sorted({v for v in planted for s in spellings(v) for h in hay if s in h})


def released_texts(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` decoded (UTF-8, else CP932)."""
    out = {}
    for p in sorted(directory.rglob("*")):
        if p.is_file():
            raw = p.read_bytes()
            try:
                out[str(p.relative_to(directory))] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                out[str(p.relative_to(directory))] = raw.decode("cp932")
    return out


def leftovers(directory: Path) -> list[str]:
    """Temp files or directories a run must never leave behind: partial directories, temp
    files and links, and release versions no ``out/<name>`` link points to."""
    if not directory.is_dir():
        return []
    live = {p.resolve() for p in directory.iterdir() if p.is_symlink()}
    return [
        str(p)
        for p in directory.rglob("*")
        if p.name.endswith((".partial", ".tmp", ".old", ".link"))
        or (p.name.endswith(".release") and p.resolve() not in live)
    ]


def visible(directory: Path) -> list[str]:
    """What a steward sees with ``ls``: no dot-files (locks, release versions)."""
    return sorted(p.name for p in directory.iterdir() if not p.name.startswith("."))


@pytest.fixture(scope="module")
def fast() -> Detector:
    """The fast detector, one per test module (closed after it)."""
    det = Detector("fast")
    yield det
    det.close()

