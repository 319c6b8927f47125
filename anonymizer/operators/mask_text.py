"""``mask_text``: every detected span in free text replaced per entity type.

Default replacement is the entity's label (＜氏名＞, ＜電話番号＞). Detection uses the run's
shared detector with the column header as context; each distinct cell is analysed once.
Overlapping findings are merged into one replaced region, so no character of either stays.

The record itself: every value of the pipeline's identifier columns (given as
``OperatorContext.extras["identifiers"]``: {column: entity}; addresses kept as
quasi-identifiers only with a street number) is looked for
(:class:`anonymizer.match.RecordMatcher`) — whole values in every row, name parts in
their own row, whatever the spacing, kana or separators — and masked with its column's label,
in the text as written together with the detector's findings (neither can then mask part of
what the other reads whole and leave the rest), and again in what was left.
A value split over two free-text cells of one row (``extras["free_text_columns"]``: half a My
Number in 相談内容, the rest in 備考) is found across the two and its part here masked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from typing import Any, Literal

import pandas as pd
from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.detect.finding import Finding
from anonymizer.entities import PERSONAL, EntityName
from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.labels import load_labels
from anonymizer.match import DENY, DenyList, RecordMatcher
from anonymizer.match.names import joined_names
from anonymizer.match.split import surname_split
from anonymizer.operators.base import Operator, OperatorContext, register


class MaskTextParams(Frozen):
    #: entity types to replace (default: every personal entity)
    entities: tuple[EntityName, ...] = PERSONAL
    #: label: ＜氏名＞; fill: the same number of ``fill_char``; redact: removed
    style: Literal["label", "fill", "redact"] = "label"
    fill_char: str = Field(default="＊", min_length=1, max_length=1)


MAX_ROUNDS = 3
#: the key of a row's own item in ``apply`` (a row with spans of its own)
_ROW = object()


@register("mask_text")
class MaskText(Operator):
    Params = MaskTextParams

    def __init__(self, params: MaskTextParams, context: OperatorContext) -> None:
        super().__init__(params, context)
        #: findings replaced, per entity type, counted over rows (for the report)
        self.stats: Counter[str] = Counter()
        labels = load_labels()
        self._placeholders = {e: labels.placeholder(e) for e in labels.labels}
        self._generic = labels.generic_placeholder()
        #: the pipeline's direct-identifier columns: {column: entity}
        self._identifiers: dict[str, str | None] = dict(context.extras.get("identifiers", {}))
        #: of those, address columns whose values count only with a street number
        self._numbered_only = frozenset(context.extras.get("numbered_only", ()))
        #: (family, given) columns holding the two parts of one name
        self._name_pairs: tuple[tuple[str, str], ...] = tuple(context.extras.get("name_pairs", ()))
        #: the steward's deny-list for this column (gate.deny)
        self._deny = DenyList(context.extras.get("deny", ()))
        #: the pipeline's other free-text columns: a value may continue in them
        self._neighbours: tuple[str, ...] = tuple(
            c for c in context.extras.get("free_text_columns", ()) if c != context.column
        )
        #: whole values of rows not given, found in the texts given (key → column, entity):
        #: set by an engine that applies the operator to part of the table (a Spark batch)
        self.foreign: dict[str, tuple[str, str | None]] = {}

    def references(self) -> tuple[str, ...]:
        return tuple(self._identifiers) + tuple(
            c for c in self._neighbours if c not in self._identifiers
        )

    def apply_with(self, values: pd.Series, refs: Mapping[str, pd.Series]) -> pd.Series:
        columns = {c: refs[c] for c in self._identifiers if c in refs}
        # a name in two columns: the row's joined name is a value, a part alone is not
        joined = joined_names(columns, self._name_pairs)
        entities = {**self._identifiers, **dict.fromkeys(joined, "PERSON")}
        columns |= joined
        names = [c for c in columns if entities[c] == "PERSON"]
        matcher = RecordMatcher(
            columns, entities, names, split_name=surname_split,
            numbered_only=self._numbered_only,
            part_columns={c for pair in self._name_pairs for c in pair},
            whole_keys=self.foreign,
        )
        if not columns or not len(matcher):
            return self.apply(values)
        # the record's values and the detector's findings, both in the text as written, masked
        # together: a whole value is found before the detector masks a part of it (an address
        # up to its street number, leaving the building and room), and the detector reads the
        # whole address before a record value masks a part of it (the 番地 column's 5-12,
        # leaving 仙台市青葉区山手町 that no longer reads as an address)
        out = self.apply(values, self._record_spans(values, matcher))
        # then in what was left
        out = self._record_values(out, matcher)
        neighbours = [refs[c] for c in self._neighbours if c in refs]
        if neighbours:
            out = self._across(out, neighbours, matcher)
        return out

    def _record_spans(
        self, values: pd.Series, matcher: RecordMatcher
    ) -> dict[Hashable, list[Finding]]:
        """Per row (only rows with one): the record's identifier values found in its text."""
        out: dict[Hashable, list[Finding]] = {}
        for row, text in values.dropna().items():
            found = matcher.find(text, int(row)) if text else []  # type: ignore[arg-type]
            if found:
                out[row] = [Finding(m.entity or "", m.start, m.end, 1.0, "record") for m in found]
        return out

    def _record_values(self, values: pd.Series, matcher: RecordMatcher) -> pd.Series:
        """``values`` with the record's identifier values masked, each in its row."""
        out = values.copy()
        for row, spans in self._record_spans(values, matcher).items():
            out.at[row] = self._mask(values.at[row], spans)
            for f in spans:
                self.stats[f.type or "RECORD_VALUE"] += 1
        return out

    def _across(
        self, out: pd.Series, neighbours: list[pd.Series], matcher: RecordMatcher
    ) -> pd.Series:
        """Mask the part held here of a value split between this cell and another free-text
        cell of the same row (either order)."""
        out = out.copy()
        for row, text in out.dropna().items():
            if not text:
                continue
            spans = []
            for other in neighbours:
                raw = other.get(row)
                if not isinstance(raw, str) or not raw:
                    continue
                _theirs, mine, entity = matcher.crossing(raw, text, int(row))  # type: ignore[arg-type]
                if mine is not None:
                    spans.append(Finding(entity or "", mine[0], mine[1], 1.0, "record"))
                mine, _theirs, entity = matcher.crossing(text, raw, int(row))  # type: ignore[arg-type]
                if mine is not None:
                    spans.append(Finding(entity or "", mine[0], mine[1], 1.0, "record"))
            if spans:
                out.at[row] = self._mask(text, spans)
                for f in spans:
                    self.stats[f.type or "RECORD_VALUE"] += 1
        return out

    def apply(
        self, values: pd.Series, extra: Mapping[Hashable, list[Finding]] | None = None
    ) -> pd.Series:
        """``extra``: spans to mask with the detector's in some rows (the record's values)."""
        detector = self.context.detector
        if detector is None:
            raise ConfigError(
                _("columns.{column}: mask_text needs a detector").format(column=self.context.column)
            )
        wanted = frozenset(self.params.entities)
        extra = extra or {}
        present = values.dropna()
        uniques = [u for u in pd.unique(present).tolist() if u != ""]
        # one item per distinct text, and one per row with spans of its own (key: ROW, row)
        plain = present.drop(index=list(extra)) if extra else present
        tally = plain.value_counts()
        counts: dict[Hashable, int] = dict(zip(tally.index.tolist(), tally.tolist(), strict=True))
        header = self.context.column
        mapping: dict[Hashable, str] = {}
        per_type: dict[str, int] = {}
        findings = dict(zip(uniques, detector.detect_cells(uniques, header=header), strict=True))
        items: list[tuple[Hashable, str, list[Finding]]] = [
            (text, text, []) for text in uniques if text in counts
        ]
        items += [((_ROW, row), values.at[row], spans) for row, spans in extra.items()]
        for key, text, spans in items:
            found = [f for f in findings.get(text, ()) if f.type in wanted] + spans
            mapping[key] = self._mask(text, found)
            n = counts.setdefault(key, 1)
            # a value both the detector and the record found is one masked region, counted once
            for _start, _end, etype in _regions(found) if found else ():
                per_type[etype or "RECORD_VALUE"] = per_type.get(etype or "RECORD_VALUE", 0) + n
        self.stats.update(per_type)
        # Masking changes context (a date next to a masked birth date may now read as one).
        # Re-detect the masked text with the patterns+morphology detector — the one the
        # release gate re-scans with, so its cache makes the gate's pass nearly free — and
        # mask again until nothing new is found.
        light = self.context.extras.get("rescan_detector") or detector
        pending = list(mapping)
        for _round in range(MAX_ROUNDS):
            current = [mapping[k] for k in pending]
            again = []
            rescanned = light.detect_cells(current, header=header)
            for key, masked, found in zip(pending, current, rescanned, strict=True):
                kept = [f for f in found if f.type in wanted]
                if kept:
                    mapping[key] = self._mask(masked, kept)
                    again.append(key)
            if not again:
                break
            pending = again
        if self._deny:  # what the steward named, whatever the detector said
            for key, masked in mapping.items():
                hits = self._deny.find(masked)
                if hits:
                    spans = [Finding(m.entity or DENY, m.start, m.end, 1.0, "deny") for m in hits]
                    mapping[key] = self._mask(masked, spans)
                    for f in spans:
                        self.stats[f.type] += counts[key]
        out = values.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)
        for row in extra:
            out.at[row] = mapping[(_ROW, row)]
        return out.astype("string")

    def _mask(self, text: str, found: list[Finding]) -> str:
        if not found:
            return text
        labels, style = self._placeholders, self.params.style
        out: list[str] = []
        pos = 0
        for start, end, etype in _regions(found):
            out.append(text[pos:start])
            if style == "label":
                out.append(labels.get(etype, self._generic))
            elif style == "fill":
                out.append(self.params.fill_char * (end - start))
            pos = end
        out.append(text[pos:])
        return "".join(out)


def _regions(found: list[Finding]) -> list[tuple[int, int, str]]:
    """Spans to replace: overlapping findings merged, each typed by its best-scoring finding."""
    pos = 0
    for f in found:
        if f.start < pos:
            break
        pos = f.end
    else:  # the detector's usual output: in order and apart, each finding its own region
        return [(f.start, f.end, f.type) for f in found]
    regions: list[list[Any]] = []  # start, end, type, score
    for f in sorted(found, key=lambda f: (f.start, -f.end)):
        if regions and f.start < regions[-1][1]:
            last = regions[-1]
            if f.end > last[1]:
                last[1] = f.end
            if f.score > last[3]:
                last[2], last[3] = f.type, f.score
        else:
            regions.append([f.start, f.end, f.type, f.score])
    return [(r[0], r[1], r[2]) for r in regions]
