import gzip
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.data import DataError, load_idx


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
