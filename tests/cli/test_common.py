"""What every command shares: argparse's own messages quoted like ours, and the --out folder
that a failed export leaves as it found it."""

import os

import pytest

from explorer.cli import run_cli
from explorer.cli.common import OutputFolder, UsageError

LONG = ",".join(["1"] * 10_000)  # 19,999 characters


@pytest.mark.parametrize(
    "argv",
    [
        ["export", LONG],
        ["screenshot", "--tab", LONG, "--out", "x.png"],
        ["export", "training", "--dataset", LONG],
        ["export", "distributions", "--p", "1,0", "--q", "1,1", LONG],
        ["export", "distributions", "--p", LONG, "--q", "1,1"],
        ["export", "distributions", "--p", "1,0", "--q", "1,1", "--base", LONG],
        ["export", "losses", "--loss", LONG],
        ["export", "training", "--epochs", LONG],
        ["export", "distributions", "--p", "1,0", "--q", "1,1", "--formats", LONG],
    ],
)
def test_a_huge_argument_is_quoted_shortened_with_its_length(capsys, tmp_path, argv):
    if "--out" not in argv:
        argv = [*argv, "--out", str(tmp_path / "out")]
    assert run_cli(argv) == 2
    err = capsys.readouterr().err
    assert "(19,999 characters)" in err and "1,1…1,1" in err
    assert len(err) < 400 and err.strip().count("\n") == 0
    assert not (tmp_path / "out").exists()


def test_many_unrecognized_arguments_are_counted_not_listed(capsys, tmp_path):
    argv = ["export", "distributions", "--p", "1,0", "--q", "1,1", "--out", str(tmp_path)]
    assert run_cli([*argv, *map(str, range(5000))]) == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments: '0', '1', '2' and 4,997 more" in err


def test_an_out_name_the_system_refuses_is_a_usage_error_quoting_it(capsys, tmp_path):
    out = tmp_path / ("d" * 5000)  # longer than any file system allows a name
    argv = ["export", "distributions", "--p", "1,0", "--q", "1,1", "--out", str(out)]
    assert run_cli(argv) == 2
    err = capsys.readouterr().err
    assert "--out:" in err and "characters)" in err and len(err) < 400
    assert os.listdir(tmp_path) == []


class Failed(Exception):
    pass


def test_a_failed_export_removes_the_folders_it_made_and_the_files_it_wrote(tmp_path):
    out = tmp_path / "a" / "b"
    with pytest.raises(Failed), OutputFolder(out, force=False) as folder:
        folder.claim([out / "one.csv", out / "two.csv"])
        (out / "one.csv").write_text("written")
        raise Failed
    assert os.listdir(tmp_path) == []


def test_a_failed_export_keeps_what_was_there(tmp_path):
    (tmp_path / "mine.txt").write_text("mine")
    (tmp_path / "old.csv").write_text("old")
    with pytest.raises(Failed), OutputFolder(tmp_path, force=True) as folder:
        folder.claim([tmp_path / "old.csv", tmp_path / "new.csv"])
        (tmp_path / "old.csv").write_text("overwritten, as --force asked")
        (tmp_path / "new.csv").write_text("new")
        (tmp_path / "theirs.txt").write_text("not claimed: someone else's")
        raise Failed
    assert sorted(os.listdir(tmp_path)) == ["mine.txt", "old.csv", "theirs.txt"]


def test_a_folder_someone_filled_meanwhile_is_kept(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(Failed), OutputFolder(out, force=False):
        (out / "theirs.txt").write_text("theirs")
        raise Failed
    assert os.listdir(out) == ["theirs.txt"]


def test_a_successful_export_keeps_everything(tmp_path):
    out = tmp_path / "out"
    with OutputFolder(out, force=False) as folder:
        folder.claim([out / "one.csv"])
        (out / "one.csv").write_text("written")
    assert os.listdir(out) == ["one.csv"]


def test_an_existing_file_is_refused_before_anything_is_written(tmp_path):
    (tmp_path / "one.csv").write_text("mine")
    with pytest.raises(UsageError, match="would overwrite one.csv"):
        with OutputFolder(tmp_path, force=False) as folder:
            folder.claim([tmp_path / "one.csv"])
    assert (tmp_path / "one.csv").read_text() == "mine"


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("", "'' is an empty path"),  # Path("") would be the current folder
        ("a\x00b.png", "contains a NUL character"),
        ("~no-such-user-here/x.png", "Could not determine home directory"),
    ],
)
@pytest.mark.parametrize("command", ["export", "screenshot"])
def test_an_out_that_names_no_place_is_refused(
    capsys, tmp_path, monkeypatch, command, out, message
):
    monkeypatch.chdir(tmp_path)
    if command == "export":
        argv = ["export", "distributions", "--p", "1,0", "--q", "1,1", "--out", out]
    else:
        argv = ["screenshot", "--tab", "model", "--out", out]
    assert run_cli(argv) == 2
    err = capsys.readouterr().err
    assert "argument --out: " in err and message in err
    assert os.listdir(tmp_path) == []
