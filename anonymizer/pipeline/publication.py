"""The gate's ``publication`` check: no placeholder metadata goes into a catalogue.

``anonymizer init`` cannot know a dataset's title, its publisher or the city's
全国地方公共団体コード, so it writes placeholders (（要記入）, the input file's stem, "000001" —
whose check digit is even right). A release carries its metadata into ``metadata.json`` and
the open-data catalogue; this check refuses it until a person has written the real values.
Placeholder text is data (``rules/placeholders.yaml``); codes are checked against
``rules/municipalities.txt`` (:mod:`anonymizer.pipeline.municipalities`). Metadata is the
city's own public text, not personal data, so the messages quote it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import StringConstraints, field_validator

from anonymizer.config import Frozen, Regex
from anonymizer.i18n import _
from anonymizer.pipeline.municipalities import is_known, name_of
from anonymizer.pipeline.spec import PipelineSpec, local_government_check_digit
from anonymizer.rules import load_rules
from anonymizer.steps.base import GateCheck

Entry = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
#: brackets, spaces and punctuation around a whole value (after NFKC)
_AROUND = " \t\r\n()[]{}<>【】「」『』〔〕《》〈〉.,:;!?*#/_-~…・、。‐―ー"
_QUOTED = 40
#: marks, the words' pattern, whole values, patterns — compiled once per rules object
_Compiled = tuple[
    tuple[str, ...], re.Pattern[str] | None, frozenset[str], tuple[re.Pattern[str], ...]
]

#: what to write instead, by metadata field
ADVICE = {
    "title": "データセットの名称を記入してください",
    "publisher": "公開する自治体・部署名を記入してください",
    "description": "データの説明を記入するか、空にしてください",
    "contact": "問い合わせ先を記入するか、削除してください",
    "keywords": "キーワードを記入するか、削除してください",
    "municipality_code": (
        "公開する自治体の全国地方公共団体コード（例: 国立市 132152）を記入してください"
    ),
}


class MetadataFile(Frozen):
    """Publication metadata a city keeps once and hands to ``anonymizer init --metadata``
    (the options of the same names override it). ``issued`` is the day of the proposal."""

    title: Entry | None = None
    publisher: Entry | None = None
    #: 全国地方公共団体コード: 6 digits (with check digit) or 5, quoted
    municipality_code: str | None = None
    license: Literal["CC-BY-4.0", "PDL-1.0"] | None = None
    description: str | None = None
    contact: Entry | None = None
    keywords: tuple[Entry, ...] = ()

    @field_validator("municipality_code", mode="before")
    @classmethod
    def _quoted(cls, v: object) -> object:
        if isinstance(v, int) and not isinstance(v, bool):  # YAML reads 011002 as octal 4610
            raise ValueError(
                _("write it quoted, e.g. \"132152\": as a number it loses its leading zeros")
            )
        return v

    @field_validator("municipality_code")
    @classmethod
    def _known(cls, v: str | None) -> str | None:
        if v is not None:
            problem = code_problem(v)
            if problem is not None:
                raise ValueError(problem)
        return v


def code_problem(code: str) -> str | None:
    """Why ``code`` is not the 全国地方公共団体コード of a prefecture or municipality, or None."""
    if not re.fullmatch(r"[0-9]{5,6}", code):  # ASCII only: \d also matches 全角 digits
        return _("5 or 6 digits (全国地方公共団体コード)")
    if len(code) == 6 and local_government_check_digit(code[:5]) != int(code[5]):
        return _("check digit does not match (全国地方公共団体コード)")
    if not is_known(code):
        return _("{code} is not a 全国地方公共団体コード of any prefecture or municipality").format(
            code=code
        )
    return None


def fold(text: str) -> str:
    """The form values and entries are compared in: NFKC, case-folded, trimmed."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


class PlaceholderRules(Frozen):
    """The validated shape of ``rules/placeholders.yaml``."""

    version: Literal[1]
    #: Japanese marks, found anywhere in a value
    marks: tuple[Entry, ...]
    #: Latin words, found as whole words
    words: tuple[Entry, ...]
    #: placeholders when they are the whole value (brackets and punctuation around ignored)
    values: tuple[Entry, ...]
    patterns: tuple[Regex, ...] = ()

    @cached_property
    def _compiled(self) -> _Compiled:
        words = "|".join(re.escape(fold(w)) for w in self.words)
        return (
            tuple(fold(m) for m in self.marks),
            re.compile(rf"(?<![a-z0-9])(?:{words})(?![a-z0-9])") if words else None,
            frozenset(fold(v) for v in self.values),
            tuple(re.compile(p) for p in self.patterns),
        )

    def is_placeholder(self, value: str) -> bool:
        marks, words, values, patterns = self._compiled
        text = fold(value)
        bare = text.strip(_AROUND)
        return (
            not bare
            or bare in values
            or any(m in text for m in marks)
            or (words is not None and words.search(text) is not None)
            or any(p.search(text) for p in patterns)
        )


def load_placeholder_rules() -> PlaceholderRules:
    return load_rules("placeholders.yaml", PlaceholderRules)


def _quote(value: str) -> str:
    return value if len(value) <= _QUOTED else value[: _QUOTED - 1] + "…"


def _texts(spec: PipelineSpec) -> Iterator[tuple[str, str, str]]:
    """(YAML path, field, value) of every free-text metadata value that is set."""
    m = spec.metadata
    yield "metadata.title", "title", m.title
    yield "metadata.publisher", "publisher", m.publisher
    if m.description:
        yield "metadata.description", "description", m.description
    if m.contact is not None:
        yield "metadata.contact", "contact", m.contact
    for i, k in enumerate(m.keywords):
        yield f"metadata.keywords[{i}]", "keywords", k


def _same(a: str, b: str) -> bool:
    """Equal but for width, case, spaces, dots, hyphens and underscores."""
    def key(s: str) -> str:
        return re.sub(r"[\s._-]+", "", fold(s))

    return key(a) == key(b)


def publication_check(spec: PipelineSpec, input_path: Path, source: str) -> GateCheck:
    """Refuse placeholder metadata, a title that is only a file or pipeline name, and a
    municipality code that names no prefecture or municipality. ``source``: the pipeline file."""
    rules = load_placeholder_rules()
    m = spec.metadata
    problems: dict[str, str] = {}
    lines: list[str] = []
    for path, field, value in _texts(spec):
        if rules.is_placeholder(value):
            problems[path] = "placeholder"
            lines.append(
                _("{path}: a placeholder ({value}) — {advice}").format(
                    path=path, value=_quote(value), advice=ADVICE[field]
                )
            )
    if "metadata.title" not in problems:
        if _same(m.title, spec.name):
            problems["metadata.title"] = "equals_name"
            lines.append(
                _("metadata.title: equals the pipeline name — give the dataset's title")
            )
        elif _same(m.title, Path(input_path).stem) or _same(m.title, Path(input_path).name):
            problems["metadata.title"] = "equals_input_file"
            lines.append(
                _("metadata.title: equals the input file's name — give the dataset's title")
            )
    code = m.municipality_code
    if not is_known(code):
        problems["metadata.municipality_code"] = "unknown_code"
        lines.append(
            _(
                "metadata.municipality_code: {code} is not a 全国地方公共団体コード of any "
                "prefecture or municipality — {advice}"
            ).format(code=code, advice=ADVICE["municipality_code"])
        )
    if problems:
        detail = "; ".join(lines) + _(" (metadata: in {file})").format(file=Path(source).name)
        return GateCheck("publication", False, detail, {"problems": problems})
    detail = _(
        "publication metadata complete (title, publisher, 全国地方公共団体コード {code} {name})"
    ).format(code=code, name=name_of(code))
    return GateCheck("publication", True, detail, {"problems": {}})
