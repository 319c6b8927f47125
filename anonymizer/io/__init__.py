"""Reading and writing tables: every cell is text, encodings are detected, errors name places."""

from anonymizer.io.table import Table, read_table

__all__ = ["Table", "read_table"]
