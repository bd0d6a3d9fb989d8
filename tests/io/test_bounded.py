import os
import sys

import pytest

from explorer.io.bounded import FileRefusedError, open_bounded, read_bounded
from tests.special_files import (
    dev_zero_link,
    needs_dev_zero,
    needs_fifo,
    refuses_without_blocking,
)


def test_a_regular_file_is_read_whole(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 300)
    assert read_bounded(path, 300) == b"x" * 300
    with open_bounded(path, 1000) as handle:
        assert handle.read(5) == b"xxxxx"
        handle.seek(290)
        assert handle.read() == b"x" * 10


def test_a_file_over_the_limit_is_refused_from_its_size(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 301)
    with pytest.raises(FileRefusedError, match=r"a.txt': 301 bytes, more than the limit of 300"):
        read_bounded(path, 300)


def test_a_file_that_grows_past_the_limit_while_read_is_stopped(tmp_path):
    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 100)
    with open_bounded(path, 150) as handle:
        with open(path, "ab") as writer:
            writer.write(b"y" * 1000)
        with pytest.raises(FileRefusedError, match="grew past the limit of 150 bytes"):
            handle.read()


@needs_dev_zero
def test_a_symlink_to_dev_zero_is_refused(tmp_path):
    link = dev_zero_link(tmp_path, "zero.json")
    with pytest.raises(FileRefusedError) as info:
        read_bounded(link, 1 << 20)
    assert str(info.value) == f"cannot read {str(link)!r}: not a regular file but a device"


@needs_fifo
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    error = refuses_without_blocking(fifo, lambda: read_bounded(fifo, 100))
    assert isinstance(error, FileRefusedError)
    assert "not a regular file but a pipe (FIFO)" in str(error)


def test_a_folder_and_a_missing_file_are_refused(tmp_path):
    with pytest.raises(FileRefusedError, match="not a regular file but a folder"):
        read_bounded(tmp_path, 100)
    with pytest.raises(FileRefusedError, match="missing.txt'") as info:
        read_bounded(tmp_path / "missing.txt", 100)
    assert isinstance(info.value, OSError)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_unreadable_file_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as a user who reads everything")
    with pytest.raises(FileRefusedError, match="Permission denied"):
        read_bounded(path, 100)


def test_a_name_no_file_can_have_is_refused(tmp_path):
    with pytest.raises(FileRefusedError, match="not a valid file name"):
        read_bounded(tmp_path / "a\x00b", 100)
