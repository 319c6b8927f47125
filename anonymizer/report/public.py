"""The public report: what of a run's report may sit in the release folder.

A release folder is what a city uploads, so its report carries figures, the policy, the
checklist, transformations, column names and released category labels — nothing taken from
input cell values, not even masked ones (sdcMicro separates ``report(internal = FALSE)`` the
same way). The full report (masked examples, values shown by shape, row numbers) is the
*internal* one, written outside the release folder (:mod:`anonymizer.pipeline.outputs`).
"""

from __future__ import annotations

import copy
from typing import Any

#: a value the public report leaves out, where the internal report shows its shape
WITHHELD = "（内部レポート参照）"
#: the key under which gate data list input rows (row numbers)
_ROW_KEYS = frozenset({"rows"})


def _drop_rows(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _drop_rows(v) for k, v in node.items() if k not in _ROW_KEYS}
    if isinstance(node, list):
        return [_drop_rows(v) for v in node]
    return node


def public_report(report: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``report`` (audience internal) fit for the release folder."""
    rep = copy.deepcopy(report)
    rep["audience"] = "public"
    for col in rep["input"]["columns"]:
        col["examples"] = []
    risk = rep["risk"]
    shaped = set(risk.get("shaped", []))
    for combo in risk["riskiest"]:
        combo["values"] = {q: WITHHELD if q in shaped else v for q, v in combo["values"].items()}
    rep["gate"]["checks"] = [
        {**c, "data": _drop_rows(c["data"])} for c in rep["gate"]["checks"]
    ]
    residual = rep["detection"]["residual"]
    residual["findings"] = _drop_rows(residual["findings"])
    residual["raw_values"]["problems"] = _drop_rows(residual["raw_values"]["problems"])
    return rep
