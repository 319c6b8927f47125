"""``anonymizer`` entry point.

Every module in ``anonymizer/cli/`` that defines a click ``command`` is added to the group,
so a new command is one new file. Library errors map to exit codes here, in one place:
0 success, 1 refused (release gate, privacy budget), 2 usage/config/input error — and every
other failure (an OS error, a library's exception) is exit 2 too, quoting no input.

The language (``--lang``, else :mod:`anonymizer.i18n`'s environment rules) is chosen before
anything is parsed or shown: every help text was marked with ``N_`` where it was written and
is translated here, in place, for this invocation.
"""

from __future__ import annotations

import gc
import gettext
import importlib
import logging
import os
import pkgutil
import sys
from typing import Any

import click

from anonymizer import cli as _cli_package
from anonymizer.errors import AnonymizerError
from anonymizer.failures import debugging, describe
from anonymizer.gcpolicy import use_batch_thresholds
from anonymizer.i18n import (
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    N_,
    _,
    check_environment,
    get_language,
    set_language,
)

_SKIP = {"main", "common"}


def _translate(obj: click.Command | click.Parameter, attr: str) -> None:
    """``obj.attr`` in the current language, from the English text it was defined with."""
    originals = obj.__dict__.setdefault("_i18n_msgids", {})
    if attr not in originals:
        originals[attr] = getattr(obj, attr, None)
    msgid = originals[attr]
    if msgid:
        setattr(obj, attr, _(msgid))


def translate_help(command: click.Command) -> None:
    """Every help text of ``command``, its options and its subcommands, in the current
    language (click reads ``help=`` when a module is imported, before ``--lang`` is known)."""
    for attr in ("help", "short_help", "epilog"):
        _translate(command, attr)
    for param in command.params:
        if isinstance(param, click.Option):
            _translate(param, "help")
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            translate_help(sub)


def _click_speaks(lang: str) -> None:
    """click's own words (``Usage:``, its errors) in ``lang``: click asks the standard
    library's gettext (global domain, ``$LANGUAGE``), pointed here at our catalog
    (:mod:`anonymizer.cli._click_messages`) for the invocation; :meth:`_Group.main` restores
    both afterwards."""
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = lang


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        set_language(value)
        _click_speaks(value)
        translate_help(ctx.command)


class _Group(click.Group):
    """Maps AnonymizerError to its exit code with a one-line message (no traceback, no values)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """One invocation: the language it chose does not outlive it (tests run many)."""
        domain, language = gettext.textdomain(), os.environ.get("LANGUAGE")
        try:
            return super().main(*args, **kwargs)
        finally:
            gettext.textdomain(domain)
            if language is None:
                os.environ.pop("LANGUAGE", None)
            else:
                os.environ["LANGUAGE"] = language

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None,
        **extra: object,
    ) -> click.Context:
        set_language(None)  # this invocation's environment, until --lang says otherwise
        _click_speaks(get_language())
        translate_help(self)
        return super().make_context(info_name, args, parent, **extra)  # type: ignore[arg-type]

    def invoke(self, ctx: click.Context) -> object:
        try:
            check_environment()
            return super().invoke(ctx)
        except AnonymizerError as err:
            click.echo(_("anonymizer: error: {error}").format(error=err), err=True)
            if err.epilogue:
                click.echo(err.epilogue, err=True)
            sys.exit(err.exit_code)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # OS and library failures: exit 2, quoting no input (failures.py)
            if debugging():
                raise
            click.echo(_("anonymizer: error: {error}").format(error=describe(exc)), err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="anonymizer")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    is_eager=True,
    expose_value=False,
    callback=_choose_language,
    help=N_("Language of messages and help: ja or en (default: $ANONYMIZER_LANG, else the "
            "locale; ja unless it is English)."),
)
@click.option("-v", "--verbose", is_flag=True, help=N_("Log progress to stderr (never values)."))
def cli(verbose: bool) -> None:
    """Detect and remove Japanese personal information before open-data release."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


cli.help = N_("""Detect and remove Japanese personal information before open-data release.

    \b
    Examples:
      anonymizer scan export.xlsx
      anonymizer init export.xlsx -o pipelines/export.yaml
      anonymizer run pipelines/export.yaml --out out
      anonymizer --lang en run --help
    """)


def _discover() -> None:
    for mod in sorted(pkgutil.iter_modules(_cli_package.__path__), key=lambda m: m.name):
        if mod.name in _SKIP or mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{_cli_package.__name__}.{mod.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            cli.add_command(command)


_discover()


def main() -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # full collections over models, tables and caches: 2.3 s of a 100,000-row run with the
    # default thresholds, 0.4 s with these
    use_batch_thresholds()
    try:
        cli(prog_name="anonymizer")
    finally:
        # the process ends here: spare its exit the collections over the whole heap
        # (0.6 s after a 20,000-row run)
        gc.freeze()
