"""``init``: a proposed pipeline for a file that passes its own gate.

Direct identifiers are dropped (pseudonymize is suggested in a comment: it needs a key), free
text is dropped (masking is a commented alternative: released free text needs a review), and
every quasi-identifier — declared by its header or recognised from its values, exactly as the
gate's policy will measure it — goes into one ``kanonymity`` step with the hierarchy that fits
it (``rules/propose.yaml``), k and the suppression limit of ``rules/policy.yaml``. Each
candidate is tried on every value of the column before it is proposed, so the proposal runs on
the file it was made from; a column with no known hierarchy gets ``flat`` (kept or removed), so
the policy is always reachable and the optimal search decides what to give up. A column that
identifies a person becomes the person column; ages are taken at the record's own date.

``init`` also hands over the profiles the gate itself will compute (its detector, its sample),
so a column the gate will measure or treat as free text is treated so here too, and a column
kept as it is must hold no personal information in any of its distinct values (the gate
re-scans every one of them): one that does is dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.errors import AnonymizerError
from anonymizer.i18n import N_, _, get_language
from anonymizer.kanon.search import MAX_NODES
from anonymizer.pipeline.publication import MetadataFile
from anonymizer.policy.columns import quasi_reason
from anonymizer.policy.rules import PolicyRules, load_policy_rules
from anonymizer.rules import load_rules
from anonymizer.scan.headers import match_header, normalize_header
from anonymizer.scan.profile import ColumnProfile, ScanResult

_SLUG = re.compile(r"[^a-z0-9_-]+")
_UNPRINTABLE = re.compile(r"[^\x20-\x7e]")
#: what init writes where no metadata was given (placeholders, which the gate refuses, and
#: the default licence), and the comment it adds
_UNSET = {
    "publisher": (
        "（要記入）", "        # ", N_("to fill in: the publishing municipality and department")
    ),
    "license": ("CC-BY-4.0", "           # ", N_("or PDL-1.0")),
    "municipality_code": ("000001", "  # ", N_("to fill in: 全国地方公共団体コード (6 digits)")),
}
Kind = Literal[
    "birth_date_at_event",
    "birth_date",
    "age",
    "event_date",
    "postal_code",
    "address",
    "household_size",
    "category",
]


class Comment(Frozen):
    """A comment init writes, in both of the steward's languages (rules are data, so their
    words are here rather than in the message catalogs)."""

    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def text(self) -> str:
        return self.ja if get_language() == "ja" else self.en


class Candidate(Frozen):
    actions: tuple[str | dict[str, dict[str, Any] | None], ...] = Field(min_length=1)
    hierarchy: str | None = None
    comment: Comment


class AlwaysDropped(Frozen):
    headers: tuple[str, ...] = Field(min_length=1)
    comment: Comment


class ProposeRules(Frozen):
    version: Literal[1]
    kinds: dict[Kind, tuple[Candidate, ...]]
    #: headers of household-size columns (their values are counts with a hierarchy of their own)
    household_headers: tuple[str, ...] = ("世帯人数", "世帯人員")
    #: columns proposed dropped whatever their values are, each with the comment saying why
    #: (本籍: even cut to the 町字 it can point at a 社会的身分)
    always_dropped: tuple[AlwaysDropped, ...] = ()

    def dropped(self, header: str) -> AlwaysDropped | None:
        key = normalize_header(header)
        return next(
            (d for d in self.always_dropped if key in {normalize_header(h) for h in d.headers}),
            None,
        )


def load_propose_rules() -> ProposeRules:
    return load_rules("propose.yaml", ProposeRules)


def slug(text: str) -> str:
    s = _SLUG.sub("-", text.lower()).strip("-_")
    return s[:64] if s and s[0].isalnum() else "dataset"


def yaml_str(text: str) -> str:
    """A double-quoted YAML scalar: JSON's quoting, with unprintable characters escaped too
    (a raw U+2028 would be read as a line break)."""
    return _UNPRINTABLE.sub(
        lambda m: m.group() if m.group().isprintable() else f"\\U{ord(m.group()):08x}",
        json.dumps(text, ensure_ascii=False),
    )


def metadata_fields(
    given: MetadataFile | None, stem: str
) -> tuple[dict[str, str | None], dict[str, str]]:
    """The metadata values to write (YAML scalars) and a 要記入 comment for each placeholder:
    what was not given stays a placeholder, and the gate refuses it."""
    g = given or MetadataFile()
    values: dict[str, str | None] = {
        "title": yaml_str(g.title or stem),
        "description": yaml_str(g.description or ""),
        "contact": yaml_str(g.contact) if g.contact else None,
        "keywords": "[" + ", ".join(map(yaml_str, g.keywords)) + "]" if g.keywords else None,
    }
    notes = {"title": "" if g.title else "           # " + _("to fill in: the dataset's title")}
    for key, (placeholder, pad, note) in _UNSET.items():
        value = getattr(g, key)
        values[key] = yaml_str(value or placeholder)
        notes[key] = "" if value else pad + _(note)
    return values, notes


def _entity(col: ColumnProfile) -> str | None:
    if col.entity is None and col.role_source == "header" and col.value_entity == "PERSON":
        return None  # a header that names a category (町丁): 石田 or 谷保 there is a place
    return col.entity or col.value_entity


def _dates(col: ColumnProfile) -> bool:
    return col.entities.get("DATE", 0) + col.entities.get("DATE_OF_BIRTH", 0) >= max(
        1, col.sampled // 2
    ) or (
        col.value_role == "quasi_identifier" and col.value_entity is None and col.value_kind is None
    )


def kind_of(col: ColumnProfile, rules: ProposeRules, event: str | None) -> Kind:
    entity = _entity(col)
    if entity == "DATE_OF_BIRTH":
        return "birth_date_at_event" if event is not None else "birth_date"
    if entity == "AGE":
        return "age"
    if entity == "JP_POSTAL_CODE":
        return "postal_code"
    if entity == "JP_ADDRESS":
        return "address"
    if normalize_header(col.name) in {normalize_header(h) for h in rules.household_headers}:
        return "household_size"
    if _dates(col):
        return "event_date"
    return "category"


def is_free(col: ColumnProfile) -> bool:
    return col.role == "free_text" or col.value_role == "free_text"


def is_quasi(col: ColumnProfile, policy: PolicyRules) -> bool:
    """What the gate will measure — plus addresses, which are released cut to the 町字."""
    if col.role == "sensitive" or is_free(col):
        return False
    if _entity(col) == "JP_ADDRESS":
        return True
    if col.role == "direct_identifier":
        return False
    return quasi_reason(col.role, col, policy) is not None


def person_column(scan: ScanResult) -> str | None:
    """The first column whose header says it identifies a person and that is never empty."""
    for col in scan.columns:
        match = match_header(col.name)
        if match is not None and match.person and col.non_empty == col.rows and col.rows:
            return col.name
    return None


def name_person_column(scan: ScanResult) -> str | None:
    """Without a column that identifies a person: the first whole-name column (a PERSON
    column, not one part of a name) that is never empty and whose names repeat — a person with
    several rows (a consultation log's repeat visitors) would otherwise count as several
    persons, and a class of k rows could be one person. Two people of one name then count as
    one: classes are counted smaller, never larger, than they are."""
    parts = name_parts_of(scan)
    for col in scan.columns:
        if (
            col.entity == "PERSON"
            and col.role == "direct_identifier"
            and col.name not in parts
            and col.rows
            and col.non_empty == col.rows
            and col.distinct < col.non_empty
        ):
            return col.name
    return None


def _substitute(value: Any, event: str | None) -> Any:
    if isinstance(value, str):
        return value.replace("{event}", event or "")
    if isinstance(value, dict):
        return {k: _substitute(v, event) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_substitute(v, event) for v in value]
    return value


def fits(column: str, actions: list[Any], hierarchy: str | None, frame: pd.DataFrame) -> int | None:
    """Do the actions apply to every value of ``column`` and does the hierarchy place every
    result? (The run would otherwise stop on the first value that does not fit.) The number
    of generalization levels the column brings to the search (1 without a hierarchy), or
    None when it does not fit."""
    from anonymizer.kanon.resolve import resolve_hierarchy
    from anonymizer.operators import OperatorContext, build_operator

    values = frame[column].astype("string")
    try:
        for i, action in enumerate(actions):
            name, params = (action, {}) if isinstance(action, str) else next(iter(action.items()))
            if name == "drop":
                return 1
            op = build_operator(name, dict(params or {}), OperatorContext(column=column), f"[{i}]")
            refs = {r: frame[r].astype("string") for r in op.references()}
            values = op.apply_with(values, refs)
        if hierarchy is None:
            return 1
        distinct = [str(v) for v in pd.unique(values.fillna("").astype(object))]
        return resolve_hierarchy(hierarchy, column, distinct).height + 1
    except AnonymizerError:
        return None


def _choose(
    col: ColumnProfile, kind: Kind, frame: pd.DataFrame | None, event: str | None, rules: ProposeRules
) -> tuple[list[Any], str | None, str, int]:
    """(actions, hierarchy, comment, levels) of the first candidate that fits."""
    candidates = rules.kinds[kind]
    for cand in candidates:
        actions = _substitute(list(cand.actions), event)
        levels = 1 if frame is None else fits(col.name, actions, cand.hierarchy, frame)
        if levels is not None:
            return actions, cand.hierarchy, _substitute(cand.comment.text(), event), levels
    return ["drop"], None, _("dropped: a value fits none of the candidate generalizations"), 1


def actions_for(col: ColumnProfile, personal: bool = False) -> tuple[list[Any], str]:
    """Default actions of a column that is not a quasi-identifier, and the comment.
    ``personal``: its values hold personal information (so it is not kept as it is)."""
    role, entity = col.role, col.entity
    if role == "direct_identifier":
        hint = (
            _(
                "to link rows, [pseudonymize] with person_column (pseudonyms per person under "
                "a per-release key)"
            )
            if entity is None
            else _("dropped: a direct identifier")
        )
        return ["drop"], hint
    if is_free(col):
        return ["drop"], _(
            "dropped: free text cannot be measured by k. To release it, use actions: "
            "[mask_text] and write in review: the role of who checked it and why"
        )
    if personal:
        return ["drop"], _(
            "dropped: personal information was found in its values (to release it, check the "
            "values and choose a transformation)"
        )
    if role == "sensitive":
        return ["keep"], _(
            "a sensitive attribute: mind its combinations with the quasi-identifiers "
            "(consider ℓ-diversity)"
        )
    return ["keep"], _("other: released as it is; check that it says nothing about a person")


def name_parts_of(scan: ScanResult) -> dict[str, str]:
    """PERSON columns whose header names one part of a name (申請者姓, 申請者名) and that pair
    with a column holding the other part: {column: family | given}."""
    from anonymizer.match.names import pair_name_parts
    from anonymizer.scan.headers import name_part

    found = [
        (c.name, kind) for c in scan.columns
        if c.entity == "PERSON" and (kind := name_part(c.name)) is not None
    ]  # fmt: skip
    paired = {c for pair in pair_name_parts(found) for c in pair}
    return {c: kind for c, kind in found if c in paired}


def propose(
    scan: ScanResult,
    pipeline_path: Path,
    name: str | None,
    frame: pd.DataFrame | None = None,
    gate_view: Sequence[ColumnProfile] = (),
    personal: Callable[[str], bool] | None = None,
    metadata: MetadataFile | None = None,
) -> str:
    """The pipeline YAML for ``scan``.

    ``frame`` (the scanned table): every proposed generalization is tried on all values
    first. ``gate_view``: the profiles the release gate will compute for these columns.
    ``personal(column)``: do the column's values hold personal information (the gate's
    re-scan) — asked only of columns that would be kept as they are. ``metadata``: the
    publication metadata given to init; what it lacks is written as a placeholder."""
    rules, policy = load_propose_rules(), load_policy_rules()
    base = pipeline_path.parent.resolve()
    rel = os.path.relpath(Path(scan.file).resolve(), base)
    pname = name or slug(pipeline_path.stem)
    gate = {g.name: g for g in gate_view}
    quasi = {
        c.name
        for c in scan.columns
        if (is_quasi(c, policy) or (c.name in gate and is_quasi(gate[c.name], policy)))
        and rules.dropped(c.name) is None
    }
    free = {c.name for c in scan.columns if is_free(c) or (c.name in gate and is_free(gate[c.name]))}
    event = next(
        (c.name for c in scan.columns if c.name in quasi and kind_of(c, rules, None) == "event_date"),
        None,
    )
    columns, qis = [], {}
    parts = name_parts_of(scan)
    lattice = 1  # transformations the optimal search would have to consider
    for col in scan.columns:
        role = col.role
        if col.name in quasi and col.name not in free:
            kind = kind_of(col, rules, event)
            actions, hierarchy, comment, levels = _choose(col, kind, frame, event, rules)
            lattice *= levels
            role = "quasi_identifier"
            if hierarchy is not None:
                qis[col.name] = hierarchy
        elif (always := rules.dropped(col.name)) is not None:
            actions, comment = ["drop"], always.comment.text()
        else:
            if col.name in free:
                role = "free_text"
            kept = role in ("other", "sensitive")
            found = kept and personal is not None and personal(col.name)
            actions, comment = actions_for(replace(col, role=role), found)
        found = ", ".join(f"{k}×{v}" for k, v in col.entities.items()) or _("none")
        entity = _entity(col) if col.name in quasi else col.entity
        columns.append({
            "name": json.dumps(col.name, ensure_ascii=False),
            "role": role,
            "entity": json.dumps(entity) if entity else None,
            "name_part": parts.get(col.name),
            "actions": json.dumps(actions, ensure_ascii=False),
            "comment": _("{comment} (decided by: {source}; found: {found})").format(
                comment=comment, source=col.role_source, found=found
            ),
        })
    env = Environment(
        loader=PackageLoader("anonymizer.pipeline", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # the comments in the steward's language: {% trans %} blocks from the catalog
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_, ngettext=lambda s, p, n: _(s if n == 1 else p), newstyle=False
    )
    person = person_column(scan)
    by_name = person is None and (person := name_person_column(scan)) is not None
    meta, notes = metadata_fields(metadata, Path(scan.file).stem)
    return env.get_template("pipeline.yaml.j2").render(
        name=pname,
        file=json.dumps(Path(scan.file).name, ensure_ascii=False),
        input_path=json.dumps(rel, ensure_ascii=False),
        encoding=json.dumps(scan.encoding or "auto"),
        header_row=scan.header_row,
        sheet=scan.sheet,
        sheets=scan.sheets,
        mode=scan.mode,
        columns=columns,
        person=json.dumps(person, ensure_ascii=False) if person else None,
        person_by_name=by_name,
        qis=[(json.dumps(c, ensure_ascii=False), h) for c, h in qis.items()],
        # too many combinations of levels for the optimal search: Mondrian local recoding
        local=lattice > MAX_NODES,
        k=policy.k,
        suppression=policy.max_suppression,
        output_file=json.dumps(f"{pname}.csv"),
        m=meta,
        notes=notes,
        issued=dt.date.today().isoformat(),
    )
