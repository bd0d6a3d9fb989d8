import json
import os
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest

from explorer.io.session import (
    MAX_LIST_LENGTH,
    SESSION_VERSION,
    Session,
    SessionError,
    arrays_path,
    load_session,
    save_session,
)
from tests.io.crafted import deflated_zeros, npy_header, raw_zip, stored
from tests.special_files import (
    dev_zero_link,
    needs_dev_zero,
    needs_fifo,
    refuses_without_blocking,
)


def sample_session():
    return Session(
        tabs={
            "distributions": {"p": [1.0, 0.0, 0.0], "q": [0.8, 0.1, 0.1], "base": 2},
            "training": {"runs": [{"name": "he", "loss": [2.3, 1.1, float("inf")]}]},
        },
        arrays={"model": {"linear1.weight": np.arange(6, dtype=np.float32).reshape(2, 3)}},
        current_tab="training",
    )


def test_round_trip_keeps_states_arrays_and_current_tab(tmp_path):
    path = save_session(tmp_path / "lab.json", sample_session())
    again = load_session(path)
    assert again.tabs == sample_session().tabs
    assert again.current_tab == "training"
    weight = again.arrays["model"]["linear1.weight"]
    assert weight.dtype == np.float32 and weight.tolist() == [[0, 1, 2], [3, 4, 5]]
    assert arrays_path(path).exists()
    assert json.loads(path.read_text())["version"] == SESSION_VERSION


def test_no_arrays_no_npz(tmp_path):
    path = save_session(tmp_path / "s.json", Session(tabs={"a": {"x": 1}}))
    assert arrays_path(path) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]
    assert load_session(path).arrays == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ('{"format": "explorer-session", "version": 1, "tabs": {"a": ', "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"format": "other", "version": 1}', "not an explorer session"),
        ('{"format": "explorer-session", "version": "1"}', "'version' must be"),
        ('{"format": "explorer-session", "version": 1, "tabs": []}', "'tabs' must be"),
        ('{"format": "explorer-session", "version": 1, "tabs": {"a": 3}}', "'tabs.a' must be"),
        ('{"format": "explorer-session", "version": 1, "current_tab": 5}', "current_tab"),
        ('{"format": "explorer-session", "version": 1, "arrays": "../x.npz"}', "'arrays'"),
        ("[" * 100000 + "]" * 100000, "nested deeper|not valid JSON|expected"),
    ],
)
def test_corrupt_files_raise_session_error_naming_the_problem(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(SessionError, match=message) as info:
        load_session(path)
    assert str(path) in str(info.value)


def test_binary_garbage_and_missing_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(SessionError, match="not UTF-8"):
        load_session(path)
    with pytest.raises(SessionError, match="cannot open"):
        load_session(tmp_path / "missing.json")


def test_newer_version_says_so(tmp_path):
    path = tmp_path / "new.json"
    path.write_text(json.dumps({"format": "explorer-session", "version": SESSION_VERSION + 1}))
    with pytest.raises(SessionError, match="newer explorer"):
        load_session(path)


def test_oversized_lists_are_refused(tmp_path):
    path = tmp_path / "big.json"
    doc = {
        "format": "explorer-session",
        "version": 1,
        "tabs": {"t": {"x": [0] * (MAX_LIST_LENGTH + 1)}},
    }
    path.write_text(json.dumps(doc))
    with pytest.raises(SessionError, match="tabs.t.x"):
        load_session(path)


def test_unserializable_state_is_refused_on_save(tmp_path):
    with pytest.raises(SessionError, match="tabs.a.f"):
        save_session(tmp_path / "s.json", Session(tabs={"a": {"f": object()}}))
    assert list(tmp_path.iterdir()) == []


def test_truncated_and_hostile_npz(tmp_path):
    path = save_session(tmp_path / "lab.json", sample_session())
    npz = arrays_path(path)
    npz.write_bytes(npz.read_bytes()[:40])
    with pytest.raises(SessionError, match="corrupt or truncated"):
        load_session(path)
    # An object array is refused from its header, before anything is unpickled.
    with zipfile.ZipFile(npz, "w") as archive:
        header = b"\x93NUMPY\x01\x00" + b"v\x00"
        body = "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }".ljust(117) + "\n"
        archive.writestr("model/w.npy", header + body.encode())
    with pytest.raises(SessionError, match="only numbers"):
        load_session(path)
    # A header claiming an absurd shape is refused before allocation.
    with zipfile.ZipFile(npz, "w") as archive:
        body = "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }"
        archive.writestr("model/w.npy", header + body.ljust(117).encode() + b"\n")
    with pytest.raises(SessionError, match="more than the limit"):
        load_session(path)


def test_state_shape_problem_names_objects_and_lists_of_the_wrong_kind():
    from explorer.io.session import state_shape_problem

    default = {"settings": {"lr": 0.1, "hidden": [256]}, "k": 3}
    assert state_shape_problem({"settings": "oops"}, default) == (
        "'settings' must be a JSON object; got a string"
    )
    assert state_shape_problem({"settings": {"hidden": 5}}, default) == (
        "'settings.hidden' must be a JSON list; got a number"
    )
    assert state_shape_problem({"settings": None, "k": "x", "new": 1}, default) is None
    assert state_shape_problem([], default) == "the state must be a JSON object; got a list"


def test_keep_state_loads_the_json_when_the_arrays_are_corrupt(tmp_path):
    from explorer.io.session import load_session, save_session

    path = tmp_path / "s.json"
    save_session(path, Session(tabs={"t": {"a": 1}}, arrays={"t": {"w": np.ones(3)}}))
    arrays_path(path).write_bytes(b"garbage")
    with pytest.raises(SessionError, match="corrupt"):
        load_session(path)
    session = load_session(path, keep_state=True)
    assert session.tabs == {"t": {"a": 1}} and session.arrays == {}
    assert "corrupt" in session.arrays_problem


def test_documents_round_trip_beside_the_tabs(tmp_path):
    session = sample_session()
    session.documents = {"model": {"config": {"hidden_sizes": [3]}, "trained": True}}
    again = load_session(save_session(tmp_path / "d.json", session))
    assert again.documents == session.documents and again.version == SESSION_VERSION
    with pytest.raises(SessionError, match="'documents.model' must be an object"):
        path = tmp_path / "bad.json"
        path.write_text('{"format": "explorer-session", "version": 2, "documents": {"model": 1}}')
        load_session(path)


def version_1_file(tmp_path, with_arrays=True):
    """A session as version 1 wrote it: the configuration in the Model tab's state, the same
    weights under both tabs."""
    weights = {"linear1.weight": np.full((4, 2), 0.5, np.float32), "linear1.bias": np.ones(4)}
    document = {
        "format": "explorer-session",
        "version": 1,
        "tabs": {
            "model": {"config": {"input_features": 2, "hidden_sizes": []}, "view": "weights"},
            "training": {"runs": []},
        },
        "arrays": "old.npz" if with_arrays else None,
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document))
    if with_arrays:
        flat = {f"{tab}/{k}": v for tab in ("model", "training") for k, v in weights.items()}
        np.savez(tmp_path / "old.npz", **flat)
    return path, weights


def test_a_version_1_session_is_upgraded_as_it_is_read(tmp_path):
    path, weights = version_1_file(tmp_path)
    session = load_session(path)
    assert session.version == SESSION_VERSION
    assert session.documents == {
        "model": {"config": {"input_features": 2, "hidden_sizes": []}, "trained": True}
    }
    assert session.tabs["model"] == {"view": "weights"}
    assert set(session.arrays) == {"model"}  # once, in the model document's section
    for key, value in weights.items():
        np.testing.assert_array_equal(session.arrays["model"][key], value)
    (tmp_path / "none").mkdir()
    path, _ = version_1_file(tmp_path / "none", with_arrays=False)
    assert load_session(path).documents["model"]["trained"] is False


# -- files that are not what they say ------------------------------------------------------
def session_naming(tmp_path, arrays_name: str) -> Path:
    path = tmp_path / "lab.json"
    document = {"format": "explorer-session", "version": 1, "tabs": {}, "arrays": arrays_name}
    path.write_text(json.dumps(document))
    return path


@needs_dev_zero
def test_a_session_that_is_a_symlink_to_dev_zero_is_refused(tmp_path):
    link = dev_zero_link(tmp_path, "lab.json")
    with pytest.raises(SessionError) as info:
        load_session(link)
    assert str(info.value) == (
        f"cannot open session {str(link)!r}: not a regular file but a device"
    )


@needs_dev_zero
def test_arrays_that_are_a_symlink_to_dev_zero_are_refused(tmp_path):
    dev_zero_link(tmp_path, "lab.npz")
    path = session_naming(tmp_path, "lab.npz")
    with pytest.raises(SessionError, match="lab.npz': not a regular file but a device"):
        load_session(path)


@needs_fifo
def test_a_session_that_is_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "lab.json"
    os.mkfifo(fifo)
    error = refuses_without_blocking(fifo, lambda: load_session(fifo))
    assert isinstance(error, SessionError) and "a pipe (FIFO)" in str(error)
    os.unlink(fifo)
    os.mkfifo(tmp_path / "lab.npz")
    path = session_naming(tmp_path, "lab.npz")
    error = refuses_without_blocking(tmp_path / "lab.npz", lambda: load_session(path))
    assert isinstance(error, SessionError) and "a pipe (FIFO)" in str(error)


def test_an_integer_of_4301_digits_is_a_session_error(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(
        '{"format": "explorer-session", "version": 1, "tabs": {"t": {"n": ' + "9" * 4301 + "}}}"
    )
    with pytest.raises(SessionError, match="a number of more than 4,300 digits"):
        load_session(path)


@pytest.mark.parametrize("shape", [(2**70, 0), (0, 2**64), (-1,)])
def test_an_array_header_with_an_absurd_shape_is_a_session_error(tmp_path, shape):
    (tmp_path / "lab.npz").write_bytes(raw_zip([stored("model/w.npy", npy_header("<f4", shape))]))
    path = session_naming(tmp_path, "lab.npz")
    with pytest.raises(SessionError, match=r"'model/w.npy' has shape"):
        load_session(path)
    session = load_session(path, keep_state=True)
    assert session.arrays == {} and "'model/w.npy' has shape" in session.arrays_problem


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_arrays_of_nan_or_infinity_are_refused_naming_the_array(tmp_path, bad):
    weight = np.ones((2, 3), dtype=np.float32)
    weight[1, 2] = bad
    path = save_session(
        tmp_path / "lab.json", Session(tabs={"t": {}}, arrays={"model": {"w": weight}})
    )
    with pytest.raises(
        SessionError, match=r"'model/w' holds a non-finite value .* at index \[1, 2\]"
    ):
        load_session(path)


def test_a_zip_bomb_of_arrays_is_refused_before_it_is_expanded(tmp_path):
    header = npy_header("<f8", (1 << 30,))  # 8 GiB of zeros in about 8 MB
    (tmp_path / "lab.npz").write_bytes(raw_zip([deflated_zeros("model/w.npy", header, 64)]))
    path = session_naming(tmp_path, "lab.npz")
    tracemalloc.start()
    try:
        with pytest.raises(SessionError, match="more than the limit"):
            load_session(path)
        assert tracemalloc.get_traced_memory()[1] < 8 << 20
    finally:
        tracemalloc.stop()


# -- saving the pair -----------------------------------------------------------------------
def old_and_new():
    old = Session(tabs={"t": {"v": "old"}}, arrays={"model": {"w": np.zeros(3)}})
    new = Session(tabs={"t": {"v": "new"}}, arrays={"model": {"w": np.ones(4)}})
    return old, new


def assert_is(path, session):
    again = load_session(path)
    assert again.tabs == session.tabs
    for tab, arrays in session.arrays.items():
        for name, array in arrays.items():
            np.testing.assert_array_equal(again.arrays[tab][name], array)
    assert again.arrays.keys() == {t for t, a in session.arrays.items() if a}


def test_arrays_go_to_a_new_file_and_the_old_one_is_deleted(tmp_path):
    old, new = old_and_new()
    path = save_session(tmp_path / "lab.json", old)
    first = arrays_path(path)
    assert first.name.startswith("lab.") and first.suffix == ".npz"
    save_session(path, new)
    assert arrays_path(path) != first and not first.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["lab.json", arrays_path(path).name]
    )
    assert_is(path, new)
    save_session(path, Session(tabs={"t": {}}))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lab.json"]


def test_a_session_saved_with_lab_npz_opens_and_is_migrated_on_save(tmp_path):
    old, new = old_and_new()
    np.savez(tmp_path / "lab.npz", **{"model/w": np.zeros(3)})
    path = session_naming(tmp_path, "lab.npz")
    assert load_session(path).arrays["model"]["w"].tolist() == [0, 0, 0]
    save_session(path, new)
    assert not (tmp_path / "lab.npz").exists()
    assert_is(path, new)


def test_saving_never_deletes_a_file_the_old_json_names_but_does_not_own(tmp_path):
    _, new = old_and_new()
    np.savez(tmp_path / "precious.npz", x=np.zeros(1))
    path = session_naming(tmp_path, "precious.npz")
    save_session(path, new)
    assert (tmp_path / "precious.npz").exists()
    foreign = tmp_path / "other.json"
    foreign.write_text(json.dumps({"arrays": "other.npz"}))
    np.savez(tmp_path / "other.npz", x=np.zeros(1))
    save_session(foreign, new)
    assert (tmp_path / "other.npz").exists()


def counting_failure(real, fail_at: int):
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    return wrapper, calls


@pytest.mark.parametrize(
    ("target", "fail_at"),
    [
        ("numpy.savez", 1),  # writing the arrays
        ("os.replace", 1),  # moving the arrays into place
        ("os.fsync", 1),  # writing the JSON
        ("os.replace", 2),  # moving the JSON into place
    ],
)
def test_a_failure_at_any_step_of_a_save_keeps_the_previous_pair(
    tmp_path, monkeypatch, target, fail_at
):
    old, new = old_and_new()
    path = save_session(tmp_path / "lab.json", old)
    before = sorted(p.name for p in tmp_path.iterdir())
    module, name = target.rsplit(".", 1)
    owner = {"numpy": np, "os": os}[module]
    wrapper, calls = counting_failure(getattr(owner, name), fail_at)
    monkeypatch.setattr(owner, name, wrapper)
    with pytest.raises(OSError, match="No space left"):
        save_session(path, new)
    monkeypatch.undo()
    assert calls["n"] == fail_at
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert_is(path, old)


def test_a_failure_deleting_the_old_arrays_leaves_the_new_pair_complete(tmp_path, monkeypatch):
    old, new = old_and_new()
    path = save_session(tmp_path / "lab.json", old)
    wrapper, _ = counting_failure(Path.unlink, 1)
    monkeypatch.setattr(Path, "unlink", wrapper)
    save_session(path, new)
    monkeypatch.undo()
    assert_is(path, new)


def test_a_failure_of_every_step_in_turn_never_pairs_new_arrays_with_an_old_json(
    tmp_path, monkeypatch
):
    """Whatever single call fails, what loads is exactly the old session or the new one."""
    old, new = old_and_new()
    steps = ("numpy.savez", "os.replace", "os.fsync", "os.chmod", "tempfile.mkstemp")
    import tempfile

    owners = {"numpy": np, "os": os, "tempfile": tempfile}
    for step in steps:
        for fail_at in (1, 2, 3):
            folder = tmp_path / f"{step}-{fail_at}"
            folder.mkdir()
            path = save_session(folder / "lab.json", old)
            module, name = step.rsplit(".", 1)
            wrapper, _ = counting_failure(getattr(owners[module], name), fail_at)
            monkeypatch.setattr(owners[module], name, wrapper)
            try:
                save_session(path, new)
                expected = new
            except OSError:
                expected = old
            finally:
                monkeypatch.undo()
            assert_is(path, expected)
            assert len(list(folder.iterdir())) == 2


@pytest.mark.parametrize("where", ['{"n": 1%s}', '{"curve": [1.0, 2, 1%s]}'])
def test_an_integer_past_64_bits_is_refused_naming_where(tmp_path, where):
    path = tmp_path / "big.json"
    state = where % ("0" * 399)
    path.write_text('{"format": "explorer-session", "version": 1, "tabs": {"t": ' + state + "}}")
    with pytest.raises(SessionError, match=r"'tabs.t.(n|curve\[2\])' is an integer of 400 digits"):
        load_session(path)


def test_an_arrays_name_no_file_can_have_is_a_session_error(tmp_path):
    path = session_naming(tmp_path, "lab\x00.npz")
    with pytest.raises(SessionError, match="not a valid file name"):
        load_session(path)
