"""Pipelines: YAML → validated spec → run (column operators, steps, gate, release)."""

from anonymizer.pipeline.spec import PipelineSpec, load_pipeline

__all__ = ["PipelineSpec", "load_pipeline"]
