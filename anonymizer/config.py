"""YAML → frozen, validated pydantic models.

Every YAML the project reads (rules, pipelines) goes through :func:`load_yaml_model`:
unknown keys are rejected, and any problem raises :class:`ConfigError` whose message
starts with ``file.yaml: path.to[2].key:`` so a steward can find the line to fix.
A missing or invalid config never falls back to defaults.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from anonymizer.errors import ConfigError
from anonymizer.i18n import N_, _

M = TypeVar("M", bound=BaseModel)


class Frozen(BaseModel):
    """Base for every config model: immutable, unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def compiles(pattern: str) -> str:
    """Pydantic validator: ``pattern`` is a valid regular expression."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"regex does not compile: {exc}") from None
    return pattern


#: a config field holding a regular expression (checked at load time)
Regex = Annotated[str, AfterValidator(compiles)]


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that refuses duplicate mapping keys (a silent overwrite hides mistakes).

    On libyaml's parser when PyYAML has it (every wheel does): the pure-Python one took
    0.4 s of each run's start-up to read the rules.
    """


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[arg-type]
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping  # type: ignore[arg-type]
)


def format_loc(loc: tuple[Any, ...]) -> str:
    """``('steps', 2, 'type')`` → ``steps[2].type``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


#: pydantic's messages a steward meets most, in the catalog (others are shown as pydantic says)
_PYDANTIC_MESSAGES = {
    "extra_forbidden": N_("Extra inputs are not permitted"),
    "missing": N_("Field required"),
}


def problem_text(error: Any) -> str:
    """What is wrong, in the current language: our validators' own message (without
    pydantic's "Value error, "), pydantic's commonest in the catalog, else pydantic's."""
    known = _PYDANTIC_MESSAGES.get(error["type"])
    raised = (error.get("ctx") or {}).get("error")
    if known:
        return _(known)
    if error["type"] == "value_error" and isinstance(raised, ValueError):
        return str(raised)
    return str(error["msg"])


def validation_message(source: str, err: ValidationError) -> str:
    """One line per problem, each naming the YAML path; input values are not echoed."""
    lines = []
    for e in err.errors(include_input=False, include_url=False):
        lines.append(f"{source}: {format_loc(tuple(e['loc']))}: {problem_text(e)}")
    return "\n".join(lines)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file strictly; errors name the file and line."""
    if not path.is_file():
        raise ConfigError(_("{path}: file not found").format(path=path))
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_UniqueKeyLoader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(
            _("{path}:{where}: {problem}").format(path=path, where=where, problem=problem)
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(_("{path}: not UTF-8 text").format(path=path)) from None


def validate_model(data: Any, model: type[M], source: str) -> M:
    """Validate already-parsed data; ``source`` names it in error messages."""
    if data is None:
        raise ConfigError(_("{source}: empty document").format(source=source))
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise ConfigError(validation_message(source, err)) from None


def load_yaml_model(path: Path | str, model: type[M]) -> M:
    """Read ``path`` and validate it as ``model``."""
    p = Path(path)
    return validate_model(read_yaml(p), model, str(p))
