"""Fuzz the session reader: its JSON, and its arrays file (``load_arrays``)."""

from __future__ import annotations

import json
import zlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.io.session import Session, arrays_path, save_session
from tests.fuzz.conftest import fuzz_settings, outcome
from tests.fuzz.strategies import descrs, mutated, shapes
from tests.io.crafted import npy_header, raw_zip
from tests.limits import needs_limits

pytestmark = needs_limits


@pytest.fixture(scope="module")
def valid(tmp_path_factory):
    """A saved session: (JSON bytes, arrays bytes, the arrays file's name)."""
    folder = tmp_path_factory.mktemp("valid-session")
    session = Session(
        tabs={
            "training": {"runs": [{"name": "a", "losses": [2.3, 1.1, 0.5]}], "seed": 3},
            "distributions": {"p": [0.5, 0.5], "labels": ["x", "y"], "on": True, "n": None},
        },
        arrays={"model": {"linear1.weight": np.arange(6, dtype=np.float32).reshape(2, 3)}},
        current_tab="training",
    )
    path = save_session(folder / "lab.json", session)
    arrays = arrays_path(path)
    return path.read_bytes(), arrays.read_bytes(), arrays.name


def write_pair(folder, text: bytes, arrays: bytes | None, arrays_name: str):
    folder.mkdir(exist_ok=True)
    (folder / "lab.json").write_bytes(text)
    if arrays is not None:
        (folder / arrays_name).write_bytes(arrays)
    return folder / "lab.json"


@fuzz_settings
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(worker, scratch, data):
    outcome(worker, "session", write_pair(scratch / "bytes", data, None, ""))


@fuzz_settings
@given(data=st.data())
def test_mutated_session_json(worker, scratch, valid, data):
    text, arrays, name = valid
    path = write_pair(scratch / "json", data.draw(mutated(text)), arrays, name)
    outcome(worker, "session", path, keep_state=data.draw(st.booleans()))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.floats()
    | st.integers(-(2**70), 2**70)
    | st.sampled_from([10**400, -(10**300)])
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=30,
)


@fuzz_settings
@given(tabs=st.dictionaries(st.text(max_size=10), json_values, max_size=4), data=st.data())
def test_any_json_document(worker, scratch, valid, tabs, data):
    text, arrays, name = valid
    document = json.loads(text)
    document["tabs"] = tabs
    for key in data.draw(st.lists(st.sampled_from(["version", "arrays", "current_tab"]))):
        document[key] = data.draw(json_values)
    raw = json.dumps(document, allow_nan=True).encode()
    outcome(worker, "session", write_pair(scratch / "doc", raw, arrays, name))


@fuzz_settings
@given(depth=st.integers(1, 200_000), digits=st.integers(1, 10_000), which=st.integers(0, 1))
def test_deep_or_long_json(worker, scratch, depth, digits, which):
    inner = b"[" * depth + b"]" * depth if which == 0 else b"9" * digits
    text = b'{"format": "explorer-session", "version": 1, "tabs": {"t": {"x": ' + inner + b"}}}"
    outcome(worker, "session", write_pair(scratch / "deep", text, None, ""))


@fuzz_settings
@given(data=st.data())
def test_mutated_arrays(worker, scratch, valid, data):
    _, arrays, _ = valid
    path = scratch / "mutated.npz"
    path.write_bytes(data.draw(mutated(arrays)))
    outcome(worker, "arrays", path)


@st.composite
def lying_members(draw):
    """A .npz member whose header, data length and zip sizes are all drawn independently."""
    header = npy_header(draw(descrs), draw(shapes), version=draw(st.sampled_from([1, 2])))
    body = header + draw(st.binary(max_size=64))
    name = draw(st.sampled_from(["model/w.npy", "model/b.npy", "w.npy", "x.txt"]))
    compress = draw(st.booleans())
    stored = zlib.compress(body)[2:-4] if compress else body
    size = draw(st.sampled_from([len(body), 0, len(body) + 8, 2**31]) | st.integers(0, 2**32 - 1))
    crc = zlib.crc32(body) if draw(st.booleans()) else draw(st.integers(0, 2**32 - 1))
    return (name, stored, 8 if compress else 0, crc, size)


@fuzz_settings
@given(members=st.lists(lying_members(), min_size=1, max_size=3))
def test_lying_array_headers(worker, scratch, members):
    path = scratch / "lying.npz"
    path.write_bytes(raw_zip(members))
    outcome(worker, "arrays", path)
