"""The message catalogs: every message in the source has a Japanese and an English entry
(found by Babel's own extractor), placeholders survive translation, the compiled ``.mo`` the
package reads are those of the ``.po``; the language rules; help in both languages."""

from __future__ import annotations

import importlib.util
import re
import string
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from anonymizer import i18n
from anonymizer.cli.main import cli

PACKAGE = Path(i18n.__file__).parent
LOCALE = PACKAGE / "locale"


def _messages_script():  # type: ignore[no-untyped-def]
    """scripts/messages.py (make messages): the one extraction map, Python and templates."""
    path = PACKAGE.parent / "scripts" / "messages.py"
    spec = importlib.util.spec_from_file_location("_messages", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _source_ids() -> set[str]:
    """Every message Babel's extractor finds: _()/N_() in Python, {% trans %} in templates."""
    found = _messages_script().extract(PACKAGE)
    return {message for _file, _line, message, _comments, _context in found}


def _po(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "anonymizer.po").open("rb") as fh:
        return read_po(fh, locale=lang, domain="anonymizer")


def _fields(text: str) -> list[str]:
    """The placeholders of a message: ``{name}`` (Python) and ``%(name)s`` (templates)."""
    percent = sorted(re.findall(r"%\((\w+)\)s", text))
    if percent:
        return percent
    return sorted({f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f is not None})


SOURCE = _source_ids()


def test_the_source_has_messages() -> None:
    assert len(SOURCE) > 450  # every error, help text and message a steward reads
    assert any(m.startswith("# Proposed by `anonymizer init`") for m in SOURCE)  # templates


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_message_has_an_entry(lang: str) -> None:
    catalog = _po(lang)
    entries = {m.id: m for m in catalog if m.id}
    missing = sorted(m for m in SOURCE if m not in entries or not entries[m].string)
    assert not missing, f"{lang}: {len(missing)} message(s) without a translation (make messages)"
    assert not [m.id for m in catalog if m.id and m.fuzzy], f"{lang}: fuzzy entries"
    stale = sorted(set(entries) - SOURCE)
    assert not stale, f"{lang}: entries no longer in the source (make messages): {stale[:3]}"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_placeholders_survive_translation(lang: str) -> None:
    for m in _po(lang):
        if m.id:
            assert _fields(m.string) == _fields(m.id), (lang, m.id)
            assert "\ufffd" not in m.string


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_compiled_catalog_is_the_po(lang: str) -> None:
    with (LOCALE / lang / "LC_MESSAGES" / "anonymizer.mo").open("rb") as fh:
        mo = {m.id: m.string for m in read_mo(fh) if m.id}
    po = {m.id: m.string for m in _po(lang) if m.id}
    assert mo == po, f"{lang}: anonymizer.mo is out of date (make messages)"


def test_japanese_differs_from_english() -> None:
    ja = {m.id: m.string for m in _po("ja") if m.id}
    # a few are the same in both: placeholders only ("{path}: {message}"), an option list
    same = [k for k, v in ja.items() if v == k]
    assert len(same) <= 0.05 * len(ja), same
    assert ja["{path}: file not found"] == "{path}: ファイルがありません"


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "ja"),
        ({"LANG": "C.UTF-8"}, "ja"),
        ({"LANG": "POSIX"}, "ja"),
        ({"LANG": "C"}, "ja"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "ja"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "ja_JP.UTF-8"}, "en"),
        ({"LC_ALL": "ja_JP.UTF-8", "LANG": "en_US.UTF-8"}, "ja"),
        ({"LC_MESSAGES": "en_US", "LANG": "ja_JP.UTF-8"}, "en"),
        ({"ANONYMIZER_LANG": "ja", "LANG": "en_US.UTF-8"}, "ja"),
        ({"ANONYMIZER_LANG": "en", "LANG": "ja_JP.UTF-8"}, "en"),
        ({"ANONYMIZER_LANG": "EN"}, "en"),
    ],
)
def test_language_from_the_environment(environ: dict[str, str], lang: str) -> None:
    assert i18n.resolve_language(environ) == lang


def _invoke(args: list[str], **env: str | None):
    return CliRunner().invoke(cli, args, env={"ANONYMIZER_LANG": None, "LC_ALL": None,
                                              "LC_MESSAGES": None, "LANG": None, **env})


@pytest.mark.parametrize(
    ("args", "env", "expected", "absent"),
    [
        (["run", "--help"], {}, "公開前ゲートを通ったときだけ", "only if the release gate passes"),
        (["--lang", "en", "run", "--help"], {}, "only if the release gate passes", "公開前ゲート"),
        (["--help"], {"LANG": "en_US.UTF-8"}, "Detect and remove Japanese", "取り除きます"),
        (["--help"], {"LANG": "C.UTF-8"}, "日本語の個人情報を見つけて", "Detect and"),
        (["--lang", "ja", "scan", "--help"], {"LANG": "en_US.UTF-8"}, "調べた結果", "Write the"),
        (["init", "--help"], {"ANONYMIZER_LANG": "en"}, "Where to write the pipeline", "書く場所"),
    ],
)
def test_help_in_either_language(args, env, expected, absent) -> None:
    result = _invoke(args, **env)
    assert result.exit_code == 0, result.output
    assert expected in result.output
    assert absent not in result.output


def test_help_follows_each_invocation() -> None:
    """Help texts are translated in place: one invocation's language does not stick."""
    assert "only if the release gate" in _invoke(["--lang", "en", "run", "--help"]).output
    assert "公開前ゲート" in _invoke(["run", "--help"]).output
    assert "only if the release gate" in _invoke(["run", "--help"], LANG="en_US.UTF-8").output


def test_an_unknown_language_is_an_error() -> None:
    result = _invoke(["scan", "x.csv"], ANONYMIZER_LANG="de")
    assert result.exit_code == 2
    assert "$ANONYMIZER_LANG" in result.output and "ja, en" in result.output
    bad = _invoke(["--lang", "de", "--help"])
    assert bad.exit_code == 2


def test_clicks_own_words_follow_the_language() -> None:
    """click's usage line and its errors come from our catalog, and the invocation's language
    does not outlive it (the test process keeps its own gettext domain and $LANGUAGE)."""
    import gettext
    import os

    before = (gettext.textdomain(), os.environ.get("LANGUAGE"))
    ja = _invoke(["scan"])
    assert ja.exit_code == 2
    assert "使い方: cli scan" in ja.output and "エラー: 引数がありません" in ja.output
    en = _invoke(["--lang", "en", "scan"])
    assert en.exit_code == 2
    assert "Usage: cli scan" in en.output and "Missing argument" in en.output
    assert "オプション:" in _invoke(["keygen", "--help"]).output
    assert (gettext.textdomain(), os.environ.get("LANGUAGE")) == before
