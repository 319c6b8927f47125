"""The language of every message a steward reads: Japanese first, English available.

Messages are written in English in the source, with named placeholders, and marked for
Babel's extractor: ``_("{path}: unknown key {key}").format(path=..., key=...)`` (never an
f-string: the extractor must see the template, and a translation may reorder the
placeholders). Help texts that click reads at import time are marked with :func:`N_` and
translated when the command line is parsed (:mod:`anonymizer.cli.main`).

The catalogs are ``anonymizer/locale/{ja,en}/LC_MESSAGES/anonymizer.po`` (maintained with
Babel: ``make messages``), compiled to the ``.mo`` files read here by the standard library's
:mod:`gettext`; ``tests/test_i18n.py`` fails when a message has no Japanese or English entry
or a ``.mo`` is older than its ``.po``.

The language: ``--lang`` (the CLI), else ``$ANONYMIZER_LANG``, else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``: ``en…`` → English, ``ja…`` → Japanese). Anything else — unset,
``C``, ``C.UTF-8``, ``POSIX`` as in CI and containers, another language — is Japanese: the
product is made for Japanese municipalities.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

DOMAIN = "anonymizer"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("ja", "en")
DEFAULT = "ja"
ENV = "ANONYMIZER_LANG"
_LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")

_chosen: str | None = None


def language_of(value: str) -> str | None:
    """``ja``/``en`` for a language name or locale (``en_US.UTF-8`` → ``en``), else None."""
    head = value.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return head if head in LANGUAGES else None


def resolve_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for (``$ANONYMIZER_LANG``, then the locale)."""
    env = os.environ if environ is None else environ
    own = env.get(ENV, "")
    if own and language_of(own):
        return language_of(own)  # type: ignore[return-value]
    for var in _LOCALE_VARS:
        value = env.get(var, "")
        if value:  # the first one set decides, as in POSIX
            return language_of(value) or DEFAULT
    return DEFAULT


def check_environment(environ: Mapping[str, str] | None = None) -> None:
    """A ``$ANONYMIZER_LANG`` that names no supported language is an error, not ignored."""
    env = os.environ if environ is None else environ
    own = env.get(ENV, "")
    if own and not language_of(own):
        from anonymizer.errors import UsageError

        raise UsageError(
            _("${env}: unknown language (use one of: {languages})").format(
                env=ENV, languages=", ".join(LANGUAGES)
            )
        )


def set_language(lang: str | None) -> None:
    """Use ``lang`` from now on; None: follow the environment again."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unsupported language: {lang!r}")
    _chosen = lang


def get_language() -> str:
    return _chosen or resolve_language()


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (missing: fail closed, the install is broken)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])


def _(message: str) -> str:
    """``message`` (an English template) in the current language."""
    return translations(get_language()).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark, translate later"
    """Marks ``message`` for extraction; it is translated where it is shown."""
    return message


__all__ = [
    "DEFAULT",
    "ENV",
    "LANGUAGES",
    "N_",
    "_",
    "check_environment",
    "get_language",
    "language_of",
    "resolve_language",
    "set_language",
    "translations",
]
