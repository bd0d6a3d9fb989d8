"""Fuzz ``load_weights``: arbitrary bytes, mutated valid files, lying headers."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.engine import manual_seed, nn
from explorer.training import save_weights
from tests.fuzz.conftest import fuzz_settings, outcome
from tests.fuzz.strategies import descrs, mutated, shapes
from tests.io.crafted import npy, npy_header, raw_zip, stored
from tests.limits import needs_limits

pytestmark = needs_limits

SIZES = [2, [5], 3]  # the model the worker loads into: nn.MLP(2, [5], 3)


@pytest.fixture(scope="module")
def state():
    manual_seed(0)
    return {k: np.array(v) for k, v in nn.MLP(*SIZES).state_dict().items()}


@pytest.fixture(scope="module")
def valid(tmp_path_factory):
    manual_seed(0)
    path = save_weights(nn.MLP(*SIZES), tmp_path_factory.mktemp("weights") / "w.npz")
    return path.read_bytes()


def run(worker, path):
    outcome(worker, "weights", path, sizes=SIZES)


@fuzz_settings
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(worker, scratch, data):
    path = scratch / "bytes.npz"
    path.write_bytes(data)
    run(worker, path)


@fuzz_settings
@given(data=st.data())
def test_mutated_valid_files(worker, scratch, valid, data):
    path = scratch / "mutated.npz"
    path.write_bytes(data.draw(mutated(valid, max_mutations=6)))
    run(worker, path)


@fuzz_settings
@given(data=st.data())
def test_lying_headers(worker, scratch, state, data):
    members = [stored(f"{key}.npy", npy(value)) for key, value in state.items()]
    for index in data.draw(st.lists(st.integers(0, len(members) - 1), min_size=1, max_size=3)):
        name = members[index][0]
        shape = data.draw(shapes | st.just(state[name[:-4]].shape))
        body = npy_header(data.draw(descrs), shape) + data.draw(st.binary(max_size=200))
        if data.draw(st.booleans()):
            body += np.full(8, data.draw(st.sampled_from([np.nan, np.inf, 1.0]))).tobytes()
        size = data.draw(st.sampled_from([len(body), len(body) + 1, 2**31]))
        members[index] = (name, body, 0, zlib.crc32(body), size)
    path = scratch / "lying.npz"
    path.write_bytes(raw_zip(members))
    run(worker, path)
