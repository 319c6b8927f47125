"""The release writer: one atomic switch, nothing stale left, other names and links respected."""

import os

import pytest

from anonymizer.errors import FileSystemError, UsageError
from anonymizer.release import ReleaseWriter, clean_stale, current_version
from tests.pipeline.conftest import leftovers, visible


def release(out, files, name="rel", force=True):
    writer = ReleaseWriter(out, name, force=force)
    for rel, data in files.items():
        writer.add(rel, data)
    return writer.commit()


def contents(path):
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_a_release_is_a_link_to_a_complete_version(tmp_path):
    out = tmp_path / "out"
    target = release(out, {"a.csv": b"1", "m.json": b"{}"}, force=False)
    assert target.is_symlink() and not os.path.isabs(os.readlink(target))  # out/ can move
    version = current_version(out, "rel")
    assert version is not None and version.parent == out and version.name.startswith(".rel.")
    assert contents(target) == {"a.csv": b"1", "m.json": b"{}"}
    assert oct(version.stat().st_mode & 0o777) == "0o755"
    assert {oct(p.stat().st_mode & 0o777) for p in version.iterdir()} == {"0o644"}
    assert visible(out) == ["rel"] and leftovers(out) == []


def test_replacing_keeps_the_old_until_the_switch_then_removes_it(tmp_path):
    out = tmp_path / "out"
    release(out, {"a.csv": b"old"})
    old = current_version(out, "rel")
    writer = ReleaseWriter(out, "rel", force=True)
    writer.add("a.csv", b"new")
    assert contents(out / "rel") == {"a.csv": b"old"}
    writer.commit()
    assert contents(out / "rel") == {"a.csv": b"new"}
    assert not old.exists() and leftovers(out) == []


def test_existing_release_needs_force_even_as_a_dangling_link(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "rel").symlink_to(".rel.gone.release")
    with pytest.raises(UsageError, match="use --force"):
        ReleaseWriter(out, "rel", force=False)


def test_a_release_directory_from_before_links_is_switched(tmp_path):
    out = tmp_path / "out"
    (out / "rel").mkdir(parents=True)
    (out / "rel" / "a.csv").write_bytes(b"legacy")
    release(out, {"a.csv": b"new"})
    assert (out / "rel").is_symlink() and contents(out / "rel") == {"a.csv": b"new"}
    assert leftovers(out) == [] and visible(out) == ["rel"]


def test_force_over_a_users_own_link_replaces_the_link_not_what_it_points_to(tmp_path):
    """(The old writer left a stale .<name>.old link here: rmtree fails on a link.)"""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("theirs")
    out.mkdir()
    (out / "rel").symlink_to(elsewhere)
    release(out, {"a.csv": b"new"})
    assert contents(out / "rel") == {"a.csv": b"new"}
    assert (elsewhere / "keep.txt").read_text() == "theirs"
    assert leftovers(out) == [] and visible(out) == ["rel"]


def test_clean_stale_removes_only_this_names_leftovers(tmp_path):
    out = tmp_path / "out"
    release(out, {"a.csv": b"live"})
    release(out, {"b.csv": b"other"}, name="rel-2")
    live = current_version(out, "rel")
    for junk in (".rel.x.partial", ".rel.y.release", ".rel.z.old"):
        (out / junk).mkdir()
        (out / junk / "f").write_text("x")
    (out / ".rel.w.link").symlink_to(".rel.y.release")
    (out / ".rel.lock").write_text("")
    (out / ".rel.refused.json.abc.tmp").write_text("")  # another writer's temp file: not ours
    removed = clean_stale(out, "rel")
    assert sorted(removed) == [".rel.w.link", ".rel.x.partial", ".rel.y.release", ".rel.z.old"]
    assert live.exists() and (out / ".rel.lock").exists()
    assert contents(out / "rel") == {"a.csv": b"live"}
    assert contents(out / "rel-2") == {"b.csv": b"other"}


def test_clean_stale_completes_a_switch_from_a_directory_cut_short(tmp_path):
    """Where no atomic exchange exists, the old directory is renamed to a version and then the
    link is made; a crash between leaves no out/<name>: the next run links the newest."""
    out = tmp_path / "out"
    out.mkdir()
    old = out / ".rel.00000000T000000-abcd.release"
    new = out / ".rel.20260101T000000-ef01.release"
    for d, data in ((old, b"old"), (new, b"new")):
        d.mkdir()
        (d / "a.csv").write_bytes(data)
    clean_stale(out, "rel")
    assert contents(out / "rel") == {"a.csv": b"new"} and not old.exists()


def test_versions_with_no_link_are_removed_not_resurrected(tmp_path):
    """A steward who deleted out/<name> (the link) deleted the release."""
    out = tmp_path / "out"
    release(out, {"a.csv": b"1"})
    (out / "rel").unlink()
    clean_stale(out, "rel")
    assert list(out.iterdir()) == []


def test_an_os_failure_names_the_file_and_leaves_the_previous_release(tmp_path, monkeypatch):
    out = tmp_path / "out"
    release(out, {"a.csv": b"old"})
    monkeypatch.setenv("ANONYMIZER_FAULT", "enospc@write b.csv")
    writer = ReleaseWriter(out, "rel", force=True)
    writer.add("a.csv", b"new")
    with pytest.raises(FileSystemError) as err:
        writer.add("b.csv", b"new")
    writer.abort()
    assert str(writer.tmp / "b.csv") in err.value.message
    assert "no space left on device" in err.value.message and err.value.exit_code == 2
    assert contents(out / "rel") == {"a.csv": b"old"} and leftovers(out) == []


def test_a_link_to_a_deleted_version_is_removed(tmp_path):
    out = tmp_path / "out"
    release(out, {"a.csv": b"1"})
    import shutil

    shutil.rmtree(current_version(out, "rel"))
    clean_stale(out, "rel")
    assert not os.path.lexists(out / "rel")
    ReleaseWriter(out, "rel", force=False).abort()  # no "already exists" for a release gone
