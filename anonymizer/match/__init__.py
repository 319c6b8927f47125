"""Matching a record's own identifier values in text, whatever their spelling."""

from anonymizer.match.fold import fold_key, fold_with_offsets
from anonymizer.match.matcher import Match, RecordMatcher, identifying

__all__ = ["Match", "RecordMatcher", "fold_key", "fold_with_offsets", "identifying"]
