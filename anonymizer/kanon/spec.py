"""``KAnonConfig``: what to protect (QIs + hierarchies, sensitive columns) and how strongly.

A QI's hierarchy is referenced by the name of a ``rules/hierarchies/<name>.yaml``, by the path
of an ARX hierarchy CSV (``*.csv``), or given inline as a builder spec. Cross-field rules (ℓ and
t need sensitive columns, recursive ℓ needs c, hierarchical t needs a hierarchy for the
sensitive column) are checked here, before any data is read.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from anonymizer.config import Frozen
from anonymizer.i18n import _
from anonymizer.kanon.builders import HierarchySpec

#: rules/hierarchies name, ARX CSV path, or an inline builder spec
HierarchyRef = str | HierarchySpec

Metric = Literal["loss", "discernibility", "precision", "entropy"]


class KAnonConfig(Frozen):
    qis: dict[str, HierarchyRef] = Field(min_length=1)
    sensitive: tuple[str, ...] = ()
    #: hierarchies of sensitive columns (hierarchical t-closeness; ordered t uses their order)
    sensitive_hierarchies: dict[str, HierarchyRef] = Field(default_factory=dict)
    k: int = Field(default=2, ge=1)
    l: int | None = Field(default=None, ge=2)  # noqa: E741 - the model's own name
    l_variant: Literal["distinct", "entropy", "recursive"] = "distinct"
    c: float | None = Field(default=None, gt=0)
    t: float | None = Field(default=None, gt=0, le=1)
    t_distance: Literal["equal", "hierarchical", "ordered"] = "equal"
    #: average re-identification (prosecutor) risk threshold over released records
    max_risk: float | None = Field(default=None, gt=0, le=1)
    #: share of records that may be suppressed (ARX: floor(suppression × n) records)
    suppression: float = Field(default=0.0, ge=0, le=1)
    metric: Metric = "loss"
    #: Mondrian multidimensional local recoding instead of optimal full-domain generalization
    #: (it never needs suppression: ``suppression`` is then unused)
    local_recoding: bool = False
    #: suppressed records are removed, or kept with ``star`` in every quasi-identifier
    suppressed: Literal["remove", "star"] = "remove"
    star: str = "*"
    #: a record is "at risk" when its prosecutor risk 1/|class| exceeds this
    risk_threshold: float = Field(default=0.2, gt=0, le=1)

    @model_validator(mode="after")
    def _consistent(self) -> KAnonConfig:
        both = set(self.qis) & set(self.sensitive)
        if both:
            raise ValueError(
                _("sensitive: {n_both} column(s) are also quasi-identifiers").format(
                    n_both=len(both)
                )
            )
        if len(set(self.sensitive)) != len(self.sensitive):
            raise ValueError(_("sensitive: a column is listed twice"))
        if (self.l is not None or self.t is not None) and not self.sensitive:
            raise ValueError(_("l and t need at least one sensitive column"))
        if self.l is not None and self.l_variant == "recursive" and self.c is None:
            raise ValueError(_("recursive (c,l)-diversity needs c"))
        extra = set(self.sensitive_hierarchies) - set(self.sensitive)
        if extra:
            raise ValueError(_("sensitive_hierarchies: keys must be sensitive columns"))
        if self.t is not None and self.t_distance == "hierarchical":
            missing = [s for s in self.sensitive if s not in self.sensitive_hierarchies]
            if missing:
                raise ValueError(
                    _("hierarchical t-closeness needs sensitive_hierarchies for {missing}").format(
                        missing=missing
                    )
                )
        return self

    @property
    def columns(self) -> list[str]:
        return list(self.qis)
