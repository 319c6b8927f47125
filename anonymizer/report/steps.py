"""Step sections of report.json: each step's own summary plus what a reviewer also needs.

* ``kanonymity`` — the targets it was asked for (k, ℓ, t, suppression limit, metric) beside
  what it achieved; hierarchy references are left out (they may be local paths).
* ``dp_aggregate`` — the population's release history read back from the persisted ledger
  (:class:`anonymizer.state.Ledger`, in the state directory), so the page shows every spend
  and what remains, not only this release's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from anonymizer.state import Ledger
    from anonymizer.steps import Step, StepResult

_KANON_TARGETS = (
    "k",
    "l",
    "l_variant",
    "c",
    "t",
    "t_distance",
    "max_risk",
    "suppression",
    "metric",
    "local_recoding",
    "suppressed",
    "risk_threshold",
    "sensitive",
)


def ledger_history(ledger: Ledger, population: str, release_id: int) -> list[dict[str, Any]]:
    """Every release of ``population`` in the ledger: when, which dataset, ε and δ."""
    return [
        {
            "id": int(r["id"]),
            "created_at": str(r["created_at"]),
            "dataset": str(r["dataset"]),
            "epsilon": float(r["epsilon"]),
            "delta": float(r["delta"]),
            "insecure": r["insecure_seed"] is not None,
            "this_release": int(r["id"]) == release_id,
        }
        for r in ledger.releases(population)
    ]


def step_sections(
    steps: Sequence[Step], results: Sequence[StepResult], pipeline_path: Path
) -> list[dict[str, Any]]:
    out = []
    for step, res in zip(steps, results, strict=True):
        section = dict(res.report)
        kind = section.get("type")
        if kind == "kanonymity":
            params = step.params.model_dump(mode="json")
            section["config"] = {k: params[k] for k in _KANON_TARGETS if k in params}
        elif kind == "dp_aggregate":
            ledger = step.ledger(pipeline_path)  # type: ignore[attr-defined]
            section["ledger_history"] = ledger_history(
                ledger, section["population"], section["release_id"]
            )
        out.append(section)
    return out
