import gzip
import os
import struct
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.data import DataError, load_idx
from explorer.data.memory import WORKING_SET_PER_VALUE, working_set
from explorer.training import TrainingConfig, prepare_data
from explorer.training.run_setup import dataset_from_message, dataset_message
from explorer.training.wire import decode, encode
from tests.io.crafted import gzip_zeros
from tests.limits import LimitedWorker, needs_limits
from tests.special_files import (
    dev_zero_link,
    needs_dev_zero,
    needs_fifo,
    refuses_without_blocking,
)


def idx_bytes(magic, dims, payload):
    return struct.pack(">I", magic) + struct.pack(f">{len(dims)}I", *dims) + bytes(payload)


def write_pair(tmp_path, images=None, labels=None, compress=False):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (5, 3, 4), dtype=np.uint8)
    targets = np.array([0, 9, 3, 3, 1], dtype=np.uint8)
    images = idx_bytes(0x803, (5, 3, 4), pixels.tobytes()) if images is None else images
    labels = idx_bytes(0x801, (5,), targets.tobytes()) if labels is None else labels
    image_path, label_path = tmp_path / "images-idx3-ubyte", tmp_path / "labels-idx1-ubyte"
    opener = gzip.open if compress else open
    with opener(image_path, "wb") as handle:
        handle.write(images)
    with opener(label_path, "wb") as handle:
        handle.write(labels)
    return image_path, label_path, pixels, targets


@pytest.mark.parametrize("compress", [False, True])
def test_valid_files_load(tmp_path, compress):
    image_path, label_path, pixels, targets = write_pair(tmp_path, compress=compress)
    data = load_idx(image_path, label_path)
    assert data.feature_shape == (3, 4) and data.num_classes == 10
    np.testing.assert_array_equal(data.x, pixels.reshape(5, 12).astype(np.float32))
    np.testing.assert_array_equal(data.y, targets)
    assert data.name == "images-idx3-ubyte"


def test_num_classes_can_be_inferred(tmp_path):
    image_path, label_path, _, _ = write_pair(tmp_path)
    assert load_idx(image_path, label_path, num_classes=None).num_classes == 10


def check(tmp_path, message, which="images", compress=False, **files):
    image_path, label_path, _, _ = write_pair(tmp_path, compress=compress, **files)
    with pytest.raises(DataError) as info:
        load_idx(image_path, label_path)
    text = str(info.value)
    named = image_path if which == "images" else label_path
    assert text.startswith(str(named)), text
    assert message in text, text


GOOD_IMAGES = idx_bytes(0x803, (5, 3, 4), bytes(60))


@pytest.mark.parametrize("compress", [False, True])
def test_truncated_images(tmp_path, compress):
    check(tmp_path, "data is truncated", images=GOOD_IMAGES[:-7], compress=compress)


@pytest.mark.parametrize("compress", [False, True])
def test_trailing_data(tmp_path, compress):
    check(tmp_path, "longer than its header says", images=GOOD_IMAGES + b"\0", compress=compress)


def test_wrong_magic(tmp_path):
    check(tmp_path, "wrong magic number 0x12345678", images=b"\x12\x34\x56\x78" + bytes(60))


def test_swapped_files_get_a_hint(tmp_path):
    labels = idx_bytes(0x801, (5,), bytes(5))
    check(tmp_path, "looks like a labels file (were the two swapped?)", images=labels)


def test_float_idx_is_unsupported(tmp_path):
    check(tmp_path, "only unsigned-byte", images=idx_bytes(0x0D03, (1, 1, 1), bytes(4)))


def test_absurd_header_is_refused_before_allocating(tmp_path):
    huge = idx_bytes(0x803, (4_000_000_000, 28, 28), bytes(16))
    check(tmp_path, "would need 3,136,000,000,000 bytes", images=huge)


def test_zero_dimension(tmp_path):
    check(tmp_path, "zero dimension", images=idx_bytes(0x803, (0, 28, 28), b""))


def test_too_short_and_truncated_header(tmp_path):
    check(tmp_path, "too short to be an IDX file", images=b"\0\0")
    check(tmp_path, "header is truncated", images=struct.pack(">II", 0x803, 5))


def test_count_mismatch(tmp_path):
    labels = idx_bytes(0x801, (4,), bytes(4))
    check(tmp_path, "has 4 labels but images-idx3-ubyte has 5 images", "labels", labels=labels)


def test_label_out_of_range(tmp_path):
    labels = idx_bytes(0x801, (5,), bytes([0, 1, 12, 2, 200]))
    check(
        tmp_path,
        "label 12 at index 2 is out of range for 10 classes (2 labels",
        "labels",
        labels=labels,
    )


def test_corrupt_gzip(tmp_path):
    image_path, label_path, _, _ = write_pair(tmp_path, compress=True)
    image_path.write_bytes(image_path.read_bytes()[:30])
    with pytest.raises(DataError, match="gzip stream is corrupt or truncated|data is truncated"):
        load_idx(image_path, label_path)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="cannot open the file"):
        load_idx(tmp_path / "nope", tmp_path / "nope2")


VALID_LABELS = idx_bytes(0x801, (5,), bytes([1, 2, 3, 4, 5]))


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(0, len(GOOD_IMAGES) - 1), compress=st.booleans())
def test_any_truncation_is_a_data_error(tmp_path_factory, cut, compress):
    folder = tmp_path_factory.mktemp("cut")
    image_path, label_path, _, _ = write_pair(
        folder, images=GOOD_IMAGES[:cut], labels=VALID_LABELS, compress=compress
    )
    with pytest.raises(DataError):
        load_idx(image_path, label_path)


@settings(max_examples=60, deadline=None)
@given(header=st.binary(min_size=0, max_size=20), tail=st.binary(max_size=64))
def test_random_headers_never_crash(tmp_path_factory, header, tail):
    folder = tmp_path_factory.mktemp("fuzz")
    image_path, label_path, _, _ = write_pair(folder, images=header + tail, labels=VALID_LABELS)
    try:
        data = load_idx(image_path, label_path)
    except DataError:
        return
    assert len(data) == 5  # only a coherent header can load


# -- memory ---------------------------------------------------------------------------------
@needs_limits
def test_images_over_the_memory_budget_are_refused_before_a_pixel_is_read(tmp_path):
    # 1,369,000 images of 28x28: 1 GiB of pixels, just under MAX_IDX_BYTES, in 1 MB of gzip.
    count = 1_369_000
    images = tmp_path / "images.gz"
    images.write_bytes(gzip_zeros(struct.pack(">IIII", 0x803, count, 28, 28), 1024))
    labels = tmp_path / "labels.gz"
    labels.write_bytes(gzip_zeros(struct.pack(">II", 0x801, count), 2))
    assert images.stat().st_size < 2 << 20
    with LimitedWorker(extra_bytes=300 << 20) as worker:
        answer = worker.call("idx", images, labels=str(labels), memory_budget=2 << 30)
    assert answer["outcome"] == "refused", answer["message"]
    assert answer["message"] == (
        f"{images}: 1,369,000 images of 28x28 pixels would need about 15.1 GiB of memory to "
        "load and train on, more than the memory budget of 2.0 GiB"
    )


def test_images_within_the_budget_load(tmp_path):
    image_path, label_path, pixels, _ = write_pair(tmp_path)
    need = working_set(5, 12)
    assert load_idx(image_path, label_path, memory_budget=need).x.shape == (5, 12)
    with pytest.raises(DataError, match="would need about 1 KiB of memory"):
        load_idx(image_path, label_path, memory_budget=need - 1)


def test_the_working_set_estimate_covers_loading_splitting_and_training(tmp_path):
    """Measured with tracemalloc: the app's process (load, split, standardize, the
    validation part in data units) at its peak, plus the training process's copy."""
    count, rows, cols = 12_000, 28, 28
    rng = np.random.default_rng(0)
    with gzip.open(tmp_path / "images.gz", "wb", compresslevel=1) as handle:
        handle.write(idx_bytes(0x803, (count, rows, cols), b""))
        handle.write(rng.integers(0, 256, count * rows * cols, dtype=np.uint8).tobytes())
    with gzip.open(tmp_path / "labels.gz", "wb") as handle:
        handle.write(idx_bytes(0x801, (count,), rng.integers(0, 10, count, dtype=np.uint8)))
    pixels = count * rows * cols
    tracemalloc.start()
    try:
        data = load_idx(tmp_path / "images.gz", tmp_path / "labels.gz")
        load_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        train, val, scaler = prepare_data(data, TrainingConfig(val_fraction=0.5), True)
        raw_val = scaler.inverse_transform_array(val.x)
        app = max(load_peak, tracemalloc.get_traced_memory()[1])
        frame = bytearray(encode({"train": dataset_message(train), "val": dataset_message(val)}))
        del data, train, val, raw_val, scaler
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        message = decode(frame)
        parts = dataset_from_message(message["train"]), dataset_from_message(message["val"])
        child = len(frame) + tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert len(parts[0]) + len(parts[1]) == count
    assert load_peak < 4.5 * pixels  # float32 pixels and one block of bytes
    assert app + child < WORKING_SET_PER_VALUE * pixels, (app / pixels, child / pixels)
    assert app + child > (WORKING_SET_PER_VALUE - 2) * pixels  # nor loose


@needs_dev_zero
def test_idx_files_that_are_symlinks_to_dev_zero_are_refused(tmp_path):
    image_path, label_path, _, _ = write_pair(tmp_path)
    link = dev_zero_link(tmp_path, "zero-idx3-ubyte")
    with pytest.raises(DataError, match="zero-idx3-ubyte: cannot open the file: not a regular"):
        load_idx(link, label_path)
    with pytest.raises(DataError, match="zero-idx3-ubyte: cannot open the file: not a regular"):
        load_idx(image_path, link)


@needs_fifo
def test_idx_files_that_are_fifos_are_refused_without_blocking(tmp_path):
    image_path, label_path, _, _ = write_pair(tmp_path)
    fifo = tmp_path / "pipe-idx3-ubyte"
    os.mkfifo(fifo)
    error = refuses_without_blocking(fifo, lambda: load_idx(fifo, label_path))
    assert isinstance(error, DataError) and "a pipe (FIFO)" in str(error)
    error = refuses_without_blocking(fifo, lambda: load_idx(image_path, fifo))
    assert isinstance(error, DataError) and "a pipe (FIFO)" in str(error)
