"""Re-identification risk of a microdata release, before and after, for the report.

The columns are the ones the gate's re-identification policy measured. "Before" groups the
*input* rows on the raw values of their source columns (what an attacker could match against if
the data were published as it came); "after" groups the released rows on the released values.
Classes are counted in distinct persons when the pipeline declares a person column. Both use :func:`anonymizer.kanon.risk.risk_report`
(prosecutor / journalist / marketer risk, uniques, class-size distribution), so the figures
mean the same as the k-anonymity step's own. Grouping is one vectorized ``groupby`` each.

The riskiest remaining combinations are the smallest released classes: their sizes, and the
released value of each quasi-identifier where the pipeline generalized it or where the column
is plainly categorical (at most ``CATEGORICAL_MAX`` distinct values, each shared by two or more
released rows: 性別); any other value the pipeline kept as it came is shown by its shape
(``＊``, ``9``), never as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from anonymizer.kanon.risk import risk_report
from anonymizer.kanon.spec import KAnonConfig
from anonymizer.policy.measure import EMPTY, Classes, HeldTable
from anonymizer.scan.examples import shape

if TYPE_CHECKING:
    from anonymizer.operators import Operator
    from anonymizer.pipeline.spec import PipelineSpec
    from anonymizer.steps import StepResult
    from anonymizer.steps.base import GateCheck

#: how many of the smallest released classes the report lists
RISKIEST = 10
#: a kept column with at most this many distinct values (each on ≥ 2 rows) is shown as is
CATEGORICAL_MAX = 12
_GENERALIZING = {"generalize", "top_bottom_code"}


def released_names(spec: PipelineSpec, columns: Sequence[str]) -> dict[str, str]:
    """{released column: its source column} for the columns of the released table."""
    if spec.output.columns is None:
        return {c: c for c in columns}
    pairs = [(c, c) if isinstance(c, str) else (c.name, c.source) for c in spec.output.columns]
    return {name: source for name, source in pairs if name in columns}


def _categorical(table: HeldTable, columns: Sequence[str]) -> set[str]:
    """The columns of at most :data:`CATEGORICAL_MAX` values, each in two records or more."""
    found = table.value_counts(columns, CATEGORICAL_MAX)
    return {c for c, counts in found.items() if counts and min(counts.values()) >= 2}


def _sizes(classes: Classes) -> np.ndarray:
    """The size of every class."""
    return np.repeat(classes.sizes, classes.classes)


def policy_block(policy: GateCheck | None, review: GateCheck | None) -> dict[str, Any] | None:
    """The policy in force, what it measured, waived and found, and the free-text reviews."""
    if policy is None:
        return None
    d = policy.data
    keys = ("k", "max_suppression", "source", "reason", "person_column", "counted_in",
            "measured", "waived", "min_class", "classes_below_k", "suppressed", "suppressed_share",
            "drivers", "fixes")
    return {
        "passed": policy.passed,
        **{k: d[k] for k in keys},
        "rows_not_selected": int(d.get("rows_not_selected", 0)),
        "unmeasured": list(d.get("unmeasured", [])),
        "reviews": list(review.data.get("reviewed", [])) if review is not None else [],
        "unreviewed": list(review.data.get("unreviewed", [])) if review is not None else [],
    }


def risk_section(
    spec: PipelineSpec,
    operators: Mapping[str, list[Operator]],
    before: HeldTable,
    out: HeldTable,
    steps: Sequence[StepResult],
    aggregate: bool,
    measured: Sequence[str],
    policy: GateCheck | None,
    review: GateCheck | None,
) -> dict[str, Any]:
    """Risk before/after over the columns the policy measured (``measured``, released names),
    classes counted in persons when the pipeline has a person column: ``before`` is the input
    as read, ``out`` the released table, each where the engine holds its rows."""
    persons = out.in_persons
    sources = released_names(spec, out.columns)
    kanon = [r for r in steps if r.report.get("type") == "kanonymity"]
    threshold = float(KAnonConfig.model_fields["risk_threshold"].default)
    unit = "人" if persons else "行"
    empty: dict[str, Any] = {
        "applicable": False,
        "quasi_identifiers": [],
        "sources": [],
        "policy": policy_block(policy, review),
        "counted_in": "persons" if persons else "records",
        "before": None,
        "after": None,
        "riskiest": [],
        "shaped": [],
    }
    if aggregate:
        return {
            **empty,
            "note": "統計表（集計値）の公開であり、個票の同値クラスは存在しないため対象外です。",
        }
    qis = [q for q in measured if q in out.columns]
    if not qis:
        who = "人数" if persons else "行数（人を識別する列がないため1行を1人として）"
        return {
            **empty,
            "note": f"公開する列に準識別子がないため、公開する全体を1つのクラスとして{who}を数えました。",
        }
    src = [sources[q] for q in qis]
    kanon_cols = {c for r in kanon for c in (r.quasi_identifiers or ())}
    generalized = {
        q
        for q, s in zip(qis, src, strict=True)
        if s in kanon_cols
        or q in kanon_cols
        or any(op.NAME in _GENERALIZING or op.CONTROLLED_OUTPUT for op in operators.get(s, []))
    }
    generalized |= _categorical(out, qis)
    before_risk = (
        risk_report(_sizes(before.classes(src)), threshold)
        if set(src) <= set(before.columns)
        else None
    )
    after = risk_report(
        _sizes(out.classes(qis)) if len(out) else np.zeros(0, dtype=np.int64), threshold
    )
    smallest = out.smallest(qis, RISKIEST)
    riskiest = [
        {
            "size": int(row["_size"]),
            "values": {
                q: str(row[q]) if q in generalized or row[q] == EMPTY else shape(str(row[q]))
                for q in qis
            },
        }
        for _, row in smallest.iterrows()  # at most RISKIEST rows
    ]
    shown = "、".join(q for q in qis if q not in generalized)
    counted = (
        f"人を識別する列「{spec.person_column}」で異なる人を数えた"
        if persons
        else "人を識別する列の宣言がないため1行を1人として数えた"
    )
    note = (
        f"加工前は入力の元の値、加工後は公開する値で、準識別子の組合せごとに{counted}結果です"
        f"（単位: {unit}）。"
        + (
            f"一般化していない列（{shown}）の値は、組合せの表では形のみ（＊・9）で示します。"
            if shown
            else ""
        )
    )
    return {
        "applicable": True,
        "note": note,
        "quasi_identifiers": qis,
        "sources": src,
        "policy": empty["policy"],
        "counted_in": empty["counted_in"],
        "before": before_risk.to_dict() if before_risk is not None else None,
        "after": after.to_dict(),
        "riskiest": riskiest,
        "shaped": [q for q in qis if q not in generalized],
    }
