"""Where the state directory is, and what lives in it.

The state directory holds what must outlive any output directory and ``make clean``: the
privacy-budget ledger, its integrity key and the registry of each population's chain head.
It is chosen, in order, by an explicit ``--state-dir``, a pipeline's ``state:`` (relative to
the pipeline file), ``$XDG_STATE_HOME/anonymizer``, or ``~/.local/state/anonymizer`` (the XDG
Base Directory default). It is created with mode 0700: only its owner reads the key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from anonymizer.fsutil import os_errors
from anonymizer.i18n import _

APP = "anonymizer"


def default_state_dir() -> Path:
    """``$XDG_STATE_HOME/anonymizer`` (an absolute value only, as the spec says), else
    ``~/.local/state/anonymizer``."""
    xdg = os.environ.get("XDG_STATE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / APP
    return Path.home() / ".local" / "state" / APP


def resolve_state_dir(
    explicit: Path | str | None = None,
    declared: str | None = None,
    pipeline_path: Path | str | None = None,
) -> Path:
    """The state directory for a command: explicit, else declared by a pipeline, else XDG."""
    if explicit is not None:
        return Path(explicit).expanduser().resolve()
    if declared is not None:
        base = Path(pipeline_path).parent if pipeline_path is not None else Path.cwd()
        return (base / Path(declared).expanduser()).resolve()
    return default_state_dir().resolve()


def display(path: Path) -> str:
    """``path`` for a report that may be published: the home directory shown as ``~``
    (a user name in a path is personal information about the staff)."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class StatePaths:
    """The files of one state directory."""

    root: Path

    @property
    def ledger(self) -> Path:
        return self.root / "ledger.sqlite"

    @property
    def key(self) -> Path:
        return self.root / "ledger.key"

    @property
    def registry(self) -> Path:
        return self.root / "registry.json"

    def ensure(self) -> StatePaths:
        """Create the directory (0700) if needed; an OS refusal names it (exit 2)."""
        with os_errors(_("cannot create the state directory"), self.root):
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not os.access(self.root, os.W_OK | os.X_OK):
                raise PermissionError(13, "permission denied", str(self.root))
        return self


__all__ = ["StatePaths", "default_state_dir", "display", "resolve_state_dir"]
