"""Cell suppression for tables (counts and magnitudes, with hierarchies): primary rules,
optimal or modular secondary suppression (HiGHS through SciPy) and the interval audit.
``steps/cell_suppression.py`` and ``cli/cells.py`` only wire it."""

from anonymizer.tables.audit import Intervals, check_protection, feasible_intervals
from anonymizer.tables.build import run_table
from anonymizer.tables.engine import Protected, Verdict, protect, verify
from anonymizer.tables.hierarchy import Hierarchy, load_hierarchy
from anonymizer.tables.spec import Resolved, SuppressionRules, TableSpec
from anonymizer.tables.table import Dimension, LinkedTable, from_cells, tabulate

__all__ = [
    "Dimension", "Hierarchy", "Intervals", "LinkedTable", "Protected", "Resolved", "SuppressionRules",
    "TableSpec", "Verdict", "check_protection", "feasible_intervals", "from_cells", "load_hierarchy",
    "protect", "run_table", "tabulate", "verify",
]  # fmt: skip
