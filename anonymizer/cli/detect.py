"""``anonymizer detect``: JSON Lines in, one line of findings per input line out."""

from __future__ import annotations

import json
import sys
from typing import IO, Any

import click

from anonymizer.cli.common import detection_options
from anonymizer.errors import InputError
from anonymizer.i18n import N_, _


def read_jsonl(stream: IO[str], name: str) -> list[tuple[Any, str]]:
    """Parse every line before any output: a bad line fails the whole run (exit 2)."""
    records: list[tuple[Any, str]] = []
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                _("{name}: line {lineno}: invalid JSON ({msg} at column {colno})").format(
                    name=name, lineno=lineno, msg=exc.msg, colno=exc.colno
                )
            ) from None
        if not isinstance(obj, dict) or "text" not in obj:
            raise InputError(
                _("{name}: line {lineno}: expected an object with \"id\" and \"text\"").format(
                    name=name, lineno=lineno
                )
            )
        if not isinstance(obj["text"], str):
            raise InputError(
                _("{name}: line {lineno}: \"text\" must be a string").format(
                    name=name, lineno=lineno
                )
            )
        records.append((obj.get("id"), obj["text"]))
    return records


@click.command("detect", help=N_("""Detect personal information in JSON Lines texts.

    Reads lines {"id": ..., "text": ...} from SOURCE (a file or - for stdin) and writes, in the
    same order, {"id": ..., "entities": [{"type", "start", "end", "score", "recognizer"}]}.
    Offsets are Python string indices into the original text. No text is echoed unless
    --show-text is given.

    \b
    Example:
      echo '{"id": 1, "text": "山田太郎さん（45歳）の電話は090-1234-5678"}' | anonymizer detect --mode fast
    """))
@detection_options
@click.option("--show-text", is_flag=True, help=N_("Also echo each finding's text (raw PII!)."))
# utf-8-sig: a BOM that Windows editors add is not part of the first line
@click.argument("source", type=click.File("r", encoding="utf-8-sig"), default="-")
def command(
    source: IO[str],
    mode: str,
    entities: str | None,
    min_score: float | None,
    workers: int | None,
    show_text: bool,
) -> None:
    from anonymizer.detect import Detector

    name = getattr(source, "name", "-")
    try:
        records = read_jsonl(source, "<stdin>" if name == "<stdin>" else name)
    except UnicodeDecodeError:
        raise InputError(_("{name}: not UTF-8 text").format(name=name)) from None
    with Detector(mode=mode, entities=entities, min_score=min_score, workers=workers) as det:
        findings = det.detect_many(text for _, text in records)
        out = sys.stdout
        for (rid, text), found in zip(records, findings, strict=True):
            items = []
            for f in found:
                item = f.to_dict()
                if show_text:
                    item["text"] = text[f.start : f.end]
                items.append(item)
            out.write(json.dumps({"id": rid, "entities": items}, ensure_ascii=False) + "\n")
        out.flush()
