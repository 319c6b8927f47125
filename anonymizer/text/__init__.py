"""Text utilities shared by recognizers."""
