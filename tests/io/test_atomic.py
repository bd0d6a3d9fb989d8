import os

import pytest

from explorer.io.atomic import (
    WriteLocationError,
    atomic_path,
    atomic_write,
    check_writable_folder,
    write_text_atomic,
)


def test_write_replaces_the_target_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    write_text_atomic(target, "new")
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_an_error_mid_write_keeps_the_old_file_and_removes_the_temporary(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half")
        raise RuntimeError("crash")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_temporary_path_keeps_the_suffix_and_sits_beside_the_target(tmp_path):
    with atomic_path(tmp_path / "plot.png") as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".png"
        tmp.write_bytes(b"x")
    assert (tmp_path / "plot.png").read_bytes() == b"x"


def test_binary_mode_and_bad_mode(tmp_path):
    with atomic_write(tmp_path / "b.bin", "wb") as handle:
        handle.write(b"\x00\x01")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    with pytest.raises(ValueError, match="mode"), atomic_write(tmp_path / "c", "a"):
        pass


def test_folder_checks_name_the_problem(tmp_path):
    afile = tmp_path / "file"
    afile.write_text("")
    with pytest.raises(WriteLocationError, match="is not a folder"):
        check_writable_folder(afile)
    with pytest.raises(WriteLocationError, match="does not exist"):
        check_writable_folder(tmp_path / "missing")
    # Under a regular file nothing can be created, even as root.
    with pytest.raises(WriteLocationError, match="cannot create folder"):
        check_writable_folder(afile / "sub", create=True)
    assert check_writable_folder(tmp_path / "new" / "deep", create=True).is_dir()
    assert sorted(os.listdir(tmp_path)) == ["file", "new"]
