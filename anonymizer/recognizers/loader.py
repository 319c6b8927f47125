"""Build the configured recognizers from ``rules/recognizers/<name>.yaml``.

Each file is one :class:`RecognizerSpec`; its file name (without ``.yaml``) is the
registry name of the class that implements it. A registered recognizer without a rules
file, or a rules file without a registered recognizer, is a configuration error: nothing
is silently disabled or silently defaulted.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from anonymizer.config import load_yaml_model
from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.recognizers import ja as _ja_package
from anonymizer.recognizers.base import RECOGNIZERS, JaRecognizer
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.rules import rules_dir


def import_all() -> None:
    """Import every module under ``anonymizer/recognizers/ja`` so each registers itself."""
    for mod in pkgutil.iter_modules(_ja_package.__path__):
        importlib.import_module(f"{_ja_package.__name__}.{mod.name}")


def load_specs(directory: Path | str | None = None) -> dict[str, tuple[Path, RecognizerSpec]]:
    base = rules_dir(directory) / "recognizers"
    if not base.is_dir():
        raise ConfigError(_("{base}: recognizer rules directory not found").format(base=base))
    specs = {}
    for path in sorted(base.glob("*.yaml")):
        specs[path.stem] = (path, load_yaml_model(path, RecognizerSpec))
    return specs


def build_recognizers(directory: Path | str | None = None) -> list[JaRecognizer]:
    """Instantiate every enabled recognizer, in registry-name order."""
    import_all()
    specs = load_specs(directory)
    missing = [n for n in RECOGNIZERS.names() if n not in specs]
    if missing:
        raise ConfigError(
            _(
                "{value_}: no rules file for recognizer(s) {missing} (add <name>.yaml with "
                "enabled: false to turn one off)"
            ).format(value_=rules_dir(directory) / 'recognizers', missing=', '.join(missing))
        )
    out: list[JaRecognizer] = []
    for name, (path, spec) in specs.items():
        cls = RECOGNIZERS.get(name, where=str(path))
        if spec.enabled:
            out.append(cls(spec, source=str(path)))
    return out
