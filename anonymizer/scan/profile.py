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

import numpy as np
import pandas as pd
from tqdm import tqdm

from anonymizer.detect.finding import Finding
from anonymizer.entities import FREE_TEXT_ONLY, NOT_PERSONAL, ORGANIZATION
from anonymizer.i18n import _
from anonymizer.io import read_table
from anonymizer.labels import load_labels
from anonymizer.operators._common import blank_mask
from anonymizer.policy.rules import load_policy_rules
from anonymizer.scan.examples import mask_example
from anonymizer.scan.headers import HeaderRules, load_header_rules, match_header, match_values
from anonymizer.text.dates import load_date_grammar

if TYPE_CHECKING:  # the detector (Presidio, spaCy) is only passed in: the CLI stays light
    from anonymizer.detect import Detector
    from anonymizer.io import Table

_QUASI_ENTITIES = {"AGE", "DATE_OF_BIRTH", "JP_POSTAL_CODE"}
_CODE = re.compile(r"^[A-Za-z0-9\-_/]+$")
#: a record number written the Japanese way: letters, kana or kanji around its digits
#: (R3多立生食第00016号, 受付第123号, R6-相談-0012), no spaces — see :func:`_code_like`
_JA_CODE = re.compile(r"^[\w\-/#.・－]+$")
_LETTER_THEN_DIGIT = re.compile(r"[^\W\d][\-/#.・－]?\d")
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


def categories(counts: pd.Series | None, k: int) -> list[tuple[str, int]]:
    """Each category held by at least ``k`` cells (``counts``: cells per value in the order
    of their first row, or None for a column of more than :data:`CATEGORY_MAX` values), most
    frequent first (ties in the table's order), and the others together as その他 (their
    values not shown: a category of fewer than k cells can single someone out); [] for a
    column of more than :data:`CATEGORY_MAX` values."""
    if counts is None or not 0 < len(counts) <= CATEGORY_MAX:
        return []
    ordered = sorted(((str(v), int(n)) for v, n in counts.items()), key=lambda t: -t[1])
    shown = [(v, n) for v, n in ordered if n >= k]
    rest = sum(n for _v, n in ordered if n < k)
    return shown + ([(OTHERS, rest)] if rest else [])


#: the sample's order: a row's number times this, modulo 2**64 (Fibonacci hashing: the first
#: rows of that order are spread evenly over the table, and any engine computes the same)
_SPREAD = np.uint64(0x9E3779B97F4A7C15)


def sample_keys(rows: np.ndarray) -> np.ndarray:
    """The order a column's cells are sampled in, by row number: the smallest key first (ties,
    from the dropped lowest bit, by row number). Non-negative int64, so Spark sorts it too."""
    with np.errstate(over="ignore"):
        return ((np.asarray(rows).astype(np.uint64) * _SPREAD) >> np.uint64(1)).astype(np.int64)


def sample_cells(values: pd.Series, n: int) -> list[str]:
    """``n`` cells of ``values`` (by its index, the row numbers), in :func:`sample_keys`
    order: the same cells whichever engine holds the rows."""
    if not len(values):
        return []
    rows = values.index.to_numpy()
    order = np.lexsort((rows, sample_keys(rows)))[:n]
    return [str(v) for v in values.iloc[order].tolist()]


@dataclass(frozen=True)
class ColumnFacts:
    """What a column's profile is made from, counted wherever the rows are."""

    name: str
    rows: int
    #: cells not blank
    non_empty: int
    distinct: int
    #: cells per value, in the order of each value's first row, when the column has at most
    #: :data:`CATEGORY_MAX` values, else None
    counts: pd.Series | None
    #: the sampled cells, in :func:`sample_keys` order
    cells: list[str]


def column_facts(frame: pd.DataFrame, sample: int) -> list[ColumnFacts]:
    """:class:`ColumnFacts` of every column of ``frame`` (in this process)."""
    out = []
    for name in frame.columns:
        series = frame[name].astype("string")
        values = series[~blank_mask(series)]
        counts = values.value_counts(sort=False)  # in the order values first appear
        out.append(
            ColumnFacts(
                str(name), len(series), len(values), len(counts),
                counts if len(counts) <= CATEGORY_MAX else None, sample_cells(values, sample),
            )
        )  # fmt: skip
    return out


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
    return profile_columns(column_facts(frame, sample), detector, header_rules, progress)


def profile_columns(
    facts: list[ColumnFacts],
    detector: Detector,
    header_rules: HeaderRules | None = None,
    progress: bool = False,
) -> list[ColumnProfile]:
    """The profiles of columns from their :class:`ColumnFacts` (the sampled cells detected
    here): the same profile whichever engine counted the facts."""
    rules = header_rules or load_header_rules()
    labels = load_labels()
    policy_k = load_policy_rules().k
    out = []
    bar = tqdm(facts, desc=_("scan"), unit=_("columns"), disable=not progress, leave=False)
    for fact in bar:
        name, cells = fact.name, fact.cells
        findings = list(detector.detect_cells(cells, header=name))
        match = match_header(name, rules)
        counts: Counter[str] = Counter(f.type for found in findings for f in found)
        value_role, value_entity, value_kind = infer_values(
            cells, findings, fact.distinct, fact.non_empty, rules,
            header_known=match is not None, header=name,
        )  # fmt: skip
        if match is not None:
            role, entity, source = match.role, match.entity, "header"
        else:
            role, entity, source = value_role, value_entity, "values"
        free = role == "free_text"
        # categories only where nothing personal was found and the role is not identifying
        # (a 要配慮 category or a workplace is what a structured column is declared to hold)
        personal = set(counts) - FREE_TEXT_ONLY
        plain = role not in ("direct_identifier", "free_text") and not personal
        cats = categories(fact.counts, policy_k) if plain else []
        examples = []
        for cell, found in zip(cells, findings, strict=True):
            ex = mask_example(cell, found, labels, free_text=free)
            if ex not in examples:
                examples.append(ex)
            if len(examples) >= N_EXAMPLES:
                break
        out.append(
            ColumnProfile(
                name=name,
                role=role,
                role_source=source,
                entity=entity,
                rows=fact.rows,
                non_empty=fact.non_empty,
                distinct=fact.distinct,
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
    if (
        non_empty >= 20
        and distinct / non_empty >= 0.9
        and all(_code_like(c.strip()) for c in cells[:200])
    ):
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


def _code_like(value: str) -> bool:
    """A code, not a word or a quantity: ASCII letters, digits and ``-_/`` (A001234,
    2024-000001), or a Japanese record number — at least 3 digits, a third of its characters
    or more, with a letter, kana or kanji before a digit (R3多立生食第00016号, 受付第123号;
    not 1234円, 12人 or すし処山田2号店)."""
    if _CODE.match(value):
        return True
    digits = sum(ch.isdigit() for ch in value)
    return (
        digits >= 3
        and 3 * digits >= len(value)
        and _JA_CODE.match(value) is not None
        and _LETTER_THEN_DIGIT.search(value) is not None
    )


def _shared_code(cells: list[str], distinct: int, non_empty: int) -> bool:
    """Codes a few rows each share (世帯番号, ケース番号 under a header no rule knows): many
    distinct values of at least :data:`CODE_MIN_LENGTH` characters with digits, on at most
    :data:`CODE_MAX_ROWS` rows each on average."""
    if non_empty < 20 or distinct < 20 or non_empty / distinct > CODE_MAX_ROWS:
        return False
    return all(
        _code_like(v) and len(v) >= CODE_MIN_LENGTH and any(ch.isdigit() for ch in v)
        for v in (c.strip() for c in cells[:200])
    )
