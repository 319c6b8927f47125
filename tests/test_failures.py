"""Any failure the code did not anticipate is exit 2 with a message that quotes no input."""

import errno
import sqlite3

import click
import pytest
from click.testing import CliRunner

from anonymizer.cli.main import cli
from anonymizer.errors import FileSystemError, InternalError
from anonymizer.failures import describe

SECRET = "山田太郎 090-1234-5678"


def _raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:  # noqa: BLE001 - a real traceback for describe()
        return caught


def test_an_os_error_names_path_and_reason():
    err = describe(_raised(OSError(errno.ENOSPC, "No space left on device", "/srv/out/x.csv")))
    assert isinstance(err, FileSystemError) and err.exit_code == 2
    assert err.message == "/srv/out/x.csv: the operating system refused: no space left on device"


@pytest.mark.parametrize("exc", [
    ValueError(f"Unable to parse string {SECRET!r} at position 0"),
    KeyError(SECRET),
    UnicodeDecodeError("utf-8", SECRET.encode(), 0, 1, "invalid start byte"),
    OverflowError("cannot convert float infinity to integer"),
])  # fmt: skip
def test_anything_else_is_withheld_but_located(exc):
    err = describe(_raised(exc))
    assert isinstance(err, InternalError) and err.exit_code == 2
    assert type(exc).__name__ in err.message and "test_failures.py:" in err.message
    assert SECRET not in err.message and "山田" not in err.message


def test_memory_and_database_errors():
    assert "out of memory" in describe(_raised(MemoryError())).message
    db = describe(_raised(sqlite3.OperationalError("disk I/O error")))
    assert isinstance(db, FileSystemError)


@click.command("explode-for-test")
@click.argument("what")
def _explode(what: str) -> None:
    if what == "value":
        raise ValueError(SECRET)
    if what == "os":
        raise PermissionError(errno.EACCES, "Permission denied", "/data/in.csv")
    raise click.UsageError("a usage error stays click's")


@pytest.fixture
def explode():
    cli.add_command(_explode)
    yield
    cli.commands.pop("explode-for-test")


@pytest.mark.parametrize(("what", "code", "expected"), [
    ("value", 2, "[E999] unexpected ValueError at"),
    ("os", 2, "/data/in.csv: the operating system refused: permission denied"),
    ("usage", 2, "a usage error stays click's"),
])  # fmt: skip
def test_the_cli_maps_every_exception_to_exit_2_without_a_traceback(explode, what, code, expected):
    result = CliRunner().invoke(cli, ["explode-for-test", what])
    assert result.exit_code == code and expected in result.output
    assert SECRET not in result.output and "Traceback" not in result.output


def test_debug_shows_the_real_exception(explode, monkeypatch):
    monkeypatch.setenv("ANONYMIZER_DEBUG", "1")
    result = CliRunner().invoke(cli, ["explode-for-test", "value"])
    assert isinstance(result.exception, ValueError)
