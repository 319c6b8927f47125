"""The validated shape of ``pipelines/<name>.yaml``.

Everything is checked before any data is read: unknown keys, unknown operators and step
types (listing the valid names), bad parameters — each error names its YAML path.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from anonymizer.config import Frozen, Regex, load_yaml_model
from anonymizer.entities import ENTITIES, JP_ADDRESS, NOT_PERSONAL, EntityName
from anonymizer.i18n import _
from anonymizer.scan.headers import Role

#: entities whose presence in any released cell refuses the release by default
#: (AGE and JP_POSTAL_CODE are quasi-identifiers: generalized values such as "70-79歳" stay)
DEFAULT_FAIL_ON: tuple[str, ...] = tuple(
    e for e in ENTITIES if e not in NOT_PERSONAL and e not in ("AGE", "JP_POSTAL_CODE")
)

#: 施行規則第31条 第3号: deleted from a 仮名加工情報 release (card and bank account numbers)
FINANCIAL = frozenset({"CREDIT_CARD", "JP_BANK_ACCOUNT"})
#: steps whose output has new columns (output.columns then names those)
RESHAPING_STEPS = frozenset({"dp_aggregate", "cell_suppression"})
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
#: an action: "drop", or a one-key mapping {"mask": {keep_last: 4}}
Action = str | dict[str, dict[str, Any] | None]


OnInvalid = Literal["error", "missing", "suppress_row"]


class InputSpec(Frozen):
    path: str
    encoding: str = "auto"
    sheet: str | int | None = None
    delimiter: str | None = None
    #: the row (1-based, as a spreadsheet shows it) holding the column names; default: the
    #: first row, or the first after a title and notes (anonymizer.io.find_header_row)
    header_row: int | None = Field(default=None, ge=1)
    #: what a cell an operator cannot read does (a birth date 1985-13-45) in every column that
    #: does not say: ``error`` stops the run (fail closed), ``missing`` reads it as empty,
    #: ``suppress_row`` leaves its row out of the release. Direct identifiers always take
    #: ``error`` unless their own column says otherwise.
    on_invalid: OnInvalid = "error"


class ColumnSpec(Frozen):
    role: Role
    entity: EntityName | None = None
    actions: tuple[Action, ...] = Field(min_length=1)
    note: str | None = None
    #: cell values that mean "no value" here (read as empty); default: rules/missing.yaml
    missing: tuple[str, ...] | None = None
    #: this column's policy for cells its operators cannot read (default: input.on_invalid,
    #: or ``error`` for a direct identifier)
    on_invalid: OnInvalid | None = None
    #: a PERSON column holding one part of a name whose other part is in another column
    #: (申請者姓 / 申請者名): its values are looked for joined with their partner's, and alone
    #: only in their own row where they stand as a name (:mod:`anonymizer.match.names`)
    name_part: Literal["family", "given"] | None = None

    @field_validator("actions")
    @classmethod
    def _shape(cls, v: tuple[Action, ...]) -> tuple[Action, ...]:
        for a in v:
            if isinstance(a, dict) and len(a) != 1:
                raise ValueError(
                    _("each action is an operator name or a one-key mapping {{name: params}}")
                )
        return v

    @model_validator(mode="after")
    def _name_part(self) -> ColumnSpec:
        if self.name_part is not None and self.entity != "PERSON":
            raise ValueError(_("name_part is for a PERSON column (entity: PERSON)"))
        return self

    def invalid_policy(self, default: str) -> str:
        """What an unreadable cell does here: the column's own policy, else the pipeline's
        default — except for a direct identifier, which stops the run unless it says so."""
        if self.on_invalid is not None:
            return self.on_invalid
        return "error" if self.role == "direct_identifier" else default

    def operator_calls(self) -> list[tuple[str, dict[str, Any]]]:
        calls = []
        for a in self.actions:
            if isinstance(a, str):
                calls.append((a, {}))
            else:
                ((name, params),) = a.items()
                calls.append((name, dict(params or {})))
        return calls


class GateAllow(Frozen):
    column: str
    entity: EntityName
    reason: str = Field(min_length=5)


class GateDeny(Frozen):
    """Terms and patterns that are personal information in ``column``, whatever the detector
    says: ``mask_text`` masks them there (as ``entity``), the gate refuses them anywhere they
    are still released. Terms match in any spelling (spacing, width, kana); patterns are
    regular expressions over the canonical text."""

    column: str
    entity: EntityName | None = None
    terms: tuple[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)], ...] = ()
    patterns: tuple[Regex, ...] = ()

    @model_validator(mode="after")
    def _something(self) -> GateDeny:
        if not self.terms and not self.patterns:
            raise ValueError(_("give terms or patterns (or both)"))
        return self


class GateSpec(Frozen):
    """The release gate. Re-scanning cannot be switched off."""

    fail_on: tuple[EntityName, ...] = DEFAULT_FAIL_ON
    allow: tuple[GateAllow, ...] = ()
    deny: tuple[GateDeny, ...] = ()
    #: a calibrated probability (see "What --min-score trades"); default: the detector's
    #: (``default_min_score`` in rules/calibration.yaml)
    min_score: float | None = Field(default=None, ge=0.0, le=1.0)

    def threshold(self) -> float:
        """The score from which a finding refuses the release (a probability)."""
        from anonymizer.detect.calibration import default_min_score

        return default_min_score() if self.min_score is None else self.min_score

    @model_validator(mode="before")
    @classmethod
    def _moved(cls, data: Any) -> Any:
        """Keys of the old gate that the re-identification policy replaced: say where to."""
        if isinstance(data, dict):
            if "min_k" in data:
                raise ValueError(
                    _("min_k: replaced by policy.k (default 5 persons: rules/policy.yaml)")
                )
            if "quasi_identifiers" in data:
                raise ValueError(
                    _(
                        "quasi_identifiers: replaced by the policy: every quasi-identifying "
                        "released column is measured; leave one out with policy.waivers [{{column, "
                        "reason}}]"
                    )
                )
        return data


class Waiver(Frozen):
    """A quasi-identifying column left out of the policy's measurement, and why."""

    column: str
    reason: str = Field(min_length=5)


class PolicySpec(Frozen):
    """The re-identification policy of a microdata release; unset fields take the defaults
    of ``rules/policy.yaml`` (k = 5 persons, ≤ 5 % of records suppressed)."""

    k: int | None = None
    max_suppression: float | None = Field(default=None, ge=0, le=1)
    #: required when k differs from the default or the suppression limit is raised
    reason: str | None = Field(default=None, min_length=5)
    waivers: tuple[Waiver, ...] = ()

    @field_validator("k")
    @classmethod
    def _floor(cls, v: int | None) -> int | None:
        from anonymizer.policy.rules import load_policy_rules

        floor = load_policy_rules().min_k
        if v is not None and v < floor:
            raise ValueError(
                _("k must be at least {floor} (a class of one person singles them out)").format(
                    floor=floor
                )
            )
        return v

    @model_validator(mode="after")
    def _reasoned(self) -> PolicySpec:
        from anonymizer.policy.rules import load_policy_rules

        rules = load_policy_rules()
        other_k = self.k is not None and self.k != rules.k
        more_supp = self.max_suppression is not None and self.max_suppression > rules.max_suppression
        if (other_k or more_supp) and self.reason is None:
            raise ValueError(
                _(
                    "reason: required to set k other than {k} or max_suppression above "
                    "{max_suppression:g} (the report shows it to the reviewer)"
                ).format(k=rules.k, max_suppression=rules.max_suppression)
            )
        columns = [w.column for w in self.waivers]
        twice = sorted({c for c in columns if columns.count(c) > 1})
        if twice:
            raise ValueError(_("waivers: {twice} waived more than once").format(twice=twice))
        return self


class ReviewSpec(Frozen):
    """A free-text column released in microdata: it cannot be measured for k, so a person in a
    named role (個人情報保護担当 — a role, not a name) reviewed it, and says why it may go."""

    column: str
    role: str = Field(min_length=2)
    reason: str = Field(min_length=5)


class OutputColumn(Frozen):
    source: str = Field(alias="from")
    name: str = Field(alias="to")


class OutputSpec(Frozen):
    file: str
    encoding: Literal["utf-8-sig", "utf-8", "cp932"] = "utf-8-sig"
    #: order and names of released columns: "名前" or {from: 元の列, to: 公開名}; default: input order
    columns: tuple[str | OutputColumn, ...] | None = None
    #: a national standard layout the released table follows (rules/profiles/<id>.yaml): the
    #: gate checks its columns, order and cell types
    profile: str | None = Field(default=None, min_length=1)
    #: the order of a microdata release's rows: ``released`` (sorted by the released values:
    #: the input's order — by 受付日, by 相談番号 — tells when or who even where the values
    #: were generalized) or ``input`` (as they came: only for an input whose order carries
    #: nothing, already shuffled or sorted by what is released). Statistical tables keep
    #: the order their step writes.
    order: Literal["released", "input"] = "released"
    #: the most data rows in one file: a larger table is released as part files of this many
    #: rows (``<stem>-0001.csv`` …, each with the header row; one multipart resource in
    #: datapackage.json). The default keeps every file within a spreadsheet's 1,048,576 rows.
    max_rows_per_file: int = Field(default=1_000_000, ge=1)

    @field_validator("file")
    @classmethod
    def _plain(cls, v: str) -> str:
        if "/" in v or "\\" in v or v.startswith(".") or not v.endswith(".csv"):
            raise ValueError(_("a plain file name ending in .csv (no directories)"))
        return v


class MetadataSpec(Frozen):
    title: str = Field(min_length=1)
    description: str = ""
    publisher: str = Field(min_length=1)
    #: required for open data (purpose ``anonymized``); absent under ``pseudonymized``
    license: Literal["CC-BY-4.0", "PDL-1.0"] | None = None
    #: 全国地方公共団体コード: 6 digits (with check digit) or 5
    municipality_code: str
    issued: dt.date
    temporal: str | None = None
    keywords: tuple[str, ...] = ()
    contact: str | None = None

    @field_validator("municipality_code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not re.fullmatch(r"[0-9]{5,6}", v):  # ASCII only: \d also matches 全角 digits
            raise ValueError(_("5 or 6 digits (全国地方公共団体コード)"))
        if len(v) == 6 and local_government_check_digit(v[:5]) != int(v[5]):
            raise ValueError(_("check digit does not match (全国地方公共団体コード)"))
        return v


class PseudonymSpec(Frozen):
    #: same key + same domain → same pseudonyms; default: the pipeline name
    domain: str | None = None
    key_env: str = "ANONYMIZER_KEY"


class SparkSpec(Frozen):
    """Where a Spark engine runs (``anonymizer run --master`` overrides ``master``)."""

    #: ``local[N]``, ``spark://HOST:7077``, ``yarn`` …; default ``local[*]``
    master: str | None = Field(default=None, min_length=1)
    #: partitions the rows are spread over (default: the session's parallelism)
    partitions: int | None = Field(default=None, ge=1)
    #: Spark settings for a session the run starts (``spark.driver.memory: 8g`` …)
    conf: dict[Annotated[str, StringConstraints(pattern=r"^spark\.")], str] = {}
    #: where the gate's row-level checks (re-scan, raw values, class sizes) run: on the
    #: ``executors`` (:mod:`anonymizer.engine.spark.checks`: the input's cells are never
    #: collected, no process holds every identifier value; at 1M rows the whole run took
    #: 1.11× the pandas engine's), or on the ``driver``, over the rows collected to it (faster
    #: for a table one machine holds: the checks' Spark jobs cost ≈ 30 s at 100,000 rows)
    gate: Literal["driver", "executors"] = "executors"


class StepSpec(Frozen):
    """A table-level step: ``type`` plus that step's own parameters (validated by the step)."""

    model_config = Frozen.model_config | {"extra": "allow"}
    type: str

    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class PipelineSpec(Frozen):
    version: Literal[1]
    name: str
    description: str = ""
    mode: Literal["fast", "accurate"] = "accurate"
    #: ``anonymized``: 匿名加工情報 / open data; ``pseudonymized``: 仮名加工情報 (internal use
    #: only: no open-data metadata, no licence; a persistent pseudonym key is allowed)
    purpose: Literal["anonymized", "pseudonymized"] = "anonymized"
    input: InputSpec
    columns: dict[str, ColumnSpec]
    steps: tuple[StepSpec, ...] = ()
    gate: GateSpec = GateSpec()
    output: OutputSpec
    metadata: MetadataSpec
    pseudonym: PseudonymSpec = PseudonymSpec()
    #: 自治体標準オープンデータセット or other reference the release follows
    standard: str | None = None
    #: the column that identifies a person (kept or dropped): classes count distinct persons
    person_column: str | None = None
    policy: PolicySpec = PolicySpec()
    review: tuple[ReviewSpec, ...] = ()
    #: where rows are processed (anonymizer/engine): ``pandas`` in this process, or ``spark``
    #: (``anonymizer run --engine`` overrides it); the same operators, steps, gate and report
    engine: Literal["pandas", "spark"] = "pandas"
    spark: SparkSpec = SparkSpec()
    #: the state directory (DP ledger and its key), relative to this file; default
    #: $XDG_STATE_HOME/anonymizer — never inside an output directory
    state: str | None = Field(default=None, min_length=1)

    def hunted_columns(self) -> dict[str, str | None]:
        """The columns whose raw values ``mask_text`` looks for in free text and the gate in
        every released cell ({column: entity}): the direct identifiers, the person column, and
        :meth:`numbered_only`'s address columns."""
        numbered = self.numbered_only()
        return {
            c: cs.entity
            for c, cs in self.columns.items()
            if cs.role == "direct_identifier" or c == self.person_column or c in numbered
        }

    def name_pairs(self) -> list[tuple[str, str]]:
        """(family, given) columns holding the two parts of one name (``name_part``)."""
        from anonymizer.match.names import pair_name_parts

        return pair_name_parts(
            [(c, cs.name_part) for c, cs in self.columns.items() if cs.name_part is not None]
        )

    def whole_value_columns(self) -> list[str]:
        """The :meth:`hunted_columns` whose values are looked for whole, in every released
        cell: all but the parts of a name held in two columns, whose row's joined name is
        looked for instead (:meth:`name_pairs`)."""
        parts = {c for pair in self.name_pairs() for c in pair}
        return [c for c in self.hunted_columns() if c not in parts]

    def numbered_only(self) -> frozenset[str]:
        """Address columns that are not direct identifiers but are not published as they are
        either (dropped or generalized to their 町字): their values still name dwellings, so
        those with a street number (:func:`anonymizer.match.numbered_address`) are hunted like
        a direct identifier's. An address published as it is (a facility's 所在地) is public
        by the steward's declaration, and a 町字 alone is what a generalized column publishes."""
        return frozenset(
            c for c, cs in self.columns.items()
            if cs.entity == JP_ADDRESS and cs.role != "direct_identifier"
            and c != self.person_column
            and any(name != "keep" for name, _params in cs.operator_calls())
        )

    @field_validator("name")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not _NAME.match(v):
            raise ValueError(
                _("lower-case letters, digits, - and _ (it names the output directory)")
            )
        return v

    @model_validator(mode="after")
    def _cross(self) -> PipelineSpec:
        reshaped = any(s.type in RESHAPING_STEPS for s in self.steps)
        if self.output.columns is not None and not reshaped:
            names = [c if isinstance(c, str) else c.source for c in self.output.columns]
            unknown = [n for n in names if n not in self.columns]
            if unknown:
                raise ValueError(
                    _("output.columns names undeclared columns {unknown}").format(unknown=unknown)
                )
            released = [c if isinstance(c, str) else c.name for c in self.output.columns]
            twice = sorted({n for n in released if released.count(n) > 1})
            if twice:  # one would silently replace the other
                raise ValueError(
                    _("output.columns releases {twice} more than once").format(twice=twice)
                )
        for a in self.gate.allow:
            if a.column not in self.columns:
                raise ValueError(
                    _("gate.allow names undeclared column {column!r}").format(column=a.column)
                )
        for i, d in enumerate(self.gate.deny):
            if d.column not in self.columns:
                raise ValueError(
                    _("gate.deny[{i}].column names undeclared column {column!r}").format(
                        i=i, column=d.column
                    )
                )
        parts = [c for c, cs in self.columns.items() if cs.name_part is not None]
        paired = {c for pair in self.name_pairs() for c in pair}
        for c in parts:
            if c not in paired:
                raise ValueError(
                    _(
                        "columns.{column}.name_part: no column holds the other part of the name "
                        "(a family part needs a given part, and each pairs with one)"
                    ).format(column=c)
                )
        if self.person_column is not None and self.person_column not in self.columns:
            raise ValueError(
                _("person_column names undeclared column {person_column!r}").format(
                    person_column=self.person_column
                )
            )
        for i, w in enumerate(self.policy.waivers):
            if w.column not in self.columns:
                raise ValueError(
                    _("policy.waivers[{i}].column names undeclared column {column!r}").format(
                        i=i, column=w.column
                    )
                )
        if self.purpose == "anonymized" and self.metadata.license is None:
            raise ValueError(
                _(
                    "metadata.license: required for open data (purpose anonymized): CC-BY-4.0 or "
                    "PDL-1.0"
                )
            )
        if self.purpose == "pseudonymized" and self.metadata.license is not None:
            raise ValueError(
                _(
                    "metadata.license: a 仮名加工情報 release (purpose pseudonymized) is for internal "
                    "use only and gets no open-data licence; remove it"
                )
            )
        if self.purpose == "pseudonymized":
            # 施行規則第31条: card and bank numbers (財産的被害が生じるおそれのある記述等) go
            for c, cs in self.columns.items():
                calls = [name for name, _ in cs.operator_calls()]
                if cs.entity in FINANCIAL and (not calls or calls[-1] not in ("drop", "redact")):
                    raise ValueError(
                        _(
                            "columns.{column}: a 仮名加工情報 release must delete {entity} (施行規則第31条: "
                            "descriptions whose misuse could cause financial harm): actions: [drop]"
                        ).format(column=c, entity=cs.entity)
                    )
            for i, a in enumerate(self.gate.allow):
                if a.entity in FINANCIAL:
                    raise ValueError(
                        _(
                            "gate.allow[{i}]: {entity} cannot be allowed in a 仮名加工情報 release "
                            "(施行規則第31条)"
                        ).format(i=i, entity=a.entity)
                    )
        pseudonymized = [
            c for c, cs in self.columns.items()
            if any(name == "pseudonymize" for name, _ in cs.operator_calls())
        ]
        if self.purpose == "anonymized" and pseudonymized and self.person_column is None:
            raise ValueError(
                _(
                    "columns {pseudonymized}: pseudonymize under purpose anonymized works by "
                    "person: set person_column (the column that identifies a person), or drop the "
                    "column"
                ).format(pseudonymized=pseudonymized)
            )
        reviewed = [r.column for r in self.review]
        for i, r in enumerate(self.review):
            if r.column not in self.columns:
                raise ValueError(
                    _("review[{i}].column names undeclared column {column!r}").format(
                        i=i, column=r.column
                    )
                )
            if reviewed.count(r.column) > 1:
                raise ValueError(
                    _("review[{i}].column: {column!r} is reviewed more than once").format(
                        i=i, column=r.column
                    )
                )
        return self


def local_government_check_digit(code5: str) -> int:
    """全国地方公共団体コード check digit (総務省): weights 6,5,4,3,2; 11 − (Σ mod 11), last digit."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10  # remainder 0 → 11 → 1 (新宿区 131041)


def load_pipeline(path: Path | str) -> PipelineSpec:
    return load_yaml_model(path, PipelineSpec)
