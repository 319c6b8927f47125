import stat

from click.testing import CliRunner

from anonymizer.cli.main import cli
from anonymizer.keys import key_id, load_key


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_keygen_writes_a_private_key_and_prints_only_its_id(tmp_path):
    path = tmp_path / "city.key"
    result = run("keygen", "-o", str(path))
    assert result.exit_code == 0, result.output
    key = load_key(path)
    assert len(key) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key_id(key) in result.output
    assert key.decode() not in result.output


def test_keygen_refuses_to_overwrite(tmp_path):
    path = tmp_path / "city.key"
    assert run("keygen", "-o", str(path)).exit_code == 0
    before = path.read_bytes()
    result = run("keygen", "--output", str(path))
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert path.read_bytes() == before
    result = run("keygen", "-o", str(path), "--force")
    assert result.exit_code == 0 and path.read_bytes() != before


def test_keygen_needs_an_output(tmp_path):
    result = run("keygen")
    assert result.exit_code == 2 and "-o" in result.output


def test_keygen_missing_directory(tmp_path):
    result = run("keygen", "-o", str(tmp_path / "no" / "city.key"))
    assert result.exit_code == 2 and "directory not found" in result.output


def test_keygen_help_has_an_example():
    result = run("keygen", "--help")
    assert result.exit_code == 0 and "anonymizer keygen -o" in result.output
