"""Turn a hierarchy reference (rules name, ARX CSV path, inline spec) into a Hierarchy."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from anonymizer.config import read_yaml, validation_message
from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.kanon.builders import BuilderSpec, HierarchySpec
from anonymizer.kanon.hierarchy import MISSING, Hierarchy, read_arx_csv
from anonymizer.rules import rules_dir

_SPEC: TypeAdapter[BuilderSpec] = TypeAdapter(HierarchySpec)
_NAME = re.compile(r"[\w.\-]+")


def hierarchy_path(name: str, directory: Path | str | None = None) -> Path:
    if not _NAME.fullmatch(name):
        raise ConfigError(
            _("hierarchy name {name!r}: use letters, digits, '_', '.', '-'").format(name=name)
        )
    return rules_dir(directory) / "hierarchies" / f"{name}.yaml"


def load_spec(name: str, directory: Path | str | None = None) -> tuple[BuilderSpec, Path]:
    """Validate ``rules/hierarchies/<name>.yaml``; errors start with that path."""
    path = hierarchy_path(name, directory)
    if not path.is_file():
        names = sorted(p.stem for p in path.parent.glob("*.yaml"))
        raise ConfigError(
            _("{path}: no such hierarchy; valid: {value_}").format(
                path=path, value_=', '.join(names) or '(none)'
            )
        )
    data = read_yaml(path)
    if data is None:
        raise ConfigError(_("{path}: empty document").format(path=path))
    try:
        return _SPEC.validate_python(data), path
    except ValidationError as err:
        raise ConfigError(validation_message(str(path), err)) from None


def resolve_hierarchy(
    ref: str | BuilderSpec,
    column: str,
    values: Sequence[str],
    directory: Path | str | None = None,
) -> Hierarchy:
    """The hierarchy for ``column`` given its distinct observed ``values``; an empty value
    (a missing cell) gets a row of its own (:meth:`Hierarchy.with_missing`)."""
    present = [v for v in values if v != MISSING]
    hierarchy = _resolve(ref, column, present, directory)
    return hierarchy.with_missing() if len(present) < len(values) else hierarchy


def _resolve(
    ref: str | BuilderSpec, column: str, values: Sequence[str], directory: Path | str | None
) -> Hierarchy:
    if isinstance(ref, BuilderSpec):
        return ref.build(column, column, values, Path.cwd())
    if ref.lower().endswith(".csv"):
        return read_arx_csv(ref, name=Path(ref).stem)
    spec, path = load_spec(ref, directory)
    try:
        return spec.build(ref, column, values, path.parent)
    except ConfigError as err:
        if err.message.startswith(str(path)):
            raise
        raise ConfigError(_("{path}: {message}").format(path=path, message=err.message)) from None
