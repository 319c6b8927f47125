"""Presidio recognizers for Japanese personal information (one module per entity in ``ja/``)."""

from anonymizer.recognizers.base import RECOGNIZERS, JaPatternRecognizer, JaRecognizer, register
from anonymizer.recognizers.loader import build_recognizers

__all__ = ["RECOGNIZERS", "JaPatternRecognizer", "JaRecognizer", "build_recognizers", "register"]
