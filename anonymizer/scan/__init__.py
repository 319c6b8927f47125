"""Column profiling: roles from header synonyms plus value sampling, entity counts."""

from anonymizer.scan.headers import ROLES, HeaderMatch, match_header
from anonymizer.scan.profile import ColumnProfile, ScanResult, scan_file, scan_frame

__all__ = ["ROLES", "ColumnProfile", "HeaderMatch", "ScanResult", "match_header", "scan_file", "scan_frame"]
