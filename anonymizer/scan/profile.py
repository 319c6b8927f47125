"""Profile each column of a table: role, expected entity, entity counts, masked examples.

The role comes from the header synonyms when one matches; otherwise from the values
(sampled deterministically): cells mostly made of one personal entity → an identifier,
long or sentence-like cells → free text, unique code-like values → a linking code (a direct
identifier: APPI 匿名加工 step 3), anything else → other.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from tqdm import tqdm

from anonymizer.detect.finding import Finding
from anonymizer.entities import FREE_TEXT_ONLY, NOT_PERSONAL, ORGANIZATION
from anonymizer.i18n import _
from anonymizer.io import read_table
from anonymizer.labels import load_labels
from anonymizer.policy.rules import load_policy_rules
from anonymizer.scan.examples import mask_example
from anonymizer.scan.headers import HeaderRules, load_header_rules, match_header, match_values
from anonymizer.text.dates import load_date_grammar

if TYPE_CHECKING:  # the detector (Presidio, spaCy) is only passed in: the CLI stays light
    from anonymizer.detect import Detector
    from anonymizer.io import Table

_QUASI_ENTITIES = {"AGE", "DATE_OF_BIRTH", "JP_POSTAL_CODE"}
_CODE = re.compile(r"^[A-Za-z0-9\-_/]+$")
_SENTENCE = re.compile(r"[。、！？]")
DEFAULT_SAMPLE = 1000
#: a code shared by at most this many rows on average (a household's members, a case's
#: records), of at least this many characters, is a linking code when no header rule knows it
CODE_MAX_ROWS = 5
CODE_MIN_LENGTH = 4
N_EXAMPLES = 3


@dataclass(frozen=True)
class ColumnProfile:
    name: str
    role: str
    role_source: str  # "header" | "values"
    entity: str | None
    rows: int
    non_empty: int
    distinct: int
    sampled: int
    entities: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    #: what the values alone say, whatever the header matched (the policy reads both)
    value_role: str = "other"
    value_entity: str | None = None
    #: the kind of values a value rule of rules/headers.yaml read (sex, relationship, age …)
    value_kind: str | None = None
    #: the header rule's role, if a header synonym matched
    header_role: str | None = None
    #: a low-cardinality column's categories with their counts (every shown count ≥ the
    #: policy's k; the rarer ones together as その他): [(value, count)]
    categories: list[tuple[str, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "role": self.role,
            "role_source": self.role_source,
            "entity": self.entity,
            "value_role": self.value_role,
            "value_entity": self.value_entity,
            "value_kind": self.value_kind,
            "rows": self.rows,
            "non_empty": self.non_empty,
            "distinct": self.distinct,
            "sampled": self.sampled,
            "entities": dict(self.entities),
            "examples": list(self.examples),
            "categories": [{"value": v, "count": n} for v, n in self.categories],
        }


#: a column with at most this many distinct values is shown by its categories
CATEGORY_MAX = 12
#: the label of the rarer categories taken together
OTHERS = "その他"


def categories(values: pd.Series, k: int) -> list[tuple[str, int]]:
    """Each category of ``values`` held by at least ``k`` cells, most frequent first, and the
    others together as その他 (their values not shown: a category of fewer than k cells can
    single someone out); [] for a column of more than :data:`CATEGORY_MAX` values."""
    counts = values.value_counts(sort=True)
    if not 0 < len(counts) <= CATEGORY_MAX:
        return []
    shown = [(str(v), int(n)) for v, n in counts.items() if n >= k]
    rest = int(counts[counts < k].sum())
    return shown + ([(OTHERS, rest)] if rest else [])


@dataclass(frozen=True)
class ScanResult:
    file: str
    encoding: str | None
    delimiter: str | None
    rows: int
    mode: str
    columns: list[ColumnProfile]
    #: the 1-based row the header was read from (rows above: a title, skipped)
    header_row: int = 1
    #: workbook columns whose bare numbers were read as Excel date serials
    serial_dates: tuple[str, ...] = ()
    #: a workbook of several sheets: the position of the sheet read (0 = the first), and
    #: how many there are
    sheet: int | None = None
    sheets: int = 1

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows": self.rows,
            "mode": self.mode,
            "header_row": self.header_row,
            "serial_dates": list(self.serial_dates),
            "sheet": self.sheet,
            "sheets": self.sheets,
            "columns": [c.to_dict() for c in self.columns],
        }


def scan_file(
    path: Path | str,
    detector: Detector,
    sample: int = DEFAULT_SAMPLE,
    encoding: str | None = None,
    sheet: str | int | None = None,
    progress: bool = False,
) -> ScanResult:
    table = read_table(path, encoding=encoding, sheet=sheet, choose_sheet=True)
    return scan_table(table, path, detector, sample, progress=progress)


def scan_table(
    table: Table,
    path: Path | str,
    detector: Detector,
    sample: int = DEFAULT_SAMPLE,
    progress: bool = False,
) -> ScanResult:
    """Profile an already-read table (``init`` keeps the table to try its proposal on)."""
    cols = scan_frame(table.frame, detector, sample, progress=progress)
    return ScanResult(
        str(path), table.encoding, table.delimiter, len(table.frame), detector.mode, cols,
        table.header_row, table.serial_dates, table.sheet, table.sheets,
    )


def scan_frame(
    frame: pd.DataFrame,
    detector: Detector,
    sample: int = DEFAULT_SAMPLE,
    header_rules: HeaderRules | None = None,
    progress: bool = False,
) -> list[ColumnProfile]:
    """``progress``: a tqdm bar over the columns on stderr (headers are not shown on it)."""
    rules = header_rules or load_header_rules()
    labels = load_labels()
    policy_k = load_policy_rules().k
    out = []
    bar = tqdm(frame.columns, desc=_("scan"), unit=_("columns"), disable=not progress, leave=False)
    for name in bar:
        series = frame[name].astype("string").fillna("")
        values = series[series.str.strip() != ""]
        sampled = values.sample(n=min(sample, len(values)), random_state=0) if len(values) else values
        cells = sampled.tolist()
        findings = list(detector.detect_cells(cells, header=str(name)))
        match = match_header(str(name), rules)
        counts: Counter[str] = Counter(f.type for found in findings for f in found)
        distinct = int(values.nunique())
        value_role, value_entity, value_kind = infer_values(
            cells, findings, distinct, len(values), rules, header_known=match is not None,
            header=str(name),
        )
        if match is not None:
            role, entity, source = match.role, match.entity, "header"
        else:
            role, entity, source = value_role, value_entity, "values"
        free = role == "free_text"
        # categories only where nothing personal was found and the role is not identifying
        # (a 要配慮 category or a workplace is what a structured column is declared to hold)
        personal = set(counts) - FREE_TEXT_ONLY
        plain = role not in ("direct_identifier", "free_text") and not personal
        cats = categories(values, policy_k) if plain else []
        examples = []
        for cell, found in zip(cells, findings, strict=True):
            ex = mask_example(cell, found, labels, free_text=free)
            if ex not in examples:
                examples.append(ex)
            if len(examples) >= N_EXAMPLES:
                break
        out.append(
            ColumnProfile(
                name=str(name),
                role=role,
                role_source=source,
                entity=entity,
                rows=len(series),
                non_empty=len(values),
                distinct=distinct,
                sampled=len(cells),
                entities=dict(sorted(counts.items())),
                examples=examples,
                value_role=value_role,
                value_entity=value_entity,
                value_kind=value_kind,
                header_role=match.role if match is not None else None,
                categories=cats,
            )
        )
    return out


def _covers(f: Finding, cell: str) -> bool:
    """Does the finding cover most of the cell (at least 60 % of its trimmed length)?"""
    return (f.end - f.start) / (len(cell.strip()) or 1) >= 0.6


def infer_values(
    cells: list[str],
    findings: list[list[Finding]],
    distinct: int,
    non_empty: int,
    rules: HeaderRules | None = None,
    header_known: bool = False,
    header: str = "",
) -> tuple[str, str | None, str | None]:
    """Role, dominant entity and — when a value rule of rules/headers.yaml decided it — the
    kind of values (sex, age …) of a column whose header is not in the rules. Value rules and
    shared codes are read only under such a header (``header_known`` False): a header rule
    (件数, 性別) says what its column is better than its small numbers do."""
    if not cells:
        return "other", None, None
    covering: Counter[str] = Counter()
    partial = 0
    dates = public = organizations = 0
    grammar = load_date_grammar()
    for cell, found in zip(cells, findings, strict=True):
        if any(f.type == "DATE" and _covers(f, cell) for f in found) or (
            not found and grammar.parse(cell) is not None  # a cell's own forms: 2024-05
        ):
            dates += 1
        if any(f.type in NOT_PERSONAL for f in found):
            public += 1  # 法人番号: a public register's number, not a linking code of ours
        if any(f.type == ORGANIZATION and _covers(f, cell) for f in found):
            organizations += 1
        # 要配慮 categories and workplaces do not make a column an identifier or free text
        personal = [f for f in found if f.type not in NOT_PERSONAL | FREE_TEXT_ONLY]
        if not personal:
            continue
        best = max(personal, key=lambda f: f.end - f.start)
        if _covers(best, cell):
            covering[best.type] += 1
        else:
            partial += 1
    n = len(cells)
    mean_len = sum(len(c) for c in cells) / n
    if covering and sum(covering.values()) / n >= 0.3:
        entity = covering.most_common(1)[0][0]
        role = "quasi_identifier" if entity in _QUASI_ENTITIES else "direct_identifier"
        return role, entity, None
    if dates / n >= 0.5:
        return "quasi_identifier", None, None  # event dates (受付日, 転入日) narrow people down
    sentence_like = sum(1 for c in cells if _SENTENCE.search(c)) / n
    if mean_len >= 20 or sentence_like >= 0.3 or partial / n >= 0.05:
        return "free_text", None, None
    if non_empty >= 20 and distinct / non_empty >= 0.9 and all(_CODE.match(c.strip()) for c in cells[:200]):
        return "direct_identifier", None, None  # a unique code: a linking code (APPI step 3)
    if header_known:
        return "other", None, None
    if organizations / n >= 0.5:  # a person's 勤務先 or 学校 (a list of businesses too: kept
        return "quasi_identifier", None, "organization"  # or removed by the search)
    rule = match_values(cells, rules, header)  # a person's sex, 続柄, age kept as they came
    if rule is not None:
        return rule.role, rule.entity, rule.kind
    if public / n < 0.5 and _shared_code(cells, distinct, non_empty):
        return "direct_identifier", None, None  # a household or case number: a linking code too
    return "other", None, None


def _shared_code(cells: list[str], distinct: int, non_empty: int) -> bool:
    """Codes a few rows each share (世帯番号, ケース番号 under a header no rule knows): many
    distinct values of at least :data:`CODE_MIN_LENGTH` characters with digits, on at most
    :data:`CODE_MAX_ROWS` rows each on average."""
    if non_empty < 20 or distinct < 20 or non_empty / distinct > CODE_MAX_ROWS:
        return False
    return all(
        _CODE.match(v) and len(v) >= CODE_MIN_LENGTH and any(ch.isdigit() for ch in v)
        for v in (c.strip() for c in cells[:200])
    )
