"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from anonymizer.i18n import N_
from anonymizer.nlp.modes import MODES


def detection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--mode, --entities, --min-score, --workers."""
    func = click.option(
        "--workers",
        type=click.IntRange(min=1),
        default=None,
        help=N_("Worker processes for large inputs (default: one per core)."),
    )(func)
    func = click.option(
        "--min-score",
        type=click.FloatRange(0.0, 1.0),
        default=None,
        help=N_(
            "Report findings whose score (the calibrated probability that they are right) is "
            "at least this (default: default_min_score in rules/calibration.yaml)."
        ),
    )(func)
    func = click.option(
        "--entities",
        default=None,
        metavar="A,B",
        help=N_("Only these entity types (default: all). Unknown names are an error."),
    )(func)
    func = click.option(
        "--mode",
        type=click.Choice(MODES),
        default="accurate",
        show_default=True,
        help=N_("fast: patterns + Sudachi morphology; accurate: fast + GiNZA NER."),
    )(func)
    return func
