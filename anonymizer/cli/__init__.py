"""Thin CLI over the public API: one module per command, discovered by name."""
