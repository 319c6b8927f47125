"""Detection modes (a leaf module: the CLI imports it without loading any model)."""

MODES: tuple[str, ...] = ("fast", "accurate")
