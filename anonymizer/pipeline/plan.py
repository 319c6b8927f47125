"""What a run is given (:class:`RunOptions`), what it prepares before reading data
(:class:`Plan`) and what it returns (:class:`RunResult`).

Kept apart from :mod:`anonymizer.pipeline.run` so the modules the run calls — the outputs
writer and the report builder — can name these types without importing the run itself (no
import cycle run → outputs → run).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from anonymizer.detect import Detector
    from anonymizer.operators import Operator
    from anonymizer.pipeline.gate import GateResult
    from anonymizer.pipeline.spec import PipelineSpec
    from anonymizer.profiles import Profile
    from anonymizer.steps import Step


@dataclass
class RunOptions:
    pipeline: Path
    out_dir: Path
    key_file: Path | None = None
    force: bool = False
    seed: int | None = None
    progress: bool = True
    workers: int | None = None
    #: wait for another run of the same pipeline into the same directory (else exit 2)
    wait: bool = True
    #: ``pandas`` or ``spark``: overrides the pipeline's ``engine`` (None: the pipeline's)
    engine: str | None = None
    #: the Spark master (``local[2]``, ``spark://HOST:7077``, ``yarn``): overrides ``spark.master``
    master: str | None = None


@dataclass
class Plan:
    """Everything validated before data is read."""

    spec: PipelineSpec
    path: Path
    input_path: Path
    operators: dict[str, list[Operator]]
    steps: list[Step]
    key: bytes | None
    key_id: str | None
    detector: Detector
    light: Detector
    #: none | per_release | per_release_insecure_seed | persistent (a key file: pseudonymized)
    key_kind: str = "none"
    #: the output profile the release declares (``output.profile``), loaded and checked
    profile: Profile | None = None
    #: an input at a URI (``hdfs://…``, ``s3a://…``: the Spark engine reads it); then
    #: ``input_path`` is only its file name, for the report and messages
    input_uri: str | None = None


@dataclass
class RunResult:
    released: bool
    target: Path | None
    gate: GateResult
    report: dict[str, Any]
    seconds: float
    rows_in: int
    rows_out: int
    refusal_file: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
