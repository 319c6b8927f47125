"""Real releases for the report tests: the sample pipelines run by the real CLI into tmp dirs.

Pipelines are copied with their input made absolute (and their state directory — the DP
ledger — in the tmp dir), so nothing is written outside the test's directory.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from click.testing import CliRunner, Result

from anonymizer.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
PIPELINES = ROOT / "pipelines"
SAMPLES = ROOT / "samples"
KEY = "89abcdef01234567" * 4


def run_cli(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def write_key(path: Path) -> Path:
    path.write_text(KEY + "\n", encoding="ascii")
    path.chmod(0o600)
    return path


def copy_pipeline(name: str, directory: Path, **changes: Any) -> Path:
    """pipelines/<name>.yaml with an absolute input path, ``changes`` applied at top level,
    and its state directory (the DP ledger) in ``directory / "state"``."""
    spec = yaml.safe_load((PIPELINES / f"{name}.yaml").read_text(encoding="utf-8"))
    spec["input"]["path"] = str((PIPELINES / spec["input"]["path"]).resolve())
    spec["state"] = str(directory / "state")
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(spec.get(key), dict):
            spec[key] = {**spec[key], **value}
        else:
            spec[key] = value
    path = directory / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def report_json(release: Path) -> dict[str, Any]:
    return json.loads((release / "report.json").read_text(encoding="utf-8"))


def planted_values(csv_name: str, exclude: frozenset[str] = frozenset()) -> set[str]:
    """Every planted personal value of samples/gold/<stem>.jsonl (cell[start:end]), except
    spans of the entity types in ``exclude``."""
    stem = Path(csv_name).stem
    encoding = "cp932" if "cp932" in stem else "utf-8"
    frame = pd.read_csv(SAMPLES / csv_name, dtype=str, keep_default_na=False, encoding=encoding)
    out = set()
    for line in (SAMPLES / "gold" / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        if g["type"] in exclude:
            continue
        out.add(frame.iloc[g["row"]][g["column"]][g["start"] : g["end"]])
    return out


def found_planted(texts: list[str], planted: set[str]) -> list[str]:
    """Planted values (raw or NFKC; two characters or more) that occur in any text."""
    hay = "\n".join(t for text in texts for t in (text, unicodedata.normalize("NFKC", text)))
    hits = set()
    for value in planted:
        for spelling in {value, unicodedata.normalize("NFKC", value)}:
            if len(spelling.strip()) >= 2 and spelling in hay:
                hits.add(value)
    return sorted(hits)
