"""The documented shape of report.json (docs/report-schema.md), as pydantic models.

Two uses: the pipeline validates the report it built before rendering it (a report that does
not match its documentation is a bug, not a page), and ``anonymizer report`` validates a
report.json read back from disk, so a missing or mistyped field is an error that names the
field instead of a half-rendered page. Sections this project writes forbid unknown keys;
the sections other modules contribute (a step's summary, a gate check's data) allow
additions so those modules can grow without breaking old pages.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

SCHEMA_VERSION = "1.3"


class _Fixed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class PipelineInfo(_Fixed):
    name: str
    #: the dataset's title (metadata.title), shown instead of the slug
    title: str
    #: anonymized (匿名加工情報 / open data) or pseudonymized (仮名加工情報, internal use)
    purpose: Literal["anonymized", "pseudonymized"]
    path: str
    sha256: str
    mode: str


class CheckSentence(_Fixed):
    name: str
    title: str
    passed: bool
    sentence: str


class Verdict(_Fixed):
    released: bool
    summary: str
    why: str
    #: one sentence per failed check (empty when released)
    reasons: list[str]
    checks: list[CheckSentence]
    #: what a reviewer must know of a release beyond pass/fail (free text under review)
    notes: list[str]


class Action(_Open):
    operator: str
    params: dict[str, Any]
    key_id: str | None = None


class ColumnInfo(_Fixed):
    name: str
    role: str
    entity: str | None
    actions: list[Action]
    released: bool
    released_as: str | None
    detected: dict[str, int]
    examples: list[str]
    scanned_cells: int
    #: cells whose value meant "no value" (不明, 住所不定, ー …) and were read as empty
    missing_values: int = 0
    #: cells no operator could read (read as empty or their rows left out, by ``on_invalid``)
    invalid_values: int = 0
    on_invalid: str = "error"


class InputInfo(_Fixed):
    file: str
    sha256: str
    encoding: str | None
    rows: int
    columns: list[ColumnInfo]


class CellsRows(_Open):
    cells: int
    rows: list[int]


class RawValueProblem(CellsRows):
    from_columns: list[str]


class RawValues(_Fixed):
    passed: bool
    values_checked: int
    problems: dict[str, RawValueProblem]


class Residual(_Fixed):
    passed: bool
    findings: dict[str, dict[str, CellsRows]]
    scanned_with: dict[str, str]
    allow_listed: dict[str, int]
    raw_values: RawValues


class SensitiveCount(_Fixed):
    """One 要配慮個人情報 category: spans replaced in free text, cells still holding one."""

    masked: int
    in_output: int


class Detection(_Fixed):
    sampled_cells_per_column: int
    masked_in_free_text: dict[str, dict[str, int]]
    #: per 要配慮 category (個人情報保護法第2条第3項, 施行令第2条), every category listed
    sensitive: dict[str, SensitiveCount] = Field(default_factory=dict)
    residual: Residual


class Transformations(_Fixed):
    key_id: str | None
    #: none | per_release | per_release_insecure_seed | persistent
    pseudonym_key: Literal["none", "per_release", "per_release_insecure_seed", "persistent"]
    pseudonym_domain: str | None


class SizeBucket(_Fixed):
    label: str
    classes: int
    records: int


class RiskFigures(_Fixed):
    """anonymizer.kanon.risk.RiskReport.to_dict()."""

    records: int
    classes: int
    prosecutor_highest: float
    prosecutor_average: float
    journalist_highest: float
    marketer: float
    unique_records: int
    unique_share: float
    threshold: float
    records_at_risk: int
    share_at_risk: float
    distribution: list[SizeBucket]


class Combination(_Fixed):
    size: int
    #: released value per quasi-identifier; shape-masked (＊, 9) where not generalized
    values: dict[str, str]


class MeasuredColumn(_Fixed):
    column: str
    source: str
    #: why the policy measures it: "role" (declared), "header" or "values" (scan profile)
    why: Literal["role", "header", "values"]


class Waived(_Fixed):
    column: str
    source: str
    reason: str


class Review(_Fixed):
    column: str
    source: str
    role: str
    reason: str


class DriverInfo(_Fixed):
    column: str
    alone_share: float
    alone_unique: float
    without_share: float


class UnmeasuredInfo(_Fixed):
    column: str
    share_below_k: float
    unique: float


class PolicyInfo(_Fixed):
    """The re-identification policy in force (``reidentification`` gate check) and reviews."""

    passed: bool
    k: int
    max_suppression: float
    source: Literal["default", "pipeline"]
    reason: str | None
    person_column: str | None
    counted_in: Literal["persons", "records"]
    measured: list[MeasuredColumn]
    waived: list[Waived]
    min_class: int
    classes_below_k: int
    suppressed: int
    suppressed_share: float
    #: rows select_rows steps left out: outside what is published, not counted as suppressed
    rows_not_selected: int = 0
    drivers: list[DriverInfo]
    fixes: list[str]
    #: released columns the policy does not measure that would split classes under k
    unmeasured: list[UnmeasuredInfo] = []
    reviews: list[Review]
    unreviewed: list[str]


class Risk(_Fixed):
    applicable: bool
    note: str
    quasi_identifiers: list[str]
    sources: list[str]
    #: None for aggregate releases (judged by their own step's checks)
    policy: PolicyInfo | None
    counted_in: Literal["persons", "records"]
    before: RiskFigures | None
    after: RiskFigures | None
    riskiest: list[Combination]
    #: columns whose values the riskiest combinations show by shape only (internal report;
    #: the public one leaves them out)
    shaped: list[str]


class ClassSummary(_Open):
    count: int
    min: int
    mean: float
    max: int


class KAnonStep(_Open):
    """``{"type": "kanonymity", **KAnonResult.to_dict(), "config": …}``."""

    type: Literal["kanonymity"]
    method: str
    levels: dict[str, int] | None
    records_in: int
    records_out: int
    suppressed: int
    classes: ClassSummary
    metric: str
    metric_value: float
    achieved: dict[str, float]
    risk_before: RiskFigures
    risk_after: RiskFigures
    config: dict[str, Any]


class Budget(_Fixed):
    epsilon: float
    delta: float


class LedgerStatus(_Open):
    population: str
    total: Budget
    spent: Budget
    remaining: Budget
    releases: int
    #: the ledger file in the state directory (home shown as ~) and its chain head after
    #: this release (an anchor for audits); absent outside a pipeline run
    location: str | None = None
    chain_head: str | None = None


class LedgerEntry(_Fixed):
    id: int
    created_at: str
    dataset: str
    epsilon: float
    delta: float
    insecure: bool
    this_release: bool


class DpMeasure(_Open):
    name: str
    type: str
    column: str | None
    epsilon: float
    delta: float
    mechanism: str
    noise_scale: dict[str, float | str]
    error_bound_95: float | None
    error_bound_95_cells: dict[str, float] | None = None
    note: str = ""


class FlaggedCell(_Open):
    keys: dict[str, str]
    measure: str
    value: float | None
    error_bound_95: float


class DpStep(_Open):
    """``{"type": "dp_aggregate", **DpResult.summary(), "ledger_history": […]}``."""

    type: Literal["dp_aggregate"]
    release_id: int
    population: str
    dataset: str
    spent: Budget
    ledger: LedgerStatus
    randomness: str
    insecure_seed: int | None
    cells: int
    measures: list[DpMeasure]
    flagged_cells: list[FlaggedCell]
    ledger_history: list[LedgerEntry]


class OtherStep(_Open):
    type: str


def _step_kind(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if kind in ("kanonymity", "dp_aggregate") else "other"


Step = Annotated[
    Annotated[KAnonStep, Tag("kanonymity")]
    | Annotated[DpStep, Tag("dp_aggregate")]
    | Annotated[OtherStep, Tag("other")],
    Discriminator(_step_kind),
]


class GateCheckInfo(_Fixed):
    name: str
    passed: bool
    detail: str
    data: dict[str, Any]


class Gate(_Fixed):
    passed: bool
    checks: list[GateCheckInfo]


class AppiItem(_Fixed):
    measure: str
    title: str
    status: Literal["done", "partial", "review", "not_applicable"]
    evidence: str


class OutputPart(_Fixed):
    file: str
    rows: int
    sha256: str


class Output(_Fixed):
    file: str
    rows: int
    columns: list[str]
    encoding: str
    aggregate: bool
    #: written with the data (absent from a refusal: nothing was written)
    formulas_neutralized: int | None = None
    sha256: str | None = None
    #: the part files, when the data was split (``output.max_rows_per_file``); then no sha256
    parts: list[OutputPart] | None = None


class Provenance(_Fixed):
    versions: dict[str, str]
    rules_sha256: dict[str, str]
    seed: int | None
    key_id: str | None
    generated_at: str


class Report(_Fixed):
    schema_version: str = Field(pattern=r"^1\.3$")
    #: public: the copy in the release folder (nothing from input cells); internal: beside it
    audience: Literal["public", "internal"]
    pipeline: PipelineInfo
    verdict: Verdict
    input: InputInfo
    detection: Detection
    transformations: Transformations
    risk: Risk
    steps: list[Step]
    gate: Gate
    appi: list[AppiItem]
    output: Output
    provenance: Provenance
