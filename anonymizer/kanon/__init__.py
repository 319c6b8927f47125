"""k-anonymity engine: hierarchies, optimal full-domain generalization, ℓ-diversity,
t-closeness, average risk, Mondrian local recoding, and risk before/after.

Public API (the ``kanonymity`` pipeline step and ``anonymizer kanon`` call these)::

    from anonymizer.kanon import KAnonConfig, anonymize
    result = anonymize(frame, KAnonConfig(qis={"age": "age_5y"}, k=5, suppression=0.05))
"""

from anonymizer.kanon.engine import anonymize, prepare
from anonymizer.kanon.hierarchy import Hierarchy, read_arx_csv, write_arx_csv
from anonymizer.kanon.result import ClassStats, KAnonResult
from anonymizer.kanon.risk import RiskReport, SizeBucket, risk_report
from anonymizer.kanon.spec import KAnonConfig

__all__ = [
    "ClassStats",
    "Hierarchy",
    "KAnonConfig",
    "KAnonResult",
    "RiskReport",
    "SizeBucket",
    "anonymize",
    "prepare",
    "read_arx_csv",
    "risk_report",
    "write_arx_csv",
]
