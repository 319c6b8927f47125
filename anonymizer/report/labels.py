"""The report's Japanese vocabulary (``rules/report.yaml``) plus the entity names of
``rules/entities.yaml``. Data, not code: a steward can reword the page without a release.

Completeness is checked at load time against the roles the pipeline accepts and the
operators that are registered, so a new operator cannot reach a report unnamed.
"""

from __future__ import annotations

import typing
from pathlib import Path

from pydantic import Field, model_validator

from anonymizer.config import Frozen
from anonymizer.i18n import _
from anonymizer.labels import load_labels
from anonymizer.rules import load_rules
from anonymizer.scan.headers import Role


class ReportLabels(Frozen):
    version: int = Field(ge=1, le=1)
    roles: dict[str, str]
    operators: dict[str, str]
    checks: dict[str, str]
    models: dict[str, str]
    metrics: dict[str, str]

    @model_validator(mode="after")
    def _complete(self) -> ReportLabels:
        from anonymizer.operators.base import OPERATORS, import_all

        import_all()
        missing_roles = [r for r in typing.get_args(Role) if r not in self.roles]
        missing_ops = [o for o in OPERATORS.names() if o not in self.operators]
        if missing_roles or missing_ops:
            raise ValueError(
                _("labels missing for roles {missing_roles}, operators {missing_ops}").format(
                    missing_roles=missing_roles, missing_ops=missing_ops
                )
            )
        return self


def load_report_labels(directory: Path | str | None = None) -> ReportLabels:
    return load_rules("report.yaml", ReportLabels, directory)


def vocabulary(directory: Path | str | None = None) -> dict[str, dict[str, str]]:
    """Every label the template may look up, by kind (``entities``, ``roles``, …)."""
    labels = load_report_labels(directory)
    return {
        "entities": dict(load_labels(directory).labels),
        "roles": dict(labels.roles),
        "operators": dict(labels.operators),
        "checks": dict(labels.checks),
        "models": dict(labels.models),
        "metrics": dict(labels.metrics),
    }
