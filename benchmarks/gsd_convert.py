"""Convert Megagon Labs' UD Japanese GSD named entities to the compact JSON the benchmark reads.

``python -m benchmarks.gsd_convert SOURCE [--commit REV]``

``SOURCE`` is a clone of github.com/megagonlabs/UD_Japanese-GSD: a work tree holding
``ja_gsd-ud-{dev,test}.ne.conllu``, or a bare git directory (then the files are read at
``--commit``, default ``HEAD``). Writes ``benchmarks/data/ud_japanese_gsd/{dev,test}.json``,
and ``train.json`` from the repository's spaCy copy of the train split
(``spacy/ja_gsd-ud-train.ne.spacy``: the same annotation, one sentence per sentence start; it is
the one calibration fits on, ``python -m benchmarks calibrate``):
one record per sentence, ``{"id", "text", "entities": [{"type", "start", "end"}]}``, where
``[start, end)`` are character offsets into ``text`` and ``type`` is the corpus's own label
(PERSON, ORG, GPE, LOC, FAC, …). Entities come from the ``NE=`` BILUO tags in the MISC column.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "data" / "ud_japanese_gsd"
SPLITS = ("dev", "test")


def _read(source: Path, name: str, commit: str) -> str:
    if (source / name).is_file():
        return (source / name).read_text(encoding="utf-8")
    return subprocess.run(
        ["git", "--git-dir", str(source), "show", f"{commit}:{name}"],
        check=True, capture_output=True, text=True, encoding="utf-8",
    ).stdout


def _ne(misc: str) -> str:
    for part in misc.split("|"):
        if part.startswith("NE="):
            return part[3:]
    return "O"


def parse(conllu: str) -> list[dict[str, Any]]:
    """Sentences with their entity spans, offsets into the ``# text`` line."""
    out: list[dict[str, Any]] = []
    for block in conllu.strip().split("\n\n"):
        sent_id = text = None
        rows: list[list[str]] = []
        for line in block.splitlines():
            if line.startswith("# sent_id = "):
                sent_id = line[len("# sent_id = "):]
            elif line.startswith("# text = "):
                text = line[len("# text = "):]
            elif line and not line.startswith("#"):
                cols = line.split("\t")
                if cols[0].isdigit():  # not multiword ranges (1-2) or empty nodes (1.1)
                    rows.append(cols)
        if sent_id is None or text is None:
            raise ValueError(f"sentence without sent_id or text near: {block[:80]!r}")
        pos = 0
        entities: list[dict[str, Any]] = []
        open_: tuple[str, int] | None = None
        for cols in rows:
            form = cols[1]
            start = text.index(form, pos)  # forms appear in order; spaces may lie between
            end = start + len(form)
            pos = end
            tag = _ne(cols[9])
            if tag == "O":
                continue
            kind, label = tag.split("-", 1)
            if kind in ("B", "U"):
                open_ = (label, start)
            if kind in ("L", "U"):
                if open_ is None or open_[0] != label:
                    raise ValueError(f"{sent_id}: {tag} without a matching B-")
                entities.append({"type": label, "start": open_[1], "end": end})
                open_ = None
        out.append({"id": sent_id, "text": text, "entities": entities})
    return out


def parse_docbin(data: bytes) -> list[dict[str, Any]]:
    """Sentences of a spaCy DocBin with their entity spans (text: tokens with their spaces)."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    out: list[dict[str, Any]] = []
    for doc in DocBin().from_bytes(data).get_docs(Vocab()):
        for sent in doc.sents:
            text = sent.text_with_ws.rstrip(" ")
            entities = [
                {"type": e.label_, "start": e.start_char - sent.start_char,
                 "end": e.end_char - sent.start_char}
                for e in doc.ents if e.start >= sent.start and e.end <= sent.end
            ]
            out.append({"id": f"train-s{len(out) + 1}", "text": text, "entities": entities})
    return out


def _read_bytes(source: Path, name: str, commit: str) -> bytes:
    if (source / name).is_file():
        return (source / name).read_bytes()
    return subprocess.run(
        ["git", "--git-dir", str(source), "show", f"{commit}:{name}"],
        check=True, capture_output=True,
    ).stdout


def _write(out: Path, split: str, sents: list[dict[str, Any]]) -> None:
    body = "[\n" + ",\n".join(json.dumps(s, ensure_ascii=False) for s in sents) + "\n]\n"
    (out / f"{split}.json").write_text(body, encoding="utf-8")
    n = sum(len(s["entities"]) for s in sents)
    print(f"{split}: {len(sents)} sentences, {n} entities → {out / f'{split}.json'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.gsd_convert", description=__doc__.split("\n")[0])
    ap.add_argument("source", type=Path, help="megagonlabs/UD_Japanese-GSD work tree or bare git dir")
    ap.add_argument("--commit", default="HEAD")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for split in SPLITS:
        conllu = _read(args.source, f"ja_gsd-ud-{split}.ne.conllu", args.commit)
        _write(args.out, split, parse(conllu))
    docbin = _read_bytes(args.source, "spacy/ja_gsd-ud-train.ne.spacy", args.commit)
    _write(args.out, "train", parse_docbin(docbin))
    return 0


if __name__ == "__main__":
    sys.exit(main())
