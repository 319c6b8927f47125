"""Column operators, one module each, registered by name (see ``base.OPERATORS``)."""

from anonymizer.operators.base import (
    OPERATORS,
    Operator,
    OperatorContext,
    build_operator,
    drops_column,
)

__all__ = ["OPERATORS", "Operator", "OperatorContext", "build_operator", "drops_column"]
