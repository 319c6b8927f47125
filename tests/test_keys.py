import hashlib
import hmac
import logging
import os
import stat

import pytest

from anonymizer.errors import KeyMissingError, UsageError
from anonymizer.keys import MIN_KEY_BYTES, key_id, load_key, write_new_key

HEX_KEY = "0123456789abcdef" * 4  # 64 characters, as keygen writes


@pytest.fixture(autouse=True)
def _no_ambient_key(monkeypatch):
    monkeypatch.delenv("ANONYMIZER_KEY", raising=False)


def _key_file(tmp_path, content: bytes, mode: int = 0o600):
    path = tmp_path / "city.key"
    path.write_bytes(content)
    path.chmod(mode)
    return path


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (HEX_KEY.encode() + b"\n", HEX_KEY.encode()),  # one trailing newline stripped
        (HEX_KEY.encode() + b"\r\n", HEX_KEY.encode()),
        (HEX_KEY.encode(), HEX_KEY.encode()),
        (HEX_KEY.encode() + b"\n\n", HEX_KEY.encode() + b"\n"),  # only one
        (b" " + HEX_KEY.encode(), b" " + HEX_KEY.encode()),  # raw bytes otherwise
        (bytes(range(32)), bytes(range(32))),  # binary keys work
        ("鍵".encode() * 11, "鍵".encode() * 11),  # 33 bytes
    ],
)
def test_load_key_from_file(tmp_path, content, key):
    assert load_key(_key_file(tmp_path, content)) == key


def test_load_key_from_env(monkeypatch):
    monkeypatch.setenv("ANONYMIZER_KEY", HEX_KEY)
    assert load_key(None) == HEX_KEY.encode()
    monkeypatch.setenv("CITY_KEY", "鍵" * 11)
    assert load_key(None, env="CITY_KEY") == ("鍵" * 11).encode("utf-8")


def test_file_wins_over_env(tmp_path, monkeypatch):
    monkeypatch.setenv("ANONYMIZER_KEY", "e" * 40)
    assert load_key(_key_file(tmp_path, HEX_KEY.encode())) == HEX_KEY.encode()


@pytest.mark.parametrize("secret", ["", "tooshort-secret", "x" * 31, "鍵" * 10])
def test_short_key_is_refused_without_echoing_it(tmp_path, monkeypatch, secret):
    monkeypatch.setenv("ANONYMIZER_KEY", secret)
    with pytest.raises(KeyMissingError) as err:
        load_key(None)
    assert f"{MIN_KEY_BYTES} bytes" in err.value.message and "$ANONYMIZER_KEY" in err.value.message
    assert not secret or secret not in str(err.value)
    path = _key_file(tmp_path, secret.encode() + b"\n")
    with pytest.raises(KeyMissingError) as err:
        load_key(path)
    assert str(path) in err.value.message
    assert not secret or secret not in str(err.value)
    assert err.value.exit_code == 2


def test_missing_key_says_how_to_make_one():
    with pytest.raises(KeyMissingError, match="ANONYMIZER_KEY.*keygen"):
        load_key(None)


def test_missing_or_unreadable_file(tmp_path):
    with pytest.raises(KeyMissingError, match="not found"):
        load_key(tmp_path / "nope.key")
    with pytest.raises(KeyMissingError, match="directory"):
        load_key(tmp_path)


def test_world_readable_key_file_warns_without_the_key(tmp_path, caplog):
    path = _key_file(tmp_path, HEX_KEY.encode(), mode=0o644)
    with caplog.at_level(logging.WARNING, logger="anonymizer.keys"):
        load_key(path)
    assert "chmod 600" in caplog.text and HEX_KEY not in caplog.text


def test_key_id_is_a_keyed_fingerprint():
    key = HEX_KEY.encode()
    reference = hmac.new(key, b"anonymizer key id", hashlib.sha256).hexdigest()[:16]
    assert key_id(key) == reference
    assert len(key_id(key)) == 16 and int(key_id(key), 16) >= 0
    assert key_id(key) != key_id(b"f" * 64)
    assert key_id(key) not in HEX_KEY and hashlib.sha256(key).hexdigest()[:16] != key_id(key)


def test_write_new_key(tmp_path):
    path = tmp_path / "city.key"
    kid = write_new_key(path)
    raw = path.read_bytes()
    assert len(raw) == 65 and raw.endswith(b"\n")
    int(raw[:64], 16)  # 64 hex characters
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key(path) == raw[:64] and key_id(raw[:64]) == kid
    assert [p.name for p in tmp_path.iterdir()] == ["city.key"]  # no temp file left


def test_write_new_key_refuses_to_overwrite_unless_forced(tmp_path):
    path = tmp_path / "city.key"
    first = write_new_key(path)
    before = path.read_bytes()
    with pytest.raises(UsageError, match="already exists.*--force"):
        write_new_key(path)
    assert path.read_bytes() == before
    second = write_new_key(path, force=True)
    assert second != first and path.read_bytes() != before
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city.key"]


def test_write_new_key_with_permissive_umask_is_still_private(tmp_path):
    old = os.umask(0)
    try:
        path = tmp_path / "k"
        write_new_key(path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("where", ["missing-dir/city.key", "."])
def test_write_new_key_bad_paths(tmp_path, where):
    with pytest.raises(UsageError):
        write_new_key(tmp_path / where)


