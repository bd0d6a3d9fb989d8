import json
import zipfile

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
    assert not arrays_path(path).exists()
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
    with pytest.raises(SessionError, match="elements"):
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
