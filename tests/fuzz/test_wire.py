"""Fuzz the wire decoder: arbitrary frames, mutated valid frames, lying descriptors."""

from __future__ import annotations

import json
import struct

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from explorer.training.wire import encode
from tests.fuzz.conftest import fuzz_settings, outcome
from tests.fuzz.strategies import INTERESTING, mutated
from tests.limits import needs_limits

pytestmark = needs_limits

VALID = encode(
    {
        "kind": "state",
        "run": 3,
        "losses": [0.5, float("nan"), float("inf")],
        "w": np.arange(12, dtype=np.float32).reshape(3, 4),
        "nested": {"b": np.array([True, False]), "i": [np.arange(3, dtype=np.int64)]},
    }
)


def run(worker, scratch, frame: bytes, stream: bool = False):
    path = scratch / "frame.bin"
    path.write_bytes(frame)
    outcome(worker, "wire_stream" if stream else "wire", path)


@fuzz_settings
@given(data=st.binary(max_size=500), stream=st.booleans())
def test_arbitrary_bytes(worker, scratch, data, stream):
    run(worker, scratch, data, stream)


@fuzz_settings
@given(data=st.data(), stream=st.booleans())
def test_mutated_valid_frames(worker, scratch, data, stream):
    run(worker, scratch, data.draw(mutated(VALID, max_mutations=6)), stream)


numbers = st.sampled_from(INTERESTING + [-1, 2**64, 2**70, 1.5, True, None, "1"]) | st.floats()
descriptor = st.lists(
    st.one_of(
        numbers,
        st.sampled_from(["<f4", "<f8", "|b1", "|O", "<U2", "f4", ">i8"]),
        st.lists(numbers, max_size=5),
    ),
    max_size=4,
) | st.tuples(st.integers(0, 64), st.sampled_from(["<f4", "<i8"]), st.lists(numbers, max_size=3))


@fuzz_settings
@given(
    descriptors=st.lists(descriptor, min_size=1, max_size=4),
    body=st.binary(max_size=128),
    stream=st.booleans(),
)
def test_lying_array_descriptors(worker, scratch, descriptors, body, stream):
    header = {f"a{i}": {"__array__": list(d)} for i, d in enumerate(descriptors)}
    text = json.dumps(header, allow_nan=True).encode()
    frame = struct.pack("<QQ", 8 + len(text) + len(body), len(text)) + text + body
    run(worker, scratch, frame, stream)


@fuzz_settings
@given(claimed=st.sampled_from(INTERESTING) | st.integers(0, 2**64 - 1), sent=st.integers(0, 64))
def test_lengths_that_lie(worker, scratch, claimed, sent):
    run(worker, scratch, struct.pack("<QQ", claimed, 2) + b"{}" + bytes(sent), stream=True)
