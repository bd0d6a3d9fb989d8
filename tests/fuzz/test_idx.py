"""Fuzz ``load_idx``: arbitrary bytes, mutated valid pairs, lying headers, gzip or not."""

from __future__ import annotations

import gzip
import struct

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import fuzz_settings, outcome
from tests.fuzz.strategies import INTERESTING, mutated
from tests.limits import needs_limits

pytestmark = needs_limits

PIXELS = np.random.default_rng(0).integers(0, 256, (20, 4, 5), dtype=np.uint8).tobytes()
IMAGES = struct.pack(">IIII", 0x803, 20, 4, 5) + PIXELS
LABELS = struct.pack(">II", 0x801, 20) + bytes(i % 10 for i in range(20))


def write(folder, images: bytes, labels: bytes, compress: tuple[bool, bool]):
    paths = folder / "images-idx3-ubyte", folder / "labels-idx1-ubyte"
    for path, data, packed in zip(paths, (images, labels), compress, strict=True):
        path.write_bytes(gzip.compress(data, compresslevel=1) if packed else data)
    return paths


def run(worker, paths, **options):
    outcome(worker, "idx", paths[0], labels=str(paths[1]), memory_budget=1 << 30, **options)


@fuzz_settings
@given(images=st.binary(max_size=300), labels=st.binary(max_size=60))
def test_arbitrary_bytes(worker, scratch, images, labels):
    run(worker, write(scratch, images, labels, (False, False)))


@fuzz_settings
@given(data=st.data(), compress=st.tuples(st.booleans(), st.booleans()))
def test_mutated_valid_files(worker, scratch, data, compress):
    images = data.draw(mutated(IMAGES))
    labels = data.draw(mutated(LABELS)) if data.draw(st.booleans()) else LABELS
    num_classes = data.draw(st.sampled_from([10, None, 2]))
    run(worker, write(scratch, images, labels, compress), num_classes=num_classes)


@fuzz_settings
@given(data=st.data(), compress=st.tuples(st.booleans(), st.booleans()))
def test_mutated_gzip_streams(worker, scratch, data, compress):
    images = data.draw(mutated(gzip.compress(IMAGES)))
    labels = data.draw(mutated(gzip.compress(LABELS)))
    run(worker, write(scratch, images, labels, (False, False)))


dims = st.sampled_from(INTERESTING) | st.integers(0, 2**32 - 1)


@fuzz_settings
@given(
    magic=st.sampled_from([0x803, 0x801, 0x802, 0x804, 0x80D03, 0xD03, 0x800]),
    image_dims=st.lists(dims, min_size=0, max_size=4),
    label_count=dims,
    tail=st.integers(0, 400),
    compress=st.tuples(st.booleans(), st.booleans()),
)
def test_lying_headers(worker, scratch, magic, image_dims, label_count, tail, compress):
    images = struct.pack(f">I{len(image_dims)}I", magic, *image_dims) + PIXELS[:tail]
    labels = struct.pack(">II", 0x801, label_count) + bytes(20)
    run(worker, write(scratch, images, labels, compress))
