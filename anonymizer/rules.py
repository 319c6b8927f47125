"""Where the rules live and how each rules file is loaded (cached per path)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from anonymizer.config import load_yaml_model

M = TypeVar("M", bound=BaseModel)

#: The repository's rules/ (the package is installed editable, so it sits beside it).
DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


def rules_dir(override: Path | str | None = None) -> Path:
    """An explicit directory, else ``$ANONYMIZER_RULES``, else the repository's ``rules/``."""
    if override is not None:
        return Path(override)
    env = os.environ.get("ANONYMIZER_RULES")
    return Path(env) if env else DEFAULT_RULES_DIR


@lru_cache(maxsize=64)
def _load(path: Path, model: type[BaseModel]) -> BaseModel:
    return load_yaml_model(path, model)


def load_rules(name: str, model: type[M], directory: Path | str | None = None) -> M:
    """Load ``rules/<name>`` as ``model``; the frozen result is cached per resolved path."""
    path = (rules_dir(directory) / name).resolve()
    result = _load(path, model)
    assert isinstance(result, model)
    return result
