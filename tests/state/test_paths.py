"""Where the state directory is: explicit, a pipeline's ``state:``, $XDG_STATE_HOME, ~/.local."""

from pathlib import Path

import pytest

from anonymizer.state import StatePaths, default_state_dir, display, resolve_state_dir


def test_tests_never_use_the_real_home(_state_home):
    assert default_state_dir() == _state_home
    assert not str(default_state_dir()).startswith(str(Path.home() / ".local"))


def test_xdg_state_home_and_its_absolute_only_rule(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert default_state_dir() == tmp_path / "anonymizer"
    monkeypatch.setenv("XDG_STATE_HOME", "relative/dir")  # the spec says: ignore it
    assert default_state_dir() == Path.home() / ".local" / "state" / "anonymizer"
    monkeypatch.delenv("XDG_STATE_HOME")
    assert default_state_dir() == Path.home() / ".local" / "state" / "anonymizer"


def test_explicit_then_declared_then_default(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    pipeline = tmp_path / "project" / "pipelines" / "p.yaml"
    assert resolve_state_dir(tmp_path / "x", "ignored", pipeline) == (tmp_path / "x").resolve()
    declared = resolve_state_dir(None, "../state", pipeline)
    assert declared == (tmp_path / "project" / "state").resolve()
    assert resolve_state_dir(None, None, pipeline) == (tmp_path / "xdg" / "anonymizer").resolve()


def test_state_directory_is_private(tmp_path):
    paths = StatePaths(tmp_path / "a" / "b").ensure()
    assert paths.root.is_dir() and (paths.root.stat().st_mode & 0o777) == 0o700
    assert {paths.ledger.name, paths.key.name, paths.registry.name} == {
        "ledger.sqlite", "ledger.key", "registry.json"
    }


def test_display_hides_the_user_name_in_a_published_report(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert display(tmp_path / ".local" / "state" / "anonymizer" / "ledger.sqlite") == (
        "~/.local/state/anonymizer/ledger.sqlite"
    )
    assert display(Path("/srv/state/ledger.sqlite")) == "/srv/state/ledger.sqlite"


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid"), reason="POSIX only")
def test_state_dir_that_cannot_be_created_is_a_clear_error(tmp_path):
    from anonymizer.errors import FileSystemError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(FileSystemError, match="cannot create the state directory"):
        StatePaths(blocker / "state").ensure()
