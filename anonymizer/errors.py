"""Typed errors with stable codes and the exit code each maps to.

Messages name the file, row, column or YAML path; they never contain the value that
caused the error (it may be personal information).
"""

from __future__ import annotations

from pathlib import Path


class AnonymizerError(Exception):
    """Base class. ``exit_code`` is what the CLI returns for it."""

    exit_code: int = 2
    code: str = "E000"
    #: printed on stderr after the message (e.g. ``run``'s summary of a refusal); no values
    epilogue: str | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class UsageError(AnonymizerError):
    """Bad command-line usage (unknown entity name, bad option value)."""

    code = "E001"


class ConfigError(AnonymizerError):
    """A rules or pipeline YAML is missing or invalid; the message starts with its path."""

    code = "E002"


class InputError(AnonymizerError):
    """Input data cannot be read as declared (encoding, ragged rows, bad JSON line)."""

    code = "E003"


class KeyMissingError(AnonymizerError):
    """A keyed operation has no usable secret key."""

    code = "E004"


class GateRefused(AnonymizerError):
    """The release gate refused: nothing was published."""

    exit_code = 1
    code = "E100"

    def __init__(self, message: str, refusal_file: Path | None = None) -> None:
        super().__init__(message)
        #: where a pipeline run wrote its refusal (``OUT/<name>.refused.json``), if it did
        self.refusal_file = refusal_file


class BudgetRefused(AnonymizerError):
    """The privacy-budget ledger refused the spend: nothing was computed or published."""

    exit_code = 1
    code = "E101"


class FileSystemError(AnonymizerError):
    """The operating system refused a read or write (permission, read-only, disk full…);
    the message names the path and what was being done, never file contents."""

    code = "E005"


class LedgerTampered(AnonymizerError):
    """The privacy-budget ledger failed its integrity check: no release for the population
    until an administrator re-seals it (``anonymizer budget NAME --reseal --reason …``)."""

    code = "E006"


class Busy(AnonymizerError):
    """Another run holds the lock (``--no-wait``), or waited too long for it."""

    code = "E007"


class PortalError(AnonymizerError):
    """The portal could not be reached, refused the key, or refused or failed a call."""

    code = "E008"

    def __init__(self, message: str, kind: str = "error") -> None:
        super().__init__(message)
        #: network | auth | rejected | error
        self.kind = kind


class InternalError(AnonymizerError):
    """An unexpected failure; its details are withheld because they may quote input values."""

    code = "E999"
