"""The policy's two gate checks: ``reidentification`` and ``free_text_review``.

``reidentification``: every released class holds at least k persons and the records removed to
get there are at most the suppression limit. On failure the detail names the quasi-identifiers
that drive the small classes and what would fix it. ``free_text_review``: each released
free-text column has a review entry (role and reason). Both report counts, shares and column
names only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from anonymizer.i18n import _
from anonymizer.policy.columns import (
    Measured,
    Released,
    free_text_columns,
    measured_columns,
    unmeasured_columns,
)
from anonymizer.policy.measure import HeldTable, drivers
from anonymizer.policy.rules import PolicyRules, load_policy_rules
from anonymizer.steps.base import GateCheck

if TYPE_CHECKING:
    from anonymizer.pipeline.spec import PipelineSpec
    from anonymizer.scan.profile import ColumnProfile


@dataclass(frozen=True)
class Policy:
    """The policy in force for one release and where it came from."""

    k: int
    max_suppression: float
    #: "default" (rules/policy.yaml) or "pipeline" (set with a reason)
    source: str
    reason: str | None
    waivers: Mapping[str, str]
    person_column: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "max_suppression": self.max_suppression,
            "source": self.source,
            "reason": self.reason,
            "person_column": self.person_column,
            "counted_in": "persons" if self.person_column else "records",
        }


def policy_of(spec: PipelineSpec, rules: PolicyRules | None = None) -> Policy:
    rules = rules or load_policy_rules()
    p = spec.policy
    changed = (
        p.k is not None
        and p.k != rules.k
        or (p.max_suppression is not None and p.max_suppression != rules.max_suppression)
    )
    return Policy(
        k=p.k if p.k is not None else rules.k,
        max_suppression=p.max_suppression
        if p.max_suppression is not None
        else rules.max_suppression,
        source="pipeline" if changed else "default",
        reason=p.reason,
        waivers={w.column: w.reason for w in p.waivers},
        person_column=spec.person_column,
    )


def _pct(x: float) -> str:
    return f"{x:.0%}"


def reidentification(
    released: HeldTable,
    before_steps: HeldTable,
    columns: Mapping[str, Released],
    profiles: Mapping[str, ColumnProfile],
    policy: Policy,
    rows_in: int,
    has_kanonymity: Sequence[str],
    rules: PolicyRules | None = None,
    unselected: int = 0,
) -> tuple[GateCheck, list[Measured]]:
    """The policy check over the ``released`` table (released names), counted where its
    rows are (:class:`~anonymizer.policy.measure.HeldTable`: in persons when the pipeline has
    a person column).

    ``rows_in``: the rows the release is drawn from — the input's, less ``unselected``, the
    rows ``select_rows`` steps left out (outside what is published, not suppressed).

    ``before_steps`` is the table as the operators left it (source names): the drivers of a
    refusal are analysed there when nothing was released. ``has_kanonymity`` lists the source
    columns a kanonymity step generalized.
    """
    rules = rules or load_policy_rules()
    measured, waived = measured_columns(columns, profiles, policy.waivers, rules)
    qi = [m.column for m in measured]
    k = policy.k
    classes = released.classes(qi)
    rows_out = len(released)
    suppressed = rows_in - rows_out
    supp_share = suppressed / rows_in if rows_in else 0.0
    smallest = classes.smallest()
    below = classes.below(k)
    ok_k = rows_out > 0 and smallest >= k
    ok_s = supp_share <= policy.max_suppression + 1e-12
    unit = (
        _("persons") if released.in_persons
        else _("rows (no person column: each row is a person)")
    )
    data: dict[str, Any] = {
        **policy.to_dict(),
        "measured": [{"column": m.column, "source": m.source, "why": m.why} for m in measured],
        "waived": waived,
        "rows_in": rows_in,
        **({"rows_not_selected": unselected} if unselected else {}),
        "rows_out": rows_out,
        "suppressed": suppressed,
        "suppressed_share": round(supp_share, 4),
        "classes": classes.count,
        "min_class": smallest,
        "classes_below_k": below,
        "share_below_k": round(classes.share_below(k), 4),
        "drivers": [],
        "fixes": [],
        # what the released classes would be if a reader also knew a column the policy does
        # not measure (滞納期間, 認定区分): told to the reviewer, not refused
        "unmeasured": unmeasured_risk(
            released, qi, unmeasured_columns(columns, profiles, measured, waived), k
        ),
    }
    head = _(
        "smallest class over {columns} has {smallest} {unit} (k={k}); {suppressed} of {rows_in} "
        "records suppressed ({share}, limit {limit})"
    ).format(
        columns=", ".join(qi) or _("(no quasi-identifier)"), smallest=smallest, unit=unit, k=k,
        suppressed=suppressed, rows_in=rows_in, share=_pct(supp_share),
        limit=_pct(policy.max_suppression),
    )
    if ok_k and ok_s:
        return GateCheck("reidentification", True, head, data), measured
    # analyse where records remain; when none do, the table before the steps (source names)
    basis, cols = (released, qi) if rows_out else (before_steps, [m.source for m in measured])
    share, found = drivers(
        basis.classes, cols, k, rules.driver_alone_share, rules.driver_reduction,
        rules.drivers_listed,
    )  # fmt: skip
    name_of = {m.source: m.column for m in measured}
    named = [(name_of.get(d.column, d.column), d) for d in found]
    data["drivers"] = [{**d.to_dict(), "column": n} for n, d in named]
    parts = [
        _(
            "{column} alone puts {alone} of records in classes under {k} ({unique} unique); "
            "without it {share} → {without}"
        ).format(
            column=n, alone=_pct(d.alone_share), k=k, unique=_pct(d.alone_unique),
            share=_pct(share), without=_pct(d.without_share),
        )
        for n, d in named
    ]
    fixes = []
    not_generalized = [m.column for m in measured if m.source not in has_kanonymity]
    if not_generalized:
        fixes.append(
            _(
                "add a kanonymity step over {columns} with k ≥ {k} and suppression ≤ "
                "{limit:g} (anonymizer init proposes one)"
            ).format(
                columns=", ".join(m.source for m in measured), k=k, limit=policy.max_suppression
            )
        )
    if named:
        fixes.append(_("generalize {column} further or drop it").format(column=named[0][0]))
    if not ok_s and ok_k:
        fixes.append(_("generalize further so fewer records need suppressing"))
    data["fixes"] = fixes
    detail = "; ".join([head, *parts, *(_("fix: {fix}").format(fix=f) for f in fixes)])
    return GateCheck("reidentification", False, detail, data), measured


def unmeasured_risk(
    table: HeldTable, qi: Sequence[str], columns: Sequence[str], k: int
) -> list[dict[str, Any]]:
    """Per column not measured: the share of records in classes under ``k`` and the share
    unique, were it measured with ``qi`` — worst first; columns that split no class under k
    are left out."""
    out = []
    names = set(table.columns)
    asked = [col for col in columns if col in names] if len(table) else []
    for col, classes in zip(asked, table.classes_of([[*qi, c] for c in asked]), strict=True):
        share = classes.share_below(k)
        if share > 0:
            out.append({"column": col, "share_below_k": round(share, 4),
                        "unique": round(classes.share_unique(), 4)})
    out.sort(key=lambda d: (-d["share_below_k"], d["column"]))
    return out


def free_text_review(
    spec: PipelineSpec, columns: Mapping[str, Released], profiles: Mapping[str, ColumnProfile]
) -> GateCheck:
    reviews = {r.column: r for r in spec.review}
    free = free_text_columns(columns, profiles)
    reviewed = [
        {
            "column": c.name,
            "source": c.source,
            "role": reviews[c.source].role,
            "reason": reviews[c.source].reason,
        }
        for c in free
        if c.source in reviews
    ]
    missing = [c.name for c in free if c.source not in reviews]
    data = {"reviewed": reviewed, "unreviewed": missing}
    if missing:
        detail = _(
            "free text released without a review: {columns} (free text cannot be measured for "
            "k: drop it, or add review: [{{column, role, reason}}] to the pipeline)"
        ).format(columns=", ".join(missing))
        return GateCheck("free_text_review", False, detail, data)
    detail = (
        _("free text released under review: {columns}").format(
            columns=", ".join(r["column"] for r in reviewed)
        )
        if reviewed
        else _("no free text released")
    )
    return GateCheck("free_text_review", True, detail, data)
