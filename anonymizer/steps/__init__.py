"""Table-level pipeline steps (``steps:`` in a pipeline), one module each, registered by type."""

from anonymizer.steps.base import STEPS, PublicCells, Step, StepContext, StepResult, build_step

__all__ = ["STEPS", "PublicCells", "Step", "StepContext", "StepResult", "build_step"]
