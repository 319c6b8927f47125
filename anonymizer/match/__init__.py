"""Matching a record's own identifier values in text, whatever their spelling."""

from anonymizer.match.deny import DENY, DenyEntry, DenyList
from anonymizer.match.fold import fold_key, fold_with_offsets
from anonymizer.match.matcher import Match, RecordMatcher, identifying, numbered_address

__all__ = [
    "DENY",
    "DenyEntry",
    "DenyList",
    "Match",
    "RecordMatcher",
    "fold_key",
    "fold_with_offsets",
    "identifying",
    "numbered_address",
]
